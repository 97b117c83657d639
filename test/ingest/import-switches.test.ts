// The import switches of `aida ingest` (the real CLI): --dry-run writes nothing, --exclude-path rejects the
// events it skips with a reason, a folder or glob with no file exits 1, and rebuild replays --log-format.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql, type RawBuilder } from 'kysely';
import { openDb } from '../../queries/db/open.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-switches-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const aida = (db: string, ...args: string[]) => spawnSync(process.execPath, ['bin/aida.js', ...args, '--db', db], { encoding: 'utf8' });

async function query<T>(db: string, q: RawBuilder<T>): Promise<T[]> {
  const d = await openDb(db);
  try {
    return (await q.execute(d.kysely)).rows;
  } finally {
    await d.close();
  }
}

/** Every file under `dir` with its sha256: what "unchanged" means for the database and the inbox. */
function snapshot(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const d of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(d.parentPath, d.name);
    out[path.relative(dir, p)] = d.isFile() ? createHash('sha256').update(fs.readFileSync(p)).digest('hex') : 'dir';
  }
  return out;
}

// 4 rows: /a loads, /a again on the same visitor and second is a duplicate, "bad" is not a time, /x.css is excluded
const web = 'ts,visitor_id,event,url\n2026-10-01 10:00:00,v1,pageview,/a\n2026-10-01 10:00:00,v1,pageview,/a\nbad,v2,pageview,/b\n2026-10-01 10:01:00,v1,pageview,/static/x.css\n';

describe('aida ingest --dry-run', () => {
  it('reports per file what would load, dedupe and reject with the reasons, and leaves the database and inbox unchanged', async () => {
    const data = path.join(root, 'dry', 'data');
    fs.mkdirSync(data, { recursive: true });
    const db = path.join(data, 'aida.duckdb');
    const earlier = path.join(root, 'dry', 'earlier.csv');
    fs.writeFileSync(earlier, 'order_id,ts,amount\n1,2026-10-01 10:00:00,5.00\n');
    expect(aida(db, 'ingest', earlier).status).toBe(0);
    const file = path.join(root, 'dry', 'web.csv');
    fs.writeFileSync(file, web);
    const before = snapshot(data);

    const r = aida(db, 'ingest', '--dry-run', '--json', '--exclude-path', '/static/*', file, earlier);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dryRun).toBe(true);
    expect(out.files[0]).toMatchObject({ status: 'loaded', dryRun: true, rowsIn: 4, rowsLoaded: 1, rowsDuplicate: 1, rowsRejected: 2, rowsExcluded: 1 });
    expect(out.files[0].rejectSamples).toEqual([
      { line: 4, reason: expect.stringMatching(/^ts 'bad' is not a timestamp/) },
      { line: 5, reason: "path '/static/x.css' excluded by --exclude-path '/static/*'" },
    ]);
    expect(out.files[1]).toMatchObject({ status: 'skipped', dryRun: true, message: expect.stringMatching(/already loaded as file 1/) });
    expect(snapshot(data)).toEqual(before); // byte for byte, and no new file in the inbox

    const table = aida(db, 'ingest', '--dry-run', file);
    expect(table.stdout).toMatch(/web\.csv\s+would load\s+web\s+2\s+1\s+1\s/); // without the exclusion /x.css would load too
    expect(table.stdout).toMatch(/line 4: ts 'bad' is not a timestamp/);
    expect(table.stdout).toMatch(/dry run: nothing was written/);
    expect(snapshot(data)).toEqual(before);
  });

  it('against a database that does not exist yet creates none', () => {
    const db = path.join(root, 'dry-new', 'data', 'aida.duckdb');
    const file = path.join(root, 'web.csv');
    fs.writeFileSync(file, web);
    const r = aida(db, 'ingest', '--dry-run', '--json', file);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ rowsLoaded: 2, rowsDuplicate: 1, rowsRejected: 1 });
    expect(fs.existsSync(path.join(root, 'dry-new'))).toBe(false);
  });
});

describe('aida ingest --exclude-path', () => {
  it('skips matching web events as rejects with the reason, counted in the summary and in ingests', async () => {
    const db = path.join(root, 'exclude', 'data', 'aida.duckdb');
    const log = path.join(root, 'exclude', 'access.log');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    const req = (p: string, s: number) => `10.0.0.1 - - [03/Dec/2026:10:00:0${s} +0000] "GET ${p} HTTP/1.1" 200 10 "-" "Mozilla/5.0 Firefox/120.0"\n`;
    fs.writeFileSync(log, req('/', 1) + req('/app.css?v=2', 2) + req('/img/a/logo.png', 3) + req('/pricing', 4));
    const r = aida(db, 'ingest', '--json', '--exclude-path', '*.css', '--exclude-path', '/img/*', log);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ rowsIn: 4, rowsLoaded: 2, rowsDuplicate: 0, rowsRejected: 2, rowsExcluded: 2 });
    // the glob is matched against the path without its query string; '*' crosses '/' (as Matomo's)
    expect(await query(db, sql`select line::integer as line, reason from rejects order by line`)).toEqual([
      { line: 2, reason: "path '/app.css' excluded by --exclude-path '*.css'" },
      { line: 3, reason: "path '/img/a/logo.png' excluded by --exclude-path '/img/*'" },
    ]);
    expect(await query(db, sql`select rows_excluded::integer as n, exclude_paths from ingests`)).toEqual([{ n: 2, exclude_paths: '["*.css","/img/*"]' }]);
    expect(await query(db, sql`select string_agg(path, ' ' order by ts) as p from events`)).toEqual([{ p: '/ /pricing' }]);
    // rebuild replays the exclusion: the same two events
    expect(aida(db, 'rebuild').status).toBe(0);
    expect(await query(db, sql`select string_agg(path, ' ' order by ts) as p from events`)).toEqual([{ p: '/ /pricing' }]);
  });
});

describe('aida ingest of a folder or glob that matches no file', () => {
  it('exits 1 naming it, and loads nothing', () => {
    const db = path.join(root, 'none', 'data', 'aida.duckdb');
    const empty = path.join(root, 'none', 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const ok = path.join(root, 'none', 'ok.csv');
    fs.writeFileSync(ok, 'order_id,ts,amount\n1,2026-10-01 10:00:00,5.00\n');
    const glob = aida(db, 'ingest', ok, path.join(root, 'none', '*.tsv'));
    expect(glob.status).toBe(1);
    expect(glob.stderr).toBe(`aida ingest: ${path.join(root, 'none', '*.tsv')}: no file matches\naida ingest: nothing was loaded\n`);
    const dir = aida(db, 'ingest', empty);
    expect(dir.status).toBe(1);
    expect(dir.stderr).toMatch(/empty: the folder has no files\naida ingest: nothing was loaded/);
    expect(fs.existsSync(db)).toBe(false); // ok.csv was not loaded either
  });
});

describe('aida rebuild of a file ingested with --log-format', () => {
  it('replays it with the same log_format (kept in ingests)', async () => {
    const db = path.join(root, 'log-format', 'data', 'aida.duckdb');
    const log = path.join(root, 'log-format', 'custom.log');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    const format = '$remote_addr [$time_local] "$request" $status rt=$request_time';
    fs.writeFileSync(log, '10.0.0.1 [03/Dec/2026:10:00:01 +0000] "GET /a HTTP/1.1" 200 rt=0.010\n10.0.0.2 [03/Dec/2026:10:00:02 +0000] "GET /b HTTP/1.1" 200 rt=0.020\n');
    const r = aida(db, 'ingest', '--json', '--log-format', format, log);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ status: 'loaded', rowsLoaded: 2 });
    expect(await query(db, sql`select format, log_format from ingests`)).toEqual([{ format: 'log-format', log_format: format }]);
    const rebuild = aida(db, 'rebuild');
    expect(rebuild.stdout).toMatch(/custom\.log: loaded \(2 loaded, 0 duplicate, 0 rejected\)/);
    expect(rebuild.status).toBe(0);
    expect(await query(db, sql`select string_agg(path, ' ' order by ts) as p from events`)).toEqual([{ p: '/a /b' }]);
  });
});
