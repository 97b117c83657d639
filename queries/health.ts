// The numbers behind GET /api/health: row counts and the data version (changes with every load).
import type { Db } from './db/open.ts';

export interface Health {
  status: 'ok';
  version: string;
  dataVersion: string;
  counts: { events: number; orders: number; campaigns: number; complaints: number };
}

export async function dataVersion(db: Db): Promise<string> {
  const row = await db.one<{ v: string }>("select coalesce(max(file_id), 0) || '-' || coalesce(strftime(max(finished_at), '%Y%m%d%H%M%S'), '0') as v from ingests");
  return row?.v ?? '0-0';
}

export async function health(db: Db, version: string): Promise<Health> {
  const counts = await db.one<Health['counts']>(
    'select (select count(*) from events)::integer as events, (select count(*) from orders)::integer as orders, (select count(*) from campaigns)::integer as campaigns, (select count(*) from complaints)::integer as complaints',
  );
  return { status: 'ok', version, dataVersion: await dataVersion(db), counts: counts! };
}
