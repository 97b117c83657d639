// POST /api/ingest (admin): the server is the single writer (SPEC §4.5). The body is the raw file; it is
// saved inside the inbox (the only place this DuckDB may read), loaded by the same pipeline as
// `aida ingest`, one file at a time, and the response streams NDJSON: progress events, then the summary.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { kinds } from '../../ingest/columns.ts';
import { readFollowOffsets, sliceSchema } from '../../ingest/follow-offsets.ts';
import { ingestFiles } from '../../ingest/ingest-files.ts';
import type { IngestEvent } from '../hand-off/protocol.ts';
import type { FileSummary, Progress } from '../../ingest/pipeline.ts';
import { profileNames } from '../../ingest/profiles/index.ts';
import { encodings, formats, isDiskFull } from '../../ingest/source.ts';
import { requireRole } from '../auth.ts';
import { whileWritable, type AppDeps } from '../deps.ts';
import { GateBusy } from '../gate.ts';
import { ApiProblem, validationHook, withoutServerPaths } from '../problems.ts';
import { sql } from 'kysely';

export const ingestQuery = z
  .object({
    name: z.string().min(1).max(4096).optional().describe("the file's name or path where it came from (shown in progress and summary, kept in ingests.path)"),
    kind: z.enum(kinds).optional().describe('default: detected from the columns'),
    format: z.enum(formats).optional().describe('default: detected from the content'),
    profile: z.enum(profileNames as [string, ...string[]]).optional().describe('default: detected from the header'),
    encoding: z.enum(encodings).optional().describe('default: detected'),
    logFormat: z.string().min(1).max(4000).optional().describe("an nginx-style log_format the lines are read by (aida ingest --log-format)"),
    excludePath: z.union([z.string().min(1).max(1000), z.array(z.string().min(1).max(1000)).max(100)]).optional().transform((v) => (v === undefined ? undefined : [v].flat()))
      .describe('a glob (repeatable): web events whose path matches are not loaded, each rejected with the reason "excluded by --exclude-path"'),
    dryRun: z.enum(['1', 'true']).optional().describe('report what would load, reject and dedupe; write nothing'),
    slice: z.string().max(10_000).optional().transform((v, ctx) => {
      if (v === undefined) return undefined;
      let json: unknown = null;
      try {
        json = JSON.parse(v);
      } catch {
        // not JSON: reported below like any other wrong shape
      }
      const parsed = sliceSchema.safeParse(json);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: `slice: expected a JSON object {start, lineShift, follow?} (${parsed.error.issues[0]?.message})` });
      return z.NEVER;
    }).describe('JSON: the body is a slice of a followed file (aida ingest --follow): {start, lineShift, follow: {device, inode, headBytes, headSha256, path, offset, lines}}'),
  })
  .strict();

/** Progress events for one phase come at most this often (phase changes always pass). */
const progressEveryMs = 100;

/** Where uploads land before they are loaded; whatever is here when the server starts was interrupted. */
export const uploadsDir = (inboxDir: string) => path.join(inboxDir, 'uploads');

/** Removes uploads a killed server left behind (called at start, when no ingest can be running). */
export function removeInterruptedUploads(inboxDir: string): string[] {
  const dir = uploadsDir(inboxDir);
  if (!fs.existsSync(dir)) return [];
  const names = fs.readdirSync(dir);
  for (const name of names) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  return names.map((n) => path.join('uploads', n));
}

const tooLarge = (maxMb: number) =>
  new ApiProblem('too-large', `the upload is larger than ${maxMb} MB (the cap ingest.max_upload_mb); nothing was loaded — raise the cap in the config, or load the file with aida ingest on the server`);

const diskFull = (what: string) => new ApiProblem('disk-full', `${what}: the disk is full (no space left on the device holding the inbox); nothing was loaded, free some space and try again`);

async function saveUpload(body: ReadableStream<Uint8Array>, dir: string, maxBytes: number, maxMb: number): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}.upload`);
  let received = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      done(received > maxBytes ? tooLarge(maxMb) : null, chunk);
    },
  });
  const out = fs.createWriteStream(file);
  try {
    await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), cap, out);
  } catch (err) {
    // the file is opened asynchronously: removed only once the stream has closed, or an empty one stays behind
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    fs.rmSync(file, { force: true });
    if (err instanceof ApiProblem) throw err;
    if (isDiskFull(err)) throw diskFull('the upload could not be saved');
    throw new ApiProblem('bad-request', `the upload did not complete: ${withoutServerPaths((err as Error).message)}`);
  }
  return file;
}

export function ingestRoutes(deps: AppDeps) {
  const { db, config } = deps;
  return new Hono()
    // how far aida ingest --follow has read each file, for a follow that hands its slices to this server
    .get('/follow-offsets', requireRole(config, 'admin'), async (c) => c.json({ offsets: await readFollowOffsets(db) }))
    .post('/', requireRole(config, 'admin'), whileWritable(deps), zValidator('query', ingestQuery, validationHook), async (c) => {
    const q = c.req.valid('query');
    const body = c.req.raw.body;
    if (!body) throw new ApiProblem('bad-request', 'send the file as the request body');
    const maxMb = config.ingest.max_upload_mb;
    const maxBytes = maxMb * 1e6;
    if (Number(c.req.header('content-length') ?? 0) > maxBytes) throw tooLarge(maxMb);
    const upload = await saveUpload(body, uploadsDir(deps.inboxDir), maxBytes, maxMb);
    const name = q.name ?? `upload-${new Date().toISOString()}`;
    let release: () => void;
    try {
      release = await deps.ingestGate.acquire();
    } catch (err) {
      fs.rmSync(upload, { force: true });
      if (err instanceof GateBusy) throw new ApiProblem('ingest-busy', `too many uploads are waiting for the single writer (${err.message}); try again later`, undefined, { 'retry-after': '10' });
      throw err;
    }
    const encoder = new TextEncoder();
    const run = async (ctrl: ReadableStreamDefaultController<Uint8Array>) => {
      let open = true;
      const send = (event: IngestEvent) => {
        if (!open) return;
        try {
          ctrl.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        } catch {
          open = false; // the client went away; the ingest still finishes (it is one transaction)
        }
      };
      let last = { phase: '', at: 0 };
      const onProgress = (p: Progress) => {
        const now = Date.now();
        if (p.phase === last.phase && now - last.at < progressEveryMs && p.phase !== 'done') return;
        last = { phase: p.phase, at: now };
        send({ type: 'progress', ...p, file: name });
      };
      try {
        const [summary] = await ingestFiles(db, config, db.file, {
          files: [upload],
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.format ? { format: q.format } : {}),
          ...(q.profile ? { profile: q.profile } : {}),
          ...(q.encoding ? { encoding: q.encoding } : {}),
          ...(q.logFormat ? { logFormat: q.logFormat } : {}),
          ...(q.excludePath?.length ? { excludePaths: q.excludePath } : {}),
          ...(q.dryRun ? { dryRun: true } : {}),
          ...(q.slice ? { slice: q.slice } : {}),
        }, onProgress);
        const result: FileSummary = { ...summary!, file: name, ...(summary!.message ? { message: withoutServerPaths(summary!.message.replaceAll(upload, name)) } : {}) };
        if (result.cause === 'disk-full' && !deps.readOnly.reason) {
          deps.readOnly.reason = `the disk filled up while loading ${name} at ${new Date().toISOString()}`;
          console.error(`aida: the disk is full (no space left on the device holding ${db.file} or ${deps.inboxDir}); ${name} was not loaded. The server stays up read-only; free some space and restart aida serve to load again.`);
        }
        if (result.status === 'loaded' && result.fileId && !q.slice?.follow) await sql`update ingests set path = ${name} where file_id = ${result.fileId}`.execute(db.kysely);
        send({ type: 'summary', summary: result });
      } catch (err) {
        send({ type: 'error', message: `${name}: not loaded (${withoutServerPaths((err as Error).message.split('\n')[0]!.replaceAll(upload, name))})` });
      } finally {
        fs.rmSync(upload, { force: true });
        release();
        if (open) ctrl.close();
      }
    };
    // not awaited in start(): events reach the client while the ingest runs
    const stream = new ReadableStream<Uint8Array>({ start: (ctrl) => void run(ctrl) });
    return c.body(stream, 200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
  });
}
