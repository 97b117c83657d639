// Parquet: columns are read as text like every other format (nested ones — structs, lists, maps, as a
// GA4 export has them — as their JSON text); the "line" of a row is its 1-based row number in the file.
import { ident, sqlString } from '../../queries/db/quote.ts';
import type { ReadResult, RowLocation } from './read-result.ts';
import { sql, type Kysely } from 'kysely';

export async function readParquet(conn: Kysely<unknown>, file: string, table: string): Promise<ReadResult> {
  const cols = (await sql<{ name: string; type: string }>`select column_name as name, column_type as type from (describe select * from read_parquet(${sql.lit(file)}))`.execute(conn)).rows;
  const select = cols.map((c) => `${isNested(c.type) ? `to_json(p.${ident(c.name)})` : `p.${ident(c.name)}`}::varchar as ${ident(c.name)}`).join(', ');
  // the whole row as JSON too: event properties keep the file's types (numbers stay numbers)
  await sql`create temp table ${sql.table(table)} as select ${sql.raw(select)}, to_json(p)::varchar as __json from read_parquet(${sql.lit(file)}) p`.execute(conn);
  const n = ((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(conn)).rows)[0]!.n;
  return {
    headers: cols.map((c) => c.name),
    rows: n,
    readerRejected: 0,
    rowJson: 'r.__json',
    locate: async (rowids, conn) => {
      const out = new Map<number, RowLocation>();
      if (rowids.length === 0) return { rows: out, readerRejects: [] };
      const rows = (await sql<{ r: number; j: string }>`select rowid as r, __json as j from ${sql.table(table)} t where rowid in (select unnest(${`[${rowids.join(',')}]`}::bigint[]))`.execute(conn)).rows;
      for (const row of rows) out.set(row.r, { line: row.r + 1, raw: row.j });
      return { rows: out, readerRejects: [] };
    },
  };
}

/** Struct, list, map and union columns: DuckDB's own text for them is not JSON. */
function isNested(type: string): boolean {
  return /^(STRUCT|MAP|UNION)\(|\[\d*\]$/.test(type);
}
