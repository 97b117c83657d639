// Where the warehouse's files are: the database (--db, AIDA_DB, or data/aida.duckdb) and the inbox
// beside it. Every command, the server and the SQL file confinement ask here.
import path from 'node:path';

export const defaultDatabase = 'data/aida.duckdb';

/** The database file a command works on: its --db flag, else AIDA_DB, else data/aida.duckdb. */
export function databasePath(flag?: string): string {
  return flag ?? process.env.AIDA_DB ?? defaultDatabase;
}

/**
 * The inbox: where ingest keeps raw copies (and a server's uploads land), the one directory DuckDB may
 * read. Relative paths in the config are relative to the folder holding the database's folder.
 */
export function inboxDir(config: { inbox_dir: string }, db: string): string {
  return path.isAbsolute(config.inbox_dir) ? config.inbox_dir : path.resolve(path.dirname(path.resolve(db)), '..', config.inbox_dir);
}
