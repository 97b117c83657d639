// Line-oriented formats (NDJSON, access logs) are read one physical line per row: rowid = line - 1.
import type { DuckDBConnection } from '@duckdb/node-api';
import { allOn } from '../../queries/db/open.ts';
import { maxLineBytes } from '../source.ts';
import { sqlString } from '../sql-text.ts';
import type { RowLocation } from './read-result.ts';

/** A temp table `table` with one column `__text`, one row per physical line (blank lines are NULL). */
export async function readLines(conn: DuckDBConnection, file: string, table: string): Promise<void> {
  await conn.run(
    `create temp table ${table} as select * from read_csv(${sqlString(file)}, columns = {'__text': 'VARCHAR'}, delim = E'\\x1e', quote = '', escape = '', header = false, auto_detect = false, strict_mode = false, max_line_size = ${maxLineBytes})`,
  );
  await conn.run(`update ${table} set __text = ltrim(__text, chr(65279)) where rowid = 0`);
}

/** Rows of `table` by rowid, each with its line (`lineSql`) and text (`__text`). */
export async function locateRows(conn: DuckDBConnection, table: string, rowids: number[], lineSql = 'rowid + 1'): Promise<Map<number, RowLocation>> {
  const out = new Map<number, RowLocation>();
  if (rowids.length === 0) return out;
  const rows = await allOn<{ r: number; line: number; t: string | null }>(
    conn,
    `select rowid as r, ${lineSql} as line, __text as t from ${table} where rowid in (select unnest($1::bigint[]))`,
    [`[${rowids.join(',')}]`],
  );
  for (const row of rows) out.set(row.r, { line: row.line, raw: row.t ?? '' });
  return out;
}
