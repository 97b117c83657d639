// A console result as a file: CSV text in small pieces (so a slow reader holds one piece, not a chunk
// of wide rows) and Parquet through a private scratch instance, both within a byte budget. Export
// scratch folders carry the owning pid, so those of a crashed server are removed at the next start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '../db/duckdb.ts';
import { ident, sqlString } from '../db/quote.ts';
import { csvLine, csvStart } from '../shared/csv.ts';
import { SqlRefused } from './check.ts';
import type { SqlCursor } from './cursor.ts';

/** Bytes of CSV text handed on at a time. */
const pieceBytes = 64 * 1024;

export interface ExportLimits {
  /** sql.max_export_mb, in bytes */
  maxBytes: number;
}

function tooLarge(maxBytes: number): SqlRefused {
  return new SqlRefused('too-large', `the export is larger than ${Math.round(maxBytes / 2 ** 20)} MB and was stopped (limit: sql.max_export_mb)`);
}

/** The result as CSV text (BOM and header first), in pieces of about 64 KB; throws SqlRefused past the budget. */
export async function* csvPieces(cursor: SqlCursor, limits: ExportLimits, eol = '\r\n'): AsyncGenerator<string> {
  let piece = csvStart(cursor.columns.map((c) => c.name), eol);
  let bytes = piece.length;
  for await (const row of cursor.rows()) {
    const line = csvLine(row, eol);
    bytes += line.length;
    if (bytes > limits.maxBytes) throw tooLarge(limits.maxBytes);
    piece += line;
    if (piece.length >= pieceBytes) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

const exportPrefix = 'aida-export-';

/** A private folder for one export's files; remove it with fs.rmSync(dir, { recursive: true }). */
export function exportDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${exportPrefix}${process.pid}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes export folders (and their spill) left by processes that are gone; returns how many. */
export function removeStaleExports(): number {
  let removed = 0;
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = new RegExp(`^${exportPrefix}(\\d+)-`).exec(name)?.[1];
    if (!pid || Number(pid) === process.pid || alive(Number(pid))) continue;
    fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, d) => sum + (d.isFile() ? fs.statSync(path.join(dir, d.name)).size : 0), 0);
}

/**
 * Writes the cursor's rows to a Parquet file. DuckDB writes Parquet only with COPY, and COPY never
 * runs on the warehouse's instance: the chunks go into a private in-memory instance that copies its
 * own table to `file`. No user text reaches that instance. The data it holds (memory and spill) is
 * the export's size until COPY compresses it: past the budget the export stops.
 */
export async function writeParquet(cursor: SqlCursor, file: string, limits: ExportLimits & { wallSeconds: number }): Promise<number> {
  const spill = path.join(path.dirname(file), 'spill');
  const scratch = await DuckDBInstance.create(':memory:', { memory_limit: '512MB', threads: '1', temp_directory: spill });
  const conn = await scratch.connect();
  const started = performance.now();
  try {
    const seen = new Map<string, number>();
    const names = cursor.columns.map((c) => {
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      return n === 1 ? c.name : `${c.name}_${n}`;
    });
    await conn.run(`create table result (${names.map((n, i) => `${ident(n)} ${cursor.types[i]!.toString()}`).join(', ')})`);
    const appender = await conn.createAppender('result');
    let rows = 0;
    for (let chunk = await cursor.nextChunk(); chunk; chunk = await cursor.nextChunk()) {
      appender.appendDataChunk(chunk);
      rows += chunk.rowCount;
      appender.flushSync();
      const held = (await conn.runAndReadAll('select sum(memory_usage_bytes)::double as b from duckdb_memory()')).getRowsJS()[0]![0] as number;
      if (held + folderBytes(spill) > limits.maxBytes) throw tooLarge(limits.maxBytes);
    }
    appender.closeSync();
    const left = limits.wallSeconds * 1000 - (performance.now() - started);
    const timer = setTimeout(() => conn.interrupt(), Math.max(left, 1));
    try {
      await conn.run(`copy result to ${sqlString(file)} (format parquet)`);
    } catch (err) {
      if (performance.now() - started >= limits.wallSeconds * 1000) {
        throw new SqlRefused('timeout', `the export took more than ${limits.wallSeconds} s and was stopped (limit: sql.export_timeout_seconds)`);
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (fs.statSync(file).size > limits.maxBytes) throw tooLarge(limits.maxBytes);
    return rows;
  } finally {
    conn.closeSync();
    scratch.closeSync();
  }
}
