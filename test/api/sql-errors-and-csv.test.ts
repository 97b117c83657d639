// The SQL console's two kinds of 400: a query the console refuses (sql-refused) and a query it allows
// that DuckDB fails on (sql-error, DuckDB's message and "Did you mean" hint); and every CSV aida writes
// (console export, a metric's format=csv, `aida sql --format csv`) starting with a UTF-8 BOM, Chinese
// text intact, formula cells neutralised and negative numbers left numbers.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../queries/db/open.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

const ordersCsv = [
  'order_id,ts,customer_id,amount,status,country',
  'o1,2026-10-01T10:00:00Z,c1,10.00,paid,中国',
  'o2,2026-10-01T12:00:00Z,c2,20.00,paid,=HYPERLINK("x")',
  'o3,2026-10-02T09:00:00Z,c1,5.00,paid,中国',
].join('\n');

let f: ServerFixture;
beforeAll(async () => {
  f = await serverFixture();
  expect((await f.ingest('orders.csv', ordersCsv)).status).toBe('loaded');
});
afterAll(async () => f.close());

const post = (sql: string, query = '') =>
  f.app.request(`/api/sql${query}`, { method: 'POST', headers: { 'x-aida-request': '1', 'content-type': 'application/json' }, body: JSON.stringify({ sql }) });

const problem = async (sql: string) => {
  const res = await post(sql);
  return { status: res.status, ...((await res.json()) as { type: string; detail: string; hint?: string }) };
};

describe('POST /api/sql: DuckDB errors are errors, with DuckDB’s hint; refusals stay refusals', () => {
  it('a misspelt table: DuckDB’s Catalog Error and "Did you mean"', async () => {
    expect(await problem('select * from ordrs')).toMatchObject({
      status: 400,
      type: '/api/docs#problem-sql-error',
      detail: 'Catalog Error: Table with name ordrs does not exist!',
      hint: 'Did you mean "orders"?',
    });
  });

  it('a misspelt column: the binder’s candidate bindings', async () => {
    const p = await problem('select amont from orders');
    expect(p).toMatchObject({ type: '/api/docs#problem-sql-error', detail: 'Binder Error: Referenced column "amont" not found in FROM clause!' });
    // the closest column first
    expect(p.hint).toMatch(/^Candidate bindings: "amount", /);
  });

  it('a misspelt function (a name DuckDB does not know): "Did you mean length"', async () => {
    expect(await problem("select lenght('abc')")).toMatchObject({
      type: '/api/docs#problem-sql-error',
      detail: 'Catalog Error: Scalar Function with name lenght does not exist!',
      hint: 'Did you mean "length"?',
    });
  });

  it('a conversion error has no hint: detail only', async () => {
    const p = await problem("select 'a'::integer");
    expect(p).toMatchObject({ type: '/api/docs#problem-sql-error', detail: "Conversion Error: Could not convert string 'a' to INT32" });
    expect(p.hint).toBeUndefined();
  });

  it('what the console refuses is still refused (not an error): writes, files, the salt table, denied functions', async () => {
    for (const sql of ['drop table orders', "select * from read_csv('/etc/passwd')", 'select * from meta', "select current_setting('threads')"]) {
      const p = await problem(sql);
      expect([sql, p.status, p.type]).toEqual([sql, 400, '/api/docs#problem-sql-refused']);
    }
    expect(await f.count('orders')).toBe(3);
  });

  it('an unknown name is handed to DuckDB but never runs anything: an extension function fails, it is not loaded', async () => {
    const p = await problem('select st_point(1, 2)');
    expect([p.status, p.type]).toEqual([400, '/api/docs#problem-sql-error']);
    expect(p.detail).toMatch(/st_point/);
    // a CTE or a misspelt hidden table gives no way round the salt table
    expect((await problem('select * from meta2')).type).toBe('/api/docs#problem-sql-error');
  });
});

/** The bytes of a response: Response.text() would drop the BOM before the test could see it. */
async function bytes(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

const bom = Buffer.from([0xef, 0xbb, 0xbf]);

describe('every CSV aida writes: UTF-8 BOM, Chinese intact, formulas neutralised, negative numbers kept', () => {
  // by hand: '=1+2' and '-1+2' are formulas → a leading '; -12.5 (a DECIMAL) and '-12.5' (text) are plain numbers;
  // 北京烤鸭 is written as UTF-8 after the BOM; the header 名称 too
  const query = "select '北京烤鸭' as 名称, '=1+2' as f, -12.5 as n, '-12.5' as t, '-1+2' as m, '@x' as a from orders where order_id = 'o1'";
  const expected = "名称,f,n,t,m,a\r\n北京烤鸭,'=1+2,-12.5,-12.5,'-1+2,'@x\r\n";

  it('the console export (POST /api/sql?format=csv)', async () => {
    const body = await bytes(await post(query, '?format=csv'));
    expect(body.subarray(0, 3)).toEqual(bom);
    expect(body.subarray(3).toString('utf8')).toBe(expected);
  });

  it('a metric’s format=csv (countries: a Chinese country and a formula as a country)', async () => {
    const res = await f.app.request('/api/countries?format=csv&from=2026-10-01&to=2026-10-03');
    expect(res.status).toBe(200);
    const body = await bytes(res);
    expect(body.subarray(0, 3)).toEqual(bom);
    const text = body.subarray(3).toString('utf8');
    // by hand: 中国 = o1 10 + o3 5 = 15 from 2 orders of 1 customer, share 15/35; the formula country = o2 20, share 20/35
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('from,to,country,revenue,orders,customers,share');
    expect(lines).toContain(`2026-10-01,2026-10-03,"'=HYPERLINK(""x"")",20,1,1,${20 / 35}`);
    expect(lines).toContain(`2026-10-01,2026-10-03,中国,15,2,1,${15 / 35}`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('aida sql --format csv (the CLI on the database file)', async () => {
    await f.db.close();
    try {
      const cli = spawnSync(process.execPath, ['bin/aida.js', 'sql', query, '--format', 'csv', '--db', f.dbFile], { encoding: 'buffer' });
      expect(cli.stderr.toString()).toBe('');
      expect(cli.stdout.subarray(0, 3)).toEqual(bom);
      expect(cli.stdout.subarray(3).toString('utf8')).toBe(expected.replaceAll('\r\n', '\n'));
    } finally {
      f.db = await openDb(f.dbFile);
    }
  });
});
