// CLI start-up (issue 14/17): `aida --help` and `aida sql "select 1"` as a user runs them, each a fresh
// `node bin/aida.js` process; median wall time of N runs (after one warm-up) beside Node's own start in the same run, against the targets 150 ms and 500 ms.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface CliRow {
  command: string;
  runs: number;
  p50: number;
  max: number;
  /** ms; null for the baseline */
  target: number | null;
  /** p50 / Node's own start in the same run */
  ratio: number | null;
}

/** `node ARGS` N times: `bin/aida.js …` for the commands, `-e 0` for Node's own start (the baseline). */
function timed(argsOf: (run: number) => string[], runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const args = argsOf(i);
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`aida ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) times.push(ms); // the first run may bundle dist/node or warm the page cache
  }
  return times.sort((a, b) => a - b);
}

export function runCliBench(runs: number): CliRow[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-cli-bench-'));
  try {
    const db = path.join(dir, 'cli.duckdb');
    const aida = (...args: string[]) => ['bin/aida.js', ...args];
    const cases: [string, (run: number) => string[], number | null][] = [
      // the baseline: what starting Node itself costs on this machine now
      ['node -e 0 (baseline)', () => ['-e', '0'], null],
      ['aida --help', () => aida('--help'), 150],
      // a database file of its own for each run: opening creates and migrates it
      ['aida sql "select 1" (new database)', (run) => aida('sql', '--db', path.join(dir, `new-${run}.duckdb`), 'select 1'), 500],
      // the same file each run (the warm-up run created it): what an analyst's second query costs
      ['aida sql "select 1" (existing database)', () => aida('sql', '--db', db, 'select 1'), 500],
    ];
    const rows = cases.map(([command, args, target]) => {
      const t = timed(args, runs);
      return { command, runs, p50: t[Math.floor(t.length / 2)]!, max: t[t.length - 1]!, target, ratio: null as number | null };
    });
    const base = rows[0]!.p50;
    return rows.map((r, i) => (i === 0 ? r : { ...r, ratio: r.p50 / base }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function cliTable(rows: CliRow[]): string {
  return [
    '| command | runs | p50 ms | max ms | × node start | target | met |',
    '|---|---:|---:|---:|---:|---|---|',
    ...rows.map((r) => `| ${r.command} | ${r.runs} | ${r.p50.toFixed(0)} | ${r.max.toFixed(0)} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`} | ${r.target === null ? '—' : `≤ ${r.target} ms`} | ${r.target === null ? '—' : r.p50 <= r.target ? 'yes' : '**no**'} |`),
  ].join('\n');
}
