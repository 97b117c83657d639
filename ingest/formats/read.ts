// Reads a prepared source into a temporary table of text columns, whatever its format. The table's
// rowid is the row's position in the file; `locate` turns rowids back into line numbers and raw text.
// `rows` counts the reader's own rejects too, so rows_in is known before anything is located.
import { FileError, maxLineBytes, type Source } from '../source.ts';
import { ident, sqlString } from '../../queries/db/quote.ts';
import { readAccessLog, readLogLines } from './access-log.ts';
import { readCsv } from './csv.ts';
import { readJsonArray, readNdjson } from './json.ts';
import { logFormatLayout } from './log-format.ts';
import { readParquet } from './parquet.ts';
import { albLayout, haproxyLayout, jsonLogLayout, s3Layout, vhostCombinedLayout, w3cLayout } from './server-logs.ts';
import type { ReadResult } from './read-result.ts';
import { sql, type Kysely } from 'kysely';

export async function readSource(conn: Kysely<unknown>, source: Source, table: string): Promise<ReadResult> {
  const read = await readFormat(conn, source, table);
  if (source.longLines.length === 0) return read;
  // lines blanked before reading (see prepareSource): rows of the file, rejected here with their line
  const long = source.longLines.map((l) => ({
    line: l.line,
    raw: l.head,
    reason: `line is ${(l.bytes / (1 << 20)).toFixed(1)} MB long; one record may be at most ${maxLineBytes >> 20} MB (the whole file is kept in the inbox)`,
  }));
  return {
    ...read,
    rows: read.rows + long.length,
    readerRejected: read.readerRejected + long.length,
    locate: async (rowids, conn) => {
      const located = await read.locate(rowids, conn);
      return { rows: located.rows, readerRejects: [...located.readerRejects, ...long] };
    },
  };
}

/**
 * Rows with a NUL byte in any value, as `rowid, reason` (a text value cannot hold one: DuckDB and
 * every tool downstream would cut or show it differently). The pipeline rejects them after staging.
 */
export async function nulValues(conn: Kysely<unknown>, table: string, headers: string[]): Promise<{ row: number; reason: string }[]> {
  if (headers.length === 0) return [];
  const which = headers.map((h) => `when contains(${ident(h)}, chr(0)) then [${sqlString(h)}, ${ident(h)}]`).join(' ');
  const rows = (await sql<{ row: number; hit: string[] }>`select rowid as row, hit from (select rowid, case ${sql.raw(which)} end as hit from ${sql.table(table)}) where hit is not null order by rowid`.execute(conn)).rows;
  return rows.map((r) => ({
    row: r.row,
    reason: `${r.hit[0]} '${r.hit[1]!.slice(0, 200).replaceAll('\0', '\\0')}' contains a NUL byte (\\0); expected text without NUL bytes`,
  }));
}

function readFormat(conn: Kysely<unknown>, source: Source, table: string): Promise<ReadResult> {
  switch (source.format) {
    case 'csv':
      return readCsv(conn, source.readable, source.sample, table);
    case 'ndjson':
      return readNdjson(conn, source.readable, table);
    case 'json':
      return readJsonArray(conn, source, table);
    case 'parquet':
      return readParquet(conn, source.readable, table);
    case 'access-log':
      return readAccessLog(conn, source.readable, table);
    case 'vhost-combined':
      return readLogLines(conn, source.readable, table, vhostCombinedLayout);
    case 'json-log':
      return readLogLines(conn, source.readable, table, jsonLogLayout);
    case 'alb':
      return readLogLines(conn, source.readable, table, albLayout);
    case 's3':
      return readLogLines(conn, source.readable, table, s3Layout);
    case 'haproxy':
      return readLogLines(conn, source.readable, table, haproxyLayout);
    case 'log-format':
      if (!source.logFormat) throw new FileError(source.file, "--format log-format needs --log-format '<an nginx log_format string>'");
      return readLogLines(conn, source.readable, table, logFormatLayout(source.file, source.logFormat));
    case 'w3c': {
      const layout = w3cLayout(source.sample);
      if (!layout) throw new FileError(source.file, 'is a W3C extended log without a #Fields: line in its first 64 KB; nothing was loaded');
      return readLogLines(conn, source.readable, table, layout);
    }
  }
}
