// Customers (SPEC §5.5): A/B/C revenue tiers with the rule of thumb and month-to-month migration,
// lifecycle stages with their follow-up cadence and who is due on a day, and the churn early warning.
// Customers are `orders.customer_id` of valid orders; one tier computation serves all three.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import { defineQuery, rows, type QueryContext } from './define.ts';
import { dataRange, metricKinds, resolvePeriod } from './shared/data-range.ts';
import { sumMoney } from './shared/money.ts';
import { addDays, bucketSql, checkPeriod, isoDate, localDate, periodParams, zonedMidnight } from './shared/period.ts';
import { returnStatuses, validOrderSql } from './shared/orders.ts';
import { isCustomerPersonSql, orderPerson } from './shared/persons.ts';
import { note, noteOf, notes as notesResult, type Note } from './shared/notes.ts';
import { pageResult, wholeList } from './shared/page.ts';

const tierNames = ['A', 'B', 'C'] as const;
const tier = z.enum(tierNames);
export type Tier = z.infer<typeof tier>;
const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1);

/** An instant or a day: a value (bound) or an SQL expression (for the analyst view, which has no parameters). */
type Instant = Date | RawBuilder<unknown>;
type Day = string | RawBuilder<unknown>;

/** The practice's rule of thumb the tiers are shown beside (SPEC §5.5). */
export const ruleOfThumb = [
  { tier: 'A' as const, customerShare: 0.15, revenueShare: 0.5 },
  { tier: 'B' as const, customerShare: 0.35, revenueShare: 0.3 },
  { tier: 'C' as const, customerShare: 0.5, revenueShare: 0.2 },
];

const asOfParam = isoDate.optional().describe('the day to look from (exclusive: data before this day counts); default: the day after the last order day');

/** E (drop candidate): a tier-C customer with at least this many cancelled/refunded orders… */
export const dropMinReturns = 2;
/** …or at least this many serious complaints (both counted over all data before as_of). */
export const dropMinSeriousComplaints = 1;
/** B (negotiating): intent within this many days before as_of (SPEC §5.5). */
export const negotiatingDays = 30;
/** Follow-up points in days (see `cadence` below). */
export const followUp = { A: [3, 7, 15], B: [3, 7, 14, 21, 28], cEvery: 90 } as const;
/** Pareto points: every customer up to this many, else about `paretoPoints` evenly spaced plus tier edges. */
const paretoAll = 2000;
const paretoPoints = 1000;

const localDay = (ts: RawBuilder<unknown>, config: Config) => bucketSql('day', ts, config);

/**
 * Customers of `customers` (a relation of customer_id, orders, revenue) ranked by revenue (ties:
 * customer_id ascending) with their tier: rank i is A when the revenue of ranks 1..i-1 is below `tiers.a`
 * of the total, B when it is below `tiers.b`, else C. Columns: customer_id, orders, revenue (decimal),
 * rank, cum_before, total, tier.
 */
function rankedTiersSql(config: Config, customers: RawBuilder<unknown>): RawBuilder<{ customer_id: string; tier: Tier }> {
  return sql`
    select customer_id, orders, revenue, rank, cum_before, total,
      case when cum_before < ${sql.lit(config.tiers.a)} * total then 'A'
           when cum_before < ${sql.lit(config.tiers.b)} * total then 'B' else 'C' end as tier
    from (
      select customer_id, orders, revenue,
        row_number() over (order by revenue desc, customer_id) as rank,
        coalesce(sum(revenue) over (order by revenue desc, customer_id rows between unbounded preceding and 1 preceding), 0) as cum_before,
        sum(revenue) over () as total
      from (${customers})
    )`;
}

/** The tiers of customers with valid orders in [start, end), by their revenue in it (`rankedTiersSql`). */
export function tierOfCustomersSql(config: Config, start: Date, end: Instant): RawBuilder<{ customer_id: string; tier: Tier }> {
  return rankedTiersSql(config, sql`
    select o.customer_id, count(*) as orders, sum(o.amount) as revenue
    from orders o
    where ${sql.raw(validOrderSql('o'))} and o.customer_id is not null and o.ts < ${end} and o.ts >= ${start}
    group by o.customer_id`);
}

/** Lifetime tiers as of a day: every customer with a valid order before it, by all their revenue before it. */
function lifetimeTiersSql(config: Config, asOf: Day): RawBuilder<{ customer_id: string; tier: Tier }> {
  return rankedTiersSql(config, sql`select customer_id, orders, revenue from (${customerStateSql(asOf)})`);
}

// ---------------------------------------------------------------------------------------------------
// Per customer-day and per person-day summaries (kept by ingest: ingest/derive-summaries.ts)

/**
 * One row per customer and local day with a valid order — what ingest keeps in `customer_days`: the day,
 * the customer's next such day (null: none yet), and as of the end of the day: valid orders and revenue
 * so far, the last order's time and id, and the median of the gaps in days between consecutive order
 * days so far (null with one order day). `only` restricts it to the customers of a relation (customer_id).
 */
export function customerDaysSql(config: Config, only?: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select customer_id, day, lead(day) over (partition by customer_id order by day) as next_day,
      (sum(orders) over (partition by customer_id order by day))::bigint as orders,
      sum(revenue) over (partition by customer_id order by day) as revenue,
      last_ts, last_order_id,
      median(gap) over (partition by customer_id order by day rows between unbounded preceding and current row) as median_gap
    from (
      select *, date_diff('day', lag(day) over (partition by customer_id order by day), day) as gap
      from (
        select o.customer_id, ${localDay(sql`o.ts`, config)} as day, count(*) as orders, sum(o.amount) as revenue,
          max(o.ts) as last_ts, arg_max(o.order_id, o.ts) as last_order_id
        from orders o
        where ${sql.raw(validOrderSql('o'))} and o.customer_id is not null
          ${only ? sql`and o.customer_id in (select customer_id from (${only}))` : sql``}
        group by all
      )
    )`;
}

/**
 * The customers with a valid order before the day `asOf` (their orders before its local midnight), each
 * with its `customer_days` row as of then: the last order day before it and the figures up to that day.
 */
function customerStateSql(asOf: Day): RawBuilder<unknown> {
  const day = sql`cast(${asOf} as date)`;
  return sql`select * from customer_days where day < ${day} and (next_day is null or next_day >= ${day})`;
}

/**
 * One row per person and local day with a stage hit — what ingest keeps in `person_days`: the day, the
 * person's next such day, the last day up to it with an `intent` hit, whether the day has a `purchase`
 * hit, and of the person: identified (a customer's person) and buy_ts (their first valid order).
 * `only` restricts it to the persons of a relation (person_id).
 */
export function personDaysSql(config: Config, only?: RawBuilder<unknown>): RawBuilder<unknown> {
  const order = orderPerson('o');
  const onlyPersons = (person: RawBuilder<unknown>) => (only ? sql`and ${person} in (select person_id from (${only}))` : sql``);
  return sql`
    with days as (
      select h.person_id, ${localDay(sql`h.ts`, config)} as day, bool_or(h.stage = 'intent') as intent, bool_or(h.stage = 'purchase') as purchase
      from stage_hits h
      where true ${onlyPersons(sql`h.person_id`)}
      group by all
    ),
    buys as (
      select ${sql.raw(order.person)} as person_id, min(o.ts) as buy_ts
      from orders o ${sql.raw(order.join)}
      where ${sql.raw(validOrderSql('o'))} ${onlyPersons(sql.raw(order.person))}
      group by 1
    )
    select d.person_id, d.day, lead(d.day) over (partition by d.person_id order by d.day) as next_day,
      max(case when d.intent then d.day end) over (partition by d.person_id order by d.day) as intent_day,
      d.purchase, ${sql.raw(isCustomerPersonSql('d.person_id'))} as identified, b.buy_ts
    from days d left join buys b using (person_id)`;
}

// ---------------------------------------------------------------------------------------------------
// Tiers

const tiersResult = z
  .object({
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    shares: z.object({ a: share, b: share }).strict().describe('config tiers.a / tiers.b: the cumulative revenue shares that end tiers A and B'),
    customers: count,
    revenue: z.number(),
    tiers: z.array(
      z
        .object({
          tier,
          customers: count,
          revenue: z.number(),
          customerShare: share.nullable(),
          revenueShare: share.nullable(),
          reason: note.optional().describe('why the shares are null (no_customer_orders)'),
        })
        .strict(),
    ),
    ruleOfThumb: z.array(z.object({ tier, customerShare: share, revenueShare: share }).strict()),
    pareto: z.array(
      z.object({ rank: z.number().int().positive(), customerId: z.string(), revenue: z.number(), cumulativeShare: share, tier }).strict(),
    ),
    paretoSampled: z.boolean(),
    migrationMonths: z.object({ from: z.string().regex(/^\d{4}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}$/) }).strict().nullable(),
    migration: z.array(z.object({ from: z.enum([...tierNames, 'new']), to: z.enum([...tierNames, 'none']), customers: count }).strict()),
    notes: notesResult,
  })
  .strict();
export type TiersResult = z.infer<typeof tiersResult>;
type TierRow = TiersResult['tiers'][number];
type MigrationRow = TiersResult['migration'][number];

const tierParams = periodParams
  .extend({ as_of: asOfParam.describe('lifetime tiers: all valid orders before this day (instead of from/to)') })
  .superRefine(checkPeriod)
  .superRefine((p, ctx) => {
    if (p.as_of && (p.from || p.to || p.preset)) ctx.addIssue({ code: 'custom', path: ['as_of'], message: 'expected either as_of (lifetime tiers) or from/to (or preset), not both' });
  });

/** Month starts (YYYY-MM-01) of the last full calendar month inside [from, to) and the month before it. */
export function migrationMonths(from: string, to: string): { prev: string; last: string; end: string } | null {
  const end = `${to.slice(0, 7)}-01`;
  const last = addMonths(end, -1);
  if (last < from) return null;
  return { prev: addMonths(last, -1), last, end };
}

function addMonths(monthStart: string, n: number): string {
  const [y, m] = monthStart.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
}

export const customerTiers = defineQuery({
  name: 'customers/tiers',
  summary: 'A/B/C customer tiers by revenue in the period (tiers.a / tiers.b cumulative shares), beside the 15/35/50 rule of thumb, with a Pareto curve and month-to-month migration.',
  params: tierParams,
  result: tiersResult,
  async run(ctx, p) {
    const tz = ctx.config.timezone;
    let from: string;
    let to: string;
    let start: Date | null;
    let end: Date;
    if (p.as_of) {
      const { first } = await dataRange(ctx, metricKinds.customers);
      to = p.as_of;
      from = first ? localDate(first, tz) : p.as_of;
      start = null;
      end = zonedMidnight(to, tz);
    } else {
      const period = await resolvePeriod(ctx, p, metricKinds.customers);
      ({ from, to, start, end } = period);
    }
    const tiered = start ? tierOfCustomersSql(ctx.config, start, end) : lifetimeTiersSql(ctx.config, to);
    const summary = await rows(ctx, sql<{ tier: Tier; customers: number; revenue: number }>`
      select tier, count(*)::integer as customers, sum(revenue)::double as revenue from (${tiered}) group by tier`);
    const customers = summary.reduce((s, r) => s + r.customers, 0);
    const revenue = sumMoney(summary.map((r) => r.revenue)) ?? 0;
    const notes: Note[] = [];
    const tiers: TierRow[] = tierNames.map((tier) => {
      const r = summary.find((x) => x.tier === tier);
      const row: TierRow = {
        tier,
        customers: r?.customers ?? 0,
        revenue: r?.revenue ?? 0,
        customerShare: customers > 0 ? (r?.customers ?? 0) / customers : null,
        revenueShare: revenue > 0 ? (r?.revenue ?? 0) / revenue : null,
      };
      if (customers === 0) row.reason = noteOf('no_customer_orders');
      return row;
    });
    if (customers === 0) notes.push(noteOf('tiers_nothing_to_tier'));

    const sampled = customers > paretoAll;
    const step = Math.ceil(customers / paretoPoints);
    const pareto = (
      await rows(ctx, sql<{ rank: number; customer_id: string; revenue: number; cumulative_share: number; tier: Tier }>`
        select rank::integer as rank, customer_id, revenue::double as revenue, ((cum_before + revenue) / total)::double as cumulative_share, tier
        from (
          select *, lag(tier) over (order by rank) as prev_tier, lead(tier) over (order by rank) as next_tier from (${tiered})
        )
        where ${sampled ? sql`rank = 1 or rank % ${step} = 0 or tier is distinct from prev_tier or tier is distinct from next_tier` : sql`true`}
        order by rank`)
    ).map((r) => ({ rank: r.rank, customerId: r.customer_id, revenue: r.revenue, cumulativeShare: r.cumulative_share, tier: r.tier }));
    if (sampled) notes.push(noteOf('pareto_sampled', { shown: pareto.length, customers, step }));

    const months = migrationMonths(from, to);
    let migration: MigrationRow[] = [];
    if (months) {
      const [prevStart, lastStart, lastEnd] = [months.prev, months.last, months.end].map((d) => zonedMidnight(d, tz)) as [Date, Date, Date];
      const moves = await rows(ctx, sql<{ from_tier: string; to_tier: string; customers: number }>`
        select coalesce(b.tier, 'new') as from_tier, coalesce(l.tier, 'none') as to_tier, count(*)::integer as customers
        from (${tierOfCustomersSql(ctx.config, prevStart, lastStart)}) b
          full join (${tierOfCustomersSql(ctx.config, lastStart, lastEnd)}) l on l.customer_id = b.customer_id
        group by all`);
      for (const f of ['A', 'B', 'C', 'new'] as const) {
        for (const t of ['A', 'B', 'C', 'none'] as const) {
          if (f === 'new' && t === 'none') continue;
          migration.push({ from: f, to: t, customers: moves.find((m) => m.from_tier === f && m.to_tier === t)?.customers ?? 0 });
        }
      }
      notes.push(noteOf('tier_migration', { previous: months.prev.slice(0, 7), last: months.last.slice(0, 7) }));
    } else {
      migration = [];
      notes.push(noteOf('tier_migration_no_full_month'));
    }
    return {
      period: { from, to },
      shares: { a: ctx.config.tiers.a, b: ctx.config.tiers.b },
      customers,
      revenue,
      tiers,
      ruleOfThumb,
      pareto,
      paretoSampled: sampled,
      migrationMonths: months ? { from: months.prev.slice(0, 7), to: months.last.slice(0, 7) } : null,
      migration,
      notes,
    };
  },
  csv: (r) =>
    r.tiers.map((t) => {
      const rule = ruleOfThumb.find((x) => x.tier === t.tier)!;
      return {
        from: r.period.from,
        to: r.period.to,
        tier: t.tier,
        customers: t.customers,
        revenue: t.revenue,
        customer_share: t.customerShare,
        revenue_share: t.revenueShare,
        rule_of_thumb_customer_share: rule.customerShare,
        rule_of_thumb_revenue_share: rule.revenueShare,
      };
    }),
});

// ---------------------------------------------------------------------------------------------------
// as_of (lifecycle and at-risk)

async function resolveAsOf(ctx: QueryContext, asOf: string | undefined): Promise<{ asOf: string; end: Date; hasData: boolean }> {
  const tz = ctx.config.timezone;
  const { last } = await dataRange(ctx, metricKinds.customers);
  const day = asOf ?? addDays(localDate(last ?? new Date(), tz), 1);
  return { asOf: day, end: zonedMidnight(day, tz), hasData: last !== null };
}

/** Per customer with a valid order before the day `asOf`: orders, revenue, last order, its local day, days since it, median order-day gap. */
function customerBaseSql(asOf: Day): RawBuilder<unknown> {
  return sql`
    select customer_id, orders, revenue, last_ts, last_order_id, day as last_day,
      date_diff('day', day, cast(${asOf} as date)) as days_since, median_gap
    from (${customerStateSql(asOf)})`;
}

// ---------------------------------------------------------------------------------------------------
// Lifecycle

const lifecycleStages = ['A', 'B', 'C', 'D', 'E'] as const;
const lifecycleStage = z.enum(lifecycleStages);
export type LifecycleStage = z.infer<typeof lifecycleStage>;
const stageKeys = { A: 'active', B: 'negotiating', C: 'potential', D: 'lapsed', E: 'drop-candidate' } as const;

const lifecycleResult = z
  .object({
    asOf: isoDate,
    activeDays: z.number().int().positive(),
    lapsedDays: z.number().int().positive(),
    stages: z.array(
      z
        .object({
          stage: lifecycleStage,
          key: z.enum(Object.values(stageKeys)).describe('the stage by name (the web names it in the reader\'s language)'),
          customers: count.describe('persons in the stage (customers for A, D, E; persons, possibly anonymous, for B and C)'),
          identified: count.describe('of `customers`, those with a customer id (who can be contacted)'),
          due: count.describe('how many are due for follow-up on as_of (identified only)'),
          cadence: note.describe('when the stage is followed up (cadence_<key> with its days)'),
          cooling: count.optional().describe('A only: customers whose last order is older than active_days but not lapsed (see notes)'),
        })
        .strict(),
    ),
    due: z.array(
      z
        .object({
          customerId: z.string(),
          stage: lifecycleStage,
          reason: note.describe('why the customer is due today (due_<key> with its days, and the order for A)'),
          daysSince: z.number().int().nonnegative(),
          lastOrderAt: z.iso.datetime().nullable(),
          lastOrderId: z.string().nullable(),
          revenue: z.number().nullable(),
          tier: tier.nullable(),
        })
        .strict(),
    ),
    page: pageResult.describe('the page of `due` this answer holds (the API sends 200 at a time; format=csv all)'),
    notes: notesResult,
  })
  .strict();
export type LifecycleResult = z.infer<typeof lifecycleResult>;
type StageRow = LifecycleResult['stages'][number];
type DueRow = LifecycleResult['due'][number];

/** Each stage's follow-up cadence as a note with its days (the text is the web's). */
function stageDefs(config: Config): Pick<StageRow, 'stage' | 'key' | 'cadence'>[] {
  const days = (xs: readonly number[]) => xs.map(String);
  const cadence: Record<LifecycleStage, Note> = {
    A: noteOf('cadence_active', { days: days(followUp.A) }),
    B: noteOf('cadence_negotiating', { firstDays: followUp.B[0], days: days(followUp.B), withinDays: negotiatingDays }),
    C: noteOf('cadence_potential', { everyDays: followUp.cEvery }),
    D: noteOf('cadence_lapsed', { lapseDays: config.lapsed_days + 1, lastDays: 2 * config.lapsed_days }),
    E: noteOf('cadence_drop_candidate'),
  };
  return lifecycleStages.map((stage) => ({ stage, key: stageKeys[stage], cadence: cadence[stage] }));
}

/**
 * One row per customer (A, D, E: customers with a valid order before `end`) and per prospect (B, C:
 * persons with stage hits but no valid order) as of `asOf`: id (customer id, or person id for
 * prospects), stage, identified (has a customer id), cooling, days_since, due_days (the follow-up
 * point reached on asOf, else null), last_ts, last_order_id, revenue, tier.
 */
export function lifecycleSql(config: Config, end: Instant, asOf: Day): RawBuilder<unknown> {
  const asOfDate = sql`cast(${asOf} as date)`;
  return sql`
    with base as (${customerBaseSql(asOf)}),
    tiers as (${rankedTiersSql(config, sql`select customer_id, orders, revenue from base`)}),
    returns as (
      select customer_id, count(*) as n from orders
      where customer_id is not null and ts < ${end} and status in (${sql.join(returnStatuses)})
      group by customer_id
    ),
    serious as (
      select customer_id, count(*) as n from complaints where severity = 'serious' and ts < ${end} group by customer_id
    ),
    customer_stage as (
      select b.*, t.tier,
        case when t.tier = 'C' and (coalesce(r.n, 0) >= ${dropMinReturns} or coalesce(s.n, 0) >= ${dropMinSeriousComplaints}) then 'E'
             when b.days_since > ${config.lapsed_days} then 'D' else 'A' end as stage
      from base b join tiers t using (customer_id)
        left join returns r using (customer_id) left join serious s using (customer_id)
    ),
    -- persons with stage hits before as_of and no valid order before it, as of their last day with a hit
    seen as (
      select person_id, identified,
        date_diff('day', day, ${asOfDate}) as days_seen,
        date_diff('day', intent_day, ${asOfDate}) as days_intent
      from person_days
      where day < ${asOfDate} and (next_day is null or next_day >= ${asOfDate}) and (buy_ts is null or buy_ts >= ${end})
    ),
    prospect_stage as (
      select s.person_id, s.identified,
        case when s.days_intent <= ${negotiatingDays} then 'B' else 'C' end as stage,
        case when s.days_intent <= ${negotiatingDays} then s.days_intent else s.days_seen end as days_since
      from seen s
    )
    select s.customer_id as id, s.stage, true as identified, s.stage = 'A' and s.days_since > ${config.active_days} as cooling, s.days_since,
      -- A: the cadence restarts with every order, so it counts from the last one
      case when s.stage = 'A' and s.days_since in (${sql.join([...followUp.A])}) then s.days_since
           when s.stage = 'D' and s.days_since in (${config.lapsed_days + 1}, ${2 * config.lapsed_days}) then s.days_since end as due_days,
      s.last_ts, s.last_order_id, s.revenue, s.tier
    from customer_stage s
    union all
    select person_id, stage, identified, false, days_since,
      case when stage = 'B' and days_since in (${sql.join([...followUp.B])}) then days_since
           when stage = 'C' and days_since >= ${followUp.cEvery} and days_since % ${followUp.cEvery} = 0 then days_since end,
      null, null, null, null
    from prospect_stage`;
}

const lifecycleParams = z.object({ as_of: asOfParam });

export const customerLifecycle = defineQuery({
  name: 'customers/lifecycle',
  summary: 'Lifecycle stages (A active, B negotiating, C potential, D lapsed, E drop candidate) as of a day, their follow-up cadence, and who is due on that day.',
  params: lifecycleParams,
  result: lifecycleResult,
  async run(ctx, p) {
    const { config } = ctx;
    const { asOf, end, hasData } = await resolveAsOf(ctx, p.as_of);
    // one pass: each stage's counts with its due rows (in the order they are listed)
    const counts = await rows(ctx, sql<{
      stage: LifecycleStage; customers: number; identified: number; cooling: number; due: number;
      due_rows: { id: string; due_days: number; last_ms: number | null; last_order_id: string | null; revenue: number | null; tier: Tier | null }[] | null;
    }>`
      select stage, count(*)::integer as customers, count(*) filter (where identified)::integer as identified,
        count(*) filter (where cooling)::integer as cooling, count(*) filter (where identified and due_days is not null)::integer as due,
        list({ 'id': id, 'due_days': due_days::integer, 'last_ms': epoch_ms(last_ts), 'last_order_id': last_order_id, 'revenue': revenue::double, 'tier': tier }
          order by revenue desc nulls last, id) filter (where identified and due_days is not null) as due_rows
      from (${lifecycleSql(config, end, asOf)}) group by stage order by stage`);
    const dueRows = counts.flatMap((c) => (c.due_rows ?? []).map((r) => ({ ...r, stage: c.stage, last_ts: r.last_ms === null ? null : new Date(r.last_ms) })));

    const stages: StageRow[] = stageDefs(config).map((d) => {
      const c = counts.find((x) => x.stage === d.stage);
      const row: StageRow = { ...d, customers: c?.customers ?? 0, identified: c?.identified ?? 0, due: c?.due ?? 0 };
      if (d.stage === 'A') row.cooling = c?.cooling ?? 0;
      return row;
    });
    const reasonOf = (r: (typeof dueRows)[number]): Note => {
      if (r.stage === 'A') return noteOf('due_active', { days: r.due_days, orderId: r.last_order_id });
      if (r.stage === 'B') return noteOf('due_negotiating', { days: r.due_days });
      if (r.stage === 'C') return noteOf('due_potential', { days: r.due_days });
      return noteOf(r.due_days === config.lapsed_days + 1 ? 'due_lapsed' : 'due_lapsed_last', { days: r.due_days });
    };
    const due: DueRow[] = dueRows.map((r) => ({
      customerId: r.id,
      stage: r.stage,
      reason: reasonOf(r),
      daysSince: r.due_days,
      lastOrderAt: r.last_ts?.toISOString() ?? null,
      lastOrderId: r.last_order_id,
      revenue: r.revenue,
      tier: r.tier,
    }));

    const notes = [
      noteOf('lifecycle_days', { timezone: config.timezone, asOf }),
      noteOf('lifecycle_cooling', { cooling: stages[0]!.cooling ?? 0, activeDays: config.active_days, lapsedDays: config.lapsed_days, days: followUp.A.map(String) }),
      noteOf('lifecycle_drop_candidate', { asOf, returns: dropMinReturns, seriousComplaints: dropMinSeriousComplaints }),
      noteOf('lifecycle_prospects', { negotiatingDays }),
    ];
    if (!hasData) notes.push(noteOf('lifecycle_no_data'));
    return { asOf, activeDays: config.active_days, lapsedDays: config.lapsed_days, stages, due, page: wholeList(due.length), notes };
  },
  list: { field: 'due', defaultLimit: 200 },
  csv: (r) => r.due.map((d) => ({ as_of: r.asOf, customer_id: d.customerId, stage: d.stage, reason: d.reason.code, days_since: d.daysSince, last_order_at: d.lastOrderAt, last_order_id: d.lastOrderId, revenue: d.revenue, tier: d.tier })),
});

// ---------------------------------------------------------------------------------------------------
// At risk

const atRiskResult = z
  .object({
    asOf: isoDate,
    churnK: z.number().positive(),
    summary: z
      .object({
        customers: count,
        repeatCustomers: count,
        populationMedianGapDays: z.number().nonnegative().nullable(),
        atRisk: count,
        atRiskRepeat: count,
        atRiskOneOrder: count,
        atRiskLapsed: count,
        revenueAtRisk: z.number(),
      })
      .strict(),
    customers: z.array(
      z
        .object({
          customerId: z.string(),
          orders: z.number().int().positive(),
          revenue: z.number(),
          tier,
          lastOrderAt: z.iso.datetime(),
          medianGapDays: z.number().nonnegative(),
          gapBasis: z.enum(['own', 'population']).describe("own: the customer's own median gap; population: one order day only, so the population median"),
          daysSinceLast: z.number().int().nonnegative(),
          expectedNextOrder: isoDate,
          lapsed: z.boolean(),
        })
        .strict(),
    ),
    page: pageResult.describe('the page of `customers` this answer holds (the API sends 200 at a time; format=csv all)'),
    notes: notesResult,
  })
  .strict();
export type AtRiskResult = z.infer<typeof atRiskResult>;

/**
 * The churn early warning (SPEC §5.5) as of each of `asOfs` (days, or SQL date expressions): per
 * (as_of, customer with a valid order before it) the customer's figures then, the median gap between
 * their order days (one order day: the population median of that as-of), and the at-risk flag.
 */
export function atRiskByAsOfSql(config: Config, asOfs: Day[]): RawBuilder<unknown> {
  const state = (asOf: Day) => sql`select cast(${asOf} as date) as as_of, s.* from (${customerStateSql(asOf)}) s`;
  return sql`
    with base as (
      select d.as_of, d.customer_id, d.orders, d.revenue, d.last_ts, d.last_order_id, d.day as last_day,
        date_diff('day', d.day, d.as_of) as days_since, d.median_gap as own_gap
      from (${sql.join(asOfs.map(state), sql` union all `)}) d
    ),
    population as (select as_of, median(own_gap) as median_gap from base group by as_of)
    select b.* exclude (own_gap), coalesce(b.own_gap, p.median_gap) as median_gap, b.own_gap is not null as own_basis,
      b.days_since > ${sql.lit(config.churn_k)} * coalesce(b.own_gap, p.median_gap) as at_risk,
      p.median_gap as population_gap
    from base b join population p using (as_of)`;
}

/** Per customer with a valid order before the day `asOf`: gap basis, at-risk flag and lifetime tier. */
function atRiskSql(config: Config, asOf: Day): RawBuilder<unknown> {
  return sql`
    select r.*, t.tier
    from (${atRiskByAsOfSql(config, [asOf])}) r
      join (${lifetimeTiersSql(config, asOf)}) t using (customer_id)`;
}

export const customersAtRisk = defineQuery({
  name: 'customers/at-risk',
  summary: 'Churn early warning: customers whose days since their last order exceed churn_k × their median gap between order days (one-order customers: the population median), by revenue.',
  params: z.object({ as_of: asOfParam }),
  result: atRiskResult,
  async run(ctx, p) {
    const { config } = ctx;
    const { asOf } = await resolveAsOf(ctx, p.as_of);
    const flagged = atRiskSql(config, asOf);
    const [[s], list] = await Promise.all([
      rows(ctx, sql<AtRiskResult['summary']>`
        select count(*)::integer as "customers", count(*) filter (where own_basis)::integer as "repeatCustomers",
          any_value(population_gap)::double as "populationMedianGapDays",
          count(*) filter (where at_risk)::integer as "atRisk",
          count(*) filter (where at_risk and own_basis)::integer as "atRiskRepeat",
          count(*) filter (where at_risk and not own_basis)::integer as "atRiskOneOrder",
          count(*) filter (where at_risk and days_since > ${config.lapsed_days})::integer as "atRiskLapsed",
          coalesce(sum(revenue) filter (where at_risk), 0)::double as "revenueAtRisk"
        from (${atRiskByAsOfSql(config, [asOf])})`), // the customers of `flagged`, without ranking them for their tier
      rows(ctx, sql<{
        customer_id: string; orders: number; revenue: number; tier: Tier; last_ts: Date; median_gap: number; own_basis: boolean; days_since: number; expected: string;
      }>`
        select customer_id, orders::integer as orders, revenue::double as revenue, tier, last_ts, median_gap::double as median_gap, own_basis,
          days_since::integer as days_since, strftime(last_day + cast(round(median_gap) as integer), '%Y-%m-%d') as expected
        from (${flagged})
        where at_risk
        order by revenue desc, customer_id`),
    ]);
    const notes = [
      noteOf('at_risk_gaps', { timezone: config.timezone }),
      noteOf('at_risk_rule', { churnK: config.churn_k, lapsedDays: config.lapsed_days }),
      noteOf('at_risk_tiers'),
    ];
    if (s!.populationMedianGapDays === null) notes.push(noteOf('at_risk_no_population_gap'));
    return {
      asOf,
      churnK: config.churn_k,
      summary: s!,
      customers: list.map((r) => ({
        customerId: r.customer_id,
        orders: r.orders,
        revenue: r.revenue,
        tier: r.tier,
        lastOrderAt: r.last_ts.toISOString(),
        medianGapDays: r.median_gap,
        gapBasis: r.own_basis ? 'own' : 'population',
        daysSinceLast: r.days_since,
        expectedNextOrder: r.expected,
        lapsed: r.days_since > config.lapsed_days,
      })),
      page: wholeList(list.length),
      notes,
    };
  },
  list: { field: 'customers', defaultLimit: 200 },
  csv: (r) =>
    r.customers.map((c) => ({
      as_of: r.asOf,
      customer_id: c.customerId,
      orders: c.orders,
      revenue: c.revenue,
      tier: c.tier,
      last_order_at: c.lastOrderAt,
      median_gap_days: c.medianGapDays,
      gap_basis: c.gapBasis,
      days_since_last: c.daysSinceLast,
      expected_next_order: c.expectedNextOrder,
      lapsed: c.lapsed,
    })),
});
