// The escape hatch to the DuckDB connection under a Kysely instance, for what SQL text cannot say:
// appenders (ingest's rejects and user-agent rows: bulk values with no SQL text at all), and the SQL
// console's cursor (a prepared statement's result types, streaming chunk by chunk with DuckDB's own
// types, interrupting a query at its time limit). Everything else runs through Kysely.
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { ControlledTransaction, Kysely } from 'kysely';
import type { DuckDBDatabaseConnection } from './duckdb-dialect.ts';

/**
 * Runs `fn` on the DuckDB connection `k` executes on: the one a transaction or `connection()` holds,
 * else one from the pool for the length of `fn`. Reaches the connection through Kysely's executor
 * (`getExecutor()`, typed but marked internal; the only way in without a second pool).
 */
async function onConnection<T>(k: Kysely<any>, fn: (conn: DuckDBDatabaseConnection) => Promise<T>): Promise<T> {
  return k.getExecutor().provideConnection((c) => fn(c as DuckDBDatabaseConnection));
}

/** Appends rows to `table` (a temp table: `temp`) with DuckDB's appender, on k's connection, where its temp tables are. */
export async function appendRows(k: Kysely<any>, table: string, temp: boolean, write: (appender: DuckDBAppender) => void): Promise<void> {
  await onConnection(k, async (c) => {
    c.noteChange();
    const appender = await c.conn.createAppender(table, 'main', temp ? 'temp' : null);
    try {
      write(appender);
    } finally {
      appender.closeSync();
    }
  });
}

/**
 * The DuckDB connection a controlled transaction holds until its commit or rollback, for the SQL
 * console's cursor (prepare, stream, fetchChunk, interrupt). Use it only before the transaction ends.
 */
export async function heldConnection(trx: ControlledTransaction<any>): Promise<DuckDBConnection> {
  return onConnection(trx, async (c) => c.conn);
}
