// The numbers behind GET /api/health: row counts, the data version (changes with every load) and the
// data range of each kind.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import { rememberedPerGeneration, type Db } from './db/open.ts';
import { dataKinds, dataRanges } from './shared/data-range.ts';

const range = z.strictObject({ first: z.string(), last: z.string() }).nullable();

/** GET /api/health for a caller with access (server/routes/health.ts answers anonymous callers less). */
export const healthResult = z.strictObject({
  status: z.literal('ok'),
  version: z.string(),
  dataVersion: z.string().describe('changes with every load'),
  counts: z.strictObject({ events: z.number().int(), orders: z.number().int(), campaigns: z.number().int(), complaints: z.number().int() }),
  ranges: z.record(z.enum(dataKinds), range)
    .describe("first and last instant per kind (web: non-bot events; campaigns: local midnight of the log's first and last day); null without data"),
});
export type Health = z.infer<typeof healthResult>;

/** Changes with every load. */
export const dataVersion = rememberedPerGeneration(async (db) => {
  const { rows: [row] } = await sql<{ v: string }>`select coalesce(max(file_id), 0) || '-' || coalesce(strftime(max(finished_at), '%Y%m%d%H%M%S'), '0') as v from ingests`.execute(db.kysely);
  return row?.v ?? '0-0';
});

const counts = rememberedPerGeneration(async (db) =>
  (await sql<Health['counts']>`select (select count(*) from events)::integer as events, (select count(*) from orders)::integer as orders, (select count(*) from campaigns)::integer as campaigns, (select count(*) from complaints)::integer as complaints`.execute(db.kysely)).rows[0]!,
);

export async function health(db: Db, version: string, config: Config): Promise<Health> {
  const byKind = await dataRanges({ db, config });
  const ranges = Object.fromEntries(
    Object.entries(byKind).map(([kind, r]) => [kind, r.first && r.last ? { first: r.first.toISOString(), last: r.last.toISOString() } : null]),
  ) as Health['ranges'];
  return { status: 'ok', version, dataVersion: await dataVersion(db), counts: await counts(db), ranges };
}
