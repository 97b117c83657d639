// Parquet: columns are read as text like every other format; the "line" of a row is its 1-based
// row number in the file.
import { ident, sqlString } from '../../queries/db/quote.ts';
import type { ReadResult, RowLocation } from './read-result.ts';
import { sql, type Kysely } from 'kysely';

export async function readParquet(conn: Kysely<unknown>, file: string, table: string): Promise<ReadResult> {
  const cols = (await sql<{ name: string }>`select column_name as name from (describe select * from read_parquet(${sql.lit(file)}))`.execute(conn)).rows;
  const select = cols.map((c) => `${ident(c.name)}::varchar as ${ident(c.name)}`).join(', ');
  await sql`create temp table ${sql.table(table)} as select ${sql.raw(select)} from read_parquet(${sql.lit(file)})`.execute(conn);
  const n = (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(conn)).rows[0]!.n;
  return {
    headers: cols.map((c) => c.name),
    rows: n,
    readerRejected: 0,
    locate: async (rowids, conn) => {
      const out = new Map<number, RowLocation>();
      if (rowids.length === 0) return { rows: out, readerRejects: [] };
      const rows = (await sql<{ r: number; j: string }>`select rowid as r, to_json(t)::varchar as j from ${sql.table(table)} t where rowid in (select unnest(${`[${rowids.join(',')}]`}::bigint[]))`.execute(conn)).rows;
      for (const row of rows) out.set(row.r, { line: row.r + 1, raw: row.j });
      return { rows: out, readerRejects: [] };
    },
  };
}
