// The SQL console behind POST /api/sql and `aida sql` (SPEC §6), one job per module in queries/sql/:
// check.ts (what may run), allowed.ts (the allow-lists), lexical.ts (the pre-parse look), cursor.ts
// (running it), export.ts (CSV and Parquet files), confine.ts (file access), messages.ts (errors shown).
export { SqlFailed, SqlRefused } from './sql/check.ts';
export { openSql, runSql, type SqlCursor } from './sql/cursor.ts';
export { csvPieces, exportDir, removeStaleExports, writeParquet } from './sql/export.ts';
export { confineFileAccess } from './sql/confine.ts';
export { publicMessage } from './sql/messages.ts';
