// Parquet: columns are read as text like every other format (nested ones — structs, lists, maps, as a
// GA4 export has them — as their JSON text); the "line" of a row is its 1-based row number in the file.
import type { DuckDBConnection } from '@duckdb/node-api';
import { allOn } from '../../queries/db/open.ts';
import { ident, sqlString } from '../sql-text.ts';
import type { ReadResult, RowLocation } from './read-result.ts';

export async function readParquet(conn: DuckDBConnection, file: string, table: string): Promise<ReadResult> {
  const cols = await allOn<{ name: string; type: string }>(conn, `select column_name as name, column_type as type from (describe select * from read_parquet(${sqlString(file)}))`);
  const select = cols.map((c) => `${isNested(c.type) ? `to_json(p.${ident(c.name)})` : `p.${ident(c.name)}`}::varchar as ${ident(c.name)}`).join(', ');
  // the whole row as JSON too: event properties keep the file's types (numbers stay numbers)
  await conn.run(`create temp table ${table} as select ${select}, to_json(p)::varchar as __json from read_parquet(${sqlString(file)}) p`);
  const n = (await allOn<{ n: number }>(conn, `select count(*) as n from ${table}`))[0]!.n;
  return {
    headers: cols.map((c) => c.name),
    rows: n,
    readerRejected: 0,
    rowJson: 'r.__json',
    locate: async (rowids) => {
      const out = new Map<number, RowLocation>();
      if (rowids.length === 0) return { rows: out, readerRejects: [] };
      const rows = await allOn<{ r: number; j: string }>(conn, `select rowid as r, __json as j from ${table} t where rowid in (select unnest($1::bigint[]))`, [`[${rowids.join(',')}]`]);
      for (const row of rows) out.set(row.r, { line: row.r + 1, raw: row.j });
      return { rows: out, readerRejects: [] };
    },
  };
}

/** Struct, list, map and union columns: DuckDB's own text for them is not JSON. */
function isNested(type: string): boolean {
  return /^(STRUCT|MAP|UNION)\(|\[\d*\]$/.test(type);
}
