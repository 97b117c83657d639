// One measured step of the benchmark, in its own process so its peak RSS is its own. Prints JSON:
// { seconds, cpuSeconds, rows, maxRssMB } and, for aida's ingest, { phases: { name: ms } } (where its
// time went). CPU seconds (all threads) are the work done, which a busy shared host inflates far less
// than the wall-clock seconds.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestFile } from '../ingest/pipeline.ts';
import { resolveConfig } from '../bin/config.ts';
import { openDb } from '../queries/db/open.ts';
import { accessLogPattern } from '../ingest/formats/access-log.ts';
import { phaseClock } from '../ingest/phase-clock.ts';

const [mode, file, db] = process.argv.slice(2) as [string, string, string];
fs.rmSync(path.dirname(db), { recursive: true, force: true });
fs.mkdirSync(path.dirname(db), { recursive: true });

async function baseline(sql: string): Promise<number> {
  const instance = await DuckDBInstance.create(db, { memory_limit: '1GB' });
  const conn = await instance.connect();
  const started = performance.now();
  const cpu = process.cpuUsage();
  await conn.run(sql);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSince(cpu);
  const rows = Number((await conn.runAndReadAll('select count(*) from t')).getRows()[0]![0]);
  conn.closeSync();
  instance.closeSync();
  report(seconds, cpuSeconds, rows);
  return rows;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
}

function report(seconds: number, cpuSeconds: number, rows: number, phases?: Map<string, number>): void {
  console.log(JSON.stringify({ seconds, cpuSeconds, rows, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), ...(phases ? { phases: Object.fromEntries(phases) } : {}) }));
}

const quoted = `'${file.replaceAll("'", "''")}'`;
switch (mode) {
  case 'duckdb-csv':
    await baseline(`create table t as select * from read_csv(${quoted})`);
    break;
  case 'duckdb-log':
    await baseline(`create table t as select regexp_extract(line, '${accessLogPattern.replaceAll("'", "''")}', ['ip', 'ident', 'auth_user', 'ts', 'request', 'status', 'bytes', 'referrer', 'user_agent']) as r
      from read_csv(${quoted}, columns = {'line': 'VARCHAR'}, delim = E'\\x1e', quote = '', escape = '', header = false, auto_detect = false)`);
    break;
  case 'aida': {
    const database = await openDb(db);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const clock = phaseClock();
    const summary = await ingestFile(database, file, { config: resolveConfig({}), inboxDir: path.join(path.dirname(db), 'inbox'), clock });
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuSince(cpu);
    await database.close();
    if (summary.status !== 'loaded') throw new Error(`ingest failed: ${summary.message}`);
    report(seconds, cpuSeconds, summary.rowsLoaded, clock.phases);
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
