// The numbers behind GET /api/health: row counts, the data version (changes with every load) and the
// data range of each kind.
import type { Config } from './config.ts';
import { rememberedPerGeneration, type Db } from './db/open.ts';
import { dataRanges, type DataKind } from './shared/data-range.ts';

export interface Health {
  status: 'ok';
  version: string;
  dataVersion: string;
  counts: { events: number; orders: number; campaigns: number; complaints: number };
  /** first and last instant per kind (web: non-bot events; campaigns: local midnight of the log's first and last day); null without data */
  ranges: Record<DataKind, { first: string; last: string } | null>;
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

export async function health(db: Db, version: string, config: Config): Promise<Health> {
  const byKind = await dataRanges({ db, config });
  const ranges = Object.fromEntries(
    Object.entries(byKind).map(([kind, r]) => [kind, r.first && r.last ? { first: r.first.toISOString(), last: r.last.toISOString() } : null]),
  ) as Health['ranges'];
  return { status: 'ok', version, dataVersion: await dataVersion(db), counts: await counts(db), ranges };
}
