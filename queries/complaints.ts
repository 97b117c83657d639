// Complaints (SPEC §5.6): complaints per 1,000 valid orders by category (the configured taxonomy) and
// severity, time to first response and to resolution, and what a complaint costs in repurchase.
import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery, rows } from './define.ts';
import { validOrderSql } from './shared/orders.ts';
import { dataRange, metricKinds, resolvePeriod } from './shared/data-range.ts';
import { note, noteOf, notes as notesResult, type Note } from './shared/notes.ts';
import { checkPeriod, isoDate, localDate, periodParams } from './shared/period.ts';
import { rate, rateResult } from './shared/rates.ts';

export const severities = ['minor', 'general', 'serious'] as const;
/** Complaints whose file had no severity. */
export const unspecified = 'unspecified';

/** Resolution-time buckets in days: [lo, hi), the last one open-ended; unresolved complaints apart. The web names each bucket key. */
export const resolutionBuckets = [
  { bucket: '<1d', lo: 0, hi: 1 },
  { bucket: '1-3d', lo: 1, hi: 3 },
  { bucket: '3-7d', lo: 3, hi: 7 },
  { bucket: '>7d', lo: 7, hi: Infinity },
  { bucket: 'unresolved', lo: NaN, hi: NaN },
] as const;
export type ResolutionBucket = (typeof resolutionBuckets)[number]['bucket'];
const bucketKeys = resolutionBuckets.map((b) => b.bucket) as [ResolutionBucket, ...ResolutionBucket[]];

const count = z.number().int().nonnegative();
const perThousand = z.number().nonnegative().nullable().describe('per 1,000 valid orders of the period; null without valid orders');

const durations = z
  .object({
    medianHours: z.number().nonnegative().nullable().describe('hours from the complaint to its first response / resolution'),
    p90Hours: z.number().nonnegative().nullable(),
    n: count.describe('complaints with a response / resolution time (others are not counted)'),
  })
  .strict();
type Durations = z.infer<typeof durations>;

/** A severity: the three of the taxonomy, unspecified (the file had none), or another word the file used. */
const severity = z.string().min(1);

const repurchaseGroup = rateResult
  .extend({
    customers: count.describe('customers in the group (numerator/denominator count only those old enough to judge)'),
    tooRecent: count.describe('customers whose complaint (or first order) is within the window of the end of the data'),
  })
  .strict();
type RepurchaseGroup = z.infer<typeof repurchaseGroup>;

const complaintsResult = z
  .object({
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    validOrders: count,
    complaints: count,
    per1000Orders: perThousand,
    reason: note.optional().describe('why per1000Orders is null (complaints_no_valid_orders)'),
    categories: z.array(
      z
        .object({
          category: z.string(),
          label: z.string().nullable().describe('the taxonomy label (config complaint_categories); null for a code the taxonomy does not have'),
          complaints: count,
          per1000Orders: perThousand,
          bySeverity: z.record(severity, count),
          response: durations,
          resolution: durations,
        })
        .strict(),
    ),
    severities: z.array(z.object({ severity, complaints: count, per1000Orders: perThousand }).strict()),
    cells: z.array(z.object({ category: z.string(), label: z.string().nullable(), severity, complaints: count, per1000Orders: perThousand }).strict()),
    response: durations.extend({ notResponded: count }).strict(),
    resolution: durations.extend({ unresolved: count }).strict(),
    repurchase: z
      .object({
        windowDays: z.number().positive(),
        judgedUntil: isoDate.nullable().describe('complaints (or first orders) up to this day are judged: the window must end within the data'),
        complained: repurchaseGroup,
        notComplained: repurchaseGroup,
        byResolution: z.array(repurchaseGroup.extend({ bucket: z.enum(bucketKeys).describe('resolution time: <1d, 1-3d, 3-7d, >7d (days) or unresolved') }).strict()),
      })
      .strict(),
    notes: notesResult,
  })
  .strict();
export type ComplaintsResult = z.infer<typeof complaintsResult>;
type CategoryRow = ComplaintsResult['categories'][number];
type SeverityRow = ComplaintsResult['severities'][number];

interface CellSql {
  category: string | null;
  severity: string | null;
  g_category: number;
  g_severity: number;
  n: number;
  response_median: number | null;
  response_p90: number | null;
  responded: number;
  resolution_median: number | null;
  resolution_p90: number | null;
  resolved: number;
}

interface GroupSql {
  grp: string;
  bucket: string | null;
  g_bucket: number;
  customers: number;
  judged: number;
  repurchased: number;
}

export const complaints = defineQuery({
  name: 'complaints',
  summary: 'Complaints per 1,000 valid orders by category and severity, response and resolution times, and repurchase after a complaint vs without one, by resolution time.',
  params: periodParams.superRefine(checkPeriod),
  result: complaintsResult,
  async run(ctx, p) {
    const { config } = ctx;
    const period = await resolvePeriod(ctx, p, metricKinds.complaints);
    const { start, end } = period;
    const windowDays = config.repurchase_window_days;
    const windowUs = sql.lit(Math.round(windowDays * 86_400_000_000));
    // repurchase after a complaint is seen in the orders: the window must fit before the orders end
    const { last } = await dataRange(ctx, ['sales']);
    const cutoff = last ? new Date(last.getTime() - windowDays * 86_400_000) : null;

    const [{ n: validOrders } = { n: 0 }] = await rows(ctx, sql<{ n: number }>`
      select count(*)::integer as n from orders o where ${sql.raw(validOrderSql('o'))} and o.ts >= ${start} and o.ts < ${end}`);

    const cells = await rows(ctx, sql<CellSql>`
      with c as (
        select category, coalesce(severity, ${unspecified}) as severity,
          case when responded_at >= ts then epoch(responded_at - ts) / 3600 end as response_h,
          case when resolved_at >= ts then epoch(resolved_at - ts) / 3600 end as resolution_h
        from complaints where ts >= ${start} and ts < ${end}
      )
      select category, severity, grouping(category)::integer as g_category, grouping(severity)::integer as g_severity, count(*)::integer as n,
        median(response_h)::double as response_median, quantile_cont(response_h, 0.9)::double as response_p90, count(response_h)::integer as responded,
        median(resolution_h)::double as resolution_median, quantile_cont(resolution_h, 0.9)::double as resolution_p90, count(resolution_h)::integer as resolved
      from c
      group by grouping sets ((category, severity), (category), (severity), ())`);

    const per1000 = (n: number) => (validOrders > 0 ? (n / validOrders) * 1000 : null);
    const durationsOf = (c: CellSql | undefined, kind: 'response' | 'resolution'): Durations => ({
      medianHours: c?.[`${kind}_median`] ?? null,
      p90Hours: c?.[`${kind}_p90`] ?? null,
      n: c ? (kind === 'response' ? c.responded : c.resolved) : 0,
    });
    const labelOf = (code: string) => config.complaint_categories[code] ?? null;
    const pairs = cells.filter((c) => !c.g_category && !c.g_severity);
    const total = cells.find((c) => c.g_category && c.g_severity);
    const complaintCount = total?.n ?? 0;

    const categories: CategoryRow[] = cells
      .filter((c) => !c.g_category && c.g_severity)
      .map((c) => {
        const bySeverity: Record<string, number> = Object.fromEntries(severities.map((s) => [s, 0]));
        for (const x of pairs.filter((x) => x.category === c.category)) bySeverity[x.severity!] = x.n;
        return {
          category: c.category!,
          label: labelOf(c.category!),
          complaints: c.n,
          per1000Orders: per1000(c.n),
          bySeverity,
          response: durationsOf(c, 'response'),
          resolution: durationsOf(c, 'resolution'),
        };
      })
      .sort((a, b) => b.complaints - a.complaints || a.category.localeCompare(b.category));

    const severityRows = cells.filter((c) => c.g_category && !c.g_severity);
    const seen = severityRows.map((c) => c.severity!).filter((s) => !(severities as readonly string[]).includes(s)).sort();
    const severityList: SeverityRow[] = [...severities, ...seen].map((s) => {
      const n = severityRows.find((c) => c.severity === s)?.n ?? 0;
      return { severity: s, complaints: n, per1000Orders: per1000(n) };
    });

    const groups = await rows(ctx, sql<GroupSql>`
      with first_complaint as (
        select customer_id, ts as since, case when resolved_at >= ts then epoch(resolved_at - ts) / 86400 end as resolution_days
        from complaints where ts >= ${start} and ts < ${end}
        qualify row_number() over (partition by customer_id order by ts, complaint_id) = 1
      ),
      first_order as (
        select o.customer_id, min(o.ts) as since
        from orders o anti join first_complaint f on f.customer_id = o.customer_id
        where ${sql.raw(validOrderSql('o'))} and o.customer_id is not null and o.ts >= ${start} and o.ts < ${end}
        group by o.customer_id
      ),
      cohort as (
        select 'complained' as grp, customer_id, since,
          case when resolution_days is null then 'unresolved'
            ${sql.join(resolutionBuckets.filter((b) => Number.isFinite(b.hi)).map((b) => sql`when resolution_days < ${sql.lit(b.hi)} then ${sql.lit(b.bucket)}`), sql` `)}
            else '>7d' end as bucket
        from first_complaint
        union all
        select 'not-complained', customer_id, since, null from first_order
      ),
      judged as (
        select c.grp, c.bucket, c.customer_id, ${cutoff ? sql`c.since <= ${cutoff}` : sql`false`} as judged,
          exists (
            select 1 from orders o
            where ${sql.raw(validOrderSql('o'))} and o.customer_id = c.customer_id and o.ts > c.since and o.ts <= c.since + to_microseconds(${windowUs})
          ) as repurchased
        from cohort c
      )
      select grp, bucket, grouping(bucket)::integer as g_bucket, count(*)::integer as customers, count(*) filter (where judged)::integer as judged,
        count(*) filter (where judged and repurchased)::integer as repurchased
      from judged
      group by grouping sets ((grp), (grp, bucket))`);

    const group = (grp: string, bucket: string | null = null): RepurchaseGroup => {
      const g = groups.find((x) => x.grp === grp && (bucket === null ? x.g_bucket === 1 : x.g_bucket === 0 && x.bucket === bucket));
      const customers = g?.customers ?? 0;
      const judged = g?.judged ?? 0;
      return { ...rate(g?.repurchased ?? 0, judged), customers, tooRecent: customers - judged };
    };
    const complained = group('complained');
    const notComplained = group('not-complained');
    const byResolution = resolutionBuckets.map((b) => ({ bucket: b.bucket, ...group('complained', b.bucket) }));

    const notes: Note[] = [];
    const reason = validOrders === 0 ? noteOf('complaints_no_valid_orders') : undefined;
    if (reason) notes.push(noteOf('complaints_per_1000_unknown'));
    const judgedUntil = cutoff ? localDate(cutoff, config.timezone) : null;
    if (complained.tooRecent + notComplained.tooRecent > 0) {
      notes.push(noteOf('complaints_too_recent', { windowDays, judgedUntil, complained: complained.tooRecent, others: notComplained.tooRecent }));
    }
    const unknown = categories.filter((c) => c.label === null).map((c) => c.category);
    if (unknown.length) notes.push(noteOf('complaints_unknown_categories', { categories: unknown }));
    notes.push(noteOf('complaints_definitions', { windowDays }));

    return {
      period: { from: period.from, to: period.to },
      validOrders,
      complaints: complaintCount,
      per1000Orders: per1000(complaintCount),
      ...(reason ? { reason } : {}),
      categories,
      severities: severityList,
      cells: pairs
        .map((c) => ({ category: c.category!, label: labelOf(c.category!), severity: c.severity!, complaints: c.n, per1000Orders: per1000(c.n) }))
        .sort((a, b) => a.category.localeCompare(b.category) || a.severity.localeCompare(b.severity)),
      response: { ...durationsOf(total, 'response'), notResponded: complaintCount - (total?.responded ?? 0) },
      resolution: { ...durationsOf(total, 'resolution'), unresolved: complaintCount - (total?.resolved ?? 0) },
      repurchase: { windowDays, judgedUntil, complained, notComplained, byResolution },
      notes,
    };
  },
  csv: (r) => r.cells.map((c) => ({ from: r.period.from, to: r.period.to, category: c.category, label: c.label, severity: c.severity, complaints: c.complaints, per_1000_orders: c.per1000Orders })),
});
