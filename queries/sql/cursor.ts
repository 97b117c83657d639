// Running a checked query: a cursor on a connection of its own inside a READ ONLY transaction that is
// always rolled back, rows converted one at a time (so a wide row never becomes a chunk of JS strings),
// DuckDB time limited by sql.timeout_seconds and a wall-clock deadline for the cursor's whole life.
import type { DuckDBDataChunk, DuckDBResult, DuckDBType } from '@duckdb/node-api';
import { sql } from 'kysely';
import type { Db } from '../db/open.ts';
import { heldConnection } from '../db/raw.ts';
import { JsonDuckDBValueConverter } from '../db/duckdb.ts';
import { consoleValueConverter } from '../db/values.ts';
import { checkSql, SqlFailed, SqlRefused } from './check.ts';
import { fileAccessConfined } from './confine.ts';

export interface SqlColumn {
  name: string;
  type: string;
}

export interface SqlResult {
  columns: SqlColumn[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  /** which limit cut the result: the row limit or the byte budget (sql.max_result_mb) */
  truncatedBy?: 'rows' | 'bytes';
  elapsedMs: number;
}

export interface SqlOptions {
  /** sql.timeout_seconds: DuckDB work beyond this is interrupted */
  timeoutSeconds: number;
  /** a wall-clock limit for the cursor's whole life, downloads included (sql.export_timeout_seconds) */
  wallSeconds?: number;
}

/** An open query: rows are pulled chunk by chunk; close() always rolls back and drops the connection. */
export interface SqlCursor {
  columns: SqlColumn[];
  types: DuckDBType[];
  /** the next raw DuckDB chunk (for writers that keep DuckDB's types), or null at the end */
  nextChunk(): Promise<DuckDBDataChunk | null>;
  /** every remaining row as JSON-safe values, converted one row at a time */
  rows(): AsyncGenerator<unknown[]>;
  elapsedMs(): number;
  close(): Promise<void>;
}

function describeColumns(result: DuckDBResult): { columns: SqlColumn[]; types: DuckDBType[] } {
  const types = result.columnTypes();
  return { columns: result.columnNames().map((name, i) => ({ name, type: types[i]!.toString() })), types };
}

const confined = new WeakSet<Db>();

/** How far DuckDB may compute ahead of the reader (its default, ~1 MB, lets wide rows pile up to GBs). */
const streamingBuffer = '64KB';

/**
 * Opens `text` as a read-only cursor on a dedicated connection. Refusals and errors before the first
 * row are thrown here; the caller must close() the cursor (it rolls back and drops the connection).
 */
export async function openSql(db: Db, text: string, opts: SqlOptions): Promise<SqlCursor> {
  if (!confined.has(db)) {
    if (!(await fileAccessConfined(db))) throw new Error('ad-hoc SQL needs a database opened with file access confined to the inbox (confineFileAccess)');
    confined.add(db);
  }
  const started = performance.now();
  const deadline = opts.wallSeconds ? started + opts.wallSeconds * 1000 : Infinity;
  let budget = opts.timeoutSeconds * 1000;
  // a READ ONLY transaction that is only ever rolled back; its connection is closed afterwards (it set
  // streaming_buffer_size), and the cursor streams and interrupts on it through the escape hatch
  const trx = await db.kysely.startTransaction().setAccessMode('read only').execute();
  const conn = await heldConnection(trx);
  let closed = false;
  let stopped: SqlRefused | undefined;
  const overTime = () => new SqlRefused('timeout', `the query ran for more than ${opts.timeoutSeconds} s and was stopped (limit: sql.timeout_seconds)`);
  const overWall = () => new SqlRefused('timeout', `the export took more than ${opts.wallSeconds} s and was stopped (limit: sql.export_timeout_seconds)`);
  const wallTimer = Number.isFinite(deadline)
    ? setTimeout(() => {
        stopped ??= overWall();
        conn.interrupt();
      }, deadline - started)
    : undefined;
  // only time DuckDB spends working counts against sql.timeout_seconds: a slow download does not
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    if (stopped) throw stopped;
    const t0 = performance.now();
    const timer = setTimeout(() => {
      stopped ??= overTime();
      conn.interrupt();
    }, Math.max(budget, 1));
    try {
      const out = await work();
      // an interrupted stream can end quietly, as if it had no more rows: never take that for the end
      if (stopped) throw stopped;
      return out;
    } catch (err) {
      if (stopped) throw stopped;
      if (err instanceof SqlRefused || err instanceof SqlFailed) throw err;
      throw new SqlFailed(err);
    } finally {
      clearTimeout(timer);
      budget -= performance.now() - t0;
    }
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    clearTimeout(wallTimer);
    await trx.rollback().execute(); // the driver ignores an aborted transaction's rollback: nothing to undo
  };
  try {
    // a per-connection limit: DuckDB otherwise runs ahead of a slow reader, buffering GBs of wide rows
    await sql`set streaming_buffer_size = ${sql.lit(streamingBuffer)}`.execute(trx);
    const prepared = await timed(() => checkSql(db, conn, text));
    const result = await timed(() => prepared.stream());
    const { columns, types } = describeColumns(result);
    const converters = types.map(consoleValueConverter);
    let done = false;
    const nextChunk = async (): Promise<DuckDBDataChunk | null> => {
      if (done) return null;
      const chunk = await timed(() => result.fetchChunk());
      if (!chunk || chunk.rowCount === 0) {
        done = true;
        return null;
      }
      return chunk;
    };
    return {
      columns,
      types,
      nextChunk,
      rows: async function* () {
        for (let chunk = await nextChunk(); chunk; chunk = await nextChunk()) {
          const vectors = types.map((_, i) => chunk.getColumnVector(i));
          for (let r = 0; r < chunk.rowCount; r++) {
            // a one-row view per cell: a vector keeps every value it has handed out, and a chunk of
            // 2,048 wide rows would otherwise stay whole in the JS heap while it is being read
            yield vectors.map((vector, i) => converters[i]!(JsonDuckDBValueConverter(vector.slice(r, 1).getItem(0), vector.type, JsonDuckDBValueConverter)));
          }
        }
      },
      elapsedMs: () => Math.round(performance.now() - started),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** About how many bytes a row takes in a JSON answer. */
function jsonBytes(row: unknown[]): number {
  return JSON.stringify(row).length + 1;
}

/** The console's answer: the first `maxRows` rows within `maxBytes` of JSON, and whether there were more. */
export async function runSql(db: Db, text: string, opts: SqlOptions & { maxRows: number; maxBytes: number }): Promise<SqlResult> {
  const cursor = await openSql(db, text, opts);
  try {
    const rows: unknown[][] = [];
    let bytes = 0;
    let truncatedBy: SqlResult['truncatedBy'];
    for await (const row of cursor.rows()) {
      if (rows.length === opts.maxRows) {
        truncatedBy = 'rows';
        break;
      }
      bytes += jsonBytes(row);
      if (bytes > opts.maxBytes) {
        truncatedBy = 'bytes';
        break;
      }
      rows.push(row);
    }
    return { columns: cursor.columns, rows, rowCount: rows.length, truncated: truncatedBy !== undefined, ...(truncatedBy ? { truncatedBy } : {}), elapsedMs: cursor.elapsedMs() };
  } finally {
    await cursor.close();
  }
}
