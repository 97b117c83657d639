// The numbers behind GET /api/health: row counts and the data version (changes with every load).
import { rememberedPerGeneration, type Db } from './db/open.ts';

export interface Health {
  status: 'ok';
  version: string;
  dataVersion: string;
  counts: { events: number; orders: number; campaigns: number; complaints: number };
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
