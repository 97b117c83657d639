// The hand-off between a command and a running `aida serve` (SPEC §4.5): the server announces itself in
// `<db>.server.json`, a command that finds the database locked finds it there and sends its work over
// HTTP with the request header and a token (client.ts); POST /api/ingest answers with these NDJSON events.
import fs from 'node:fs';
import path from 'node:path';
import type { FileSummary, Progress } from '../../ingest/pipeline.ts';

export function serverInfoPath(db: string): string {
  return `${path.resolve(db)}.server.json`;
}

export interface ServerInfo {
  pid: number;
  url: string;
  startedAt: string;
}

/** The server holding `db`, if its announcement is there and its process alive (and the lock's owner). */
export function runningServer(db: string, lockPid: number | null): ServerInfo | null {
  let info: ServerInfo;
  try {
    info = JSON.parse(fs.readFileSync(serverInfoPath(db), 'utf8'));
  } catch {
    return null; // no announcement: whoever holds the lock is not a server
  }
  if (lockPid !== null && info.pid !== lockPid) return null;
  try {
    process.kill(info.pid, 0);
  } catch {
    return null; // a stale file from a server that died
  }
  return info;
}

/** Sent by every aida client with each request: the server refuses state-changing requests without it (or a token), which a cross-site page cannot send. */
export const requestHeader = 'x-aida-request';

/** NDJSON lines of POST /api/ingest: the pipeline's progress, then the file's summary (or an error). */
export type IngestEvent = ({ type: 'progress' } & Progress) | { type: 'summary'; summary: FileSummary } | { type: 'error'; message: string };
