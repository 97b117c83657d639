// What every format reader answers (its table's shape, how many rows, how to locate rows in the file):
// its own module so read.ts can import the readers and the readers these types without a cycle.
import type { Kysely } from 'kysely';

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
   * parse, located in the same pass (called once, and only when something was rejected), on `conn`:
   * the load's transaction, which holds the session's one connection (where the temp tables are).
   */
  locate(rowids: number[], conn: Kysely<unknown>): Promise<Located>;
}

export interface Located {
  rows: Map<number, RowLocation>;
  readerRejects: ReaderReject[];
}
