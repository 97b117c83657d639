// The numbers behind GET /api/health: row counts and the data version (changes with every load).
import type { Db } from './db/open.ts';

export interface Health {
  status: 'ok';
  version: string;
  dataVersion: string;
  counts: { events: number; orders: number; campaigns: number; complaints: number };
}

/** A value read from the database, remembered until this process may have written (see Db.generation). */
function rememberedPerGeneration<T>(read: (db: Db) => Promise<T>): (db: Db) => Promise<T> {
  const known = new WeakMap<Db, { generation: number; value: Promise<T> }>();
  return (db) => {
    const hit = known.get(db);
    if (hit && hit.generation === db.generation) return hit.value;
    const value = read(db);
    known.set(db, { generation: db.generation, value });
    value.catch(() => known.delete(db));
    return value;
  };
}

/** Changes with every load. */
export const dataVersion = rememberedPerGeneration(async (db) => {
  const row = await db.one<{ v: string }>("select coalesce(max(file_id), 0) || '-' || coalesce(strftime(max(finished_at), '%Y%m%d%H%M%S'), '0') as v from ingests");
  return row?.v ?? '0-0';
});

const counts = rememberedPerGeneration(async (db) =>
  (await db.one<Health['counts']>(
    'select (select count(*) from events)::integer as events, (select count(*) from orders)::integer as orders, (select count(*) from campaigns)::integer as campaigns, (select count(*) from complaints)::integer as complaints',
  ))!,
);

export async function health(db: Db, version: string): Promise<Health> {
  return { status: 'ok', version, dataVersion: await dataVersion(db), counts: await counts(db) };
}
