// `aida ingest --follow` measured as a user runs it (the real CLI in a child process). Bench step: append N
// access-log lines in chunks and time until all are loaded (rows/s). Soak (`--soak SECONDS`): lines of the
// real Apache log (each pass a year later) appended for that long, half lines included, with one rename rotation and one kill -9;
// afterwards every line must be in once, checked against a plain `aida ingest` of the same bytes.
//   node --import tsx bench/follow.ts --soak 60
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDb } from '../queries/db/open.ts';
import { writeAccessLog } from './access-log.ts';

interface Follower {
  child: ChildProcess;
  loaded: number;
  rejected: number;
  duplicate: number;
  exited: Promise<number | null>;
}

function startFollow(db: string, target: string): Follower {
  const child = spawn(process.execPath, ['bin/aida.js', 'ingest', '--follow', target, '--interval', '0.5', '--json', '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] });
  const f: Follower = { child, loaded: 0, rejected: 0, duplicate: 0, exited: new Promise((resolve) => child.once('exit', resolve)) };
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const p of parts.filter((x) => x.trim())) {
      const s = JSON.parse(p) as { rowsLoaded: number; rowsRejected: number; rowsDuplicate: number };
      f.loaded += s.rowsLoaded;
      f.rejected += s.rowsRejected;
      f.duplicate += s.rowsDuplicate;
    }
  });
  return f;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(test: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface FollowRow {
  lines: number;
  chunks: number;
  seconds: number;
  rowsPerSecond: number;
  /** the baseline in the same run: a plain `aida ingest` of the whole file */
  wholeSeconds: number;
}

/** Appends `lines` access-log lines in `chunks` pieces (one every 100 ms) to a followed file; times the first append to the last row loaded. */
export async function runFollowBench(out: string, lines: number, chunks: number): Promise<FollowRow> {
  const source = path.join(out, 'data', `access-${lines}.log`);
  if (!fs.existsSync(source)) await writeAccessLog(source, lines);
  const dir = path.join(out, 'db', 'follow');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const log = path.join(dir, 'access.log');
  fs.writeFileSync(log, '');
  const f = startFollow(path.join(dir, 'data', 'aida.duckdb'), log);
  await sleep(3000); // the follower's start (build check, DuckDB, migrations) is not what is measured
  const text = fs.readFileSync(source);
  const started = Date.now();
  for (let i = 0; i < chunks; i++) {
    let end = Math.floor(((i + 1) * text.length) / chunks);
    if (i < chunks - 1) end = text.indexOf(10, end) + 1 || text.length;
    const begin = i === 0 ? 0 : text.indexOf(10, Math.floor((i * text.length) / chunks)) + 1;
    fs.appendFileSync(log, text.subarray(begin, end));
    await sleep(100);
  }
  await until(() => f.loaded + f.rejected + f.duplicate >= lines, 600_000, `${lines} lines`);
  const seconds = (Date.now() - started) / 1000;
  f.child.kill('SIGINT');
  await f.exited;
  const wholeStarted = Date.now();
  const whole = spawnSync(process.execPath, ['bin/aida.js', 'ingest', source, '--db', path.join(dir, 'whole', 'data', 'aida.duckdb')], { encoding: 'utf8' });
  if (whole.status !== 0) throw new Error(`aida ingest ${source} failed: ${whole.stderr}`);
  const wholeSeconds = (Date.now() - wholeStarted) / 1000;
  fs.rmSync(dir, { recursive: true, force: true });
  return { lines, chunks, seconds, rowsPerSecond: lines / seconds, wholeSeconds };
}

export function followTable(r: FollowRow): string {
  return [
    '| step | lines | chunks | seconds to all loaded | rows/s | baseline: plain aida ingest of the whole file, s | ratio |',
    '|---|---:|---:|---:|---:|---:|---:|',
    `| ingest --follow, access log appended in chunks | ${r.lines.toLocaleString('en')} | ${r.chunks} | ${r.seconds.toFixed(2)} | ${Math.round(r.rowsPerSecond).toLocaleString('en')} | ${r.wholeSeconds.toFixed(2)} | ${(r.wholeSeconds / r.seconds).toFixed(2)} |`,
  ].join('\n');
}

/** The soak: real log lines for `seconds`, one rotation at 1/3, one kill -9 at 2/3; returns the counts. */
export async function runFollowSoak(seconds: number): Promise<Record<string, number | boolean>> {
  spawnSync(process.execPath, ['bin/build-node.js'], { stdio: 'inherit' }); // the followers start from a fresh build
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-follow-soak-'));
  fs.mkdirSync(path.join(dir, 'data'));
  const db = path.join(dir, 'data', 'aida.duckdb');
  const log = path.join(dir, 'access.log');
  const real = fs.readFileSync(path.resolve('../shared/data/apache-combined/access.log'), 'utf8').split('\n').filter((l) => l !== '').map((l) => `${l}\n`);
  // the log read again and again, each pass a year later (as a site's traffic: new times, the same kinds of lines)
  const replay = (i: number) => real[i % real.length]!.replace('/2015:', `/${2015 + Math.floor(i / real.length)}:`);
  // the first line, once follow has loaded it, starts the clock (its start-up is not the soak)
  fs.writeFileSync(log, replay(0));
  let f = startFollow(db, log);
  await until(() => f.loaded === 1, 120_000, 'the first line');
  const counted = { loaded: 0, rejected: 0, duplicate: 0 };
  const started = Date.now();
  let at = 1;
  let written = 1;
  let target = log;
  let carry = '';
  let rotated = false;
  let killed = false;
  while (Date.now() - started < seconds * 1000) {
    const t = (Date.now() - started) / 1000;
    // a chunk of 0–60 whole lines, sometimes ending in half a line (the rest comes with the next chunk)
    let chunk = carry;
    const n = Math.floor(Math.random() * 61);
    for (let i = 0; i < n; i++, at++) chunk += replay(at);
    written += n;
    carry = '';
    if (Math.random() < 0.3) {
      const next = replay(at++);
      written++;
      const cut = 1 + Math.floor(Math.random() * (next.length - 2));
      chunk += next.slice(0, cut);
      carry = next.slice(cut);
    }
    fs.appendFileSync(target, chunk);
    if (!rotated && t > seconds / 3) {
      // logrotate: rename; the server writes a moment longer to the old file, then to a new one
      fs.renameSync(log, `${log}.1`);
      target = `${log}.1`;
      setTimeout(() => {
        fs.appendFileSync(target, carry);
        carry = '';
        target = log;
      }, 1000);
      rotated = true;
    }
    if (!killed && t > (2 * seconds) / 3) {
      f.child.kill('SIGKILL');
      await f.exited;
      Object.assign(counted, { loaded: counted.loaded + f.loaded, rejected: counted.rejected + f.rejected, duplicate: counted.duplicate + f.duplicate });
      await sleep(2000);
      f = startFollow(db, log);
      killed = true;
    }
    await sleep(50);
  }
  fs.appendFileSync(target, carry);
  await sleep(1100);
  const files = [`${log}.1`, log];
  const lines = files.reduce((n, file) => n + (fs.readFileSync(file, 'latin1').match(/\n/g)?.length ?? 0), 0);
  const waitStart = Date.now();
  await until(() => counted.loaded + f.loaded + counted.rejected + f.rejected + counted.duplicate + f.duplicate >= lines, 300_000, `${lines} lines`);
  const catchUp = (Date.now() - waitStart) / 1000;
  f.child.kill('SIGINT');
  const exit = await f.exited;
  // the reference: the same bytes in one file through a plain aida ingest
  const whole = path.join(dir, 'whole.log');
  fs.writeFileSync(whole, Buffer.concat(files.map((file) => fs.readFileSync(file))));
  const refDb = path.join(dir, 'ref', 'data', 'aida.duckdb');
  const ref = spawnSync(process.execPath, ['bin/aida.js', 'ingest', '--json', whole, '--db', refDb], { encoding: 'utf8' });
  const refSummary = JSON.parse(ref.stdout).files[0] as { rowsLoaded: number; rowsRejected: number };
  const d = await openDb(db);
  const r = await openDb(refDb);
  try {
    const count = sql<{ n: number; ids: number }>`select count(*)::integer as n, count(distinct event_id)::integer as ids from events`;
    const mine = (await count.execute(d.kysely)).rows[0]!;
    const theirs = (await count.execute(r.kysely)).rows[0]!;
    const rejects = (await sql<{ n: number }>`select count(*)::integer as n from rejects`.execute(d.kysely)).rows[0]!.n;
    const ingests = (await sql<{ n: number }>`select count(*)::integer as n from ingests`.execute(d.kysely)).rows[0]!.n;
    const eventIds = sql<{ event_id: string }>`select event_id from events`;
    const refIds = new Set((await eventIds.execute(r.kysely)).rows.map((x) => x.event_id));
    const sameIds = (await eventIds.execute(d.kysely)).rows.filter((x) => refIds.has(x.event_id)).length;
    return {
      seconds, linesWritten: written, wholeLinesInFiles: lines, slices: ingests, events: mine.n, distinctEventIds: mine.ids, rejects,
      duplicates: counted.duplicate + f.duplicate, referenceEvents: theirs.n, referenceRejects: refSummary.rowsRejected, eventIdsAlsoInReference: sameIds,
      realLogDistinctLines: new Set(real).size, secondsToCatchUpAfterWriting: catchUp, exitCodeAfterCtrlC: exit ?? -1,
    };
  } finally {
    await d.close();
    await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve('bench/follow.ts')) {
  const { values } = parseArgs({ options: { soak: { type: 'string', default: '60' } } });
  console.log(JSON.stringify(await runFollowSoak(Number(values.soak)), null, 2));
}
