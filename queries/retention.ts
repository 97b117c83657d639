// Retention cohorts (SPEC §5.3): customers grouped by the week or month of their first valid order,
// and for each later period k how many of them bought in it (standard), in it or later (rolling), or
// had made their first repeat order by its end (first-repeat), with the cohort's revenue. One SQL
// (`retentionCellsSql`) serves both the /api/retention metric and the `retention(grain, mode)` macro.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import { defineQuery, rows, type QueryContext } from './define.ts';
import { dataEndSql, metricKinds, withPreset } from './shared/data-range.ts';
import { soldLineSql, validOrderSql } from './shared/orders.ts';
import { bucketLabelSql, bucketSql, bucketStart, checkPeriod, periodParams, zonedMidnight, type PeriodInput } from './shared/period.ts';
import type { FirstOrderDimension } from './shared/dimensions.ts';
import { filterParams, unknownValue } from './shared/touches.ts';
import { noteOf, notes as notesResult, type Note } from './shared/notes.ts';
import type { RetentionBaseTable } from './db/tables.ts';

// --- Customers and their first valid order (shared with repurchase.ts) -------------------------

/** Picks customers by their first valid order: its date (from/to) and its channel, campaign, coupon. */
export const firstOrderParams = periodParams.extend({
  channel: filterParams.shape.channel.describe("channel of the customer's first valid order; one value or a comma list ((none) = no channel)"),
  campaign: filterParams.shape.channel.describe("utm_campaign of the customer's first valid order; one value or a comma list ((none) = untagged)"),
  coupon: filterParams.shape.channel.describe("coupon of the customer's first valid order; one value or a comma list ((none) = no coupon)"),
  first_product: filterParams.shape.channel.describe("SKU sold on the customer's first valid order (a line with quantity and unit price > 0); one value or a comma list"),
} satisfies Record<FirstOrderDimension, z.ZodType>);
export type FirstOrderInput = z.infer<typeof firstOrderParams>;

/** Valid orders of customers (an order without a customer id belongs to no customer). */
export const customerOrdersSql: RawBuilder<unknown> = sql`
  select o.order_id, o.ts, o.customer_id, o.amount, o.channel, o.utm_campaign, o.coupon
  from orders o
  where o.customer_id is not null and ${sql.raw(validOrderSql('o'))}`;

/**
 * One row per customer: customer_id, first_ts, second_ts (null without a second valid order),
 * last_ts, orders, revenue, and the first valid order's first_amount, first_channel,
 * first_campaign, first_coupon, first_order_id. The first order is the earliest; equal instants are ordered by order
 * id, so loading files in any order gives the same first order. Ingest keeps these rows in
 * `customer_summary` (ingest/derive-summaries.ts); `only` restricts them to the customers of a relation
 * with a customer_id column.
 */
export function customerSummarySql(only?: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
  select customer_id, first_ts, second_ts, last_ts, orders, revenue, first_amount,
    first_order.channel as first_channel, first_order.campaign as first_campaign, first_order.coupon as first_coupon,
    first_order.order_id as first_order_id
  from (
    select v.customer_id,
      min(v.ts) as first_ts,
      min(v.ts, 2)[2] as second_ts,
      max(v.ts) as last_ts,
      count(*) as orders,
      sum(v.amount) as revenue,
      arg_min_null(v.amount, (v.ts, v.order_id)) as first_amount,
      -- one struct: a single pass for the three attributes
      arg_min_null({ 'channel': v.channel, 'campaign': v.utm_campaign, 'coupon': v.coupon, 'order_id': v.order_id }, (v.ts, v.order_id)) as first_order
    from (${customerOrdersSql}) v
    ${only ? sql`where v.customer_id in (select customer_id from (${only}))` : sql``}
    group by v.customer_id
  )`;
}

/** The rows of `customerSummarySql` as ingest keeps them: what every metric and view reads. */
export const customersSql: RawBuilder<unknown> = sql`
  select customer_id, first_ts, second_ts, last_ts, orders, revenue, first_amount, first_channel, first_campaign, first_coupon, first_order_id
  from customer_summary`;

/**
 * Condition over a `customersSql` row `f`: the first valid order falls in
 * [from, to) (local midnights in the reporting time zone) and matches every given filter.
 */
export function firstOrderFilterSql(config: Config, p: FirstOrderInput, alias = 'f'): RawBuilder<boolean> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const conds: RawBuilder<boolean>[] = [];
  if (p.from) conds.push(sql`${col('first_ts')} >= ${zonedMidnight(p.from, config.timezone)}`);
  if (p.to) conds.push(sql`${col('first_ts')} < ${zonedMidnight(p.to, config.timezone)}`);
  const lists: [string, string[] | undefined][] = [['first_channel', p.channel], ['first_campaign', p.campaign], ['first_coupon', p.coupon]];
  for (const [c, values] of lists) if (values?.length) conds.push(sql`coalesce(${col(c)}, ${unknownValue}) in (${sql.join(values)})`);
  if (p.first_product?.length) {
    conds.push(sql`exists (select 1 from order_items i join orders o using (order_id)
      where i.order_id = ${col('first_order_id')} and i.sku in (${sql.join(p.first_product)}) and ${sql.raw(soldLineSql('i', 'o'))})`);
  }
  return conds.length ? sql<boolean>`(${sql.join(conds, sql` and `)})` : sql<boolean>`true`;
}

/** One note per first-order filter in force (none when there are none). */
export function firstOrderNotes(p: FirstOrderInput): Note[] {
  const out: Note[] = [];
  if (p.from) out.push(noteOf('first_order_from', { from: p.from }));
  if (p.to) out.push(noteOf('first_order_before', { to: p.to }));
  if (p.channel?.length) out.push(noteOf('first_order_channel', { values: p.channel }));
  if (p.campaign?.length) out.push(noteOf('first_order_campaign', { values: p.campaign }));
  if (p.coupon?.length) out.push(noteOf('first_order_coupon', { values: p.coupon }));
  if (p.first_product?.length) out.push(noteOf('first_order_product', { values: p.first_product }));
  return out;
}

/** A note on valid orders without a customer id (they count for no customer metric); none when there are none. */
export async function withoutCustomerNotes(ctx: QueryContext): Promise<Note[]> {
  const [r] = await rows<{ n: number }>(ctx, sql`select count(*)::integer as n from orders o where o.customer_id is null and ${sql.raw(validOrderSql('o'))}`);
  const n = r?.n ?? 0;
  return n ? [noteOf('orders_without_customer', { orders: n })] : [];
}

// --- The cohort matrix --------------------------------------------------------------------------

export const retentionGrains = ['week', 'month'] as const;
export const retentionModes = ['standard', 'rolling', 'first-repeat'] as const;
export type RetentionGrain = (typeof retentionGrains)[number];
export type RetentionMode = (typeof retentionModes)[number];

/** One (cohort, k) cell as the SQL returns it (also the columns of the `retention` macro). */
export interface RetentionCellRow {
  cohort: string;
  cohort_start: Date;
  size: number;
  k: number;
  customers: number;
  rate: number;
  revenue: number;
  cumulative_revenue_per_customer: number;
  complete: boolean;
}

/** Per (cohort, k) with any activity: what ingest keeps in `retention_base` for the unfiltered matrix. */
export type RetentionBaseRow = Omit<RetentionBaseTable, 'period_grain'>;

function grainSql(grain: RawBuilder<string>) {
  return (week: RawBuilder<unknown>, month: RawBuilder<unknown>) =>
    sql`(case ${grain} when 'week' then ${week} when 'month' then ${month} else error('retention: grain must be week or month, not ' || ${grain}) end)`;
}

/**
 * The data behind the matrix, per (cohort_start, k) with activity: cohort size, customers buying in
 * period k (standard), customers whose last order is in k (summed from the end: rolling), customers
 * whose second order is in k (summed from the start: first-repeat), and revenue in k.
 * `customers` optionally restricts the customers: a condition over their row `f` (`firstOrderFilterSql`).
 */
export function retentionBaseSql(config: Config, grain: RawBuilder<string>, customers: RawBuilder<boolean> = sql<boolean>`true`): RawBuilder<RetentionBaseRow> {
  const byGrain = grainSql(grain);
  const bucket = (ts: RawBuilder<unknown>) => byGrain(bucketSql('week', ts, config), bucketSql('month', ts, config));
  const periods = (from: RawBuilder<unknown>, to: RawBuilder<unknown>) =>
    byGrain(sql`date_diff('day', ${from}, ${to}) // 7`, sql`date_diff('month', ${from}, ${to})`);
  return sql<RetentionBaseRow>`
    with members as (
      select m.customer_id, m.cohort_start,
        ${periods(sql`m.cohort_start`, sql`m.last_start`)} as last_k,
        ${periods(sql`m.cohort_start`, sql`m.repeat_start`)} as repeat_k
      from (
        select f.customer_id, ${bucket(sql`f.first_ts`)} as cohort_start, ${bucket(sql`f.last_ts`)} as last_start, ${bucket(sql`f.second_ts`)} as repeat_start
        from (${customersSql}) f
        where ${customers}
      ) m
    ),
    sizes as (select cohort_start, count(*) as size from members group by all),
    bought as (
      select m.cohort_start, ${periods(sql`m.cohort_start`, bucket(sql`o.ts`))} as k,
        count(distinct o.customer_id) as customers, sum(o.amount) as revenue
      from (${customerOrdersSql}) o join members m using (customer_id)
      group by all
    ),
    last_bought as (select cohort_start, last_k as k, count(*) as customers from members group by all),
    first_repeat as (select cohort_start, repeat_k as k, count(*) as customers from members where repeat_k is not null group by all)
    select s.cohort_start, s.size::integer as size, x.k::integer as k,
      coalesce(b.customers, 0)::integer as standard_customers, coalesce(l.customers, 0)::integer as last_customers,
      coalesce(r.customers, 0)::integer as repeat_customers, coalesce(b.revenue, 0) as revenue
    from (select cohort_start, k from bought union select cohort_start, k from last_bought union select cohort_start, k from first_repeat) x
      join sizes s using (cohort_start)
      left join bought b using (cohort_start, k)
      left join last_bought l using (cohort_start, k)
      left join first_repeat r using (cohort_start, k)`;
}

/** The kept base for the unfiltered matrix (ingest recomputes it whenever orders change). */
export function keptRetentionBaseSql(grain: RawBuilder<string>): RawBuilder<RetentionBaseRow> {
  return sql<RetentionBaseRow>`
    select cohort_start, size, k, standard_customers, last_customers, repeat_customers, revenue
    from retention_base where period_grain = ${grain}`;
}

/**
 * Long rows of the cohort matrix: (cohort, cohort_start, size, k, customers, rate, revenue,
 * cumulative_revenue_per_customer, complete), ordered by cohort and k, from a base (live or kept).
 * `grain` and `mode` are SQL expressions (bound parameters, or the macro's parameter names), so every
 * choice is a SQL CASE. Every cohort runs to the period holding the last order (sales' data range).
 */
export function retentionCellsSql(
  config: Config,
  { grain, mode }: { grain: RawBuilder<string>; mode: RawBuilder<string> },
  base: RawBuilder<RetentionBaseRow> = retentionBaseSql(config, grain),
): RawBuilder<RetentionCellRow> {
  const byGrain = grainSql(grain);
  const bucket = (ts: RawBuilder<unknown>) => byGrain(bucketSql('week', ts, config), bucketSql('month', ts, config));
  const periods = (from: RawBuilder<unknown>, to: RawBuilder<unknown>) =>
    byGrain(sql`date_diff('day', ${from}, ${to}) // 7`, sql`date_diff('month', ${from}, ${to})`);
  const periodStart = (start: RawBuilder<unknown>, k: RawBuilder<unknown>) =>
    byGrain(sql`${start} + 7 * cast(${k} as integer)`, sql`cast(${start} + to_months(cast(${k} as integer)) as date)`);
  const tz = sql.lit(config.timezone);
  return sql<RetentionCellRow>`
    with base as (${base}),
    data_end as (${dataEndSql(config, metricKinds.retention)}),
    cohorts as (
      select b.cohort_start, any_value(b.size) as size,
        ${periods(sql`b.cohort_start`, bucket(sql`any_value(d.last_ts)`))} as last_k
      from base b cross join data_end d
      group by b.cohort_start
    ),
    grid as (
      select c.cohort_start, c.size, unnest(range(0, c.last_k + 1)) as k from cohorts c
    ),
    cells as (
      select g.cohort_start, g.size, g.k,
        coalesce(b.standard_customers, 0) as standard_customers,
        sum(coalesce(b.last_customers, 0)) over (partition by g.cohort_start order by g.k desc) as rolling_customers,
        sum(coalesce(b.repeat_customers, 0)) over (partition by g.cohort_start order by g.k) as first_repeat_customers,
        coalesce(b.revenue, 0) as revenue,
        sum(coalesce(b.revenue, 0)) over (partition by g.cohort_start order by g.k) as cumulative_revenue
      from grid g left join base b on b.cohort_start = g.cohort_start and b.k = g.k
    ),
    picked as (
      select c.*,
        case ${mode}
          when 'standard' then c.standard_customers
          when 'rolling' then c.rolling_customers
          when 'first-repeat' then c.first_repeat_customers
          else error('retention: mode must be standard, rolling or first-repeat, not ' || ${mode})
        end as customers,
        ${periodStart(sql`c.cohort_start`, sql`c.k + 1`)} as period_end
      from cells c
    )
    select
      ${byGrain(bucketLabelSql('week', sql`c.cohort_start`), bucketLabelSql('month', sql`c.cohort_start`))} as cohort,
      c.cohort_start,
      c.size::integer as size,
      c.k::integer as k,
      c.customers::integer as customers,
      (c.customers / c.size)::double as rate,
      c.revenue as revenue,
      (c.cumulative_revenue / c.size)::double as cumulative_revenue_per_customer,
      timezone(${tz}, c.period_end::timestamp) <= d.last_ts as complete
    from picked c cross join data_end d
    order by c.cohort_start, c.k`;
}


// --- The metric ---------------------------------------------------------------------------------

export const retentionParams = firstOrderParams
  .extend({
    grain: z.enum(retentionGrains).default('month').describe('cohort and period length'),
    mode: z
      .enum(retentionModes)
      .default('standard')
      .describe('standard: bought in period k; rolling: bought in period k or later; first-repeat: first repeat order by the end of period k'),
  })
  .superRefine(checkPeriod);

const retentionResult = z
  .object({
    grain: z.enum(retentionGrains),
    mode: z.enum(retentionModes),
    cohorts: z.array(
      z
        .object({
          cohort: z.string().describe('YYYY-MM, or the ISO week YYYY-Www'),
          size: z.number().int().positive(),
          periods: z.array(
            z
              .object({
                k: z.number().int().nonnegative(),
                customers: z.number().int().nonnegative(),
                rate: z.number().min(0).max(1).describe('customers / cohort size'),
                revenue: z.number().describe("valid-order revenue of the cohort's customers in period k (the same in every mode)"),
                cumulativeRevenuePerCustomer: z.number().describe('revenue of periods 0..k / cohort size'),
                complete: z.boolean().describe('false when the period ends after the last order (more orders in it may still come)'),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    notes: notesResult,
  })
  .strict();
export type RetentionResult = z.infer<typeof retentionResult>;
export type RetentionCohort = RetentionResult['cohorts'][number];

const modeNotes: Record<RetentionMode, Note> = {
  standard: noteOf('retention_mode_standard'),
  rolling: noteOf('retention_mode_rolling'),
  'first-repeat': noteOf('retention_mode_first_repeat'),
};

/** What a cohort is: its grain, the time zone and (weeks) the first day of the week. */
function cohortNote(config: Config, grain: RetentionGrain): Note {
  if (grain === 'month') return noteOf('retention_cohort_month', { timezone: config.timezone });
  return noteOf(config.week_start === 'sunday' ? 'retention_cohort_week_sunday' : 'retention_cohort_week_monday', { timezone: config.timezone });
}

export const retention = defineQuery({
  name: 'retention',
  summary: 'Retention cohorts by week or month of the first valid order (SPEC §5.3)',
  params: retentionParams,
  result: retentionResult,
  run: async (ctx, given) => {
    const p = await withPreset(ctx, given, metricKinds.retention);
    const { config } = ctx;
    const grain = sql<string>`${p.grain}`;
    // the whole matrix comes from what ingest keeps; a filter or a from/to needs the customers themselves
    const filtered = p.from || p.to || p.channel || p.campaign || p.coupon || p.first_product;
    const base = filtered ? retentionBaseSql(config, grain, firstOrderFilterSql(config, p)) : keptRetentionBaseSql(grain);
    const cells = await rows(ctx, retentionCellsSql(config, { grain, mode: sql`${p.mode}` }, base));
    const cohorts: RetentionCohort[] = [];
    for (const c of cells) {
      let cohort = cohorts.at(-1);
      if (cohort?.cohort !== c.cohort) cohorts.push((cohort = { cohort: c.cohort, size: c.size, periods: [] }));
      cohort.periods.push({
        k: c.k,
        customers: c.customers,
        rate: c.rate,
        revenue: c.revenue,
        cumulativeRevenuePerCustomer: c.cumulative_revenue_per_customer,
        complete: c.complete,
      });
    }
    const notes = [
      cohortNote(config, p.grain),
      modeNotes[p.mode],
      ...firstOrderNotes(p),
      ...cutCohortNotes(config, p),
      ...(await withoutCustomerNotes(ctx)),
    ];
    if (!cohorts.length) notes.push(noteOf('retention_no_customers'));
    else if (cells.some((c) => !c.complete)) notes.push(noteOf('retention_incomplete_periods'));
    return { grain: p.grain, mode: p.mode, cohorts, notes };
  },
  csv: (r) =>
    r.cohorts.flatMap((c) =>
      c.periods.map((p) => ({
        grain: r.grain,
        mode: r.mode,
        cohort: c.cohort,
        size: c.size,
        k: p.k,
        customers: p.customers,
        rate: p.rate,
        revenue: p.revenue,
        cumulativeRevenuePerCustomer: p.cumulativeRevenuePerCustomer,
        complete: p.complete,
      })),
    ),
});

/** A from/to that does not fall on a cohort boundary leaves a partial first or last cohort: say so. */
function cutCohortNotes(config: Config, p: PeriodInput & { grain: RetentionGrain }): Note[] {
  const cut = (date: string) => bucketStart(p.grain, date, config.week_start) !== date;
  return [p.from, p.to]
    .filter((d): d is string => !!d && cut(d))
    .map((date) => noteOf(p.grain === 'week' ? 'retention_cut_week' : 'retention_cut_month', { date }));
}
