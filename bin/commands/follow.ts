// `aida ingest --follow FILE|DIR`: every few seconds, loads the new whole lines of the followed files as
// slices (ingest/follow.ts), each in one transaction with its offset; hands them to a running `aida serve`.
import fs from 'node:fs';
import path from 'node:path';
import type { AidaConfig } from '../config.ts';
import { readFollowOffsets, type FollowOffset } from '../../ingest/follow-offsets.ts';
import { cutSlice, rotatedSiblings, type SliceJob } from '../../ingest/follow.ts';
import { ingestFiles, type IngestRun } from '../../ingest/ingest-files.ts';
import type { FileSummary } from '../../ingest/pipeline.ts';
import { openDb } from '../../queries/db/open.ts';
import { inboxDir } from '../../queries/db/paths.ts';
import { followOffsetsThroughServer, handOffIfHeld, ingestThroughServer } from '../../server/hand-off/client.ts';
import { filesUnder } from '../expand-inputs.ts';

export interface FollowArgs {
  target: string;
  dbFile: string;
  config: AidaConfig;
  run: Omit<IngestRun, 'files'>;
  intervalSeconds: number;
  json: boolean;
}

/** One slice at most this big: a backlog is loaded in several batches without waiting between them. */
const maxSliceBytes = 64 << 20;

/** Whoever writes: this process (it holds the database) or the `aida serve` that does. */
interface Writer {
  offsets(): Promise<FollowOffset[]>;
  load(job: SliceJob): Promise<FileSummary>;
  close(): Promise<void>;
}

async function openWriter(args: FollowArgs): Promise<Writer> {
  const options = (job: SliceJob) => ({
    ...args.run,
    // a file's later slices are read as its first one was
    ...(job.reading ? { kind: job.reading.kind, format: job.reading.format, encoding: job.reading.encoding, ...(job.reading.profile ? { profile: job.reading.profile } : {}) } : {}),
    slice: job.slice,
  });
  try {
    const db = await openDb(args.dbFile);
    return {
      offsets: () => readFollowOffsets(db),
      load: async (job) => (await ingestFiles(db, args.config, args.dbFile, { files: [job.slicePath], ...options(job) }))[0]!,
      close: () => db.close(),
    };
  } catch (err) {
    // a running `aida serve` holds the database: it is the single writer, so it loads the slices (SPEC §4.5)
    const to = handOffIfHeld(err, args.dbFile, args.config, 'admin');
    if (!to) throw err;
    return {
      offsets: async () => {
        const answer = await followOffsetsThroughServer(to);
        if (!answer.ok) throw new Error(answer.message);
        return answer.offsets;
      },
      load: async (job) => (await ingestThroughServer(to, [job.slicePath], { ...options(job), name: path.resolve(job.file) }))[0]!,
      close: async () => undefined,
    };
  }
}

/** The files to look at now: a folder's files, or the file and those of its rotated copies follow knows. */
function candidates(target: string, isDir: boolean, offsets: FollowOffset[]): string[] {
  if (isDir) return fs.existsSync(target) ? filesUnder(target) : [];
  // a rotated copy (access.log.1) is the old file under a new name: only its unread end is wanted
  const known = new Set(offsets.map((o) => `${o.device}:${o.inode}`));
  const siblings = rotatedSiblings(target).filter((f) => {
    const s = fs.statSync(f, { bigint: true, throwIfNoEntry: false });
    return s?.isFile() && known.has(`${s.dev}:${s.ino}`);
  });
  return [...siblings, target];
}

function sliceLine(job: SliceJob, r: FileSummary): string {
  const counts = `${job.lines} lines, ${r.rowsLoaded} loaded, ${r.rowsRejected} rejected${r.rowsExcluded ? ` (${r.rowsExcluded} excluded)` : ''}, ${r.rowsDuplicate} duplicate`;
  const message = r.message ? ` (${r.message.replaceAll(job.slicePath, job.file)})` : '';
  return `${new Date().toISOString().slice(0, 19)}Z ${job.file}: ${r.status === 'failed' ? 'failed' : counts}${message}`;
}

export async function follow(args: FollowArgs): Promise<number> {
  const stat = fs.statSync(args.target, { throwIfNoEntry: false });
  if (!stat) {
    console.error(`aida ingest: ${args.target}: no such file or folder; nothing to follow`);
    return 1;
  }
  const isDir = stat.isDirectory();
  const workDir = path.join(inboxDir(args.config, args.dbFile), 'tmp');
  removeStaleSlices(workDir);
  let writer = await openWriter(args);
  let stopping = false;
  let wake: () => void = () => undefined;
  const pause = () =>
    stopping
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, args.intervalSeconds * 1000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
  const stop = () => {
    if (stopping) process.exit(130); // a second Ctrl+C: now (the current slice's transaction is simply not committed)
    stopping = true;
    console.error('aida ingest: stopping after the current batch (Ctrl+C again to stop now)');
    wake();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.error(`aida ingest: following ${args.target} every ${args.intervalSeconds} s; Ctrl+C stops after the current batch`);
  // a file that failed is tried again once it has changed, not every batch
  const failedAt = new Map<string, number>();
  // names follow has read: a new file under one of them replaced the one it read (see CutOptions.writtenAt)
  const readAt = new Set<string>(isDir ? [] : [path.resolve(args.target)]);
  const told = new Set<string>();
  try {
    while (!stopping) {
      let offsets: FollowOffset[];
      try {
        offsets = await writer.offsets();
      } catch (err) {
        // the server that held the database went away (or came): find the writer again next time
        console.error(`aida ingest: ${(err as Error).message.split('\n')[0]}; trying again in ${args.intervalSeconds} s`);
        await writer.close();
        await pause();
        writer = await openWriter(args);
        continue;
      }
      for (const o of offsets) readAt.add(o.path);
      let more = false;
      for (const file of candidates(args.target, isDir, offsets)) {
        const job = cutSlice(file, offsets, { workDir, maxSliceBytes, writtenAt: (p) => readAt.has(p), ...(args.run.logFormat ? { format: 'log-format' } : args.run.format ? { format: args.run.format } : {}) });
        if (!job) continue;
        if (!('slicePath' in job)) {
          if (!told.has(`${file}\n${job.reason}`)) console.error(`aida ingest: not following ${file}: ${job.reason}`);
          told.add(`${file}\n${job.reason}`);
          continue;
        }
        const key = `${job.slice.follow.device}:${job.slice.follow.inode}:${job.slice.start}`;
        try {
          if (failedAt.get(key) === job.bytes) continue;
          const result = await writer.load(job);
          if (result.status === 'failed') failedAt.set(key, job.bytes);
          else {
            failedAt.delete(key);
            readAt.add(job.slice.follow.path);
          }
          console.log(args.json ? JSON.stringify({ ...result, file: job.file, lines: job.lines, bytes: job.bytes, message: result.message?.replaceAll(job.slicePath, job.file) }) : sliceLine(job, result));
          more ||= job.more && result.status !== 'failed';
        } finally {
          fs.rmSync(job.slicePath, { force: true });
        }
      }
      if (!more) await pause();
    }
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await writer.close();
  }
}

/** Slice files a killed follow left behind (their process is gone; their offsets were never committed). */
function removeStaleSlices(workDir: string): void {
  if (!fs.existsSync(workDir)) return;
  for (const name of fs.readdirSync(workDir)) {
    const pid = /^follow-(\d+)-\d+\.slice$/.exec(name)?.[1];
    if (pid && !alive(Number(pid))) fs.rmSync(path.join(workDir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
