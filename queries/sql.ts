// The ad-hoc SQL runner behind POST /api/sql and `aida sql` (SPEC §6). Defence in depth, every layer
// independent of the others: exactly one statement, of type SELECT (or EXPLAIN of one) as DuckDB's own
// parser and binder see it, no side-effecting table functions, run in a READ ONLY transaction that is
// rolled back, on a connection of its own, against an instance whose file access is confined to the
// inbox, within a time budget enforced with conn.interrupt().
import path from 'node:path';
import {
  DuckDBInstance, JsonDuckDBValueConverter, StatementType,
  type DuckDBConnection, type DuckDBDataChunk, type DuckDBPreparedStatement, type DuckDBResult, type DuckDBType,
} from '@duckdb/node-api';
import type { Db } from './db/open.ts';
import { consoleValueConverter } from './db/values.ts';

/** A query that is not run (or was stopped): `reason` says which layer refused it. */
export class SqlRefused extends Error {
  constructor(
    readonly reason: 'empty' | 'syntax' | 'statements' | 'statement-type' | 'function' | 'error' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

export interface SqlColumn {
  name: string;
  type: string;
}

export interface SqlResult {
  columns: SqlColumn[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  elapsedMs: number;
}

export interface SqlOptions {
  /** sql.timeout_seconds: DuckDB work beyond this is interrupted */
  timeoutSeconds: number;
}

/** An open query: rows are pulled chunk by chunk; close() always rolls back and drops the connection. */
export interface SqlCursor {
  columns: SqlColumn[];
  types: DuckDBType[];
  /** the next rows as JSON-safe values, or null at the end */
  next(): Promise<unknown[][] | null>;
  /** the next raw DuckDB chunk (for writers that keep DuckDB's types), or null at the end */
  nextChunk(): Promise<DuckDBDataChunk | null>;
  elapsedMs(): number;
  close(): Promise<void>;
}

const statementNames = Object.fromEntries(Object.entries(StatementType).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v, k])) as Record<number, string>;

/**
 * Table functions that do something besides reading: checkpoints, logging and profiling switches,
 * database copies and imports, running serialized SQL, advancing sequences.
 */
const sideEffects = /^(checkpoint|force_checkpoint|truncate_duckdb_logs|copy_database|import_database|add_parquet_key|json_execute_serialized_sql|nextval|currval|setseed|(enable|disable|verify)_\w+)$/;

/** Skips whitespace and comments from index i. */
function skipTrivia(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else return i;
  }
}

/** The statement an EXPLAIN [ANALYZE] [(options)] explains; checked again like any other statement. */
function explained(text: string): string {
  let i = skipTrivia(text, 0);
  if (!/^explain\b/i.test(text.slice(i))) return '';
  i = skipTrivia(text, i + 'explain'.length);
  if (/^analyze\b/i.test(text.slice(i))) i = skipTrivia(text, i + 'analyze'.length);
  if (text[i] === '(') {
    const close = text.indexOf(')', i);
    if (close < 0) return '';
    i = close + 1;
  }
  return text.slice(i);
}

function firstLine(err: unknown): string {
  return (err as Error).message.split('\n')[0]!.trim();
}

/**
 * Every function a statement calls, from DuckDB's own parse tree (json_serialize_sql parses without
 * binding); null when the statement is not a SELECT (the serializer takes nothing else).
 */
async function calledFunctions(conn: DuckDBConnection, text: string): Promise<string[] | null> {
  // json_serialize_sql only takes a constant: a standard string literal ('' escapes ', nothing else)
  const reader = await conn.runAndReadAll(`select json_serialize_sql('${text.replaceAll("'", "''")}') as tree`);
  const tree = JSON.parse(String(reader.getRowsJS()[0]![0]));
  if (tree.error) return null;
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'function_name' && typeof value === 'string') names.push(value.toLowerCase());
        else walk(value);
      }
    }
  };
  walk(tree.statements);
  return names;
}

function typeName(type: StatementType): string {
  const name = statementNames[type] ?? `type ${type}`;
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

const readOnly = 'the SQL console is read-only: only SELECT (or EXPLAIN SELECT) statements run here';

/**
 * Decides whether `text` may run, with DuckDB's parser: returns the prepared statement or throws
 * SqlRefused naming the reason. Nothing but a parsed SELECT is ever bound (binding some statements
 * already acts: EXPORT DATABASE creates its directory).
 */
export async function checkSql(conn: DuckDBConnection, text: string, nested = false): Promise<DuckDBPreparedStatement> {
  if (text.includes('\0')) throw new SqlRefused('syntax', 'the query contains a NUL character');
  if (skipTrivia(text, 0) >= text.length) throw new SqlRefused('empty', 'there is no statement to run');
  let extracted;
  try {
    extracted = await conn.extractStatements(text);
  } catch (err) {
    throw new SqlRefused('syntax', firstLine(err).replace(/^Failed to extract statements: /, ''));
  }
  if (extracted.count === 0) throw new SqlRefused('empty', 'there is no statement to run');
  if (extracted.count > 1) {
    throw new SqlRefused('statements', `exactly one statement is allowed, this text has ${extracted.count}: run them one at a time`);
  }
  const inner = nested ? '' : explained(text);
  if (inner) (await checkSql(conn, inner, true)).destroySync();
  else {
    const functions = await calledFunctions(conn, text);
    if (functions === null) {
      const keyword = (/^[a-z_]+/i.exec(text.slice(skipTrivia(text, 0)))?.[0] ?? '').toUpperCase();
      throw new SqlRefused('statement-type', keyword === 'PRAGMA'
        ? 'PRAGMA statements are not allowed; use the table-function form, e.g. SELECT * FROM pragma_table_info(\'orders\')'
        : `${readOnly}, and this is not a SELECT statement${keyword ? ` (it starts with ${keyword})` : ''}`);
    }
    const banned = functions.find((f) => sideEffects.test(f));
    if (banned) throw new SqlRefused('function', `${banned}() changes database or session state and is not allowed in the SQL console`);
  }
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await extracted.prepare(0);
  } catch (err) {
    throw new SqlRefused('error', firstLine(err));
  }
  // the binder's verdict must agree with the parser's
  const expected = inner ? StatementType.EXPLAIN : StatementType.SELECT;
  if (prepared.statementType !== expected) {
    const type = prepared.statementType;
    prepared.destroySync();
    throw new SqlRefused('statement-type', `${readOnly}, and this is ${typeName(type)} statement`);
  }
  return prepared;
}

function describeColumns(result: DuckDBResult): { columns: SqlColumn[]; types: DuckDBType[] } {
  const types = result.columnTypes();
  return { columns: result.columnNames().map((name, i) => ({ name, type: types[i]!.toString() })), types };
}

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
  let budget = opts.timeoutSeconds * 1000;
  const conn = await db.connect();
  let closed = false;
  let timedOut = false;
  // only time DuckDB spends working counts: a slow download does not use up the budget
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const timer = setTimeout(() => {
      timedOut = true;
      conn.interrupt();
    }, Math.max(budget, 1));
    try {
      return await work();
    } catch (err) {
      if (timedOut) throw new SqlRefused('timeout', `the query ran for more than ${opts.timeoutSeconds} s and was stopped (limit: sql.timeout_seconds)`);
      if (err instanceof SqlRefused) throw err;
      throw new SqlRefused('error', firstLine(err));
    } finally {
      clearTimeout(timer);
      budget -= performance.now() - t0;
    }
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    await conn.run('rollback').catch(() => undefined); // an aborted or finished transaction: nothing to undo
    conn.closeSync();
  };
  try {
    await conn.run('begin transaction read only');
    const prepared = await timed(() => checkSql(conn, text));
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
      next: async () => {
        const chunk = await nextChunk();
        if (!chunk) return null;
        return chunk.convertRows(JsonDuckDBValueConverter).map((row) => row.map((v, i) => converters[i]!(v)));
      },
      elapsedMs: () => Math.round(performance.now() - started),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The console's answer: the first `maxRows` rows, and whether there were more. */
export async function runSql(db: Db, text: string, opts: SqlOptions & { maxRows: number }): Promise<SqlResult> {
  const cursor = await openSql(db, text, opts);
  try {
    const rows: unknown[][] = [];
    let truncated = false;
    for (let batch = await cursor.next(); batch; batch = await cursor.next()) {
      const room = opts.maxRows - rows.length;
      if (batch.length > room) {
        rows.push(...batch.slice(0, room));
        truncated = true;
        break;
      }
      rows.push(...batch);
      if (rows.length === opts.maxRows) {
        truncated = (await cursor.next()) !== null;
        break;
      }
    }
    return { columns: cursor.columns, rows, rowCount: rows.length, truncated, elapsedMs: cursor.elapsedMs() };
  } finally {
    await cursor.close();
  }
}

/**
 * Confines the instance's file access to `dirs` (SPEC §6): read_csv, glob, COPY, ATTACH... outside them
 * fail, and DuckDB refuses to switch external access back on while the database is open.
 */
export async function confineFileAccess(db: Db, dirs: string[]): Promise<void> {
  const current = await db.one<{ on: boolean }>("select current_setting('enable_external_access') as on");
  if (current && current.on === false) return;
  const list = dirs.map((d) => `'${path.resolve(d).replaceAll("'", "''")}/'`).join(', ');
  await db.exec(`set allowed_directories = [${list}]`);
  await db.exec('set enable_external_access = false');
}

const confined = new WeakSet<Db>();

/** Whether file access is confined (the runner refuses to serve an unconfined instance). */
export async function fileAccessConfined(db: Db): Promise<boolean> {
  const row = await db.one<{ on: boolean }>("select current_setting('enable_external_access') as on");
  return row?.on === false;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(cells: readonly unknown[], eol = '\r\n'): string {
  return cells.map(csvCell).join(',') + eol;
}

/**
 * Writes the cursor's rows to a Parquet file. DuckDB writes Parquet only with COPY, and COPY never
 * runs on the warehouse's instance: the chunks go into a private in-memory instance that copies its
 * own table to `file`. No user text reaches that instance.
 */
export async function writeParquet(cursor: SqlCursor, file: string): Promise<number> {
  // spills (if any) go next to the output, in the caller's private directory, not into the working directory
  const scratch = await DuckDBInstance.create(':memory:', { memory_limit: '512MB', threads: '1', temp_directory: path.join(path.dirname(file), 'spill') });
  const conn = await scratch.connect();
  try {
    const seen = new Map<string, number>();
    const names = cursor.columns.map((c) => {
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      return n === 1 ? c.name : `${c.name}_${n}`;
    });
    const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
    await conn.run(`create table result (${names.map((n, i) => `${quote(n)} ${cursor.types[i]!.toString()}`).join(', ')})`);
    const appender = await conn.createAppender('result');
    let rows = 0;
    for (let chunk = await cursor.nextChunk(); chunk; chunk = await cursor.nextChunk()) {
      appender.appendDataChunk(chunk);
      rows += chunk.rowCount;
    }
    appender.closeSync();
    await conn.run(`copy result to '${file.replaceAll("'", "''")}' (format parquet)`);
    return rows;
  } finally {
    conn.closeSync();
    scratch.closeSync();
  }
}
