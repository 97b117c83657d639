// POST /api/sql: results, limits and downloads; hostile statements each refused with a clear 400, the
// database and the file system untouched; a runaway query stopped at its time limit while /api/health
// keeps answering on a real port; the concurrency cap.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Listening } from '../../server/main.ts';
import { listFiles, serverFixture, type ServerFixture } from './server-fixture.ts';
import { sql } from 'kysely';

const ordersCsv = [
  'order_id,ts,customer_id,amount,status',
  'o1,2026-10-01T10:00:00Z,c1,10.00,paid',
  'o2,2026-10-01T12:00:00Z,c2,20.50,paid',
  'o3,2026-10-02T09:00:00Z,c1,5.00,cancelled',
].join('\n');

let f: ServerFixture;
beforeAll(async () => {
  f = await serverFixture({ sql: { max_rows: 100 } });
  fs.writeFileSync(path.join(f.dir, 'data', 'secret.txt'), 'next to the database, outside the inbox');
  expect((await f.ingest('orders.csv', ordersCsv)).status).toBe('loaded');
});
afterAll(async () => f.close());

const post = (sql: unknown, query = '', extra: Record<string, unknown> = {}) =>
  f.app.request(`/api/sql${query}`, { method: 'POST', headers: { 'x-aida-request': '1', 'content-type': 'application/json' }, body: JSON.stringify({ sql, ...extra }) });

describe('POST /api/sql', () => {
  it('returns columns with DuckDB types and rows as arrays', async () => {
    const res = await post('select order_id, amount, ts, customer_id is null as anonymous from orders order by order_id');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.columns).toEqual([
      { name: 'order_id', type: 'VARCHAR' }, { name: 'amount', type: 'DECIMAL(18,2)' },
      { name: 'ts', type: 'TIMESTAMP WITH TIME ZONE' }, { name: 'anonymous', type: 'BOOLEAN' },
    ]);
    expect(body.rows).toEqual([
      ['o1', 10, '2026-10-01 10:00:00+00', false],
      ['o2', 20.5, '2026-10-01 12:00:00+00', false],
      ['o3', 5, '2026-10-02 09:00:00+00', false],
    ]);
    expect(body).toMatchObject({ rowCount: 3, truncated: false });
    expect(body.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('stops at limit (at most sql.max_rows) and says the result was truncated', async () => {
    const ten = await (await post('select * from range(25) t(n)', '', { limit: 10 })).json();
    expect([ten.rowCount, ten.truncated, ten.rows.at(-1)]).toEqual([10, true, [9]]);
    const exact = await (await post('select * from range(25) t(n)', '', { limit: 25 })).json();
    expect([exact.rowCount, exact.truncated]).toEqual([25, false]);
    const capped = await (await post('select * from range(150) t(n)')).json();
    expect([capped.rowCount, capped.truncated]).toEqual([100, true]); // sql.max_rows = 100
    const tooMany = await post('select 1', '', { limit: 101 });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).errors).toEqual([{ parameter: 'limit', message: 'expected at most 100 (sql.max_rows)', expected: 'value <= 100' }]);
  });

  it('names a missing query and unknown body fields', async () => {
    const res = await f.app.request('/api/sql', { method: 'POST', headers: { 'x-aida-request': '1', 'content-type': 'application/json' }, body: JSON.stringify({ query: 'select 1' }) });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.map((e: { parameter: string }) => e.parameter)).toEqual(['sql', 'query']);
  });

  it('streams the full result as CSV with format=csv (beyond max_rows)', async () => {
    const res = await post("select n, 'row ' || n || ', \"quoted\"' as label from range(150) t(n)", '?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="aida-query-\d{8}-\d{6}\.csv"$/);
    const lines = (await res.text()).split('\r\n');
    expect(lines.length).toBe(152); // header, 150 rows, the empty string after the last CRLF
    expect(lines.slice(0, 3)).toEqual(['n,label', '0,"row 0, ""quoted"""', '1,"row 1, ""quoted"""']);
    expect(lines[150]).toBe('149,"row 149, ""quoted"""');
  });

  it('sends the full result as Parquet with format=parquet', async () => {
    const res = await post('select n, n * 1.5 as x, date \'2026-10-01\' + n::integer as day from range(150) t(n)', '?format=parquet');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const file = path.join(f.dir, 'download.parquet');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const check = await DuckDBInstance.create(':memory:');
    const conn = await check.connect();
    const rows = (await conn.runAndReadAll(`select count(*)::integer, sum(n)::integer, max(x)::double, max(day)::varchar from read_parquet('${file}')`)).getRows();
    conn.closeSync();
    check.closeSync();
    expect(rows).toEqual([[150, 11175, 223.5, '2027-02-27']]); // Σ0..149 = 11175; 149 × 1.5; Oct 1 + 149 days
  });

  it('reads no files, not even the raw copies in the inbox, and no table through query_table', async () => {
    const [raw] = fs.readdirSync(f.inbox).filter((n) => /^[0-9a-f]{64}$/.test(n));
    const res = await post(`select count(*)::integer as n from read_csv('${path.join(f.inbox, raw!)}')`);
    expect([res.status, (await res.json()).detail]).toEqual([400, 'read_csv() is not allowed in the SQL console: it reads files (the console reads only the warehouse)']);
    const viaQueryTable = await post("select count(*)::integer from query_table('orders')");
    expect((await viaQueryTable.json()).detail).toBe('query_table() is not allowed in the SQL console: it runs or parses SQL text the console has not checked');
    expect((await (await post('select count(*)::integer as n from orders')).json()).rows).toEqual([[3]]);
  });
});

describe('hostile SQL', () => {
  const out = () => path.join(f.dir, 'out');
  const statementType = /the SQL console is read-only: only SELECT \(or EXPLAIN SELECT\) statements run here, and this is not a SELECT statement/;
  const readsFiles = (fn: string) => new RegExp(`^${fn}\\(\\) is not allowed in the SQL console: it reads files`);
  const hostile: [string, () => string, RegExp][] = [
    ['INSERT', () => "insert into orders (order_id, ts, amount) values ('x', now(), 1)", /\(it starts with INSERT\)/],
    ['UPDATE', () => 'update orders set amount = 0', /\(it starts with UPDATE\)/],
    ['DELETE', () => 'delete from orders', /\(it starts with DELETE\)/],
    ['CTE then DELETE', () => 'with x as (select 1) delete from orders', statementType],
    ['CREATE TABLE', () => 'create table stolen as select * from orders', /\(it starts with CREATE\)/],
    ['CREATE MACRO', () => 'create macro m(x) as x', /\(it starts with CREATE\)/],
    ['DROP', () => 'drop table orders', /\(it starts with DROP\)/],
    ['ALTER', () => 'alter table orders add column z integer', /\(it starts with ALTER\)/],
    ['COPY TO outside', () => `copy orders to '${out()}.csv'`, /\(it starts with COPY\)/],
    ['COPY TO the inbox', () => `copy (select * from orders) to '${f.inbox}/out.parquet' (format parquet)`, /\(it starts with COPY\)/],
    ['ATTACH', () => `attach '${out()}.duckdb' as other`, /\(it starts with ATTACH\)/],
    ['INSTALL', () => 'install httpfs', /\(it starts with INSTALL\)/],
    ['LOAD', () => 'load httpfs', /\(it starts with LOAD\)/],
    ['SET', () => 'set enable_external_access = true', /\(it starts with SET\)/],
    ['PRAGMA', () => "pragma table_info('orders')", /^PRAGMA statements are not allowed; use the table-function form/],
    ['EXPORT DATABASE', () => `export database '${f.inbox}/export'`, /\(it starts with EXPORT\)/],
    ['CHECKPOINT', () => 'checkpoint', /\(it starts with CHECKPOINT\)/],
    ['checkpoint() in a SELECT', () => 'select * from checkpoint()', /^checkpoint\(\) is not allowed in the SQL console: it touches database or session state$/],
    ['a switch in a subquery', () => 'select (select count(*) from enable_logging())', /^enable_logging\(\) is not allowed in the SQL console: it changes or reads server settings or logs$/],
    ['BEGIN', () => 'begin transaction', /\(it starts with BEGIN\)/],
    ['COMMIT', () => 'commit', /\(it starts with COMMIT\)/],
    ['CALL', () => 'call pragma_version()', /\(it starts with CALL\)/],
    ['VACUUM', () => 'vacuum', /\(it starts with VACUUM\)/],
    ['two statements', () => 'select 1; drop table orders', /^exactly one statement is allowed, this text has 2/],
    ['EXPLAIN ANALYZE of a DELETE', () => 'explain analyze delete from orders', /\(it starts with DELETE\)/],
    ['query() running a DELETE', () => "select * from query('delete from orders')", /^query\(\) is not allowed in the SQL console: it runs or parses SQL text the console has not checked$/],
    ['read_csv /etc/passwd', () => "select * from read_csv('/etc/passwd')", readsFiles('read_csv')],
    ['read_text /etc/passwd', () => "select * from read_text('/etc/passwd')", readsFiles('read_text')],
    ['read_blob /etc/passwd', () => "select * from read_blob('/etc/passwd')", readsFiles('read_blob')],
    ['read_parquet /etc/passwd', () => "select * from read_parquet('/etc/passwd')", readsFiles('read_parquet')],
    ['glob /', () => "select * from glob('/*')", readsFiles('glob')],
    ['out of the inbox with ..', () => `select * from read_text('${f.inbox}/../secret.txt')`, readsFiles('read_text')],
    ['a file named as a table', () => "select * from '/etc/passwd'", /^the SQL console reads the warehouse's tables and views, not files: '\/etc\/passwd' is not one of them$/],
    ['an empty text', () => '  -- nothing here', /^there is no statement to run$/],
  ];

  it(`refuses ${hostile.length} statements with a 400 saying why, changing nothing`, async () => {
    const counts = async () => Promise.all(['orders', 'ingests', 'rejects', 'sessions', 'person_map'].map((t) => f.count(t)));
    const before = { counts: await counts(), files: listFiles(f.dir), tables: (await sql`select table_name from duckdb_tables() order by 1`.execute(f.db.kysely)).rows };
    for (const [name, text, reason] of hostile) {
      const res = await post(text());
      const body = await res.json();
      expect([name, res.status, body.type]).toEqual([name, 400, '/api/docs#problem-sql-refused']);
      expect(body.detail, name).toMatch(reason);
    }
    expect(await counts()).toEqual(before.counts);
    expect(listFiles(f.dir)).toEqual(before.files); // no out.csv, out.parquet, export/ or other.duckdb
    expect((await sql`select table_name from duckdb_tables() order by 1`.execute(f.db.kysely)).rows).toEqual(before.tables);
    expect(((await sql<{ on: boolean }>`select current_setting('enable_external_access') as on`.execute(f.db.kysely)).rows[0])!.on).toBe(false);
  });
});

describe('a runaway query on a real port', () => {
  let g: ServerFixture;
  let server: Listening;
  beforeAll(async () => {
    g = await serverFixture({ sql: { timeout_seconds: 2, max_concurrent: 1 } });
    server = await startServer({ host: '127.0.0.1', port: 0, db: g.dbFile, config: g.config, webDir: path.join(g.dir, 'no-web') });
  });
  afterAll(async () => {
    await server.close();
    await g.close();
  });

  it('is stopped at sql.timeout_seconds while health answers, and the queue stays short', async () => {
    const sql = (text: string) => fetch(`${server.url}/api/sql`, { method: 'POST', headers: { 'x-aida-request': '1', 'content-type': 'application/json' }, body: JSON.stringify({ sql: text }) });
    const started = Date.now();
    const runaway = sql('select count(*) from range(1000000000000)');
    await new Promise((r) => setTimeout(r, 600));
    // a safety property, not a benchmark: the dashboard's health check is not stuck behind the query
    const t0 = Date.now();
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1000);
    // max_concurrent = 1: one more query waits for the slot, the next is turned away at once
    const queued = sql('select 42 as answer');
    await new Promise((r) => setTimeout(r, 400));
    const rejected = await sql('select 1');
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get('retry-after')).toBe('2');
    expect((await rejected.json()).detail).toMatch(/^too many SQL queries at once \(1 running and 1 waiting; sql.max_concurrent = 1\): try again in a moment$/);

    const stopped = await runaway;
    expect(stopped.status).toBe(400);
    expect(await stopped.json()).toMatchObject({ type: '/api/docs#problem-sql-timeout', detail: 'the query ran for more than 2 s and was stopped (limit: sql.timeout_seconds)' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect((await (await queued).json()).rows).toEqual([[42]]);
  });
});
