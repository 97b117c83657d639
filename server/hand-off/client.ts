// The one client of the hand-off: `aida ingest`, `--follow`, `aida sql` and `aida annotate` send their work
// to the `aida serve` that holds the database through `send`, so all fail the same way (unreachable,
// refused, the token hint).
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FollowOffset, Slice } from '../../ingest/follow-offsets.ts';
import type { FileSummary, Progress } from '../../ingest/pipeline.ts';
import { DatabaseLockedError } from '../../queries/db/open.ts';
import type { ServerConfig } from '../config.ts';
import { requestHeader, runningServer, type IngestEvent, type ServerInfo } from './protocol.ts';

export interface HandOff {
  server: ServerInfo;
  token: string | undefined;
  /** the role the token needs, named in the hint when the server refuses it */
  role: 'analyst' | 'admin';
}

/** Work for `server` needing `role`, sent with AIDA_TOKEN, else the config's first token with at least that role. */
export function handOffTo(server: ServerInfo, config: Pick<ServerConfig, 'auth'>, role: HandOff['role']): HandOff {
  const ok = role === 'admin' ? ['admin'] : ['analyst', 'admin'];
  return { server, token: process.env.AIDA_TOKEN ?? config.auth.tokens.find((t) => ok.includes(t.role))?.token, role };
}

/**
 * When `err` (from opening `db`) is the lock of a running `aida serve`, the hand-off to it — the single
 * writer does the command's work (SPEC §4.5); else null, and the caller rethrows.
 */
export function handOffIfHeld(err: unknown, db: string, config: Pick<ServerConfig, 'auth'>, role: HandOff['role']): HandOff | null {
  const server = err instanceof DatabaseLockedError ? runningServer(db, err.pid) : null;
  return server ? handOffTo(server, config, role) : null;
}

/** A sent request: the server's answer, or why there is none (a sentence naming the server). */
export type Sent = { ok: true; res: Response } | { ok: false; message: string };

/** POSTs to the server (GETs without a body, or `method`) with the request header and the token; a refusal becomes its problem's detail. */
export async function send(to: HandOff, route: string, body?: BodyInit, contentType?: string, method = body === undefined ? 'GET' : 'POST'): Promise<Sent> {
  const { server, token } = to;
  let res: Response;
  try {
    res = await fetch(`${server.url}${route}`, {
      method,
      ...(body === undefined ? {} : { body }),
      headers: { ...(contentType ? { 'content-type': contentType } : {}), [requestHeader]: '1', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch (err) {
    return { ok: false, message: `the running aida server (${server.url}, pid ${server.pid}) holds the database but cannot be reached (${(err as Error).message})` };
  }
  if (res.ok && (res.body || res.status === 204)) return { ok: true, res };
  const problem = (await res.json().catch(() => ({}))) as { detail?: string };
  const hint = res.status === 401 || res.status === 403 ? ` (set AIDA_TOKEN to an ${to.role} token of that server)` : '';
  return { ok: false, message: `the aida server at ${server.url} answered ${res.status}: ${problem.detail ?? res.statusText}${hint}` };
}

/** What the progress bar shows: the pipeline's phases, and the upload when a server does the work. */
export type HandOffProgress = Omit<Progress, 'phase'> & { phase: Progress['phase'] | 'upload' };

export interface IngestOptions {
  kind?: string;
  format?: string;
  logFormat?: string;
  profile?: string;
  encoding?: string;
  excludePaths?: string[];
  dryRun?: boolean;
  /** each file is a slice of a followed file (aida ingest --follow sends one at a time) */
  slice?: Slice;
  /** the name the server keeps and shows instead of the file's own path */
  name?: string;
}

/** Uploads each file to the server and relays its progress; the summaries look like a local run's. */
export async function ingestThroughServer(to: HandOff, files: string[], opts: IngestOptions, onProgress?: (p: HandOffProgress) => void): Promise<FileSummary[]> {
  const results: FileSummary[] = [];
  for (const file of files) {
    const started = Date.now();
    const failed = (message: string): FileSummary => ({ file, status: 'failed', rowsIn: 0, rowsLoaded: 0, rowsDuplicate: 0, rowsRejected: 0, seconds: (Date.now() - started) / 1000, message });
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) {
      results.push(failed(`${file}: ${stat ? 'is not a regular file' : 'no such file'}`));
      continue;
    }
    const query = new URLSearchParams({ name: opts.name ?? path.resolve(file) });
    for (const key of ['kind', 'format', 'profile', 'encoding', 'logFormat'] as const) if (opts[key]) query.set(key, opts[key]!);
    for (const glob of opts.excludePaths ?? []) query.append('excludePath', glob);
    if (opts.dryRun) query.set('dryRun', '1');
    if (opts.slice) query.set('slice', JSON.stringify(opts.slice));
    let uploaded = 0;
    const body = Readable.toWeb(fs.createReadStream(file).on('data', (chunk) => {
      uploaded += chunk.length;
      onProgress?.({ file, phase: 'upload', bytesDone: uploaded, bytesTotal: stat.size });
    })) as ReadableStream;
    const sent = await send(to, `/api/ingest?${query}`, body, 'application/octet-stream');
    if (!sent.ok) {
      results.push(failed(`${file}: not loaded: ${sent.message}`));
      continue;
    }
    let summary: FileSummary | undefined;
    await readLines(sent.res, (line) => {
      const event = JSON.parse(line) as IngestEvent;
      if (event.type === 'progress') onProgress?.({ ...event, file });
      else if (event.type === 'summary') summary = { ...event.summary, file: opts.name ?? file };
      else summary = failed(event.message);
    });
    results.push(summary ?? failed(`${file}: not loaded: the aida server at ${to.server.url} ended the answer without a summary`));
  }
  return results;
}

/** The follow offsets the server's database holds (GET /api/ingest/follow-offsets). */
export async function followOffsetsThroughServer(to: HandOff): Promise<{ ok: true; offsets: FollowOffset[] } | { ok: false; message: string }> {
  const sent = await send(to, '/api/ingest/follow-offsets');
  if (!sent.ok) return sent;
  const { offsets } = (await sent.res.json()) as { offsets: (Omit<FollowOffset, 'updatedAt'> & { updatedAt: string })[] };
  return { ok: true, offsets: offsets.map((o) => ({ ...o, updatedAt: new Date(o.updatedAt) })) };
}

/** Calls `each` with every non-blank line of an NDJSON body as it streams in. */
async function readLines(res: Response, each: (line: string) => void): Promise<void> {
  let buffer = '';
  const decoder = new TextDecoder();
  const handle = (line: string) => {
    if (line.trim()) each(line);
  };
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    lines.forEach(handle);
  }
  handle(buffer + decoder.decode());
}

/** POST /api/sql's JSON answer (the first sql.max_rows rows). */
export interface SqlAnswer {
  columns: { name: string }[];
  rows: unknown[][];
  truncated: boolean;
}

/**
 * The same query through the server's POST /api/sql (the same runner): its rows, or its CSV as a stream
 * of pieces (an export the server stops ends the stream with an error, never as a short file that looks whole).
 */
export async function sqlThroughServer(to: HandOff, query: string, format: 'csv'): Promise<{ ok: true; csv: ReadableStream<Uint8Array> } | { ok: false; message: string }>;
export async function sqlThroughServer(to: HandOff, query: string, format: 'json'): Promise<{ ok: true; answer: SqlAnswer } | { ok: false; message: string }>;
export async function sqlThroughServer(to: HandOff, query: string, format: 'csv' | 'json'): Promise<{ ok: true; csv: ReadableStream<Uint8Array> } | { ok: true; answer: SqlAnswer } | { ok: false; message: string }> {
  const sent = await send(to, `/api/sql${format === 'csv' ? '?format=csv' : ''}`, JSON.stringify({ sql: query }), 'application/json');
  if (!sent.ok) return sent;
  return format === 'csv' ? { ok: true as const, csv: sent.res.body! } : { ok: true as const, answer: (await sent.res.json()) as SqlAnswer };
}
