// `aida ingest --follow` while `aida serve` holds the database: the real CLI hands each slice to the real
// server (POST /api/ingest with the slice, GET /api/ingest/follow-offsets on start), which commits the
// offset with the rows; a kill -9 and a restart of the follower load every line once.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDb } from '../../queries/db/open.ts';
import { startServer, type Listening } from '../../server/main.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

const admin = 'admin-token-follow-0123456';
const line = (i: number) => `10.1.0.${i % 250} - - [03/Dec/2026:11:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /h/${i} HTTP/1.1" 200 10 "-" "Mozilla/5.0 Firefox/120.0"\n`;
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => line(from + k)).join('');

function follow(f: ServerFixture, log: string): { child: ChildProcess; loaded: () => number; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['bin/aida.js', 'ingest', '--follow', log, '--interval', '0.3', '--json', '--db', f.dbFile], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AIDA_TOKEN: admin },
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.resume();
  const loaded = () => out.split('\n').filter((l) => l.trim()).reduce((n, l) => n + (JSON.parse(l) as { rowsLoaded: number }).rowsLoaded, 0);
  return { child, loaded, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

async function until(what: string, test: () => boolean): Promise<void> {
  const end = Date.now() + 60_000;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('aida ingest --follow with aida serve running', () => {
  let f: ServerFixture;
  let s: Listening;
  beforeAll(async () => {
    f = await serverFixture({ auth: { tokens: [{ token: admin, role: 'admin' }] } });
    await f.db.close();
    s = await startServer({ host: '127.0.0.1', port: 0, db: f.dbFile, config: f.config, webDir: path.join(f.dir, 'no-web') });
  });
  afterAll(async () => {
    await s.close();
    fs.rmSync(f.dir, { recursive: true, force: true });
  });

  it('hands the slices to the server; after kill -9 the restarted follower resumes from the offset the server committed', async () => {
    const log = path.join(f.dir, 'access.log');
    fs.writeFileSync(log, lines(0, 50));
    let p = follow(f, log);
    await until('50 lines', () => p.loaded() === 50);
    p.child.kill('SIGKILL');
    await p.exited;
    fs.appendFileSync(log, lines(50, 80));
    p = follow(f, log);
    await until('30 more', () => p.loaded() === 30);
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);

    const res = await fetch(`${s.url}/api/ingest/follow-offsets`, { headers: { authorization: `Bearer ${admin}` } });
    const { offsets } = (await res.json()) as { offsets: { path: string; offset: number; lines: number }[] };
    expect(offsets.map((o) => [o.path, o.offset, o.lines])).toEqual([[log, fs.statSync(log).size, 80]]);
    await s.close();
    const db = await openDb(f.dbFile);
    try {
      // 80 lines written, 80 events, in two slices kept under the followed file's name
      expect((await sql`select count(*)::integer as n, count(distinct event_id)::integer as ids from events`.execute(db.kysely)).rows).toEqual([{ n: 80, ids: 80 }]);
      expect((await sql`select path, rows_loaded::integer as loaded, slice_start::integer as start from ingests order by file_id`.execute(db.kysely)).rows).toEqual([
        { path: log, loaded: 50, start: 0 },
        { path: log, loaded: 30, start: Buffer.byteLength(lines(0, 50)) },
      ]);
    } finally {
      await db.close();
      s = await startServer({ host: '127.0.0.1', port: 0, db: f.dbFile, config: f.config, webDir: path.join(f.dir, 'no-web') });
    }
  }, 120_000);
});
