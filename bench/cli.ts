// CLI start-up (issue 14/17): `aida --help` and `aida sql "select 1"` as a user runs them, each a fresh
// `node bin/aida.js` process; median wall time of N runs (after one warm-up) against the targets 150 ms and 500 ms.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface CliRow {
  command: string;
  runs: number;
  p50: number;
  max: number;
  target: number;
}

function timed(argsOf: (run: number) => string[], runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const args = argsOf(i);
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['bin/aida.js', ...args], { encoding: 'utf8' });
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
    const cases: [string, (run: number) => string[], number][] = [
      ['aida --help', () => ['--help'], 150],
      // a database file of its own for each run: opening creates and migrates it
      ['aida sql "select 1" (new database)', (run) => ['sql', '--db', path.join(dir, `new-${run}.duckdb`), 'select 1'], 500],
      // the same file each run (the warm-up run created it): what an analyst's second query costs
      ['aida sql "select 1" (existing database)', () => ['sql', '--db', db, 'select 1'], 500],
    ];
    return cases.map(([command, args, target]) => {
      const t = timed(args, runs);
      return { command, runs, p50: t[Math.floor(t.length / 2)]!, max: t[t.length - 1]!, target };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function cliTable(rows: CliRow[]): string {
  return [
    '| command | runs | p50 ms | max ms | target | met |',
    '|---|---:|---:|---:|---|---|',
    ...rows.map((r) => `| ${r.command} | ${r.runs} | ${r.p50.toFixed(0)} | ${r.max.toFixed(0)} | ≤ ${r.target} ms | ${r.p50 <= r.target ? 'yes' : '**no**'} |`),
  ].join('\n');
}
