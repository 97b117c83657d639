// Where each kind of data begins and ends — web (non-bot events), sales (orders), campaigns (the log's
// days), complaints — and which kinds each metric reads: the one owner of every default period,
// `complete` flag and "as of" (a 2015 web log must not move the end of 2011 orders).
import { sql, type RawBuilder } from 'kysely';
import type { Config } from '../config.ts';
import { rememberedPerGeneration } from '../db/open.ts';
import type { QueryContext } from '../define.ts';
import { addDays, daysBetween, localDate, zonedMidnight, type Period, type PeriodInput } from './period.ts';
import { presetRange } from './presets.ts';

export const dataKinds = ['web', 'sales', 'campaigns', 'complaints'] as const;
export type DataKind = (typeof dataKinds)[number];

/**
 * The kinds each metric reads, for its default period, `complete` flags and as-of. Lifecycle and at-risk
 * follow the orders (a customer's stage is about their orders; web hits after the as-of day are not
 * counted); the snapshot takes its week from web and sales, the two its headline figures come from.
 */
export const metricKinds = {
  funnel: ['web', 'sales'],
  efficiency: ['web', 'sales'],
  campaigns: ['campaigns', 'web', 'sales'],
  complaints: ['complaints', 'sales'],
  retention: ['sales'],
  repurchase: ['sales'],
  customers: ['sales'],
  products: ['sales'],
  countries: ['sales'],
  snapshot: ['web', 'sales'],
  properties: ['web', 'sales'],
} as const satisfies Record<string, readonly DataKind[]>;

export interface DataRange {
  /** first and last instant of the kinds' data; null when they have none */
  first: Date | null;
  last: Date | null;
}

/** A campaigns-log day stands for the local midnight it starts at (the rule of `dataEndSql`). */
interface StoredRanges {
  web: [Date | null, Date | null];
  sales: [Date | null, Date | null];
  complaints: [Date | null, Date | null];
  campaigns: [string | null, string | null];
}

const readRanges = rememberedPerGeneration(async (db): Promise<StoredRanges> => {
  const r = (await sql<Record<string, Date | string | null>>`
    select
      (select min(ts) from events where not is_bot) as web_first, (select max(ts) from events where not is_bot) as web_last,
      (select min(ts) from orders) as sales_first, (select max(ts) from orders) as sales_last,
      (select min(ts) from complaints) as complaints_first, (select max(ts) from complaints) as complaints_last,
      (select strftime(min(date), '%Y-%m-%d') from campaigns) as campaigns_first, (select strftime(max(date), '%Y-%m-%d') from campaigns) as campaigns_last`.execute(db.kysely)).rows[0]!;
  const instant = (k: string) => (r[k] as Date | null) ?? null;
  const day = (k: string) => (r[k] as string | null) ?? null;
  return {
    web: [instant('web_first'), instant('web_last')],
    sales: [instant('sales_first'), instant('sales_last')],
    complaints: [instant('complaints_first'), instant('complaints_last')],
    campaigns: [day('campaigns_first'), day('campaigns_last')],
  };
});

/** First/last instant of each kind, read again only after this process may have written. */
export async function dataRanges(ctx: QueryContext): Promise<Record<DataKind, DataRange>> {
  const stored = await readRanges(ctx.db);
  const tz = ctx.config.timezone;
  const day = (d: string | null) => (d === null ? null : zonedMidnight(d, tz));
  return {
    web: { first: stored.web[0], last: stored.web[1] },
    sales: { first: stored.sales[0], last: stored.sales[1] },
    campaigns: { first: day(stored.campaigns[0]), last: day(stored.campaigns[1]) },
    complaints: { first: stored.complaints[0], last: stored.complaints[1] },
  };
}

/**
 * The range of `kinds` together: earliest first, latest last. When none of them has data, the range
 * of all kinds (a metric on a warehouse without its own data still opens where the data is).
 */
export async function dataRange(ctx: QueryContext, kinds: readonly DataKind[]): Promise<DataRange> {
  const all = await dataRanges(ctx);
  const span = (ks: readonly DataKind[]): DataRange => {
    const firsts = ks.map((k) => all[k].first).filter((d): d is Date => d !== null);
    const lasts = ks.map((k) => all[k].last).filter((d): d is Date => d !== null);
    return {
      first: firsts.length ? new Date(Math.min(...firsts.map(Number))) : null,
      last: lasts.length ? new Date(Math.max(...lasts.map(Number))) : null,
    };
  };
  const own = span(kinds);
  return own.last ? own : span(dataKinds);
}

function lastInstantSql(kind: DataKind, config: Config): RawBuilder<Date | null> {
  switch (kind) {
    case 'web':
      return sql`(select max(ts) from events where not is_bot)`;
    case 'sales':
      return sql`(select max(ts) from orders)`;
    case 'complaints':
      return sql`(select max(ts) from complaints)`;
    case 'campaigns':
      return sql`(select timezone(${sql.lit(config.timezone)}, max(date)::timestamp) from campaigns)`;
  }
}

/** SQL `select … as last_ts`: the last instant of `kinds` (the rule of `dataRange`, with its fallback). */
export function dataEndSql(config: Config, kinds: readonly DataKind[]): RawBuilder<{ last_ts: Date | null }> {
  const latest = (ks: readonly DataKind[]) => sql`greatest(${sql.join(ks.map((k) => lastInstantSql(k, config)))})`;
  return sql`select coalesce(${latest(kinds)}, ${latest(dataKinds)}) as last_ts`;
}

/**
 * from/to with defaults from the data of `kinds`: `to` = the day after their last day with data, `from`
 * = `defaultDays` earlier.
 */
export async function resolvePeriod(ctx: QueryContext, given: PeriodInput, kinds: readonly DataKind[], defaultDays = 28): Promise<Period> {
  const tz = ctx.config.timezone;
  const input = await withPreset(ctx, given, kinds);
  let to = input.to;
  if (!to) {
    const { last } = await dataRange(ctx, kinds);
    to = input.from && !last ? addDays(input.from, defaultDays) : addDays(localDate(last ?? new Date(), tz), 1);
    if (input.from && to <= input.from) to = addDays(input.from, defaultDays);
  }
  const from = input.from ?? addDays(to, -defaultDays);
  return { from, to, start: zonedMidnight(from, tz), end: zonedMidnight(to, tz), days: daysBetween(from, to) };
}

/**
 * The input with its `preset` (shared/presets.ts) turned into from/to: "today" is the last day with data
 * of `kinds` in the reporting time zone (the real today when the data reaches it, or on a warehouse
 * without data), so a preset means the same period for every page that reads the same data.
 */
export async function withPreset<P extends PeriodInput>(ctx: QueryContext, input: P, kinds: readonly DataKind[]): Promise<P> {
  if (!input.preset) return input;
  const tz = ctx.config.timezone;
  const { first, last } = await dataRange(ctx, kinds);
  const anchor = localDate(last ?? new Date(), tz);
  const { preset: _, ...rest } = input;
  return { ...rest, ...presetRange(input.preset, anchor, first ? localDate(first, tz) : anchor, ctx.config.week_start) } as P;
}
