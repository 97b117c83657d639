// Issue 13, the HTTP side: DNS rebinding and CSRF refused, bad URLs 400, no server paths in answers,
// dashboard admission control (503 + Retry-After, health still answering), upload and decompression
// caps, leftovers removed at start, and a full disk (a real tmpfs) reported in plain words.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveConfig, type ConfigInput } from '../../bin/config.ts';
import { openDb } from '../../queries/db/open.ts';
import { confineFileAccess } from '../../queries/sql.ts';
import { createApp } from '../../server/app.ts';
import { startServer } from '../../server/main.ts';
import { listFiles, serverFixture, type ServerFixture } from './server-fixture.ts';

const header = 'event_id,ts,visitor_id,event,url';
const webCsv = `${header}\ne1,2026-10-01T10:00:00Z,v1,pageview,/\ne2,2026-10-01T10:05:00Z,v2,pageview,/pricing\n`;
const same = { 'x-aida-request': '1' };

/** The NDJSON events of an ingest answer; the last one is the summary (or an error). */
async function events(res: Response): Promise<{ type: string; summary?: Record<string, unknown>; message?: string }[]> {
  return (await res.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('DNS rebinding and cross-site requests (open loopback server)', () => {
  let f: ServerFixture;
  beforeAll(async () => {
    f = await serverFixture();
  });
  afterAll(async () => f.close());

  it('refuses a Host that is not this server, for reads and the console alike (421, nothing run)', async () => {
    const sql = await f.app.request('http://rebind.evil.example:8787/api/sql', {
      method: 'POST', headers: { host: 'rebind.evil.example:8787', ...same, 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'select 1 as x' }),
    });
    expect(sql.status).toBe(421);
    const problem = await sql.json();
    expect(problem.type).toBe('/api/docs#problem-wrong-host');
    expect(problem.detail).toBe("this server answers only to 127.0.0.1, localhost, [::1]; the request named host 'rebind.evil.example:8787'");
    const dash = await f.app.request('http://rebind.evil.example/api/funnel', { headers: { host: 'rebind.evil.example' } });
    expect(dash.status).toBe(421);
    for (const host of ['127.0.0.1:8787', 'localhost', '[::1]:8787', 'LOCALHOST:8787']) {
      expect((await f.app.request('http://x/api/health', { headers: { host } })).status, host).toBe(200);
    }
  });

  it('refuses a cross-site text/plain POST to /api/ingest (403) and loads nothing', async () => {
    const csrf = await f.app.request('http://127.0.0.1:8787/api/ingest?name=csrf.csv', {
      method: 'POST', headers: { host: '127.0.0.1:8787', origin: 'https://evil.example', 'content-type': 'text/plain' }, body: webCsv,
    });
    expect(csrf.status).toBe(403);
    expect((await csrf.json()).detail).toBe('requests from another site (Origin https://evil.example) are refused');
    // a form post without Origin (old browsers, stripped by a proxy) still lacks the custom header
    const bare = await f.app.request('http://127.0.0.1:8787/api/ingest?name=csrf.csv', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: webCsv });
    expect(bare.status).toBe(403);
    expect((await bare.json()).detail).toBe("a POST request needs an Authorization header or 'x-aida-request: 1' (the web app and the aida CLI send it; a cross-site page cannot)");
    // the custom header does not help a page of another origin, nor an opaque one (sandboxed iframe)
    for (const origin of ['http://evil.example:8787', 'null', 'http://localhost:9999']) {
      const res = await f.app.request('http://localhost/api/ingest', { method: 'POST', headers: { host: 'localhost', origin, ...same }, body: webCsv });
      expect(res.status, origin).toBe(403);
    }
    expect(await f.count('ingests')).toBe(0);
    expect(listFiles(f.inbox)).toEqual([]);
    // the web app's own request (same origin, the header) is served
    const ok = await f.app.request('http://localhost/api/ingest?name=web.csv', { method: 'POST', headers: { host: 'localhost', origin: 'http://localhost', ...same }, body: webCsv });
    expect((await events(ok)).at(-1)).toMatchObject({ type: 'summary', summary: { status: 'loaded', rowsLoaded: 2 } });
  });

  it('answers a bad %-escape with 400 problem+json and logs no crash', async () => {
    const logged = vi.spyOn(console, 'error');
    try {
      for (const url of ['/%E0%A4%A', '/api/%E0%A4%A', '/assets/%ZZ.js']) {
        const res = await f.app.request(`http://localhost${url}`);
        expect(res.status, url).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      }
      const query = await f.app.request('http://localhost/api/funnel?from=%E0%A4%A');
      expect(query.status).toBeLessThan(500);
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});

describe('no absolute server paths in what a client reads', () => {
  it('cuts the paths out of the messages the attack session saw (Node ENOSPC, DuckDB IO error)', async () => {
    const { withoutServerPaths } = await import('../../server/problems.ts');
    expect(withoutServerPaths("big.csv: not loaded (internal error: ENOSPC: no space left on device, copyfile 'big.csv' -> '/tmp/aida-full-Wae4nT/inbox/f2c8.partial-10078')")).toBe(
      "big.csv: not loaded (internal error: ENOSPC: no space left on device, copyfile 'big.csv' -> '…/f2c8.partial-10078')",
    );
    expect(withoutServerPaths('IO Error: Could not write file "/srv/aida/data/aida.duckdb": No space left on device')).toBe('IO Error: Could not write file "…/aida.duckdb": No space left on device');
  });

  it('names the upload, not its path in the inbox, when a file fails inside the server', async () => {
    const f = await serverFixture();
    try {
      const gz = zlib.gzipSync(webCsv).subarray(0, 40); // a truncated gzip
      const last = (await events(await f.app.request('/api/ingest?name=cut.csv.gz', { method: 'POST', headers: same, body: new Uint8Array(gz) }))).at(-1)!;
      expect(last.summary!.message).toBe('cut.csv.gz: the gzip stream is truncated or damaged (unexpected end of file); nothing was loaded');
      expect(JSON.stringify(last)).not.toContain(f.dir);
      expect(listFiles(f.inbox)).toEqual([]); // nor a raw copy of the failed file
    } finally {
      await f.close();
    }
  });
});

describe('Host check on a real port', () => {
  it('accepts the loopback names with the bound port only; with tokens and --host 0.0.0.0 any name (the token guards)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-host-'));
    const s = await startServer({ host: '127.0.0.1', port: 0, db: path.join(dir, 'aida.duckdb'), config: resolveConfig({ inbox_dir: path.join(dir, 'inbox') }), webDir: path.join(dir, 'web') });
    try {
      const port = Number(new URL(s.url).port);
      const raw = (host: string) => new Promise<number>((resolve, reject) => {
        // fetch cannot set Host: speak HTTP/1.1 directly, as a rebinding browser would
        const sock = net.connect(port, '127.0.0.1', () => sock.write(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
        let text = '';
        sock.on('data', (d) => (text += d));
        sock.on('close', () => resolve(Number(text.split(' ')[1])));
        sock.on('error', reject);
      });
      expect(await raw(`127.0.0.1:${port}`)).toBe(200);
      expect(await raw(`localhost:${port}`)).toBe(200);
      expect(await raw(`localhost:${port + 1}`)).toBe(421);
      expect(await raw(`rebind.evil.example:${port}`)).toBe(421);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const f = await serverFixture({ auth: { tokens: [{ token: 'admin-token-0123456789ab', role: 'admin' }] } });
    try {
      const app = createApp({ db: f.db, config: f.config, listen: { host: '0.0.0.0', port: 8787 }, webDir: path.join(f.dir, 'web') });
      const res = await app.request('http://aida.example.com:8787/api/funnel', { headers: { host: 'aida.example.com:8787', authorization: 'Bearer admin-token-0123456789ab' } });
      expect(res.status).toBe(200);
      expect((await app.request('http://aida.example.com:8787/api/funnel', { headers: { host: 'aida.example.com:8787' } })).status).toBe(401);
      // bound to another loopback address without tokens: that address is this server's name too
      const open = createApp({ db: f.db, config: resolveConfig({}), listen: { host: '127.0.0.2', port: 8787 }, webDir: path.join(f.dir, 'web') });
      expect((await open.request('http://127.0.0.2:8787/api/health', { headers: { host: '127.0.0.2:8787' } })).status).toBe(200);
      expect((await open.request('http://aida.example.com:8787/api/health', { headers: { host: 'aida.example.com:8787' } })).status).toBe(421);
    } finally {
      await f.close();
    }
  });
});

describe('dashboard admission control', () => {
  it('with 1 slot and a queue of 2, 8 concurrent uncached requests give exactly 5 × 503 with Retry-After; health answers meanwhile', async () => {
    const f = await serverFixture({ dashboards: { max_concurrent: 1, max_queue: 2, queue_timeout_seconds: 60 } });
    try {
      expect((await f.ingest('web.csv', webCsv)).status).toBe('loaded');
      expect((await f.app.request('/api/health')).status).toBe(200); // the data version is now remembered
      // 8 different periods: none cached, none shared. All reach the gate before the first query returns
      // (nothing before it waits on I/O), so 1 runs, 2 wait, 5 are turned away at once.
      const asks = Array.from({ length: 8 }, (_, i) => f.app.request(`/api/funnel?from=2026-09-${String(i + 1).padStart(2, '0')}&to=2026-10-30`));
      const health = f.app.request('/api/health');
      const answers = await Promise.all(asks);
      expect((await health).status).toBe(200);
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 503, 503, 503, 503, 503]);
      const shed = answers.filter((r) => r.status === 503);
      for (const r of shed) {
        expect(r.headers.get('retry-after')).toBe('2');
        const p = await r.json();
        expect(p.type).toBe('/api/docs#problem-dashboard-busy');
        expect(p.detail).toBe('the dashboards are busy (1 running and 2 waiting); try again in 2 s');
      }
      // the shed ones were not broken: asked again, one at a time, they are served
      expect((await f.app.request('/api/funnel?from=2026-09-08&to=2026-10-30')).status).toBe(200);
    } finally {
      await f.close();
    }
  });
});

describe('upload and decompression caps', () => {
  let f: ServerFixture;
  beforeAll(async () => {
    f = await serverFixture({ ingest: { max_upload_mb: 0.001, max_decompressed_mb: 1 } });
  });
  afterAll(async () => f.close());

  it('refuses an upload over ingest.max_upload_mb (413, one line naming the cap and the key), declared or streamed, and keeps nothing', async () => {
    const body = `${header}\n${'e,2026-10-01T10:00:00Z,v,pageview,/\n'.repeat(100)}`; // 34 + 100 × 37 = 3734 bytes > 1000
    const declared = await f.app.request('/api/ingest?name=big.csv', { method: 'POST', headers: { ...same, 'content-length': String(body.length) }, body });
    expect(declared.status).toBe(413);
    const detail = 'the upload is larger than 0.001 MB (the cap ingest.max_upload_mb); nothing was loaded — raise the cap in the config, or load the file with aida ingest on the server';
    expect((await declared.json()).detail).toBe(detail);
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(body)), c.close()) });
    const streamed = await f.app.request('/api/ingest?name=big.csv', { method: 'POST', headers: same, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).detail).toBe(detail);
    expect(listFiles(f.inbox)).toEqual([]);
  });

  it('stops a gzip that decompresses beyond ingest.max_decompressed_mb, and keeps neither raw copy nor temp file', async () => {
    const local = path.join(f.dir, 'bomb.csv.gz');
    // 2 MB of text in ~2 KB of gzip; the cap is 1 MB
    fs.writeFileSync(local, zlib.gzipSync(Buffer.concat([Buffer.from(`${header}\n`), Buffer.alloc(2e6, 'a')])));
    const { ingestFile } = await import('../../ingest/pipeline.ts');
    const s = await ingestFile(f.db, local, { config: f.config, inboxDir: f.inbox });
    expect(s).toMatchObject({ status: 'failed', rowsIn: 0 });
    expect(s.message).toBe(`${local}: decompresses to more than 1 MB (the cap ingest.max_decompressed_mb); nothing was loaded — raise the cap in the config if the file is genuine`);
    expect(listFiles(f.inbox)).toEqual([]);
    expect(await f.count('ingests')).toBe(0);
  });
});

describe('leftovers of interrupted runs', () => {
  it('are removed when the server starts; kept raw copies stay', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-left-'));
    const inbox = path.join(dir, 'inbox');
    fs.mkdirSync(path.join(inbox, 'uploads'), { recursive: true });
    fs.mkdirSync(path.join(inbox, 'tmp'), { recursive: true });
    fs.writeFileSync(path.join(inbox, 'uploads', '3f1c.upload'), 'half an upload');
    fs.writeFileSync(path.join(inbox, '77aa.partial'), 'half a copy');
    fs.writeFileSync(path.join(inbox, 'tmp', 'abc.123.txt'), 'half a decode');
    const kept = 'a'.repeat(64);
    fs.writeFileSync(path.join(inbox, kept), 'a raw copy');
    const s = await startServer({ host: '127.0.0.1', port: 0, db: path.join(dir, 'aida.duckdb'), config: resolveConfig({ inbox_dir: inbox }), webDir: path.join(dir, 'web') });
    try {
      expect(listFiles(inbox)).toEqual([kept]);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a full disk (a real 40 MB tmpfs holding the database and the inbox)', () => {
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-full-'));
  const rows = (k: number) => `${header}\n${Array.from({ length: 200_000 }, (_, i) => `e${k}_${i},2026-10-0${k + 1}T10:00:00Z,v${i % 1000},pageview,/p${i}`).join('\n')}\n`;
  beforeAll(() => {
    execSync(`mount -t tmpfs -o size=40m tmpfs ${mnt}`); // the tests run as root (here and in CI)
  });
  afterAll(() => {
    execSync(`umount ${mnt}`);
    fs.rmSync(mnt, { recursive: true, force: true });
  });

  it('says "the disk is full", removes the raw copy, stays up read-only (health says so) and refuses loads with 507', async () => {
    const config = resolveConfig({ inbox_dir: path.join(mnt, 'inbox') } satisfies ConfigInput);
    fs.mkdirSync(config.inbox_dir);
    const db = await openDb(path.join(mnt, 'aida.duckdb'));
    await confineFileAccess(db, [config.inbox_dir]);
    const app = createApp({ db, config, webDir: path.join(mnt, 'web') });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const first = await events(await app.request('/api/ingest?name=first.csv', { method: 'POST', headers: same, body: rows(0) }));
      expect(first.at(-1)).toMatchObject({ type: 'summary', summary: { status: 'loaded', rowsLoaded: 200_000 } });
      const firstRaw = listFiles(config.inbox_dir);
      // leave room for the upload and its raw copy, not for DuckDB's write
      const second = rows(1);
      const free = Number(execSync(`df -k --output=avail ${mnt} | tail -1`).toString().trim()) * 1024;
      fs.writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(Math.max(0, free - 2 * second.length - 3_000_000)));
      const full = (await events(await app.request('/api/ingest?name=second.csv', { method: 'POST', headers: same, body: second }))).at(-1)!;
      expect(full).toMatchObject({ type: 'summary', summary: { status: 'failed', cause: 'disk-full', rowsLoaded: 0 } });
      expect(full.summary!.message).toBe('second.csv: not loaded: the disk is full (no space left on the device holding the database or the inbox); nothing was loaded, free some space and load it again');
      expect(listFiles(config.inbox_dir)).toEqual(firstRaw); // no raw copy, no partial, no upload left
      expect(logged.mock.calls.map((c) => String(c[0])).find((m) => m.includes('disk is full'))).toMatch(/^aida: the disk is full .*The server stays up read-only/);
      const health = await app.request('/api/health');
      expect(health.status).toBe(200);
      const h = await health.json();
      expect(h.status).toBe('read-only');
      expect(h.problem).toMatch(/^the disk filled up while loading second\.csv at .*; no more loads until space is freed and aida serve restarted$/);
      const refused = await app.request('/api/ingest?name=third.csv', { method: 'POST', headers: same, body: rows(2) });
      expect(refused.status).toBe(507);
      expect((await refused.json()).detail).toMatch(/^the server is read-only: the disk filled up while loading second\.csv/);
      const funnel = await app.request('/api/funnel?from=2026-09-01&to=2026-10-30');
      expect(funnel.status).toBe(200); // what was loaded stays readable
      expect((await funnel.json()).steps[0].count).toBe(1000); // v0..v999 from the first file only
    } finally {
      logged.mockRestore();
      await db.close();
    }
  });
});
