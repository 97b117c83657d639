// The numbers behind GET /api/health: row counts and the data version (changes with every load).
import type { Db } from './db/open.ts';

export interface Health {
  status: 'ok';
  version: string;
  dataVersion: string;
  counts: { events: number; orders: number; campaigns: number; complaints: number };
}

const versions = new WeakMap<Db, { generation: number; version: Promise<string> }>();

/** Changes with every load; read again only after this process may have written (see Db.generation). */
export async function dataVersion(db: Db): Promise<string> {
  const known = versions.get(db);
  if (known && known.generation === db.generation) return known.version;
  const version = db
    .one<{ v: string }>("select coalesce(max(file_id), 0) || '-' || coalesce(strftime(max(finished_at), '%Y%m%d%H%M%S'), '0') as v from ingests")
    .then((row) => row?.v ?? '0-0');
  versions.set(db, { generation: db.generation, version });
  version.catch(() => versions.delete(db));
  return version;
}

export async function health(db: Db, version: string): Promise<Health> {
  const counts = await db.one<Health['counts']>(
    'select (select count(*) from events)::integer as events, (select count(*) from orders)::integer as orders, (select count(*) from campaigns)::integer as campaigns, (select count(*) from complaints)::integer as complaints',
  );
  return { status: 'ok', version, dataVersion: await dataVersion(db), counts: counts! };
}
