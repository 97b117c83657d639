// Reads a prepared source into a temporary table of text columns, whatever its format. The table's
// rowid is the row's position in the file; `locate` turns rowids back into line numbers and raw text.
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
  /** rows the reader itself could not parse, already located */
  readerRejects: ReaderReject[];
  /** rowid of the table → where the row is in the file */
  locate(rowids: number[]): Promise<Map<number, RowLocation>>;
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
