// Apache/nginx `common` and `combined` access logs, parsed by DuckDB's regex engine into text columns
// named like the canonical web columns (ts, ip, url, referrer, user_agent) plus method and status.
import type { DuckDBConnection } from '@duckdb/node-api';
import { allOn } from '../../queries/db/open.ts';
import { locateRows, readLines } from './lines.ts';
import type { ReadResult } from './read-result.ts';

export const accessLogPattern = String.raw`^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\S+)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?`;
const groups = ['ip', 'ident', 'auth_user', 'ts', 'request', 'status', 'bytes', 'referrer', 'user_agent'];
export const accessLogColumns = ['ip', 'ts', 'method', 'url', 'protocol', 'status', 'bytes', 'referrer', 'user_agent'];

export async function readAccessLog(conn: DuckDBConnection, file: string, table: string): Promise<ReadResult> {
  const lines = `${table}_lines`;
  await readLines(conn, file, lines);
  // keep rowid = line - 1 by selecting every line (blank ones included) in order; staging skips blanks
  await conn.run(`
    create temp table ${table} as
    with parsed as (
      select __text, regexp_extract(__text, '${accessLogPattern.replaceAll("'", "''")}', ${JSON.stringify(groups).replaceAll('"', "'")}) as p
      from ${lines}
    )
    select
      __text,
      __text is not null and trim(__text) <> '' as __present,
      p.ts <> '' as __parsed,
      nullif(p.ip, '') as ip,
      nullif(p.ts, '') as ts,
      nullif(split_part(p.request, ' ', 1), '') as method,
      nullif(split_part(p.request, ' ', 2), '') as url,
      nullif(split_part(p.request, ' ', 3), '') as protocol,
      nullif(p.status, '') as status,
      nullif(nullif(p.bytes, '-'), '') as bytes,
      nullif(nullif(p.referrer, '-'), '') as referrer,
      nullif(nullif(p.user_agent, '-'), '') as user_agent
    from parsed`);
  await conn.run(`drop table ${lines}`);
  const bad = await allOn<{ line: number; raw: string }>(conn, `select rowid + 1 as line, __text as raw from ${table} where __present and not __parsed order by rowid`);
  const total = (await allOn<{ n: number }>(conn, `select count(*) as n from ${table} where __present`))[0]!.n;
  // unparsed and blank lines stay in the table (so rowids remain line numbers); staging skips them
  return {
    headers: accessLogColumns,
    rows: total,
    readerRejected: bad.length,
    locate: async (rowids) => ({
      rows: await locateRows(conn, table, rowids),
      readerRejects: bad.map((b) => ({ line: b.line, raw: b.raw, reason: 'not an access-log line (expected Apache/nginx common or combined format: host ident user [time] "request" status bytes)' })),
    }),
  };
}
