// The weekly executive snapshot (SPEC §5.7): for one ISO week, each headline figure beside the week
// before, the trailing 4-week average and a 12-week series; what moved purchases (the I-chain
// decomposition), the top campaigns, and the figures that moved more than 2 standard deviations.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import { defineQuery, rows, type QueryContext } from './define.ts';
import { campaigns, type CampaignRow } from './campaigns.ts';
import { atRiskByAsOfSql } from './customers.ts';
import { customersSql } from './retention.ts';
import { decompose, decompositionResult, efficiencyChains, type Chain, type Decomposition } from './efficiency.ts';
import { note, noteOf, notes, type Note } from './shared/notes.ts';
import { validOrderSql } from './shared/orders.ts';
import { dataRange, metricKinds } from './shared/data-range.ts';
import { addDays, bucketSql, isoWeek, isoWeekMonday, localBucketSql, localDate, zonedMidnight, type Period } from './shared/period.ts';

/** Weeks in each series (the sparkline), the trailing average, and the history notable movements use. */
export const seriesWeeks = 12;
export const trailingWeeks = 4;
export const notableWeeks = 8;
/** Notable: more than this many (sample) standard deviations from the trailing mean… */
export const notableThreshold = 2;
/** …judged only with at least this many weeks of history. */
export const notableMinWeeks = 4;
/** Rows in each top-campaigns list. */
export const topCampaignCount = 5;

const weekPattern = /^\d{4}-W\d{2}$/;
export const weekParam = z
  .string()
  .regex(weekPattern, 'expected an ISO week as YYYY-Www, e.g. 2026-W47')
  // (zod runs this check after a failed regex too: only the regex speaks for a malformed value)
  .refine((w) => !weekPattern.test(w) || isoWeek(isoWeekMonday(w)) === w, 'expected a week that exists in that year (W01 to W52, or W53 in long years)');

export const snapshotParams = z.object({
  week: weekParam.optional().describe('ISO week (YYYY-Www, weeks start on Monday in the reporting time zone); default: the last complete week of data'),
});

export const metricKeys = [
  'visitors', 'activeVisitors', 'purchasers', 'revenue', 'orders', 'averageOrderValue',
  'I1', 'I2', 'I3', 'I4', 'I5',
  'newCustomers', 'returningCustomers', 'repurchaseRate', 'atRisk',
] as const;
export type MetricKey = (typeof metricKeys)[number];
export const metricUnits = ['count', 'money', 'rate'] as const;
export type MetricUnit = (typeof metricUnits)[number];

const weekValue = z.strictObject({ week: z.string(), value: z.number().nullable() });
export type WeekValue = z.infer<typeof weekValue>;

export const snapshotMetric = z.strictObject({
  key: z.enum(metricKeys),
  label: z.string().describe('the English name (CSV); the web names metrics by key'),
  unit: z.enum(metricUnits),
  value: z.number().nullable(),
  previous: z.number().nullable(),
  trailing4: z.number().nullable().describe('mean of the (up to) 4 weeks before this week that have data'),
  change: z.number().nullable().describe('(value − previous) / previous; null when either is null or previous is 0'),
  difference: z.number().nullable().describe('value − previous (for rates: the change in points)'),
  series: z.array(weekValue).describe('12 weeks, oldest first, ending with this week; null for weeks outside the data'),
  reason: note.optional().describe('why value is null, or why it is provisional'),
});
export type SnapshotMetric = z.infer<typeof snapshotMetric>;

/** A figure more than 2 sample standard deviations from its trailing mean: the facts the web words. */
export const notableMovementResult = z.strictObject({
  key: z.enum(metricKeys),
  label: z.string(),
  unit: z.enum(metricUnits),
  value: z.number(),
  mean: z.number(),
  sd: z.number().describe('sample standard deviation of the trailing weeks'),
  z: z.number().describe('(value − mean) / sd'),
  weeks: z.number().int().describe('how many trailing weeks (≤ 8) had a value'),
  direction: z.enum(['above', 'below']),
});
export type NotableMovement = z.infer<typeof notableMovementResult>;

const topCampaignResult = z.strictObject({
  campaign: z.string(),
  source: z.string(),
  medium: z.string(),
  brand: z.boolean(),
  purchasers: z.number(),
  revenue: z.number(),
  cost: z.number().nullable(),
  cpa: z.number().nullable(),
  roas: z.number().nullable(),
});
export type TopCampaign = z.infer<typeof topCampaignResult>;

export const snapshotResult = z.strictObject({
  week: z.string(),
  from: z.string().describe("the week's Monday, a local date in `timezone`"),
  to: z.string().describe('the Monday after (exclusive)'),
  timezone: z.string(),
  currency: z.string(),
  complete: z.boolean().describe('false when the data ends before the week does, or the week is outside the data'),
  data: z.strictObject({ first: z.string().nullable(), last: z.string().nullable() }).describe('first and last data instants (ISO), null on an empty warehouse'),
  metrics: z.array(snapshotMetric),
  decomposition: decompositionResult.nullable().describe('the change in purchases (Q4) vs the previous week, split by factor (SPEC §5.2)'),
  q4Mode: z.enum(['nested', 'independent']).describe('nested: Q4 = active visitors who purchased; independent: every purchaser'),
  topCampaigns: z.strictObject({ byPurchasers: z.array(topCampaignResult), byRoas: z.array(topCampaignResult) }),
  notable: z.array(notableMovementResult),
  notes,
});
export type SnapshotResult = z.infer<typeof snapshotResult>;

interface WeekSlot {
  label: string;
  period: Period;
  /** the week overlaps the data's first–last range */
  covered: boolean;
}

const metricDefs: { key: MetricKey; label: string; unit: MetricUnit }[] = [
  { key: 'visitors', label: 'Visitors', unit: 'count' },
  { key: 'activeVisitors', label: 'Active visitors', unit: 'count' },
  { key: 'purchasers', label: 'Purchasers', unit: 'count' },
  { key: 'orders', label: 'Orders', unit: 'count' },
  { key: 'revenue', label: 'Revenue', unit: 'money' },
  { key: 'averageOrderValue', label: 'Average order value', unit: 'money' },
  { key: 'I1', label: 'I1 Awareness', unit: 'rate' },
  { key: 'I2', label: 'I2 Attractability', unit: 'rate' },
  { key: 'I3', label: 'I3 Contact', unit: 'rate' },
  { key: 'I4', label: 'I4 Conversion', unit: 'rate' },
  { key: 'I5', label: 'I5 Retention', unit: 'rate' },
  { key: 'newCustomers', label: 'New customers', unit: 'count' },
  { key: 'returningCustomers', label: 'Returning customers', unit: 'count' },
  { key: 'repurchaseRate', label: 'Repurchase rate', unit: 'rate' },
  { key: 'atRisk', label: 'At-risk customers', unit: 'count' },
];

/** The snapshot's weeks start on Monday (ISO) whatever `week_start` says. */
const isoWeekConfig = (config: Config): Config => ({ ...config, week_start: 'monday' });

function slot(monday: string, config: Config, first: Date | null, last: Date | null): WeekSlot {
  const tz = config.timezone;
  const to = addDays(monday, 7);
  const period: Period = { from: monday, to, start: zonedMidnight(monday, tz), end: zonedMidnight(to, tz), days: 7 };
  const covered = first !== null && last !== null && period.start.getTime() <= last.getTime() && period.end.getTime() > first.getTime();
  return { label: isoWeek(monday), period, covered };
}

/** The last ISO week whose Sunday is on or before the last data day; the week of the last data if none is. */
export function defaultWeek(first: Date | null, last: Date | null, timezone: string): string {
  if (!last) return isoWeek(addDays(localDate(new Date(), timezone), -7));
  const complete = isoWeek(addDays(localDate(last, timezone), -6));
  const firstWeek = isoWeek(localDate(first ?? last, timezone));
  return isoWeekMonday(complete) < isoWeekMonday(firstWeek) ? isoWeek(localDate(last, timezone)) : complete;
}

interface OrderWeek {
  week: string;
  orders: number;
  revenue: number;
  new_customers: number;
  returning_customers: number;
}

/** Per local ISO week in [start, end): valid orders, revenue, and customers new that week vs returning. */
function orderWeeks(ctx: QueryContext, start: Date, end: Date): Promise<OrderWeek[]> {
  const week = (ts: string) => bucketSql('week', sql.raw(ts), isoWeekConfig(ctx.config));
  return rows(ctx, sql<OrderWeek>`
    with valid as (
      select o.customer_id, o.amount, ${week('o.ts')} as wk
      from orders o where ${sql.raw(validOrderSql('o'))} and o.ts >= ${start} and o.ts < ${end}
    ),
    -- a customer's first-ever valid order decides new (that week) vs returning (an earlier week)
    firsts as (
      select c.customer_id, ${week('c.first_ts')} as first_wk from (${customersSql}) c where c.first_ts < ${end}
    )
    select strftime(v.wk, '%Y-%m-%d') as week, count(*)::integer as orders, sum(v.amount)::double as revenue,
      (count(distinct v.customer_id) filter (where f.first_wk = v.wk))::integer as new_customers,
      (count(distinct v.customer_id) filter (where f.first_wk < v.wk))::integer as returning_customers
    from valid v left join firsts f using (customer_id)
    group by v.wk`);
}

/** Per local ISO week of [from, to) (local days): persons with a `purchase` stage hit (a valid order or a purchase event). */
function purchaserWeeks(ctx: QueryContext, from: string, to: string): Promise<{ week: string; purchasers: number }[]> {
  return rows(ctx, sql<{ week: string; purchasers: number }>`
    select strftime(${localBucketSql('week', sql`day`, isoWeekConfig(ctx.config))}, '%Y-%m-%d') as week, count(distinct person_id)::integer as purchasers
    from person_days
    where purchase and day >= cast(${from} as date) and day < cast(${to} as date)
    group by all`);
}

/**
 * Customers at risk (SPEC §5.5 churn early warning: the rule customers/at-risk uses) as of each week's
 * end, in one grouped pass over the kept customer days.
 */
async function atRiskWeeks(ctx: QueryContext, weeks: WeekSlot[]): Promise<Map<string, number>> {
  if (!weeks.length) return new Map();
  const found = await rows(ctx, sql<{ as_of: string; n: number }>`
    select strftime(as_of, '%Y-%m-%d') as as_of, (count(*) filter (where at_risk))::integer as n
    from (${atRiskByAsOfSql(ctx.config, weeks.map((w) => w.period.to))})
    group by as_of`);
  return new Map(found.map((r) => [r.as_of, r.n]));
}

/** The I-chain of each covered week, one week after another (twelve at once only fight over the cores). */
async function weeklyChains(ctx: QueryContext, weeks: WeekSlot[]): Promise<(Chain | null)[]> {
  const out: (Chain | null)[] = [];
  for (const w of weeks) out.push(w.covered ? (await efficiencyChains(ctx, w.period)).get('all')! : null);
  return out;
}

async function hasRows(ctx: QueryContext): Promise<{ web: boolean; orders: boolean }> {
  const [r] = await rows(ctx, sql<{ web: boolean; orders: boolean }>`
    select exists (select 1 from events where not is_bot) as web, exists (select 1 from orders) as orders`);
  return { web: Boolean(r?.web), orders: Boolean(r?.orders) };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function sampleSd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** A metric more than 2 sample standard deviations from the mean of the (≤ 8) weeks before this week. */
export function notableMovement(m: SnapshotMetric): NotableMovement | null {
  const last = m.series.length - 1;
  const history = m.series.slice(Math.max(0, last - notableWeeks), last).map((p) => p.value).filter((v): v is number => v !== null);
  if (m.value === null || history.length < notableMinWeeks) return null;
  const sd = sampleSd(history);
  if (!(sd > 0)) return null;
  const avg = mean(history);
  const z = (m.value - avg) / sd;
  if (Math.abs(z) <= notableThreshold) return null;
  return { key: m.key, label: m.label, unit: m.unit, value: m.value, mean: avg, sd, z, weeks: history.length, direction: z > 0 ? 'above' : 'below' };
}

function topCampaign(c: CampaignRow): TopCampaign {
  return { campaign: c.campaign, source: c.source, medium: c.medium, brand: c.brand, purchasers: c.purchasers, revenue: c.revenue, cost: c.cost, cpa: c.cpa, roas: c.roas };
}

export const snapshot = defineQuery({
  name: 'snapshot',
  summary: 'The weekly executive snapshot: headline figures vs the previous week, the trailing 4-week average and 12 weeks; the decomposition of the change in purchases; top campaigns; notable movements.',
  params: snapshotParams,
  result: snapshotResult,
  async run(ctx, p): Promise<SnapshotResult> {
    const { config } = ctx;
    const tz = config.timezone;
    const { first, last } = await dataRange(ctx, metricKinds.snapshot);
    const week = p.week ?? defaultWeek(first, last, tz);
    const monday = isoWeekMonday(week);
    const slots = Array.from({ length: seriesWeeks }, (_, i) => slot(addDays(monday, -7 * (seriesWeeks - 1 - i)), config, first, last));
    const current = slots[seriesWeeks - 1]!;
    const before = slots[seriesWeeks - 2]!;
    const span = { start: slots[0]!.period.start, end: current.period.end };

    const [has, orderRows, purchaserRows, chains, atRisk, campaignResult] = await Promise.all([
      hasRows(ctx),
      orderWeeks(ctx, span.start, span.end),
      purchaserWeeks(ctx, slots[0]!.period.from, current.period.to),
      weeklyChains(ctx, slots),
      atRiskWeeks(ctx, slots.filter((s) => s.covered)),
      current.covered ? campaigns.run(ctx, { from: current.period.from, to: current.period.to }) : Promise.resolve(null),
    ]);

    const orderOf = (s: WeekSlot) => orderRows.find((r) => r.week === s.period.from);
    const valueOf = (key: MetricKey, s: WeekSlot, i: number): number | null => {
      if (!s.covered) return null;
      const o = orderOf(s);
      const chain: Chain | null = chains[i]!;
      const ratio = (k: string) => chain?.ratios.find((r) => r.key === k)?.value ?? null;
      const level = (k: string) => chain?.levels.find((l) => l.key === k)?.value ?? null;
      switch (key) {
        case 'visitors': return has.web ? level('Q2') : null;
        case 'activeVisitors': return has.web ? level('Q3') : null;
        case 'purchasers': return purchaserRows.find((r) => r.week === s.period.from)?.purchasers ?? 0;
        case 'orders': return has.orders ? (o?.orders ?? 0) : null;
        case 'revenue': return has.orders ? (o?.revenue ?? 0) : null;
        case 'averageOrderValue': return o && o.orders > 0 ? o.revenue / o.orders : null;
        case 'newCustomers': return has.orders ? (o?.new_customers ?? 0) : null;
        case 'returningCustomers': return has.orders ? (o?.returning_customers ?? 0) : null;
        case 'repurchaseRate': {
          const customers = (o?.new_customers ?? 0) + (o?.returning_customers ?? 0);
          return customers > 0 ? o!.returning_customers / customers : null;
        }
        case 'atRisk': return has.orders ? (atRisk.get(s.period.to) ?? 0) : null;
        default: return ratio(key);
      }
    };

    const reasonOf = (key: MetricKey, value: number | null): Note | undefined => {
      if (!current.covered) return noteOf('snapshot_no_data_in_week', { week });
      const chain = chains[seriesWeeks - 1];
      const q5 = chain?.levels[5];
      if (key === 'I5' && q5?.complete === false && q5.reason) return noteOf('snapshot_i5_provisional', { windowDays: ctx.config.repurchase_window_days });
      if (value !== null) return undefined;
      if ((key === 'visitors' || key === 'activeVisitors') && !has.web) return noteOf('snapshot_no_web');
      if (['orders', 'revenue', 'newCustomers', 'returningCustomers', 'atRisk'].includes(key) && !has.orders) return noteOf('snapshot_no_orders');
      if (key === 'averageOrderValue') return noteOf('snapshot_no_valid_orders');
      if (key === 'repurchaseRate') return noteOf('snapshot_no_customer_orders');
      if (['I2', 'I3', 'I4', 'I5'].includes(key) && !has.web) return noteOf('snapshot_no_web_ichain');
      // "Q1 is not available" says less than Q1's own reason (no impression data: load ...)
      const ratio = chain?.ratios.find((r) => r.key === key);
      const missing = ratio?.reason?.code === 'efficiency_level_unavailable' ? chain?.levels.find((l) => l.key === ratio.reason!.params?.['level']) : undefined;
      return missing?.reason ?? ratio?.reason;
    };

    const metrics: SnapshotMetric[] = metricDefs.map((d) => {
      const series = slots.map((s, i) => ({ week: s.label, value: valueOf(d.key, s, i) }));
      const value = series[seriesWeeks - 1]!.value;
      const previous = series[seriesWeeks - 2]!.value;
      const trailing = series.slice(seriesWeeks - 1 - trailingWeeks, seriesWeeks - 1).map((x) => x.value).filter((v): v is number => v !== null);
      const reason = reasonOf(d.key, value);
      return {
        ...d,
        value,
        previous,
        trailing4: trailing.length ? mean(trailing) : null,
        change: value !== null && previous !== null && previous !== 0 ? (value - previous) / previous : null,
        difference: value !== null && previous !== null ? value - previous : null,
        series,
        ...(reason ? { reason } : {}),
      };
    });

    const notes: Note[] = [];
    const range = { first: first?.toISOString() ?? null, last: last?.toISOString() ?? null };
    const complete = current.covered && last !== null && current.period.end.getTime() <= zonedMidnight(addDays(localDate(last, tz), 1), tz).getTime();
    if (!first || !last) notes.push(noteOf('snapshot_empty'));
    else if (!current.covered) {
      notes.push(noteOf('snapshot_week_outside_data', { week, from: current.period.from, lastDay: addDays(current.period.to, -1), dataFirst: localDate(first, tz), dataLast: localDate(last, tz) }));
    } else {
      if (!complete) notes.push(noteOf('snapshot_week_incomplete', { week, dataLast: localDate(last, tz) }));
      if (!before.covered) notes.push(noteOf('snapshot_first_week', { week }));
      const base = (['visitors', 'purchasers', 'orders'] as const).map((k) => metrics.find((m) => m.key === k)!.value ?? 0);
      if (base.every((v) => v === 0)) notes.push(noteOf('snapshot_zero_week', { week }));
    }
    if (p.week === undefined && first && last) notes.push(noteOf('snapshot_default_week', { week, timezone: tz }));

    let decomposition: Decomposition | null = null;
    const cur = chains[seriesWeeks - 1];
    const prev = chains[seriesWeeks - 2];
    if (cur && prev) {
      // (why it could not be computed is its own `reason`; null means the previous week has no data)
      decomposition = decompose(cur, prev, { from: before.period.from, to: before.period.to });
      if (!has.web && decomposition.reason) decomposition = { ...decomposition, reason: noteOf('snapshot_decomposition_no_web') };
      if (!decomposition.reason && config.q4_mode === 'nested') notes.push(noteOf('snapshot_q4_nested'));
    }

    const list = campaignResult?.campaigns ?? [];
    const byPurchasers = list
      .filter((c) => c.purchasers > 0)
      .sort((a, b) => b.purchasers - a.purchasers || b.revenue - a.revenue || a.campaign.localeCompare(b.campaign))
      .slice(0, topCampaignCount)
      .map(topCampaign);
    const byRoas = list
      .filter((c) => c.roas !== null && c.roas > 0)
      .sort((a, b) => b.roas! - a.roas! || b.purchasers - a.purchasers || a.campaign.localeCompare(b.campaign))
      .slice(0, topCampaignCount)
      .map(topCampaign);
    if (current.covered && !list.length) notes.push(noteOf('snapshot_no_campaigns', { week }));
    else if (current.covered && !byRoas.length) notes.push(noteOf('snapshot_no_roas', { week }));

    const notable = metrics.map((m) => notableMovement(m)).filter((n): n is NotableMovement => n !== null);
    notes.push(noteOf('snapshot_method', { week, trailingWeeks, threshold: notableThreshold, notableWeeks, minWeeks: notableMinWeeks }));

    return {
      week,
      from: current.period.from,
      to: current.period.to,
      timezone: tz,
      currency: config.currency,
      complete,
      data: range,
      metrics,
      decomposition,
      q4Mode: config.q4_mode,
      topCampaigns: { byPurchasers, byRoas },
      notable,
      notes,
    };
  },
  csv: (r) => r.metrics.map((m) => ({ metric: m.key, label: m.label, week: r.week, value: m.value, previous: m.previous, trailing4: m.trailing4, change: m.change })),
});
