// The one hand-off client (server/hand-off/client.ts): `aida ingest`'s upload and `aida sql`'s query go
// through the same `send`, so both answer a refused token and an unreachable server the same way. Real
// server on a real port; the CLI end to end is in test/api/ingest.test.ts.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Listening } from '../../server/main.ts';
import { handOffTo, ingestThroughServer, sqlThroughServer, type HandOff } from '../../server/hand-off/client.ts';
import type { ServerInfo } from '../../server/hand-off/protocol.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

const admin = 'admin-token-0123456789ab';
const viewer = 'viewer-token-0123456789';

describe('the hand-off client used by aida ingest and aida sql', () => {
  let f: ServerFixture;
  let s: Listening;
  let server: ServerInfo;
  beforeAll(async () => {
    f = await serverFixture({ auth: { tokens: [{ token: admin, role: 'admin' }, { token: viewer, role: 'viewer' }] } });
    await f.db.close();
    s = await startServer({ host: '127.0.0.1', port: 0, db: f.dbFile, config: f.config, webDir: path.join(f.dir, 'no-web') });
    server = JSON.parse(fs.readFileSync(`${f.dbFile}.server.json`, 'utf8'));
  });
  afterAll(async () => {
    await s.close();
    fs.rmSync(f.dir, { recursive: true, force: true });
  });

  it('sends AIDA_TOKEN, else the first configured token with the role the work needs', () => {
    const saved = process.env.AIDA_TOKEN;
    try {
      delete process.env.AIDA_TOKEN;
      // tokens: admin first, then viewer; a viewer may do neither, an admin both
      expect(handOffTo(server, f.config, 'admin')).toEqual({ server, token: admin, role: 'admin' });
      expect(handOffTo(server, f.config, 'analyst')).toEqual({ server, token: admin, role: 'analyst' });
      expect(handOffTo(server, { auth: { tokens: [{ token: viewer, role: 'viewer' }] } }, 'analyst').token).toBeUndefined();
      process.env.AIDA_TOKEN = 'from-the-environment-0123';
      expect(handOffTo(server, f.config, 'admin').token).toBe('from-the-environment-0123');
    } finally {
      if (saved === undefined) delete process.env.AIDA_TOKEN;
      else process.env.AIDA_TOKEN = saved;
    }
  });

  it('uploads a file and then queries what it loaded', async () => {
    const file = path.join(f.dir, 'orders.csv');
    fs.writeFileSync(file, 'order_id,ts,customer_id,amount\no1,2026-10-01T10:00:00Z,c1,10.00\no2,2026-10-02T10:00:00Z,c2,20.00\n');
    const [summary] = await ingestThroughServer({ server, token: admin, role: 'admin' }, [file], {});
    expect(summary).toMatchObject({ file, status: 'loaded', kind: 'sales', rowsIn: 2, rowsLoaded: 2 });
    const got = await sqlThroughServer({ server, token: admin, role: 'analyst' }, 'select sum(amount)::double as total from orders', 'json');
    expect(got).toMatchObject({ ok: true, answer: { columns: [{ name: 'total' }], rows: [[30]], truncated: false } }); // 10.00 + 20.00
  });

  it('a refused token: the same sentence and hint from both, naming the role each needs', async () => {
    const file = path.join(f.dir, 'more.csv');
    fs.writeFileSync(file, 'order_id,ts,amount\no9,2026-10-05T10:00:00Z,1\n');
    const [ingest] = await ingestThroughServer({ server, token: viewer, role: 'admin' }, [file], {});
    const sql = await sqlThroughServer({ server, token: viewer, role: 'analyst' }, 'select 1', 'csv');
    expect(ingest!.message).toBe(`${file}: not loaded: the aida server at ${server.url} answered 403: this endpoint needs the admin role; the token has viewer (set AIDA_TOKEN to an admin token of that server)`);
    expect(sql).toEqual({ ok: false, message: `the aida server at ${server.url} answered 403: this endpoint needs the analyst role; the token has viewer (set AIDA_TOKEN to an analyst token of that server)` });
  });

  it('an unreachable server: the same sentence from both', async () => {
    // a port that was free a moment ago: nothing listens there
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const gone: HandOff = { server: { pid: 4242, url: `http://127.0.0.1:${port}`, startedAt: '' }, token: admin, role: 'admin' };
    const file = path.join(f.dir, 'orders.csv');
    const [ingest] = await ingestThroughServer(gone, [file], {});
    const sql = await sqlThroughServer(gone, 'select 1', 'json');
    const unreachable = new RegExp(`^the running aida server \\(http://127\\.0\\.0\\.1:${port}, pid 4242\\) holds the database but cannot be reached \\(`);
    expect(ingest!.message!.slice(`${file}: not loaded: `.length)).toMatch(unreachable);
    expect(sql.ok).toBe(false);
    expect((sql as { message: string }).message).toMatch(unreachable);
  });
});
