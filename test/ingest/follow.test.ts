// `aida ingest --follow` as a user runs it (the real CLI in a child process): appends, a partial last line,
// a rename rotation, kill -9 between batches and a restart, copytruncate, a CSV that grows; every line once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql, type RawBuilder } from 'kysely';
import { openDb } from '../../queries/db/open.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-follow-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A combined-log line, unique by `i` (path and second), or a copy of the same request when `i` repeats. */
const line = (i: number) =>
  `10.0.${Math.floor(i / 250)}.${i % 250} - - [03/Dec/2026:${String(10 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /p/${i} HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"\n`;
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => line(from + k)).join('');

/** Whole lines in the files, counted independently of aida: newline-terminated lines. */
const wholeLines = (...files: string[]) => files.reduce((n, f) => n + (fs.readFileSync(f, 'latin1').match(/\n/g)?.length ?? 0), 0);

interface Follower {
  child: ChildProcess;
  slices: { file: string; lines: number; rowsLoaded: number; rowsDuplicate: number; rowsRejected: number; status: string }[];
  exited: Promise<number | null>;
}

function startFollow(db: string, target: string, ...extra: string[]): Follower {
  const child = spawn(process.execPath, ['bin/aida.js', 'ingest', '--follow', target, '--interval', '0.3', '--json', '--db', db, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const f: Follower = { child, slices: [], exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const p of parts) if (p.trim()) f.slices.push(JSON.parse(p));
  });
  child.stderr!.resume();
  return f;
}

const loaded = (f: Follower) => f.slices.reduce((n, s) => n + s.rowsLoaded, 0);

async function until(what: string, test: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function query<T>(db: string, q: RawBuilder<T>): Promise<T[]> {
  const d = await openDb(db);
  try {
    return (await q.execute(d.kysely)).rows;
  } finally {
    await d.close();
  }
}

describe('aida ingest --follow FILE', () => {
  it('appends, a partial last line, kill -9 between batches, a rename rotation and a restart: every line loaded exactly once', async () => {
    const dir = path.join(root, 'rotate');
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    const db = path.join(dir, 'data', 'aida.duckdb');
    const log = path.join(dir, 'access.log');
    fs.writeFileSync(log, lines(0, 200) + line(7)); // line 7 twice: two requests, both events

    let f = startFollow(db, log);
    await until('the first 201 lines', () => loaded(f) === 201);
    // a writer's half-written line waits for its newline
    fs.appendFileSync(log, lines(200, 350) + line(7) + line(350).slice(0, 40));
    await until('151 more', () => loaded(f) === 352);
    expect(f.slices.reduce((n, s) => n + s.lines, 0)).toBe(352); // 201 + 151 whole lines; the partial one is not read
    fs.appendFileSync(log, line(350).slice(40) + lines(351, 400));
    await until('the completed line and 49 more', () => loaded(f) === 402);

    // killed between batches: nothing it committed is lost, nothing is loaded twice after the restart
    f.child.kill('SIGKILL');
    await f.exited;
    fs.appendFileSync(log, lines(400, 450));
    fs.renameSync(log, `${log}.1`); // logrotate's default: rename, then the server writes to a new file
    fs.appendFileSync(`${log}.1`, lines(450, 470)); // the server's open handle still writes to the old file
    fs.writeFileSync(log, lines(470, 600));

    f = startFollow(db, log);
    // 50 + 20 unread lines of access.log.1 and the 130 of the new access.log
    await until('the rotated file and the new one', () => loaded(f) === 200);
    f.child.kill('SIGINT'); // Ctrl+C: the current batch finishes, exit 0
    expect(await f.exited).toBe(0);

    const written = wholeLines(`${log}.1`, log);
    expect(written).toBe(602); // 600 distinct lines and line 7 twice more
    const [events] = await query<{ n: number; ids: number; p7: number }>(db, sql`select count(*)::integer as n, count(distinct event_id)::integer as ids, count(*) filter (where path = '/p/7')::integer as p7 from events`);
    expect(events).toEqual({ n: written, ids: written, p7: 3 });
    const [totals] = await query<{ loaded: number; dup: number; rejected: number }>(db, sql`select sum(rows_loaded)::integer as loaded, sum(rows_duplicate)::integer as dup, sum(rows_rejected)::integer as rejected from ingests`);
    expect(totals).toEqual({ loaded: 602, dup: 0, rejected: 0 });
    // each file's committed offset is its size and its line count its lines
    const offsets = await query<{ path: string; committed_offset: number; committed_lines: number }>(db, sql`select path, committed_offset::bigint as committed_offset, committed_lines::integer as committed_lines from follow_offsets order by path`);
    expect(offsets).toEqual([
      { path: log, committed_offset: fs.statSync(log).size, committed_lines: 130 },
      { path: `${log}.1`, committed_offset: fs.statSync(`${log}.1`).size, committed_lines: 472 },
    ]);
    // the inbox keeps each slice once: together exactly the bytes of the two files
    const inbox = path.join(dir, 'data', 'inbox');
    const kept = fs.readdirSync(inbox).filter((n) => /^[0-9a-f]{64}$/.test(n)).reduce((n, f) => n + fs.statSync(path.join(inbox, f)).size, 0);
    expect(kept).toBe(fs.statSync(log).size + fs.statSync(`${log}.1`).size);

    // the slices replay into the same events (ids continue across slices of a file)
    const before = await query<{ event_id: string }>(db, sql`select event_id from events order by 1`);
    const rebuild = spawnSync(process.execPath, ['bin/aida.js', 'rebuild', '--db', db], { encoding: 'utf8' });
    expect(rebuild.status).toBe(0);
    expect(await query<{ event_id: string }>(db, sql`select event_id from events order by 1`)).toEqual(before);
    expect(await query(db, sql`select count(*)::integer as n from follow_offsets`)).toEqual([{ n: 2 }]);
  }, 180_000);
});

describe('aida ingest --follow DIR', () => {
  it('copytruncate: the truncated file starts again; the copy that appears adds only the lines follow had not read', async () => {
    const dir = path.join(root, 'copytruncate');
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    const db = path.join(dir, 'data', 'aida.duckdb');
    const log = path.join(logs, 'access.log');
    fs.writeFileSync(log, lines(0, 100));
    let f = startFollow(db, logs);
    await until('100 lines', () => loaded(f) === 100);
    f.child.kill('SIGINT');
    expect(await f.exited).toBe(0);
    // while follow is stopped: 5 more lines, then logrotate copytruncate (copy, truncate in place), and the
    // server goes on writing at the start of the emptied file; a new file appears too
    fs.appendFileSync(log, lines(100, 105));
    fs.copyFileSync(log, path.join(logs, 'access.log.1'));
    fs.truncateSync(log, 0);
    fs.appendFileSync(log, lines(105, 145));
    fs.writeFileSync(path.join(logs, 'other.log'), lines(1000, 1010));
    f = startFollow(db, logs);
    await until('the copy, the new 40 and the new file', () => f.slices.length === 3);
    f.child.kill('SIGTERM');
    expect(await f.exited).toBe(0);
    const by = (name: string) => f.slices.filter((s) => path.basename(s.file) === name).map((s) => [s.lines, s.rowsLoaded, s.rowsDuplicate]);
    expect(by('access.log.1')).toEqual([[105, 5, 100]]); // the 100 already loaded are duplicates, the 5 unread ones are new
    expect(by('access.log')).toEqual([[40, 40, 0]]); // shorter than its offset: read again from its start
    expect(by('other.log')).toEqual([[10, 10, 0]]);
    const [events] = await query<{ n: number; ids: number }>(db, sql`select count(*)::integer as n, count(distinct event_id)::integer as ids from events`);
    expect(events).toEqual({ n: 155, ids: 155 }); // lines 0–144 and 1000–1009, each once
  }, 120_000);

  it('a CSV that grows: later slices are read with its header; a rejected row keeps its line number in the file', async () => {
    const dir = path.join(root, 'csv');
    fs.mkdirSync(dir, { recursive: true });
    const db = path.join(dir, 'data', 'aida.duckdb');
    const csv = path.join(dir, 'events.csv');
    fs.writeFileSync(csv, 'ts,visitor_id,event,url\n2026-12-01 10:00:00,v1,pageview,/a\n2026-12-01 10:01:00,v1,pageview,/b\n');
    const f = startFollow(db, csv);
    await until('2 rows', () => loaded(f) === 2);
    fs.appendFileSync(csv, '2026-12-01 10:02:00,v2,pageview,/c\nnot a time,v2,pageview,/d\n2026-12-01 10:03:00,v2,pageview,/e\n');
    await until('2 more', () => loaded(f) === 4);
    f.child.kill('SIGINT');
    expect(await f.exited).toBe(0);
    expect(f.slices.map((s) => [s.lines, s.rowsLoaded, s.rowsRejected])).toEqual([[3, 2, 0], [3, 2, 1]]); // the header is one of the first 3 lines
    // "not a time" is line 5 of events.csv (header, 2 rows, /c, then it)
    expect(await query(db, sql`select line::integer as line, raw from rejects`)).toEqual([{ line: 5, raw: 'not a time,v2,pageview,/d' }]);
    expect(await query(db, sql`select string_agg(path, ' ' order by ts) as paths from events`)).toEqual([{ paths: '/a /b /c /e' }]);
  }, 120_000);
});
