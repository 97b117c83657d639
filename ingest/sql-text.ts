// Quoting for the few SQL texts ingest must assemble itself (file paths and column names that DuckDB
// table functions take as literals); values from files never pass through here.
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
