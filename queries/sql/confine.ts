// Where the warehouse's DuckDB may touch files (SPEC §6): only the inbox, switched off for good once
// set. The console itself reads no files at all (check.ts refuses every file-reading function).
import path from 'node:path';
import type { Db } from '../db/open.ts';
import { privatePath } from './messages.ts';

/**
 * Confines the instance's file access to `dirs` (SPEC §6): read_csv, glob, COPY, ATTACH... outside them
 * fail, and DuckDB refuses to switch external access back on while the database is open.
 */
export async function confineFileAccess(db: Db, dirs: string[]): Promise<void> {
  if (db.file !== ':memory:') privatePath(path.dirname(path.resolve(db.file)), '<data>');
  dirs.forEach((d) => privatePath(d, '<inbox>'));
  const current = await db.one<{ on: boolean }>("select current_setting('enable_external_access') as on");
  if (current && current.on === false) return;
  const list = dirs.map((d) => `'${path.resolve(d).replaceAll("'", "''")}/'`).join(', ');
  await db.exec(`set allowed_directories = [${list}]`);
  await db.exec('set enable_external_access = false');
}

/** Whether file access is confined (the runner refuses to serve an unconfined instance). */
export async function fileAccessConfined(db: Db): Promise<boolean> {
  const row = await db.one<{ on: boolean }>("select current_setting('enable_external_access') as on");
  return row?.on === false;
}
