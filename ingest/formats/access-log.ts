// Server and CDN access logs, parsed by DuckDB (regex and JSON functions over one physical line per row)
// into text columns named like the canonical web columns (ts, ip, url, referrer, user_agent) plus method
// and status. Each layout says how a line becomes those columns; the reading and rejecting is shared.
import { sqlString } from '../../queries/db/quote.ts';
import { locateRows, readLines } from './lines.ts';
import type { ReadResult } from './read-result.ts';
import { sql, type Kysely } from 'kysely';

export const accessLogColumns = ['ip', 'ts', 'method', 'url', 'protocol', 'status', 'bytes', 'referrer', 'user_agent'] as const;
export type AccessLogColumn = (typeof accessLogColumns)[number];

/** How one line (`__text`) of a log layout becomes the access-log columns. */
export interface LineLayout {
  /** SQL for a struct `p` computed once per line (e.g. regexp_extract with named groups) */
  parse: string;
  /** SQL over `__text` and `p` for each column ('-' and '' become null) */
  columns: Record<AccessLogColumn, string>;
  /** SQL: the line is a request */
  parsed: string;
  /** SQL: the line is a directive or comment of the log (#Fields: …), not a request; its reject reason */
  directive?: { test: string; reason: string };
  /** the reject reason of a line that is neither */
  reason: string;
}

const quotedField = String.raw`"((?:[^"\\]|\\.)*)"`;
/** A request line "GET /path HTTP/1.1" split into method, url and protocol. */
export const requestParts = (request: string) => ({
  method: `split_part(${request}, ' ', 1)`,
  url: `split_part(${request}, ' ', 2)`,
  protocol: `split_part(${request}, ' ', 3)`,
});

/** A layout parsed by one RE2 regex whose groups are named. */
export function regexLayout(pattern: string, groups: string[], columns: (g: (name: string) => string) => Record<AccessLogColumn, string>, reason: string, tsGroup = 'ts'): LineLayout {
  return {
    parse: `regexp_extract(__text, ${sqlString(pattern)}, [${groups.map(sqlString).join(', ')}])`,
    columns: columns((name) => `p.${name}`),
    parsed: `p.${tsGroup} <> ''`,
    reason,
  };
}

export const combinedTail = String.raw`\[([^\]]+)\] ${quotedField} (\d{3}) (\S+)(?: ${quotedField} ${quotedField})?`;

export const accessLogPattern = String.raw`^(\S+) (\S+) (\S+) ${combinedTail}`;

/** Apache/nginx `common` and `combined`. */
export const combinedLayout = regexLayout(
  accessLogPattern,
  ['ip', 'ident', 'auth_user', 'ts', 'request', 'status', 'bytes', 'referrer', 'user_agent'],
  (g) => ({ ip: g('ip'), ts: g('ts'), ...requestParts(g('request')), status: g('status'), bytes: g('bytes'), referrer: g('referrer'), user_agent: g('user_agent') }),
  'not an access-log line (expected Apache/nginx common or combined format: host ident user [time] "request" status bytes)',
);

export async function readLogLines(conn: Kysely<unknown>, file: string, table: string, layout: LineLayout): Promise<ReadResult> {
  const lines = `${table}_lines`;
  await readLines(conn, file, lines);
  const value = (sql: string) => `nullif(nullif(${sql}, '-'), '')`;
  const directive = layout.directive?.test ?? 'false';
  // keep rowid = line - 1 by selecting every line (blank ones included) in order; staging skips blanks
  await sql`
    create temp table ${sql.table(table)} as
    with parsed as (select __text, ${sql.raw(layout.parse)} as p from ${sql.table(lines)})
    select
      __text,
      __text is not null and trim(__text) <> '' as __present,
      coalesce(not (${sql.raw(directive)}) and (${sql.raw(layout.parsed)}), false) as __parsed,
      coalesce(${sql.raw(directive)}, false) as __directive,
      ${sql.raw(accessLogColumns.map((c) => `${value(layout.columns[c])} as ${c}`).join(',\n      '))}
    from parsed`.execute(conn);
  await sql`drop table ${sql.table(lines)}`.execute(conn);
  const bad = (await sql<{ line: number; raw: string; directive: boolean }>`select rowid + 1 as line, __text as raw, __directive as directive from ${sql.table(table)} where __present and not __parsed order by rowid`.execute(conn)).rows;
  const total = (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where __present`.execute(conn)).rows[0]!.n;
  // unparsed and blank lines stay in the table (so rowids remain line numbers); staging skips them
  return {
    headers: [...accessLogColumns],
    rows: total,
    readerRejected: bad.length,
    locate: async (rowids, conn) => ({
      rows: await locateRows(conn, table, rowids),
      readerRejects: bad.map((b) => ({ line: b.line, raw: b.raw, reason: b.directive && layout.directive ? layout.directive.reason : layout.reason })),
    }),
  };
}

export function readAccessLog(conn: Kysely<unknown>, file: string, table: string): Promise<ReadResult> {
  return readLogLines(conn, file, table, combinedLayout);
}
