// The weekly executive snapshot (SPEC §5.7): for one ISO week, each headline figure beside the week
// before, the trailing 4-week average and a 12-week series; what moved purchases (the I-chain
// decomposition), the top campaigns, and the figures that moved more than 2 standard deviations.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import { defineQuery, rows, type QueryContext } from './define.ts';
import { campaigns, type CampaignRow } from './campaigns.ts';
import { atRiskSql } from './customers.ts';
import { decompose, efficiencyChains, type Chain, type Decomposition } from './efficiency.ts';
import { validOrderSql } from './shared/orders.ts';
import { dataRange, metricKinds } from './shared/data-range.ts';
import { addDays, bucketSql, isoWeek, isoWeekMonday, localDate, zonedMidnight, type Period } from './shared/period.ts';

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

export type MetricKey =
  | 'visitors' | 'activeVisitors' | 'purchasers' | 'revenue' | 'orders' | 'averageOrderValue'
  | 'I1' | 'I2' | 'I3' | 'I4' | 'I5'
  | 'newCustomers' | 'returningCustomers' | 'repurchaseRate' | 'atRisk';
export type MetricUnit = 'count' | 'money' | 'rate';

export interface WeekValue {
  week: string;
  value: number | null;
}

export interface SnapshotMetric {
  key: MetricKey;
  label: string;
  unit: MetricUnit;
  value: number | null;
  previous: number | null;
  /** mean of the (up to) 4 weeks before this week that have data */
  trailing4: number | null;
  /** (value − previous) / previous; null when either is null or previous is 0 */
  change: number | null;
  /** value − previous (for rates: the change in points) */
  difference: number | null;
  /** 12 weeks, oldest first, ending with this week; null for weeks outside the data */
  series: WeekValue[];
  /** why value is null, or why it is provisional */
  reason?: string;
}

export interface NotableMovement {
  key: MetricKey;
  label: string;
  unit: MetricUnit;
  value: number;
  mean: number;
  /** sample standard deviation of the trailing weeks */
  sd: number;
  /** (value − mean) / sd */
  z: number;
  /** how many trailing weeks (≤ 8) had a value */
  weeks: number;
  direction: 'above' | 'below';
  sentence: string;
}

export interface TopCampaign {
  campaign: string;
  source: string;
  medium: string;
  brand: boolean;
  purchasers: number;
  revenue: number;
  cost: number | null;
  cpa: number | null;
  roas: number | null;
}

export interface SnapshotResult {
  week: string;
  /** the week's Monday and the Monday after (exclusive), local dates in `timezone` */
  from: string;
  to: string;
  timezone: string;
  currency: string;
  /** false when the data ends before the week does, or the week is outside the data */
  complete: boolean;
  /** first and last data instants (ISO), null on an empty warehouse */
  data: { first: string | null; last: string | null };
  metrics: SnapshotMetric[];
  /** the change in purchases (Q4) vs the previous week, split by factor (SPEC §5.2) */
  decomposition: Decomposition | null;
  /** nested: Q4 = active visitors who purchased; independent: every purchaser */
  q4Mode: Config['q4_mode'];
  topCampaigns: { byPurchasers: TopCampaign[]; byRoas: TopCampaign[] };
  notable: NotableMovement[];
  notes: string[];
}

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
      select o.customer_id, ${week('min(o.ts)')} as first_wk
      from orders o where ${sql.raw(validOrderSql('o'))} and o.customer_id is not null and o.ts < ${end}
      group by o.customer_id
    )
    select strftime(v.wk, '%Y-%m-%d') as week, count(*)::integer as orders, sum(v.amount)::double as revenue,
      (count(distinct v.customer_id) filter (where f.first_wk = v.wk))::integer as new_customers,
      (count(distinct v.customer_id) filter (where f.first_wk < v.wk))::integer as returning_customers
    from valid v left join firsts f using (customer_id)
    group by v.wk`);
}

/** Per local ISO week in [start, end): persons with a `purchase` stage hit (a valid order or a purchase event). */
function purchaserWeeks(ctx: QueryContext, start: Date, end: Date): Promise<{ week: string; purchasers: number }[]> {
  return rows(ctx, sql<{ week: string; purchasers: number }>`
    select strftime(wk, '%Y-%m-%d') as week, count(distinct person_id)::integer as purchasers
    from (
      select person_id, ${bucketSql('week', sql`ts`, isoWeekConfig(ctx.config))} as wk
      from stage_hits where stage = 'purchase' and ts >= ${start} and ts < ${end}
    )
    group by wk`);
}

/**
 * Customers at risk (SPEC §5.5 churn early warning: the SQL customers/at-risk uses) as of each week's
 * end, in one query: the at-risk rule runs correlated over the list of week ends.
 */
async function atRiskWeeks(ctx: QueryContext, weeks: WeekSlot[]): Promise<Map<string, number>> {
  if (!weeks.length) return new Map();
  const ends = sql.join(weeks.map((w) => sql`(${w.period.to}, ${w.period.end})`));
  const found = await rows(ctx, sql<{ as_of: string; n: number }>`
    select w.as_of, (select count(*) filter (where at_risk) from (${atRiskSql(ctx.config, sql`w.end_ts`, sql`w.as_of`)}))::integer as n
    from (values ${ends}) w(as_of, end_ts)`);
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

/** A figure in an English sentence: counts with separators, money in the currency, rates as percentages. */
export function formatFigure(x: number, unit: MetricUnit, currency: string): string {
  if (unit === 'rate') return new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);
  if (unit === 'money') {
    const digits = Math.abs(x) >= 100 ? 0 : 2;
    try {
      return new Intl.NumberFormat('en-GB', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
    } catch {
      return `${new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x)} ${currency}`;
    }
  }
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(x);
}

/** A metric more than 2 sample standard deviations from the mean of the (≤ 8) weeks before this week. */
export function notableMovement(m: SnapshotMetric, currency: string): NotableMovement | null {
  const last = m.series.length - 1;
  const history = m.series.slice(Math.max(0, last - notableWeeks), last).map((p) => p.value).filter((v): v is number => v !== null);
  if (m.value === null || history.length < notableMinWeeks) return null;
  const sd = sampleSd(history);
  if (!(sd > 0)) return null;
  const avg = mean(history);
  const z = (m.value - avg) / sd;
  if (Math.abs(z) <= notableThreshold) return null;
  const direction = z > 0 ? 'above' : 'below';
  const fmt = (x: number) => formatFigure(x, m.unit, currency);
  const sentence = `${m.label} ${fmt(m.value)} is ${Math.abs(z).toFixed(1)} standard deviations ${direction} its ${history.length}-week average of ${fmt(avg)}.`;
  return { key: m.key, label: m.label, unit: m.unit, value: m.value, mean: avg, sd, z, weeks: history.length, direction, sentence };
}

function topCampaign(c: CampaignRow): TopCampaign {
  return { campaign: c.campaign, source: c.source, medium: c.medium, brand: c.brand, purchasers: c.purchasers, revenue: c.revenue, cost: c.cost, cpa: c.cpa, roas: c.roas };
}

export const snapshot = defineQuery({
  name: 'snapshot',
  summary: 'The weekly executive snapshot: headline figures vs the previous week, the trailing 4-week average and 12 weeks; the decomposition of the change in purchases; top campaigns; notable movements.',
  params: snapshotParams,
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
      purchaserWeeks(ctx, span.start, span.end),
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

    const reasonOf = (key: MetricKey, value: number | null): string | undefined => {
      if (!current.covered) return `no data in ${week}`;
      const chain = chains[seriesWeeks - 1];
      const q5 = chain?.levels[5];
      if (key === 'I5' && q5?.complete === false && q5.reason) return `provisional: ${q5.reason}`;
      if (value !== null) return undefined;
      if ((key === 'visitors' || key === 'activeVisitors') && !has.web) return 'no web events loaded';
      if (['orders', 'revenue', 'newCustomers', 'returningCustomers', 'atRisk'].includes(key) && !has.orders) return 'no orders loaded';
      if (key === 'averageOrderValue') return 'no valid orders this week';
      if (key === 'repurchaseRate') return 'no valid orders with a customer id this week';
      if (['I2', 'I3', 'I4', 'I5'].includes(key) && !has.web) return 'no web events loaded (the I-chain counts visitors)';
      // "Q1 is not available" says less than Q1's own reason (no impression data: load ...)
      const ratio = chain?.ratios.find((r) => r.key === key);
      const missing = ratio?.reason ? /^(Q\d) is not available$/.exec(ratio.reason) : null;
      return (missing && chain?.levels.find((l) => l.key === missing[1])?.reason) || ratio?.reason;
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

    const notes: string[] = [];
    const range = { first: first?.toISOString() ?? null, last: last?.toISOString() ?? null };
    const complete = current.covered && last !== null && current.period.end.getTime() <= zonedMidnight(addDays(localDate(last, tz), 1), tz).getTime();
    if (!first || !last) notes.push('The warehouse has no data yet: load logs with `aida ingest` (or `aida demo --load`).');
    else if (!current.covered) notes.push(`No data in ${week} (${current.period.from} to ${addDays(current.period.to, -1)}): the data runs from ${localDate(first, tz)} to ${localDate(last, tz)}.`);
    else {
      if (!complete) notes.push(`${week} is incomplete: the data ends on ${localDate(last, tz)}, before the week does.`);
      if (!before.covered) notes.push(`${week} is the first week of the data: there is no previous week to compare with.`);
      const base = (['visitors', 'purchasers', 'orders'] as const).map((k) => metrics.find((m) => m.key === k)!.value ?? 0);
      if (base.every((v) => v === 0)) notes.push(`No visits or orders in ${week}: the figures are zero.`);
    }
    if (p.week === undefined && first && last) notes.push(`${week} is the last complete ISO week (Monday to Sunday, ${tz}) of the data.`);

    let decomposition: Decomposition | null = null;
    const cur = chains[seriesWeeks - 1];
    const prev = chains[seriesWeeks - 2];
    if (cur && prev) {
      // (why it could not be computed is its own `reason`; null means the previous week has no data)
      decomposition = decompose(cur, prev, { from: before.period.from, to: before.period.to });
      if (!has.web && decomposition.reason) decomposition = { ...decomposition, reason: 'no web events loaded: the I-chain needs visitors in both weeks' };
      if (!decomposition.reason && config.q4_mode === 'nested') notes.push('The decomposition explains Q4 of the I-chain: active visitors who purchased (q4_mode nested), which can be fewer than all purchasers.');
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
    if (current.covered && !list.length) notes.push(`No campaigns in ${week}: load a campaigns file, or visits and orders with utm_campaign tags.`);
    else if (current.covered && !byRoas.length) notes.push(`No campaign has both a cost and revenue in ${week}, so none has a ROAS above 0.`);

    const notable = metrics.map((m) => notableMovement(m, config.currency)).filter((n): n is NotableMovement => n !== null);
    notes.push(
      `Trailing 4-week average: the mean of the up to ${trailingWeeks} weeks before ${week} that have data. Notable: more than ${notableThreshold} sample standard deviations from the mean of the up to ${notableWeeks} weeks before, with at least ${notableMinWeeks} of them and some variation.`,
    );

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
