// Where the warehouse's DuckDB may touch files (SPEC §6): only the inbox, switched off for good once
// set. The console itself reads no files at all (check.ts refuses every file-reading function).
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../db/open.ts';
import { privatePath } from './messages.ts';

/**
 * Confines the instance's file access to `dirs` (SPEC §6): read_csv, glob, COPY, ATTACH... outside them
 * fail, and DuckDB refuses to switch external access back on while the database is open.
 */
export async function confineFileAccess(db: Db, dirs: string[]): Promise<void> {
  if (db.file !== ':memory:') privatePath(path.dirname(path.resolve(db.file)), '<data>');
  dirs.forEach((d) => privatePath(d, '<inbox>'));
  if (await fileAccessConfined(db)) return;
  // SET takes no parameters: the folders are written as literals
  const list = dirs.map((d) => sql.lit(`${path.resolve(d)}/`));
  await sql`set allowed_directories = [${sql.join(list)}]`.execute(db.kysely);
  await sql`set enable_external_access = false`.execute(db.kysely);
}

/** Whether file access is confined (the runner refuses to serve an unconfined instance). */
export async function fileAccessConfined(db: Db): Promise<boolean> {
  const { rows: [row] } = await sql<{ on: boolean }>`select current_setting('enable_external_access') as on`.execute(db.kysely);
  return row?.on === false;
}
