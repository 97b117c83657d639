// Line-oriented formats (NDJSON, access logs) are read one physical line per row: rowid = line - 1.
import { maxLineBytes } from '../source.ts';
import { sqlString } from '../../queries/db/quote.ts';
import type { RowLocation } from './read-result.ts';
import { sql, type Kysely } from 'kysely';

/** A temp table `table` with one column `__text`, one row per physical line (blank lines are NULL). */
export async function readLines(conn: Kysely<unknown>, file: string, table: string): Promise<void> {
  await sql`create temp table ${sql.table(table)} as select * from read_csv(${sql.lit(file)}, columns = {'__text': 'VARCHAR'}, delim = E'\\x1e', quote = '', escape = '', header = false, auto_detect = false, strict_mode = false, max_line_size = ${sql.lit(maxLineBytes)})`.execute(conn);
  await sql`update ${sql.table(table)} set __text = ltrim(__text, chr(65279)) where rowid = 0`.execute(conn);
}

/** Rows of `table` by rowid, each with its line (`lineSql`) and text (`__text`). */
export async function locateRows(conn: Kysely<unknown>, table: string, rowids: number[], lineSql = 'rowid + 1'): Promise<Map<number, RowLocation>> {
  const out = new Map<number, RowLocation>();
  if (rowids.length === 0) return out;
  const rows = (await sql<{ r: number; line: number; t: string | null }>`select rowid as r, ${sql.raw(lineSql)} as line, __text as t from ${sql.table(table)} where rowid in (select unnest(${`[${rowids.join(',')}]`}::bigint[]))`.execute(conn)).rows;
  for (const row of rows) out.set(row.r, { line: row.line, raw: row.t ?? '' });
  return out;
}
