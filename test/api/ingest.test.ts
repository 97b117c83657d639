// POST /api/ingest (the server as the single writer): NDJSON progress and summary, gzip decoded inside
// the confined inbox, caches refreshed; and `aida ingest` handing its files to a running `aida serve`
// on the same database (SPEC §4.5): same summary and exit code, no lock error.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEvent } from '../../server/hand-off/protocol.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';
import { sql } from 'kysely';

const ordersCsv = 'order_id,ts,customer_id,amount\no1,2026-10-01T10:00:00Z,c1,10.00\no2,2026-10-02T10:00:00Z,c2,20.00\no3,2026-10-03T10:00:00Z,c1,abc\n';
const webCsv = 'ts,visitor_id,event,url\n2026-10-01T09:00:00Z,v1,pageview,/\n2026-10-01T09:01:00Z,v1,add_to_cart,/cart\n2026-10-01T09:30:00Z,v2,pageview,/\n';

async function events(res: Response): Promise<IngestEvent[]> {
  return (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
}

describe('POST /api/ingest', () => {
  let f: ServerFixture;
  beforeAll(async () => {
    f = await serverFixture();
  });
  afterAll(async () => f.close());

  const upload = (body: string | Buffer, query: string) => f.app.request(`/api/ingest?${query}`, { method: 'POST', headers: { 'x-aida-request': '1' }, body: typeof body === 'string' ? body : new Uint8Array(body) });

  it('loads the body through the pipeline and streams progress, then the summary', async () => {
    const etag = (await f.app.request('/api/funnel')).headers.get('etag');
    const res = await upload(ordersCsv, 'name=exports/orders.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const got = await events(res);
    const phases = got.filter((e) => e.type === 'progress').map((e) => (e as { phase: string }).phase);
    expect(phases[0]).toBe('hash');
    expect(phases.at(-1)).toBe('done');
    expect(new Set(phases)).toEqual(new Set(['hash', 'read', 'load', 'derive', 'done']));
    expect(got.every((e) => e.type !== 'progress' || e.file === 'exports/orders.csv')).toBe(true);
    // 3 rows in: o1 and o2 loaded, o3 rejected (amount 'abc')
    expect(got.at(-1)).toMatchObject({ type: 'summary', summary: { file: 'exports/orders.csv', status: 'loaded', kind: 'sales', rowsIn: 3, rowsLoaded: 2, rowsDuplicate: 0, rowsRejected: 1 } });
    expect((await (await f.app.request('/api/health')).json()).counts.orders).toBe(2);
    expect((await sql`select path from ingests`.execute(f.db.kysely)).rows).toEqual([{ path: 'exports/orders.csv' }]);
    expect(fs.readdirSync(path.join(f.inbox, 'uploads'))).toEqual([]); // the upload is removed; the raw copy is kept by sha256
    expect((await f.app.request('/api/funnel')).headers.get('etag')).not.toBe(etag); // new data version
  });

  it('decodes a gzip upload inside the inbox (the only place this DuckDB may read)', async () => {
    const got = await events(await upload(zlib.gzipSync(webCsv), 'name=web.csv.gz&kind=web'));
    expect(got.map((e) => e.type)).toContain('progress');
    expect(got.at(-1)).toMatchObject({ type: 'summary', summary: { file: 'web.csv.gz', status: 'loaded', kind: 'web', rowsLoaded: 3 } });
    expect(fs.readdirSync(path.join(f.inbox, 'tmp'))).toEqual([]);
  });

  it('says when a file was already loaded, and names the file (not the upload) when one fails', async () => {
    expect((await events(await upload(ordersCsv, 'name=again.csv'))).at(-1)).toMatchObject({ type: 'summary', summary: { file: 'again.csv', status: 'skipped', fileId: 1 } });
    const failed = (await events(await upload('order_id,paid_on,total\n1,2026-10-01,5\n', 'name=wrong.csv&kind=sales'))).at(-1);
    expect(failed).toMatchObject({ type: 'summary', summary: { status: 'failed', message: expect.stringMatching(/^wrong\.csv: is not a sales file: missing column 'ts'/) } });
    expect(JSON.stringify(failed)).not.toMatch(/\.upload|uploads/);
  });

  it('answers 400 naming a bad option', async () => {
    const res = await upload(ordersCsv, 'kind=weblog&colour=red');
    expect(res.status).toBe(400);
    expect((await res.json()).errors.map((e: { parameter: string }) => e.parameter)).toEqual(['kind', 'colour']);
  });
});

describe('aida ingest while aida serve holds the database', () => {
  const admin = 'admin-token-0123456789ab';
  const viewer = 'viewer-token-0123456789';
  let f: ServerFixture;
  let serve: ChildProcess;
  let url: string;
  const { AIDA_CONFIG: _c, AIDA_TOKEN: _t, AIDA_DB: _d, ...inherited } = process.env;
  const env = { ...inherited, AIDA_TOKENS: `${admin}:admin,${viewer}:viewer` };

  const aida = (args: string[], extraEnv: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/aida.js', ...args], { env: { ...env, ...extraEnv } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    f = await serverFixture();
    await f.db.close(); // the server process is the one that holds it
    serve = spawn(process.execPath, ['bin/aida.js', 'serve', '--db', f.dbFile, '--port', '0'], { env });
    let output = '';
    url = await new Promise<string>((resolve, reject) => {
      serve.stdout!.on('data', (d) => {
        output += d;
        const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) resolve(m[1]!);
      });
      serve.stderr!.on('data', (d) => (output += d));
      serve.once('exit', (code) => reject(new Error(`aida serve exited ${code}:\n${output}`)));
    });
  });
  afterAll(async () => {
    if (serve.exitCode === null) {
      serve.kill('SIGTERM');
      await new Promise((r) => serve.once('exit', r));
    }
    fs.rmSync(f.dir, { recursive: true, force: true });
  });

  it('hands the files to the server: same summary, exit 0, no lock error, data in the API', async () => {
    const announced = JSON.parse(fs.readFileSync(`${f.dbFile}.server.json`, 'utf8'));
    expect(announced).toMatchObject({ pid: serve.pid, url });
    const orders = f.file('orders.csv', ordersCsv);
    const web = f.file('web.csv', webCsv);
    const r = await aida(['ingest', '--db', f.dbFile, orders, web]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/orders\.csv\s+loaded\s+sales\s+2\s+0\s+1/);
    expect(r.stdout).toMatch(/web\.csv\s+loaded\s+web\s+3\s+0\s+0/);
    expect(r.stdout).toMatch(/rejected rows are in the rejects table/);
    expect(r.stdout + r.stderr).not.toMatch(/lock|in use|IO Error/i);
    const health = await (await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${viewer}` } })).json();
    expect(health.counts).toMatchObject({ orders: 2, events: 3 });

    const again = await aida(['ingest', '--json', '--db', f.dbFile, orders]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).files[0]).toMatchObject({ file: orders, status: 'skipped' });
  });

  it('aida sql on the held database asks the server (same runner): rows, CSV, and refusals', async () => {
    // the previous test loaded 2 valid orders; the admin token (from AIDA_TOKENS) may run SQL
    const table = await aida(['sql', '--db', f.dbFile, 'select count(*) as n from orders'], { AIDA_TOKEN: admin });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^n\s*\n-+\n2\s*\n\(1 row\)/);
    expect(table.stdout + table.stderr).not.toMatch(/lock|in use/i);
    const csv = await aida(['sql', '--db', f.dbFile, '--format', 'csv', 'select order_id from orders order by 1'], { AIDA_TOKEN: admin });
    expect(csv.stdout.trim().split(/\r?\n/)[0]).toBe('order_id');
    expect(csv.stdout.trim().split(/\r?\n/)).toHaveLength(3);
    const refused = await aida(['sql', '--db', f.dbFile, 'delete from orders'], { AIDA_TOKEN: admin });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .*(only|SELECT)/im);
    const viewerTry = await aida(['sql', '--db', f.dbFile, 'select 1'], { AIDA_TOKEN: viewer });
    expect(viewerTry.code).toBe(1);
    expect(viewerTry.stderr).toMatch(/set AIDA_TOKEN to an analyst token/);
  });

  it('exits 1 with a hint when its token may not ingest', async () => {
    const r = await aida(['ingest', '--db', f.dbFile, f.file('more.csv', 'order_id,ts,amount\no9,2026-10-05T10:00:00Z,1\n')], { AIDA_TOKEN: viewer });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error: .*more\.csv: not loaded: the aida server at http:\/\/127\.0\.0\.1:\d+ answered 403: this endpoint needs the admin role; the token has viewer \(set AIDA_TOKEN to an admin token of that server\)/);
  });

  it('removes its announcement when it stops', async () => {
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('exit', r));
    expect(fs.existsSync(`${f.dbFile}.server.json`)).toBe(false);
  });
});
