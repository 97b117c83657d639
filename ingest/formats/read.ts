// Reads a prepared source into a temporary table of text columns, whatever its format. The table's
// rowid is the row's position in the file; `locate` turns rowids back into line numbers and raw text.
// `rows` counts the reader's own rejects too, so rows_in is known before anything is located.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Source } from '../source.ts';
import { readAccessLog } from './access-log.ts';
import { readCsv } from './csv.ts';
import { readJsonArray, readNdjson } from './json.ts';
import { readParquet } from './parquet.ts';

export interface RowLocation {
  line: number;
  raw: string;
}

export interface ReaderReject extends RowLocation {
  reason: string;
}

export interface ReadResult {
  /** column names of the table, as in the file */
  headers: string[];
  /** records in the file (rows_in): the table's rows plus the reader's rejects */
  rows: number;
  /** how many records the reader rejected */
  readerRejected: number;
  /**
   * Where the given rowids of the table are in the file, and the rows the reader itself could not
   * parse, located in the same pass (called once, and only when something was rejected).
   */
  locate(rowids: number[]): Promise<Located>;
}

export interface Located {
  rows: Map<number, RowLocation>;
  readerRejects: ReaderReject[];
}

export async function readSource(conn: DuckDBConnection, source: Source, table: string): Promise<ReadResult> {
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
  }
}
