// npm run bench (SPEC §9). Ingest part: aida's full ingest (dedupe, sessions, channels, derived tables)
// against DuckDB reading the same file in the same run; median of N runs, ratio, rows/s, peak RSS.
// Query part (bench/queries.ts): funnel, retention and the same funnel in PostgreSQL 15. Load part
// (bench/load.ts): 100 clients for 30 s on uncached dashboard URLs against aida serve on the 1M-event warehouse. Web part
// (bench/web.ts): initial JavaScript and time to the first chart in Chromium. CLI part (bench/cli.ts):
// `aida --help` and `aida sql "select 1"` start-up. Follow part (bench/follow.ts): lines appended in chunks
// to a file `aida ingest --follow` reads, timed until all are loaded.
//   npm run bench -- [--only ingest|queries|load|web|cli|follow] [--follow-lines 200000] [--sizes 1000000,10000000] [--log-lines 2000000] [--runs 3]
//                    [--query-runs 15] [--pg-runs 5] [--retention-orders 1000000] [--property-events 1000000] [--skip-postgres]
//                    [--query-steps retention-period,lifecycle,...] (the query steps after the baseline and the funnel; default all)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { visitorsForEvents, writeDemo } from '../ingest/demo/index.ts';
import { writeAccessLog } from './access-log.ts';
import { cliTable, runCliBench } from './cli.ts';
import { followTable, runFollowBench } from './follow.ts';
import { loadBench, loadTable } from './load.ts';
import { runQueryBench } from './queries.ts';
import { runWebBench, webBenchTable } from './web.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    'log-lines': { type: 'string', default: '2000000' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench/out' },
    only: { type: 'string' },
    'query-runs': { type: 'string', default: '15' },
    'pg-runs': { type: 'string', default: '5' },
    'retention-orders': { type: 'string', default: '1000000' },
    'property-events': { type: 'string', default: '1000000' },
    'skip-postgres': { type: 'boolean', default: false },
    'follow-lines': { type: 'string', default: '200000' },
    'query-steps': { type: 'string' },
  },
});
const parts = ['ingest', 'queries', 'load', 'web', 'cli', 'follow'] as const;
if (values.only && !(parts as readonly string[]).includes(values.only)) throw new Error(`--only must be one of ${parts.join(', ')} (got '${values.only}')`);
const runs_ = (part: (typeof parts)[number]) => !values.only || values.only === part;
const sizes = values.sizes!.split(',').filter(Boolean).map(Number);
const runs = Number(values.runs);
const out = path.resolve(values.out!);
fs.mkdirSync(path.join(out, 'data'), { recursive: true });

interface Measure {
  seconds: number;
  cpuSeconds: number;
  rows: number;
  maxRssMB: number;
  /** aida's ingest: ms per phase */
  phases?: Record<string, number>;
}

function measure(mode: string, file: string): Measure {
  const db = path.join(out, 'db', mode, 'bench.duckdb');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/worker.ts', mode, file, db], { encoding: 'utf8', env: { ...process.env, UV_THREADPOOL_SIZE: '16' } });
  if (r.status !== 0) throw new Error(`${mode} on ${file} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Row {
  step: string;
  rows: number;
  aida: number;
  baseline: number;
  ratio: number;
  aidaCpu: number;
  baselineCpu: number;
  rowsPerSecond: number;
  aidaRssMB: number;
  baselineRssMB: number;
  /** median ms per phase of aida's runs */
  phases: Record<string, number>;
}

function compare(step: string, file: string, baselineMode: string): Row {
  const a: Measure[] = [];
  const b: Measure[] = [];
  for (let i = 0; i < runs; i++) {
    b.push(measure(baselineMode, file));
    a.push(measure('aida', file));
    process.stderr.write(`  ${step} run ${i + 1}/${runs}: aida ${a[i]!.seconds.toFixed(2)} s (CPU ${a[i]!.cpuSeconds.toFixed(1)} s), baseline ${b[i]!.seconds.toFixed(2)} s (CPU ${b[i]!.cpuSeconds.toFixed(1)} s), load ${os.loadavg()[0]!.toFixed(2)}\n`);
  }
  const aida = median(a.map((m) => m.seconds));
  const baseline = median(b.map((m) => m.seconds));
  return {
    step, rows: a[0]!.rows, aida, baseline, ratio: baseline / aida, rowsPerSecond: a[0]!.rows / aida,
    aidaCpu: median(a.map((m) => m.cpuSeconds)), baselineCpu: median(b.map((m) => m.cpuSeconds)),
    aidaRssMB: Math.max(...a.map((m) => m.maxRssMB)), baselineRssMB: Math.max(...b.map((m) => m.maxRssMB)),
    phases: Object.fromEntries(Object.keys(a[0]!.phases ?? {}).map((p) => [p, median(a.map((m) => m.phases?.[p] ?? 0))])),
  };
}

async function ingestPart(): Promise<void> {
  const loadBefore = os.loadavg()[0]!;
  const count = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
  const rows: Row[] = [];
  for (const n of sizes) {
    const file = path.join(out, 'data', `web-${n}.csv`);
    if (!fs.existsSync(file)) {
      process.stderr.write(`generating ${n.toLocaleString('en')} web events...\n`);
      const m = await writeDemo({ outDir: path.join(out, 'data', `gen-${n}`), kinds: ['web'], visitors: visitorsForEvents(n), seed: 42, end: '2026-11-02', malformed: false });
      fs.renameSync(m.files[0]!.path, file);
      fs.rmSync(path.join(out, 'data', `gen-${n}`), { recursive: true, force: true });
    }
    rows.push(compare(`ingest canonical CSV, ${count(n)} events`, file, 'duckdb-csv'));
  }
  const logLines = Number(values['log-lines']);
  if (logLines > 0) {
    const log = path.join(out, 'data', `access-${logLines}.log`);
    if (!fs.existsSync(log)) {
      process.stderr.write(`generating a ${logLines.toLocaleString('en')}-line access log...\n`);
      await writeAccessLog(log, logLines);
    }
    rows.push(compare(`ingest access log, ${count(logLines)} lines`, log, 'duckdb-log'));
  }
  for (const mode of ['aida', 'duckdb-csv', 'duckdb-log']) fs.rmSync(path.join(out, 'db', mode), { recursive: true, force: true });

  const header = `| step | rows | aida s (median of ${runs}) | baseline s | ratio (target ≥ 0.6) | aida CPU s | baseline CPU s | CPU ratio | aida rows/s | aida peak RSS | baseline peak RSS |`;
  const table = [
    header,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.step} | ${r.rows.toLocaleString('en')} | ${r.aida.toFixed(2)} | ${r.baseline.toFixed(2)} | ${r.ratio.toFixed(2)} | ${r.aidaCpu.toFixed(1)} | ${r.baselineCpu.toFixed(1)} | ${(r.baselineCpu / r.aidaCpu).toFixed(2)} | ${Math.round(r.rowsPerSecond).toLocaleString('en')} | ${r.aidaRssMB} MB | ${r.baselineRssMB} MB |`),
    '',
    `Load average (1 min) before / after: ${loadBefore.toFixed(2)} / ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores; CPU seconds count every thread's work, which a busy host inflates far less than wall-clock seconds.`,
  ].join('\n');
  console.log(table);
  console.log(phaseTable(rows));
  fs.writeFileSync(path.join(out, 'ingest.json'), JSON.stringify(rows, null, 2));
}

/** Where aida's ingest time goes: one column per step, median ms of each phase over the runs. */
function phaseTable(rows: Row[]): string {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.phases)))];
  const cell = (r: Row, p: string) => (p in r.phases ? `${(r.phases[p]! / 1000).toFixed(2)} s (${Math.round((100 * r.phases[p]!) / (r.aida * 1000))}%)` : '—');
  return [
    '',
    `| aida ingest phase (median of ${runs}) | ${rows.map((r) => r.step).join(' | ')} |`,
    `|---|${rows.map(() => '---:').join('|')}|`,
    ...names.map((p) => `| ${p} | ${rows.map((r) => cell(r, p)).join(' | ')} |`),
  ].join('\n');
}

if (runs_('ingest')) await ingestPart();
if (runs_('queries')) {
  const { table } = await runQueryBench({
    sizes, out, runs: Number(values['query-runs']), pgRuns: Number(values['pg-runs']),
    retentionOrders: Number(values['retention-orders']), propertyEvents: Number(values['property-events']), postgres: !values['skip-postgres'],
    ...(values['query-steps'] ? { steps: values['query-steps'].split(',') } : {}),
  });
  console.log(table);
}
if (runs_('load')) {
  // the query part's 1M-event warehouse (web events and orders), served on a loopback port
  const db = path.join(out, 'db', 'query-1000000.duckdb');
  if (!fs.existsSync(db)) throw new Error(`the load step needs ${db}: run the query part first (npm run bench -- --only queries --sizes 1000000)`);
  console.log(loadTable(await loadBench(db, 100, 30)));
}
if (runs_('web')) console.log(webBenchTable(await runWebBench({ runs: 5 })));
if (runs_('cli')) console.log(cliTable(runCliBench(9)));
if (runs_('follow')) console.log(followTable(await runFollowBench(out, Number(values['follow-lines']), 20)));
