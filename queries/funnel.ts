// The AIDA funnel and user-defined funnels (SPEC §5.1): person-level, ordered or any-order, within a
// conversion window from step 1, with breakdowns by first/last touch and trends per day/week/month.
// One SQL builder serves the API, the trends and the `funnel()` table macro analysts call.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Config, StageRule } from './config.ts';
import { defineQuery, rows, type QueryContext } from './define.ts';
import { dataRange, metricKinds, resolvePeriod } from './shared/data-range.ts';
import { bucketLabel, bucketSql, bucketStart, localBucketSql, checkPeriod, grainParam, localDate, nextBucket, periodParams, type Grain, type Period } from './shared/period.ts';
import { median, rate } from './shared/rates.ts';
import { personOrdersSql } from './shared/orders.ts';
import { attributedSql, dimensions, filterParams, filterSql, unknownValue, activeFilters, type Dimension, type Filters } from './shared/touches.ts';

const stepList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^([a-z][a-z0-9_]*|event:.+|path:.+)$/, 'expected a stage name, event:<type> or path:<pattern>')).min(2, 'expected 2 to 10 steps').max(10, 'expected 2 to 10 steps'))
  .describe('ad-hoc funnel: 2–10 comma-separated steps, each a stage name, event:<type> or path:<pattern>');

const funnelShape = periodParams.extend(filterParams.shape).extend({
  funnel: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a funnel name').default('aida').describe('"aida" or a funnel named in the config'),
  steps: stepList.optional(),
  mode: z.enum(['ordered', 'any-order']).optional().describe('default: the funnel\'s own mode, else ordered'),
  window_days: z.coerce.number().positive().max(730).optional().describe('conversion window from step 1; default: the funnel\'s, else conversion_window_days'),
  breakdown: z.enum(dimensions).optional(),
});

export const funnelParams = funnelShape.superRefine(checkPeriod);
export const funnelTrendParams = funnelShape.extend({ grain: grainParam.default('week') }).superRefine(checkPeriod);
export type FunnelParams = z.infer<typeof funnelParams>;

export type Mode = 'ordered' | 'any-order';

/** A funnel step: its key and label, and where its hits come from. */
interface StepDef {
  key: string;
  label: string;
  source: { kind: 'stage'; stage: string } | { kind: 'attention' } | { kind: 'event'; event: string } | { kind: 'path'; pattern: string } | { kind: 'nth-order'; further: number };
}

export interface FunnelDef {
  name: string;
  label: string;
  steps: StepDef[];
  mode: Mode;
  windowDays: number;
}

const aidaSteps: StepDef[] = [
  { key: 'attention', label: 'Attention', source: { kind: 'attention' } },
  { key: 'interest', label: 'Interest', source: { kind: 'stage', stage: 'engaged' } },
  { key: 'desire', label: 'Desire', source: { kind: 'stage', stage: 'intent' } },
  { key: 'action', label: 'Action', source: { kind: 'stage', stage: 'purchase' } },
];

function stepFromSpec(spec: string, index: number, stages: Record<string, StageRule>): StepDef {
  if (spec.startsWith('event:')) return { key: spec, label: spec.slice(6), source: { kind: 'event', event: spec.slice(6).toLowerCase() } };
  if (spec.startsWith('path:')) return { key: spec, label: spec.slice(5), source: { kind: 'path', pattern: spec.slice(5) } };
  const rule = stages[spec];
  if (!rule) throw new FunnelError('steps', `unknown stage "${spec}" (stages: ${Object.keys(stages).join(', ')}; or event:<type> / path:<pattern>)`);
  // "a further valid order" (SPEC §5.1 repurchase) is counted from the orders themselves after the previous step
  const source: StepDef['source'] = rule.min_valid_orders && index > 0 ? { kind: 'nth-order', further: rule.min_valid_orders - 1 } : { kind: 'stage', stage: spec };
  return { key: spec, label: rule.label ?? spec, source };
}

/** A request that names something the config does not have; the API answers 400 naming `parameter`. */
export class FunnelError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export function resolveFunnel(config: Config, p: { funnel?: string; steps?: string[]; mode?: Mode; window_days?: number }): FunnelDef {
  const named = p.funnel && p.funnel !== 'aida' ? config.funnels[p.funnel] : undefined;
  if (p.funnel && p.funnel !== 'aida' && !named && !p.steps) {
    throw new FunnelError('funnel', `unknown funnel "${p.funnel}" (funnels: ${['aida', ...Object.keys(config.funnels)].join(', ')})`);
  }
  const specs = p.steps ?? named?.steps;
  return {
    name: p.steps ? 'custom' : (p.funnel ?? 'aida'),
    label: p.steps ? 'Custom funnel' : (named?.label ?? 'AIDA'),
    steps: specs ? specs.map((s, i) => stepFromSpec(s, i, config.stages)) : aidaSteps,
    mode: p.mode ?? named?.mode ?? 'ordered',
    windowDays: p.window_days ?? named?.window_days ?? config.conversion_window_days,
  };
}

const personOfEvent = sql`coalesce(pm.person_id, e.visitor_id)`;

/** (person_id, ts) hits of one step; `attention` is `exposed`, or `visit` when no exposure falls in the period. */
function hitsSql(step: StepDef, mode: Mode): RawBuilder<unknown> {
  const s = step.source;
  switch (s.kind) {
    case 'stage':
      return sql`select person_id, ts from stage_hits where stage = ${sql.lit(s.stage)}`;
    case 'attention':
      return sql`select person_id, ts from stage_hits where stage = (select attention_stage from attention)`;
    case 'event':
      return sql`select ${personOfEvent} as person_id, e.ts from events e left join person_map pm on pm.id_kind = 'visitor' and pm.id = e.visitor_id
        where not e.is_bot and e.event = ${sql.lit(s.event)}`;
    case 'path': {
      const like = s.pattern.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_').replaceAll('*', '%');
      return sql`select ${personOfEvent} as person_id, e.ts from events e left join person_map pm on pm.id_kind = 'visitor' and pm.id = e.visitor_id
        where not e.is_bot and e.is_pageview and e.path like ${sql.lit(like)} escape '\\'`;
    }
    case 'nth-order':
      // ordered mode walks from the first order at/after the previous step; any order needs a further order
      return mode === 'ordered' ? sql`select person_id, ts, n from person_orders` : sql`select person_id, ts from person_orders where n > ${sql.lit(s.further)}`;
  }
}

export interface FunnelSqlOptions {
  steps: StepDef[];
  mode: Mode;
  windowDays: number;
  start: RawBuilder<unknown>;
  end: RawBuilder<unknown>;
  group: { kind: 'all' } | { kind: 'bucket'; grain: Grain } | { kind: 'breakdown'; dimension: Dimension };
  filters: Partial<Filters>;
  attribution: 'first' | 'last';
  config: Config;
}

const col = (name: string, k: number) => sql.raw(`${name}${k}`);

/** Orders attempts best first: most steps, then earliest start (one BIGINT: cheaper than a list key). */
const bestAttemptKey = (t1: RawBuilder<unknown>) => sql`epoch_us(${t1}) - level::bigint * 10000000000000000`;
const windowUs = (days: number) => sql.lit(Math.round(days * 86_400e6));

const personOrdersCte = sql`person_orders as (${personOrdersSql()})`;

/** Which step-1 hits start attempts: those in a period, or every hit of some persons (for the kept table). */
type ChainScope = { kind: 'period'; start: RawBuilder<unknown>; end: RawBuilder<unknown> } | { kind: 'persons'; persons: RawBuilder<unknown>; attentionStage: string };

/**
 * CTEs ending in `chain(person_id, t1, ts[], level)`: one ordered attempt per step-1 hit. Each later step
 * is the earliest hit at or after the previous step (an ASOF join) inside the window from t1; greedy
 * earliest is optimal for a fixed start. An attempt does not depend on the period, only on its start.
 */
function orderedChainCtes(steps: StepDef[], windowDays: number, scope: ChainScope): RawBuilder<unknown> {
  const ks = steps.map((_, i) => i + 1);
  const window = windowUs(windowDays);
  const attention = scope.kind === 'period'
    ? sql`attention as (select case when exists (select 1 from stage_hits where stage = 'exposed' and ts >= ${scope.start} and ts < ${scope.end}) then 'exposed' else 'visit' end as attention_stage)`
    : sql`attention as (select ${sql.lit(scope.attentionStage)} as attention_stage)`;
  // only hits that can matter: from the period start to the end of the last window, or the persons' own
  const relevant = scope.kind === 'period'
    ? sql`ts >= ${scope.start} and ts <= ${scope.end} + to_microseconds(${window})`
    : sql`person_id in (select person_id from (${scope.persons}))`;
  const ctes = [attention];
  if (steps.some((s) => s.source.kind === 'nth-order')) ctes.push(personOrdersCte);
  ctes.push(...steps.map((step, i) => sql`${col('h', i + 1)} as (select * from (${hitsSql(step, 'ordered')}) where ${relevant})`));
  ctes.push(scope.kind === 'period' ? sql`s1 as (select person_id, ts as t1 from h1 where ts >= ${scope.start} and ts < ${scope.end})` : sql`s1 as (select person_id, ts as t1 from h1)`);
  for (const k of ks.slice(1)) {
    const step = steps[k - 1]!;
    const prev = col('t', k - 1);
    // the explicit test on the previous step: a NULL left key must not find a match
    ctes.push(
      step.source.kind === 'nth-order'
        ? sql`${col('s', k)} as (
            select s.*, case when s.${prev} is not null and o2.ts <= s.t1 + to_microseconds(${window}) then o2.ts end as ${col('t', k)}
            from ${col('s', k - 1)} s
              asof left join ${col('h', k)} o1 on o1.person_id = s.person_id and o1.ts >= s.${prev}
              left join ${col('h', k)} o2 on o2.person_id = s.person_id and o2.n = o1.n + ${sql.lit(step.source.further)})`
        : sql`${col('s', k)} as (
            select s.*, case when s.${prev} is not null and h.ts <= s.t1 + to_microseconds(${window}) then h.ts end as ${col('t', k)}
            from ${col('s', k - 1)} s asof left join ${col('h', k)} h on h.person_id = s.person_id and h.ts >= s.${prev})`,
    );
  }
  const level = sql.join(ks.map((k) => sql`(${col('t', k)} is not null)::integer`), sql` + `);
  ctes.push(sql`chain as (select person_id, t1, [${sql.join(ks.map((k) => col('t', k)))}] as ts, ${level} as level from ${col('s', ks.length)})`);
  return sql.join(ctes);
}

/** The best attempt of each person on each local day, for the kept `funnel_days` table (ingest). */
export function funnelDaysSql(config: Config, persons: RawBuilder<unknown>): RawBuilder<unknown> {
  const def = resolveFunnel(config, {});
  return sql.join(
    (['exposed', 'visit'] as const).map((variant) => sql`
      select ${sql.lit(variant)} as variant, person_id, cast(timezone(${sql.lit(config.timezone)}, t1) as date) as day,
        max(level) as level, arg_min(ts, ${bestAttemptKey(sql`t1`)}) as ts
      from (with ${orderedChainCtes(def.steps, def.windowDays, { kind: 'persons', persons, attentionStage: variant })} select * from chain)
      group by all`),
    sql` union all `,
  );
}

/** True when the kept `funnel_days` answer this request: the configured AIDA funnel, no filter or breakdown. */
export function usesKeptDays(config: Config, def: FunnelDef, o: Omit<FunnelSqlOptions, 'start' | 'end'>): boolean {
  return def.name === 'aida' && o.mode === 'ordered' && o.windowDays === config.conversion_window_days && o.group.kind !== 'breakdown' && activeFilters(o.filters).length === 0;
}

/**
 * Rows of (grp, attention_stage, c1..cN, m2..mN): persons reaching each step and the median seconds
 * from the previous step, per group (one 'all' group, a bucket start, or a breakdown value).
 * `kept` = the period's dates, to read the attempts ingest keeps in `funnel_days` instead of walking hits.
 */
export function funnelSql(o: FunnelSqlOptions, kept?: { from: RawBuilder<unknown>; to: RawBuilder<unknown>; attention?: string }): RawBuilder<Record<string, unknown>> {
  const ks = o.steps.map((_, i) => i + 1);
  const window = windowUs(o.windowDays);
  const bucket = o.group.kind === 'bucket' ? bucketSql(o.group.grain, sql.raw('t1'), o.config) : null;
  let ctes: RawBuilder<unknown>;
  if (kept) {
    // read twice below (everyone, and the few who went further): a view, not a materialised table
    const keptBucket = o.group.kind === 'bucket' ? localBucketSql(o.group.grain, sql.raw('day'), o.config) : null;
    // a known Attention stage is a literal, so the scan can skip the other variant's row groups
    const variant = kept.attention ? sql.lit(kept.attention) : sql`(select attention_stage from attention)`;
    ctes = sql`attention as (
        select ${kept.attention ? sql.lit(kept.attention) : sql`case when exists (select 1 from funnel_days where variant = 'exposed' and day >= cast(${kept.from} as date) and day < cast(${kept.to} as date)) then 'exposed' else 'visit' end`} as attention_stage),
      attempts as not materialized (
        select person_id, ${keptBucket ? sql`${keptBucket} as bucket,` : sql``} ts, level
        from funnel_days
        where variant = ${variant} and day >= cast(${kept.from} as date) and day < cast(${kept.to} as date))`;
  } else if (o.mode === 'ordered') {
    ctes = sql`${orderedChainCtes(o.steps, o.windowDays, { kind: 'period', start: o.start, end: o.end })},
      attempts as (select person_id, ${bucket ? sql`${bucket} as bucket,` : sql``} ts, level from chain)`;
  } else {
    // any order: entry = the first hit of any step in the period; a step counts when hit inside the window
    // after entry, and step k is reached when steps 1..k all are
    const relevant = sql`ts >= ${o.start} and ts <= ${o.end} + to_microseconds(${window})`;
    const all = sql.join(ks.map((k) => sql`select person_id, ts, ${sql.lit(k)} as k from (${hitsSql(o.steps[k - 1]!, 'any-order')}) where ${relevant}`), sql` union all `);
    const firsts = ks.map((k) => sql`min(h.ts) filter (where h.k = ${sql.lit(k)})`);
    const reached = ks.map((k) => sql`(min(h.ts) filter (where h.k = ${sql.lit(k)}) is not null)`);
    const level = sql.join(ks.map((k) => sql`(${sql.join(reached.slice(0, k), sql` and `)})::integer`), sql` + `);
    ctes = sql`attention as (select case when exists (select 1 from stage_hits where stage = 'exposed' and ts >= ${o.start} and ts < ${o.end}) then 'exposed' else 'visit' end as attention_stage),
      ${o.steps.some((s) => s.source.kind === 'nth-order') ? sql`${personOrdersCte},` : sql``}
      hits_any as (${all}),
      entries as (select person_id, min(ts) as t1 from hits_any where ts >= ${o.start} and ts < ${o.end} group by person_id),
      attempts as (
        select e.person_id, ${bucket ? sql`any_value(${bucket}) as bucket,` : sql``} [${sql.join(firsts)}] as ts, ${level} as level
        from entries e join hits_any h on h.person_id = e.person_id and h.ts >= e.t1 and h.ts <= e.t1 + to_microseconds(${window})
        group by e.person_id)`;
  }
  // per person (and bucket), the attempt reaching most steps, the earliest among ties
  const bestOf = (where: RawBuilder<unknown>) => sql`best as (
    select person_id, ${bucket ? sql`bucket,` : sql``} max(level) as level, arg_min(ts, ${bestAttemptKey(sql`ts[1]`)}) as ts
    from attempts where ${where} group by all)`;
  const grpOfBucket = bucket ? sql`cast(bucket as varchar)` : sql`'all'`;
  const counts = (from: number) => ks.slice(from - 1).map((k) => sql`(count(*) filter (where b.level >= ${sql.lit(k)}))::integer as ${col('c', k)}`);
  const medians = ks.slice(1).map((k) => (o.mode === 'ordered'
    ? sql`median(epoch(b.ts[${sql.lit(k)}]) - epoch(b.ts[${sql.lit(k - 1)}])) filter (where b.level >= ${sql.lit(k)})::double as ${col('m', k)}`
    : sql`null::double as ${col('m', k)}`));
  if (kept) {
    // step 1 is a distinct count over every kept day in the period; only the few people who got further
    // need their best attempt picked
    const later = ks.slice(1);
    return sql<Record<string, unknown>>`
      with ${ctes},
      entered as (select ${grpOfBucket} as grp, count(distinct person_id)::integer as c1 from attempts group by all),
      ${bestOf(sql`level >= 2`)},
      further as (select ${grpOfBucket} as grp, ${sql.join([...counts(2), ...medians])} from best b group by all)
      select e.grp, (select attention_stage from attention) as attention_stage, e.c1,
        ${sql.join([...later.map((k) => sql`coalesce(f.${col('c', k)}, 0) as ${col('c', k)}`), ...later.map((k) => sql`f.${col('m', k)}`)])}
      from entered e left join further f on f.grp = e.grp
      order by c1 desc, grp`;
  }
  const needsTouch = o.group.kind === 'breakdown' || activeFilters(o.filters).length > 0;
  const touch = needsTouch
    ? sql`, credited as (${attributedSql(sql`select person_id, max(ts[level]) as credit_at from best group by person_id`, o.attribution)})`
    : sql``;
  const grp =
    o.group.kind === 'breakdown' ? sql`coalesce(cast(a.${sql.ref(o.group.dimension)} as varchar), ${unknownValue})` : o.group.kind === 'bucket' ? sql`cast(b.bucket as varchar)` : sql`'all'`;
  return sql<Record<string, unknown>>`
    with ${ctes}, ${bestOf(sql`level > 0`)} ${touch}
    select ${grp} as grp, (select attention_stage from attention) as attention_stage, ${sql.join([...counts(1), ...medians])}
    from best b ${needsTouch ? sql`left join credited a on a.person_id = b.person_id` : sql``}
    where ${needsTouch ? filterSql(o.filters, 'a') : sql`true`}
    group by all order by c1 desc, grp`;
}

export interface FunnelStep {
  key: string;
  label: string;
  count: number;
  rateFromPrevious: number | null;
  rateFromFirst: number | null;
  ci: [number, number] | null;
  small: boolean;
  dropOff: number | null;
  dropOffRate: number | null;
  medianSecondsFromPrevious: number | null;
}

function toSteps(defs: StepDef[], row: Record<string, unknown> | undefined, attentionStage: string): FunnelStep[] {
  const counts = defs.map((_, i) => Number(row?.[`c${i + 1}`] ?? 0));
  return defs.map((d, i) => {
    const count = counts[i]!;
    const prev = i === 0 ? null : counts[i - 1]!;
    const fromPrev = prev === null ? null : rate(count, prev);
    return {
      key: d.key,
      label: d.source.kind === 'attention' && attentionStage === 'visit' ? 'Attention (visits)' : d.label,
      count,
      rateFromPrevious: fromPrev?.value ?? null,
      rateFromFirst: counts[0]! > 0 ? count / counts[0]! : null,
      ci: fromPrev?.ci ?? null,
      small: fromPrev ? fromPrev.small : counts[0]! < 30,
      dropOff: prev === null ? null : prev - count,
      dropOffRate: fromPrev?.value == null ? null : 1 - fromPrev.value,
      medianSecondsFromPrevious: i === 0 ? null : ((row?.[`m${i + 1}`] as number | null) ?? null),
    };
  });
}

async function notesFor(ctx: QueryContext, def: FunnelDef, period: Period, attentionStage: string | undefined): Promise<string[]> {
  const notes: string[] = [];
  if (def.steps[0]?.source.kind === 'attention' && attentionStage === 'visit') {
    notes.push('No impression data in this period: Attention counts visits instead. Load a campaigns file or impression events to measure exposure.');
  }
  const { last } = await dataRange(ctx, metricKinds.funnel);
  if (last && period.end.getTime() + def.windowDays * 86_400_000 > last.getTime()) {
    notes.push(`The ${def.windowDays}-day conversion window of people who entered late in the period runs past the last data (${localDate(last, ctx.config.timezone)}): their later steps may still come.`);
  }
  if (def.mode === 'any-order') notes.push('Any-order mode: a step counts when it happened within the window after the first step of any kind; median times between steps are not defined.');
  return notes;
}

/** Attention = `exposed`, or `visit` when no exposure falls in the period (SPEC §5.1). */
async function attentionStageOf(ctx: QueryContext, period: Period): Promise<'exposed' | 'visit'> {
  const [row] = await rows(ctx, sql<{ exposed: boolean }>`select exists (select 1 from stage_hits where stage = 'exposed' and ts >= ${period.start} and ts < ${period.end}) as exposed`);
  return row?.exposed ? 'exposed' : 'visit';
}

/** What every funnel request resolves first: which funnel, which period, which Attention stage. */
async function prepare(ctx: QueryContext, p: FunnelParams) {
  const def = resolveFunnel(ctx.config, p);
  const period = await resolvePeriod(ctx, p, metricKinds.funnel);
  return { def, period, attention: await attentionStageOf(ctx, period) };
}

/** The funnel's rows for one grouping: from the kept days when they answer it, else over the stage hits. */
function funnelRows(ctx: QueryContext, p: FunnelParams, { def, period, attention }: Awaited<ReturnType<typeof prepare>>, group: FunnelSqlOptions['group']) {
  const o: FunnelSqlOptions = {
    steps: def.steps, mode: def.mode, windowDays: def.windowDays, start: sql`${period.start}`, end: sql`${period.end}`,
    filters: p, attribution: p.attribution, config: ctx.config, group,
  };
  return rows(ctx, funnelSql(o, usesKeptDays(ctx.config, def, o) ? { from: sql`${period.from}`, to: sql`${period.to}`, attention } : undefined));
}

export interface FunnelResult {
  funnel: string;
  label: string;
  mode: Mode;
  windowDays: number;
  period: { from: string; to: string };
  attribution: 'first' | 'last';
  steps: FunnelStep[];
  breakdown?: { dimension: Dimension; values: { value: string; steps: FunnelStep[] }[] };
  notes: string[];
}

/** Breakdown values beyond this many are summed into "(other)". */
const maxBreakdownValues = 20;

export const funnel = defineQuery({
  name: 'funnel',
  summary: 'The AIDA funnel (or a configured / ad-hoc funnel): persons per step, conversion, drop-off, median time between steps; optional breakdown.',
  params: funnelParams,
  async run(ctx, p): Promise<FunnelResult> {
    const prepared = await prepare(ctx, p);
    const { def, period, attention: attentionStage } = prepared;
    const [total] = await funnelRows(ctx, p, prepared, { kind: 'all' });
    const result: FunnelResult = {
      funnel: def.name,
      label: def.label,
      mode: def.mode,
      windowDays: def.windowDays,
      period: { from: period.from, to: period.to },
      attribution: p.attribution,
      steps: toSteps(def.steps, total, attentionStage),
      notes: await notesFor(ctx, def, period, attentionStage),
    };
    if (p.breakdown) {
      const groups = await funnelRows(ctx, p, prepared, { kind: 'breakdown', dimension: p.breakdown });
      const shown = groups.slice(0, maxBreakdownValues);
      const rest = groups.slice(maxBreakdownValues);
      const values = shown.map((g) => ({ value: String(g.grp), steps: toSteps(def.steps, g, attentionStage) }));
      if (rest.length) {
        const summed: Record<string, unknown> = {};
        for (let k = 1; k <= def.steps.length; k++) summed[`c${k}`] = rest.reduce((s, g) => s + Number(g[`c${k}`]), 0);
        values.push({ value: '(other)', steps: toSteps(def.steps, summed, attentionStage) });
      }
      result.breakdown = { dimension: p.breakdown, values };
    }
    return result;
  },
  csv: (r) => [
    ...r.steps.map((s) => ({ group: 'all', ...stepCsv(s) })),
    ...(r.breakdown?.values.flatMap((v) => v.steps.map((s) => ({ group: `${r.breakdown!.dimension}=${v.value}`, ...stepCsv(s) }))) ?? []),
  ],
});

function stepCsv(s: FunnelStep) {
  return {
    step: s.key, label: s.label, count: s.count, rate_from_previous: s.rateFromPrevious, rate_from_first: s.rateFromFirst,
    ci_low: s.ci?.[0] ?? null, ci_high: s.ci?.[1] ?? null, small: s.small, drop_off: s.dropOff, median_seconds_from_previous: s.medianSecondsFromPrevious,
  };
}

export interface FunnelTrendResult {
  funnel: string;
  mode: Mode;
  grain: Grain;
  windowDays: number;
  period: { from: string; to: string };
  steps: { key: string; label: string }[];
  series: { period: string; start: string; partial: boolean; steps: { key: string; count: number; rateFromFirst: number | null }[] }[];
  notes: string[];
}

export const funnelTrends = defineQuery({
  name: 'funnel/trends',
  summary: 'The same funnel per day, week or month of step-1 entry (each bucket counted like a funnel over that bucket alone).',
  params: funnelTrendParams,
  async run(ctx, p): Promise<FunnelTrendResult> {
    const prepared = await prepare(ctx, p);
    const { def, period, attention: attentionStage } = prepared;
    const groups = await funnelRows(ctx, p, prepared, { kind: 'bucket', grain: p.grain });
    const byStart = new Map(groups.map((g) => [String(g.grp).slice(0, 10), g]));
    const series: FunnelTrendResult['series'] = [];
    for (let b = bucketStart(p.grain, period.from, ctx.config.week_start); b < period.to; b = nextBucket(p.grain, b)) {
      const steps = toSteps(def.steps, byStart.get(b), attentionStage);
      series.push({
        period: bucketLabel(p.grain, b),
        start: b,
        partial: b < period.from || nextBucket(p.grain, b) > period.to,
        steps: steps.map((s) => ({ key: s.key, count: s.count, rateFromFirst: s.rateFromFirst })),
      });
    }
    return {
      funnel: def.name, mode: def.mode, grain: p.grain, windowDays: def.windowDays, period: { from: period.from, to: period.to },
      steps: toSteps(def.steps, undefined, attentionStage).map((s) => ({ key: s.key, label: s.label })),
      series,
      notes: await notesFor(ctx, def, period, attentionStage),
    };
  },
  csv: (r) => r.series.flatMap((b) => b.steps.map((s) => ({ period: b.period, start: b.start, partial: b.partial, step: s.key, count: s.count, rate_from_first: s.rateFromFirst }))),
});
