// Applies pending schema migrations in order, each in its own transaction, and records them.
import type { DuckDBConnection } from '@duckdb/node-api';
import { migrations, type Migration } from './migrations/index.ts';

/** What migrating needs of a database: open.ts's Db, named here so open.ts can migrate without an import cycle. */
export interface Migratable {
  readonly file: string;
  one<T>(sql: string): Promise<T | undefined>;
  exec(sql: string): Promise<unknown>;
  transaction<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
}

export const latestVersion = Math.max(...migrations.map((m) => m.version));

export async function schemaVersion(db: Migratable): Promise<number> {
  const table = await db.one<{ n: number }>(
    "select count(*)::integer as n from information_schema.tables where table_name = 'aida_migrations' and table_schema = 'main'",
  );
  if (!table?.n) return 0;
  const row = await db.one<{ v: number | null }>('select max(version) as v from aida_migrations');
  return row?.v ?? 0;
}

/** Brings the database to `target` (default: the latest version). */
export async function migrate(db: Migratable, target = latestVersion): Promise<number> {
  await db.exec(
    'create table if not exists aida_migrations (version integer primary key, name varchar not null, applied_at timestamptz not null)',
  );
  const current = await schemaVersion(db);
  if (current > latestVersion) {
    throw new Error(`${db.file} has schema version ${current}, newer than this aida (${latestVersion}); upgrade aida`);
  }
  const pending: Migration[] = migrations.filter((m) => m.version > current && m.version <= target);
  for (const m of pending) {
    await db.transaction(async (conn) => {
      await conn.run(m.sql);
      await conn.run('insert into aida_migrations values ($1, $2, now())', [m.version, m.name]);
    });
  }
  return target;
}
