// Complaints (SPEC §5.6): complaints per 1,000 valid orders by category (the configured taxonomy) and
// severity, time to first response and to resolution, and what a complaint costs in repurchase.
import { sql } from 'kysely';
import { defineQuery, rows } from './define.ts';
import { validOrderSql } from './shared/orders.ts';
import { dataRange, metricKinds, resolvePeriod } from './shared/data-range.ts';
import { checkPeriod, localDate, periodParams } from './shared/period.ts';
import { rate, type Rate } from './shared/rates.ts';

export const severities = ['minor', 'general', 'serious'] as const;
/** Complaints whose file had no severity. */
export const unspecified = 'unspecified';

/** Resolution-time buckets in days: [lo, hi), the last one open-ended; unresolved complaints apart. */
export const resolutionBuckets = [
  { bucket: '<1d', label: 'under 1 day', lo: 0, hi: 1 },
  { bucket: '1-3d', label: '1–3 days', lo: 1, hi: 3 },
  { bucket: '3-7d', label: '3–7 days', lo: 3, hi: 7 },
  { bucket: '>7d', label: '7 days or more', lo: 7, hi: Infinity },
  { bucket: 'unresolved', label: 'not resolved', lo: NaN, hi: NaN },
] as const;
export type ResolutionBucket = (typeof resolutionBuckets)[number]['bucket'];

export interface Durations {
  /** hours from the complaint to its first response / resolution */
  medianHours: number | null;
  p90Hours: number | null;
  /** complaints with a response / resolution time (others are not counted) */
  n: number;
}

export interface CategoryRow {
  category: string;
  /** the taxonomy label (config complaint_categories); null for a code the taxonomy does not have */
  label: string | null;
  complaints: number;
  per1000Orders: number | null;
  bySeverity: Record<string, number>;
  response: Durations;
  resolution: Durations;
}

export interface SeverityRow {
  severity: string;
  complaints: number;
  per1000Orders: number | null;
}

export interface CellRow {
  category: string;
  label: string | null;
  severity: string;
  complaints: number;
  per1000Orders: number | null;
}

export interface RepurchaseGroup extends Rate {
  /** customers in the group (numerator/denominator count only those old enough to judge) */
  customers: number;
  /** customers whose complaint (or first order) is within the window of the end of the data */
  tooRecent: number;
}

export interface ComplaintsResult {
  period: { from: string; to: string };
  validOrders: number;
  complaints: number;
  per1000Orders: number | null;
  reason?: string;
  categories: CategoryRow[];
  severities: SeverityRow[];
  cells: CellRow[];
  response: Durations & { notResponded: number };
  resolution: Durations & { unresolved: number };
  repurchase: {
    windowDays: number;
    /** complaints (or first orders) up to this day are judged: the window must end within the data */
    judgedUntil: string | null;
    complained: RepurchaseGroup;
    notComplained: RepurchaseGroup;
    byResolution: (RepurchaseGroup & { bucket: ResolutionBucket; label: string })[];
  };
  notes: string[];
}

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
  async run(ctx, p): Promise<ComplaintsResult> {
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
    const durations = (c: CellSql | undefined, kind: 'response' | 'resolution'): Durations => ({
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
          response: durations(c, 'response'),
          resolution: durations(c, 'resolution'),
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
    const byResolution = resolutionBuckets.map((b) => ({ bucket: b.bucket, label: b.label, ...group('complained', b.bucket) }));

    const notes: string[] = [];
    const reason = validOrders === 0 ? 'no valid orders in the period' : undefined;
    if (reason) notes.push('No valid orders in this period: complaints per 1,000 orders cannot be computed.');
    const judgedUntil = cutoff ? localDate(cutoff, config.timezone) : null;
    if (complained.tooRecent + notComplained.tooRecent > 0) {
      notes.push(
        `Repurchase is judged only for customers whose complaint (or, without one, first order in the period) is at least ${windowDays} days before the last order (until ${judgedUntil}): ${complained.tooRecent} complaining and ${notComplained.tooRecent} other customers are too recent.`,
      );
    }
    const unknown = categories.filter((c) => c.label === null).map((c) => c.category);
    if (unknown.length) notes.push(`Categories not in the taxonomy are kept as they were given: ${unknown.join(', ')}.`);
    notes.push(
      `Repurchase after a complaint: customers with a complaint in the period, from their first one; a valid order in the ${windowDays} days after it counts. Without one: customers with a valid order in the period and no complaint in it, from their first order in the period. Times: response and resolution minus the complaint time (negative ones are ignored); p90 interpolates.`,
    );

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
      response: { ...durations(total, 'response'), notResponded: complaintCount - (total?.responded ?? 0) },
      resolution: { ...durations(total, 'resolution'), unresolved: complaintCount - (total?.resolved ?? 0) },
      repurchase: { windowDays, judgedUntil, complained, notComplained, byResolution },
      notes,
    };
  },
  csv: (r) => r.cells.map((c) => ({ from: r.period.from, to: r.period.to, category: c.category, label: c.label, severity: c.severity, complaints: c.complaints, per_1000_orders: c.per1000Orders })),
});
