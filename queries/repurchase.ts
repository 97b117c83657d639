// Repurchase (SPEC §5.4): how many customers buy again within N days of their first valid order
// (censored: only customers observed for N days count), how long the second order takes, how many
// orders customers make, and how much revenue comes from repeat orders.
import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery, rows } from './define.ts';
import { rate } from './shared/rates.ts';
import { checkPeriod } from './shared/period.ts';
import { dataEndSql, metricKinds, withPreset } from './shared/data-range.ts';
import { note, noteOf, notes as notesResult } from './shared/notes.ts';
import { customersSql, firstOrderFilterSql, firstOrderNotes, firstOrderParams, withoutCustomerNotes } from './retention.ts';

const DAY_MS = 86_400_000;

/** Edges (days) of the days-to-second-order histogram: [0, 1], (1, 3], (3, 7] ... (180, 365], (365, ∞). */
export const daysToSecondEdges = [0, 1, 3, 7, 15, 30, 60, 90, 180, 365] as const;

const windowsParam = z
  .string()
  .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, 'expected whole numbers of days separated by commas, e.g. 3,7,15,30,90')
  .transform((s) => [...new Set(s.split(',').map(Number))].sort((a, b) => a - b))
  .refine((days) => days.every((d) => d >= 1 && d <= 3650), 'expected windows between 1 and 3650 days')
  .refine((days) => days.length <= 20, 'expected at most 20 windows');

export const repurchaseParams = firstOrderParams
  .extend({
    windows: windowsParam.prefault('3,7,15,30,90').describe('days after the first order (comma list; default 3,7,15,30,90)'),
  })
  .superRefine(checkPeriod);

const count = z.number().int().nonnegative();

const repurchaseResult = z
  .object({
    windows: z.array(
      z
        .object({
          days: z.number().int().positive(),
          eligible: count.describe('customers whose first valid order is at least `days` days before the last order'),
          repurchased: count.describe('eligible customers whose second valid order came at most `days` days after the first'),
          rate: z.number().min(0).max(1).nullable(),
          ci: z.tuple([z.number(), z.number()]).nullable(),
          small: z.boolean(),
          reason: note.optional().describe('why rate is null (no_eligible_customers)'),
        })
        .strict(),
    ),
    daysToSecond: z
      .object({
        median: z.number().nonnegative().nullable().describe('median days from the first to the second valid order over customers with one; null when none has'),
        customers: count,
        histogram: z.array(
          z
            .object({
              from: z.number().int().nonnegative(),
              to: z.number().int().positive().nullable().describe('`from` exclusive (except 0), `to` inclusive; null for the open last bucket'),
              customers: count,
            })
            .strict(),
        ),
        reason: note.optional().describe('why median is null (no_second_orders)'),
      })
      .strict(),
    ordersPerCustomer: z.array(z.object({ orders: z.union([z.number().int().min(1).max(9), z.literal('10+')]), customers: count }).strict()),
    repeatRevenue: z
      .object({ repeat: z.number(), total: z.number(), share: z.number().nullable(), reason: note.optional().describe('why share is null (no_customer_revenue)') })
      .strict(),
    notes: notesResult,
  })
  .strict();
export type RepurchaseResult = z.infer<typeof repurchaseResult>;
type RepurchaseWindow = RepurchaseResult['windows'][number];

export const repurchase = defineQuery({
  name: 'repurchase',
  summary: 'Repurchase within N days of the first valid order, days to the second order, orders per customer, repeat revenue (SPEC §5.4)',
  params: repurchaseParams,
  result: repurchaseResult,
  run: async (ctx, given) => {
    const p = await withPreset(ctx, given, metricKinds.repurchase);
    const windowList = sql.join(p.windows.map((d) => sql`(${d}::bigint)`));
    const bucket = sql.join(
      daysToSecondEdges.slice(1).map((edge, i) => sql`when c.gap_ms <= ${sql.lit(edge * DAY_MS)} then ${sql.lit(i)}`),
      sql` `,
    );
    const [r] = await rows<{
      windows: { days: number; eligible: number; repurchased: number }[];
      median_ms: number | null;
      second_orders: number;
      histogram: { bucket: number; customers: number }[] | null;
      orders: { orders: number; customers: number }[] | null;
      repeat_revenue: number;
      total_revenue: number;
    }>(
      ctx,
      sql`
        with members as (
          select f.*, epoch_ms(f.second_ts) - epoch_ms(f.first_ts) as gap_ms
          from (${customersSql}) f
          where ${firstOrderFilterSql(ctx.config, p)}
        ),
        data_end as (${dataEndSql(ctx.config, metricKinds.repurchase)}),
        windows as (
          select w.days,
            count(c.customer_id) filter (where epoch_ms(c.first_ts) + w.days * ${sql.lit(DAY_MS)} <= epoch_ms(d.last_ts)) as eligible,
            count(c.customer_id) filter (where epoch_ms(c.first_ts) + w.days * ${sql.lit(DAY_MS)} <= epoch_ms(d.last_ts)
              and c.gap_ms <= w.days * ${sql.lit(DAY_MS)}) as repurchased
          from (values ${windowList}) w(days) cross join data_end d left join members c on true
          group by w.days
        ),
        histogram as (
          select case ${bucket} else ${sql.lit(daysToSecondEdges.length - 1)} end as bucket, count(*) as customers
          from members c where c.gap_ms is not null group by all
        ),
        orders_per_customer as (
          select least(c.orders, 10) as orders, count(*) as customers from members c group by all
        )
        select
          (select list({ 'days': days::integer, 'eligible': eligible::integer, 'repurchased': repurchased::integer } order by days) from windows) as windows,
          (select median(c.gap_ms)::double from members c) as median_ms,
          (select count(c.gap_ms)::integer from members c) as second_orders,
          (select list({ 'bucket': bucket::integer, 'customers': customers::integer }) from histogram) as histogram,
          (select list({ 'orders': orders::integer, 'customers': customers::integer }) from orders_per_customer) as orders,
          (select coalesce(sum(c.revenue - c.first_amount), 0)::double from members c) as repeat_revenue,
          (select coalesce(sum(c.revenue), 0)::double from members c) as total_revenue`,
    );
    const got = r!;

    const windows = p.windows.map((days): RepurchaseWindow => {
      const w = got.windows.find((x) => x.days === days) ?? { eligible: 0, repurchased: 0 };
      const { value, ci, small } = rate(w.repurchased, w.eligible);
      const out: RepurchaseWindow = { days, eligible: w.eligible, repurchased: w.repurchased, rate: value, ci, small };
      if (!w.eligible) out.reason = noteOf('no_eligible_customers', { days });
      return out;
    });
    const histogram = daysToSecondEdges.map((from, i) => ({
      from,
      to: daysToSecondEdges[i + 1] ?? null,
      customers: got.histogram?.find((h) => h.bucket === i)?.customers ?? 0,
    }));
    const daysToSecond: RepurchaseResult['daysToSecond'] = {
      median: got.median_ms === null ? null : got.median_ms / DAY_MS,
      customers: got.second_orders,
      histogram,
    };
    if (!got.second_orders) daysToSecond.reason = noteOf('no_second_orders');
    const ordersPerCustomer = Array.from({ length: 10 }, (_, i) => ({
      orders: i < 9 ? i + 1 : ('10+' as const),
      customers: got.orders?.find((o) => o.orders === i + 1)?.customers ?? 0,
    }));
    const repeatRevenue: RepurchaseResult['repeatRevenue'] = {
      repeat: got.repeat_revenue,
      total: got.total_revenue,
      share: got.total_revenue > 0 ? got.repeat_revenue / got.total_revenue : null,
    };
    if (!(got.total_revenue > 0)) repeatRevenue.reason = noteOf('no_customer_revenue');

    const notes = [
      noteOf('repurchase_customers'),
      noteOf('repurchase_windows'),
      noteOf('repurchase_scope'),
      noteOf('repeat_revenue_definition'),
      ...firstOrderNotes(p),
      ...(await withoutCustomerNotes(ctx)),
    ];
    return { windows, daysToSecond, ordersPerCustomer, repeatRevenue, notes };
  },
  csv: (r) => [
    ...r.windows.map((w) => ({ section: 'windows', days: w.days, eligible: w.eligible, repurchased: w.repurchased, rate: w.rate, ciLow: w.ci?.[0] ?? null, ciHigh: w.ci?.[1] ?? null, small: w.small })),
    { section: 'daysToSecond', median: r.daysToSecond.median, customers: r.daysToSecond.customers },
    ...r.daysToSecond.histogram.map((h) => ({ section: 'daysToSecondHistogram', from: h.from, to: h.to, customers: h.customers })),
    ...r.ordersPerCustomer.map((o) => ({ section: 'ordersPerCustomer', orders: o.orders, customers: o.customers })),
    { section: 'repeatRevenue', repeat: r.repeatRevenue.repeat, total: r.repeatRevenue.total, share: r.repeatRevenue.share },
  ],
});
