// The same AIDA funnel in PostgreSQL 15, for `npm run bench` (SPEC §9: aida ≥ 20× faster). The bench runs
// its own cluster (data dir bench/out/pg, 127.0.0.1 only, a free port, as the `postgres` user when run
// as root), loads the tables aida's funnel reads from the aida database (DuckDB COPY TO csv → psql
// \copy), indexes and analyses them, and times the funnel written the way a relational backend would:
// one LATERAL ... ORDER BY ts LIMIT 1 lookup per step (PostgreSQL's counterpart of DuckDB's ASOF join).
// Loaded databases are kept between runs (keyed like the DuckDB ones); the server is always stopped.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Config } from '../queries/config.ts';
import { resolveFunnel } from '../queries/funnel/definition.ts';
import { zonedMidnight } from '../queries/shared/period.ts';
import type { FunnelNumbers, TableColumns } from './compared.ts';

/** Server settings: a laptop-sized buffer pool like aida's 1GB DuckDB limit; load-friendly WAL. */
const settings = `
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
timezone = 'UTC'
shared_buffers = 1GB
work_mem = 64MB
maintenance_work_mem = 512MB
effective_cache_size = 4GB
random_page_cost = 1.1
wal_level = minimal
max_wal_senders = 0
max_wal_size = 4GB
synchronous_commit = off
`;

/** Bump when the way tables are loaded into PostgreSQL changes: cached databases are reloaded. */
const loadVersion = 'pg2';

/** Indexes for the funnel (per-person lookups of a stage from an instant, and step 1 by period). */
const indexes = [
  'create index on stage_hits (stage, person_id, ts)',
  'create index on stage_hits (stage, ts)',
  'create index on person_map (id_kind, id)',
  'create index on events (ts)',
  'create index on orders (customer_id, ts)',
];

export const pgSettingsSummary = 'shared_buffers 1GB, work_mem 64MB, effective_cache_size 4GB, random_page_cost 1.1, JIT and parallel query at their defaults';
export const pgIndexSummary = 'stage_hits (stage, person_id, ts), stage_hits (stage, ts), person_map (id_kind, id), events (ts), orders (customer_id, ts); tables frozen, vacuumed and analysed';

function pgBin(name: 'initdb' | 'pg_ctl'): string {
  const listed = execFileSync('dpkg', ['-L', 'postgresql-15'], { encoding: 'utf8' }).split('\n');
  const found = listed.find((l) => l.endsWith(`/bin/${name}`));
  if (!found) throw new Error(`PostgreSQL 15's ${name} not found (dpkg -L postgresql-15); install postgresql-15 or run the bench with --skip-postgres`);
  return found;
}

const asRoot = process.getuid?.() === 0;

/** Runs a server binary as the postgres user (the server refuses to run as root). */
function asPostgres(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

class Cluster {
  private running = false;
  private readonly stopOnExit = () => this.stop();

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(dir: string): Promise<Cluster> {
    const pgCtl = pgBin('pg_ctl');
    if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      if (asRoot) {
        const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
        const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
        fs.chownSync(dir, uid, gid);
      }
      process.stderr.write(`initialising a PostgreSQL cluster in ${dir}...\n`);
      asPostgres(pgBin('initdb'), ['-D', dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C']);
      fs.appendFileSync(path.join(dir, 'postgresql.conf'), settings);
    }
    const cluster = new Cluster(dir, await freePort());
    process.on('exit', cluster.stopOnExit);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        cluster.stop();
        process.exit(130);
      });
    }
    asPostgres(pgCtl, ['-D', dir, '-l', path.join(dir, 'bench-server.log'), '-w', '-t', '120', '-o', `-p ${cluster.port}`, 'start']);
    cluster.running = true;
    return cluster;
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    process.off('exit', this.stopOnExit);
    try {
      asPostgres(pgBin('pg_ctl'), ['-D', this.dir, '-m', 'fast', '-w', 'stop']);
    } catch (err) {
      process.stderr.write(`could not stop PostgreSQL: ${(err as Error).message}\n`);
    }
  }

  /** Runs a psql script (stdin) against `db`; stops at the first error. Returns stdout. */
  psql(db: string, script: string, extra: string[] = []): string {
    const r = spawnSync('psql', ['-X', '-q', '-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', ...extra, '-f', '-'], {
      input: script, encoding: 'utf8', maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(`psql on ${db} failed (exit ${r.status}):\n${r.stderr}\nscript:\n${script.slice(0, 2000)}`);
    return r.stdout;
  }

  value(db: string, query: string): string {
    return this.psql(db, query, ['-tA']).trim();
  }
}

function pgType(duck: string): string {
  const t = duck.toUpperCase();
  if (t === 'VARCHAR') return 'text';
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'timestamptz';
  if (t === 'TIMESTAMP') return 'timestamp';
  if (t === 'DATE') return 'date';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'TINYINT' || t === 'SMALLINT' || t === 'UTINYINT') return 'smallint';
  if (t === 'INTEGER' || t === 'USMALLINT') return 'integer';
  if (t === 'BIGINT' || t === 'UINTEGER') return 'bigint';
  if (t === 'UBIGINT' || t === 'HUGEINT') return 'numeric';
  if (t === 'DOUBLE') return 'double precision';
  if (t === 'FLOAT') return 'real';
  if (t.startsWith('DECIMAL')) return t.replace('DECIMAL', 'numeric');
  if (t === 'UUID') return 'uuid';
  return 'text';
}

const quoteLit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const quoteId = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** The AIDA funnel (SPEC §5.1, queries/funnel/) in PostgreSQL SQL: one row like aida's funnelSql. */
export function pgFunnelSql(config: Config, start: Date, end: Date): string {
  const def = resolveFunnel(config, {});
  const later = def.steps.slice(1).map((s) => {
    if (s.source.kind !== 'stage') throw new Error(`the PostgreSQL funnel knows stage steps only (got ${s.key})`);
    return s.source.stage;
  });
  const ks = def.steps.map((_, i) => i + 1);
  const S = `${quoteLit(start.toISOString())}::timestamptz`;
  const E = `${quoteLit(end.toISOString())}::timestamptz`;
  const W = `interval '${Math.round(def.windowDays * 86_400)} seconds'`;
  // each step: the earliest hit of its stage at or after the previous step, within the window from t1
  const laterals = later.map((stage, i) => {
    const k = i + 2;
    return `left join lateral (
      select h.ts from stage_hits h
      where h.stage = ${quoteLit(stage)} and h.person_id = s1.person_id and h.ts >= ${k === 2 ? 's1.t1' : `h${k - 1}.ts`} and h.ts <= s1.t1 + ${W}
      order by h.ts limit 1) h${k} on true`;
  });
  return `with attention as (
    select case when exists (select 1 from stage_hits where stage = 'exposed' and ts >= ${S} and ts < ${E}) then 'exposed' else 'visit' end as stage),
  s1 as (select person_id, ts as t1 from stage_hits where stage = (select stage from attention) and ts >= ${S} and ts < ${E}),
  chain as (
    select s1.person_id, s1.t1, ${ks.slice(1).map((k) => `h${k}.ts as t${k}`).join(', ')}
    from s1
    ${laterals.join('\n    ')}),
  best as (
    select distinct on (person_id) *, 1 + ${ks.slice(1).map((k) => `(t${k} is not null)::int`).join(' + ')} as level
    from chain
    order by person_id, level desc, t1)
  select (select stage from attention) as attention_stage, ${ks.map((k) => `count(t${k})::int as c${k}`).join(', ')},
    ${ks.slice(1).map((k) => `percentile_cont(0.5) within group (order by extract(epoch from t${k}) - extract(epoch from t${k - 1})) filter (where t${k} is not null) as m${k}`).join(',\n    ')}
  from best`;
}

export interface PgDataset {
  /** database name suffix */
  name: string;
  /** what is loaded: a cached database with another key is reloaded */
  key: string;
  /** the period aida's funnel used (local dates, `to` exclusive) */
  period: { from: string; to: string };
  /** writes events, orders, stage_hits and person_map as CSV into dir, returns their DuckDB columns */
  exportCsv: (dir: string) => TableColumns;
}

export interface PgResult {
  funnel: FunnelNumbers;
  times: number[];
  coldMs: number;
  p50: number;
  baselineTimes: number[];
}

function load(cluster: Cluster, db: string, d: PgDataset, csvDir: string): void {
  const exists = cluster.value('postgres', `select count(*) from pg_database where datname = ${quoteLit(db)}`) === '1';
  const key = `${d.key}:${loadVersion}`;
  const complete = exists && cluster.value(db, "select to_regclass('bench_key') is not null") === 't';
  if (complete && cluster.value(db, 'select key from bench_key') === key) return;
  if (exists) cluster.psql('postgres', `drop database ${quoteId(db)}`);
  cluster.psql('postgres', `create database ${quoteId(db)}`);
  const dir = path.join(csvDir, d.name);
  process.stderr.write(`exporting the funnel's tables for PostgreSQL (${d.name})...\n`);
  const started = performance.now();
  const columns = d.exportCsv(dir);
  const copies = Object.entries(columns).map(([table, cols]) => `create table ${quoteId(table)} (${cols.map((c) => `${quoteId(c.name)} ${pgType(c.type)}`).join(', ')});
\\copy ${quoteId(table)} from ${quoteLit(path.join(dir, `${table}.csv`))} with (format csv, header true, freeze true)`);
  process.stderr.write(`loading them into PostgreSQL database ${db}...\n`);
  // frozen rows in all-visible pages (COPY FREEZE into a table created in the same transaction), so the
  // index-only scans need no heap visits; the WAL flushed so VACUUM can set the last hint bits
  cluster.psql(db, `begin;\n${copies.join('\n')}\ncommit;\n${indexes.map((i) => `${i};`).join('\n')}\ncheckpoint;\nvacuum (analyze);\ncreate table bench_key as select ${quoteLit(key)}::text as key;\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`  loaded and indexed in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

/** Times `query` in one psql session: a warm-up run, then `runs` timed runs (psql's \timing, client side). */
function timed(cluster: Cluster, db: string, query: string, runs: number): { coldMs: number; times: number[] } {
  const out = cluster.psql(db, `\\timing on\n\\o /dev/null\n${`${query};\n`.repeat(runs + 1)}`);
  const times = [...out.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
  if (times.length !== runs + 1) throw new Error(`expected ${runs + 1} timings from psql, got:\n${out}`);
  return { coldMs: times[0]!, times: times.slice(1) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2;
}

export async function postgresFunnel(o: { dir: string; csvDir: string; runs: number; datasets: PgDataset[]; config: Config }): Promise<{ version: string; datasets: PgResult[] }> {
  const cluster = await Cluster.start(path.resolve(o.dir));
  try {
    const version = cluster.value('postgres', 'select version()');
    process.stderr.write(`${version}\n`);
    const results: PgResult[] = [];
    for (const d of o.datasets) {
      const db = `aida_${d.name}`;
      load(cluster, db, d, path.resolve(o.csvDir));
      const tz = o.config.timezone;
      const query = pgFunnelSql(o.config, zonedMidnight(d.period.from, tz), zonedMidnight(d.period.to, tz));
      const [header, line] = cluster.psql(db, `${query};`, ['--csv']).trim().split('\n');
      const row = Object.fromEntries(header!.split(',').map((h, i) => [h, line!.split(',')[i]!]));
      const steps = resolveFunnel(o.config, {}).steps.length;
      const funnel: FunnelNumbers = {
        attentionStage: row.attention_stage!,
        period: d.period,
        counts: Array.from({ length: steps }, (_, i) => Number(row[`c${i + 1}`])),
        medians: Array.from({ length: steps - 1 }, (_, i) => (row[`m${i + 2}`] === '' ? null : Number(row[`m${i + 2}`]))),
      };
      process.stderr.write(`timing the funnel in PostgreSQL (${d.name})...\n`);
      const t = timed(cluster, db, query, o.runs);
      const baseline = timed(cluster, db, 'select count(distinct visitor_id) from events', 3);
      results.push({ funnel, times: t.times, coldMs: t.coldMs, p50: median(t.times), baselineTimes: baseline.times });
    }
    return { version, datasets: results };
  } finally {
    cluster.stop();
  }
}
