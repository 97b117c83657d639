// The web app's files through serveStatic (issue 14): compressed when the client accepts it (the build's
// .br/.gz copy when there is one, else gzip on the fly), hashed assets cached for a year, index.html and
// the app's routes revalidated; API JSON compressed too. Real requests on a real port, bytes compared.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Listening } from '../../server/main.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw GET (fetch would undo the encoding): the bytes exactly as sent. */
function get(url: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('static files and compression', () => {
  let f: ServerFixture;
  let s: Listening;
  const index = '<!doctype html><title>aida</title><script type="module" src="/assets/index-AbC123.js"></script>\n';
  // 40 KB of varied script: well over compress()'s 1 KB threshold
  const script = Array.from({ length: 800 }, (_, i) => `export const v${i} = ${i * 7919} % 104729;\n`).join('');
  const precompressed = Array.from({ length: 300 }, (_, i) => `.c${i}{color:#${(i * 4099).toString(16).padStart(6, '0').slice(0, 6)}}\n`).join('');

  beforeAll(async () => {
    f = await serverFixture();
    const web = path.join(f.dir, 'web');
    fs.mkdirSync(path.join(web, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(web, 'index.html'), index);
    fs.writeFileSync(path.join(web, 'assets/index-AbC123.js'), script);
    fs.writeFileSync(path.join(web, 'assets/style-Zz9.css'), precompressed);
    fs.writeFileSync(path.join(web, 'assets/style-Zz9.css.br'), zlib.brotliCompressSync(precompressed));
    await f.db.close();
    s = await startServer({ host: '127.0.0.1', port: 0, db: f.dbFile, config: f.config, webDir: web });
  });
  afterAll(async () => {
    await s.close();
    fs.rmSync(f.dir, { recursive: true, force: true });
  });

  it('a hashed asset: gzip on the fly when asked, the same bytes once decompressed, cached as immutable', async () => {
    const gz = await get(`${s.url}/assets/index-AbC123.js`, { 'accept-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gz.headers['content-type']).toMatch(/^text\/javascript/);
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    expect(gz.body.length).toBeLessThan(script.length / 2);
    expect(zlib.gunzipSync(gz.body).toString()).toBe(script);
    const plain = await get(`${s.url}/assets/index-AbC123.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it("the build's .br copy is sent as it is to a client that accepts br", async () => {
    const br = await get(`${s.url}/assets/style-Zz9.css`, { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.equals(zlib.brotliCompressSync(precompressed))).toBe(true);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(precompressed);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('index.html, the app routes and a missing asset answer index.html, revalidated every time', async () => {
    for (const route of ['/', '/index.html', '/funnel', '/customers?tier=A', '/assets/gone-123.js']) {
      const r = await get(`${s.url}${route}`);
      expect(r.status, route).toBe(200);
      expect(r.body.toString(), route).toBe(index);
      expect(r.headers['cache-control'], route).toBe('no-cache');
      expect(r.headers['content-type'], route).toBe('text/html; charset=utf-8');
    }
  });

  it('API JSON is compressed when the client accepts it, and decompresses to the same document', async () => {
    const plain = await get(`${s.url}/api/openapi.json`);
    const gz = await get(`${s.url}/api/openapi.json`, { 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(JSON.parse(plain.body.toString()).openapi).toMatch(/^3\./);
  });
});
