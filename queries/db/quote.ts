// The one owner of SQL quoting for text aida assembles itself, where DuckDB takes no bound parameter
// (table-function options such as read_csv's file, COPY targets, SET values, stored views and macros).
// Inside Kysely templates `sql.lit` and `sql.id` write exactly these forms; values are bound instead.

/**
 * A standard SQL string literal: `'` doubled, nothing else escaped (DuckDB's '...' strings take `\`
 * and control characters as they are). A NUL cannot be written in DuckDB SQL text, so it is refused.
 */
export function sqlString(value: string): string {
  if (value.includes('\0')) throw new TypeError('a NUL character cannot be written in an SQL string literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted identifier (table, column or macro name): `"` doubled. */
export function ident(name: string): string {
  if (name.includes('\0')) throw new TypeError('a NUL character cannot be written in an SQL identifier');
  return `"${name.replaceAll('"', '""')}"`;
}
