// Applies pending schema migrations in order, each in its own transaction, and records them.
import { sql, type Kysely } from 'kysely';
import { migrations, type Migration } from './migrations/index.ts';

/** What migrating needs of a database: open.ts's Db, named here so open.ts can migrate without an import cycle. */
export interface Migratable {
  readonly file: string;
  readonly kysely: Kysely<unknown>;
}

export const latestVersion = Math.max(...migrations.map((m) => m.version));

export async function schemaVersion(db: Migratable): Promise<number> {
  const { rows: [table] } = await sql<{ n: number }>`select count(*)::integer as n from information_schema.tables where table_name = 'aida_migrations' and table_schema = 'main'`.execute(db.kysely);
  if (!table?.n) return 0;
  const { rows: [row] } = await sql<{ v: number | null }>`select max(version) as v from aida_migrations`.execute(db.kysely);
  return row?.v ?? 0;
}

/** Brings the database to `target` (default: the latest version). */
export async function migrate(db: Migratable, target = latestVersion): Promise<number> {
  await sql`create table if not exists aida_migrations (version integer primary key, name varchar not null, applied_at timestamptz not null)`.execute(db.kysely);
  const current = await schemaVersion(db);
  if (current > latestVersion) {
    throw new Error(`${db.file} has schema version ${current}, newer than this aida (${latestVersion}); upgrade aida`);
  }
  const pending: Migration[] = migrations.filter((m) => m.version > current && m.version <= target);
  for (const m of pending) {
    await db.kysely.transaction().execute(async (trx) => {
      await sql.raw(m.sql).execute(trx); // a migration is a script of aida's own, stored as text
      await sql`insert into aida_migrations values (${m.version}, ${m.name}, now())`.execute(trx);
    });
  }
  return target;
}
