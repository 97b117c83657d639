// The funnel's SQL (SPEC §5.1): each step's hits, the ordered attempts (an ASOF join per step) or the
// any-order entries, and the persons reaching each step per group. The API, the trends, the kept
// `funnel_days` (kept-days.ts) and the analyst macro (macro.ts) all run this one builder.
import { sql, type RawBuilder } from 'kysely';
import type { Config } from '../config.ts';
import { bucketSql, localBucketSql, type Grain } from '../shared/period.ts';
import { personOrdersSql } from '../shared/orders.ts';
import { globMatchSql } from '../shared/patterns.ts';
import { visitorPerson } from '../shared/persons.ts';
import type { TouchDimension } from '../shared/dimensions.ts';
import { attributedSql, filterSql, unknownValue, activeFilters, type Filters } from '../shared/touches.ts';
import { attentionStageSql, type Mode, type StepDef } from './definition.ts';

const eventPerson = visitorPerson('e');
/** (person_id, ts) of every non-bot event: the start of the event and path steps */
const personEvents = sql`select ${sql.raw(eventPerson.person)} as person_id, e.ts from events e ${sql.raw(eventPerson.join)} where not e.is_bot`;

/** (person_id, ts) hits of one step; `attention` is `exposed`, or `visit` when no exposure falls in the period. */
export function hitsSql(step: StepDef, mode: Mode): RawBuilder<unknown> {
  const s = step.source;
  switch (s.kind) {
    case 'stage':
      return sql`select person_id, ts from stage_hits where stage = ${sql.lit(s.stage)}`;
    case 'attention':
      return sql`select person_id, ts from stage_hits where stage = (select attention_stage from attention)`;
    case 'event':
      return sql`${personEvents} and e.event = ${sql.lit(s.event)}`;
    case 'path':
      return sql`${personEvents} and e.is_pageview and ${globMatchSql('e.path', s.pattern)}`;
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
  group: { kind: 'all' } | { kind: 'bucket'; grain: Grain } | { kind: 'breakdown'; dimension: TouchDimension };
  filters: Partial<Filters>;
  attribution: 'first' | 'last';
  config: Config;
}

const col = (name: string, k: number) => sql.raw(`${name}${k}`);

/** Orders attempts best first: most steps, then earliest start (one BIGINT: cheaper than a list key). */
export const bestAttemptKey = (t1: RawBuilder<unknown>) => sql`epoch_us(${t1}) - level::bigint * 10000000000000000`;
/** `best(person_id[, bucket], level, ts)`: per person (and bucket), the attempt reaching most steps, the earliest among ties. */
export const bestCte = (where: RawBuilder<unknown>, byBucket = false) => sql`best as (
  select person_id, ${byBucket ? sql`bucket,` : sql``} max(level) as level, arg_min(ts, ${bestAttemptKey(sql`ts[1]`)}) as ts
  from attempts where ${where} group by all)`;
const windowUs = (days: number) => sql.lit(Math.round(days * 86_400e6));

const personOrdersCte = sql`person_orders as (${personOrdersSql()})`;

/** Which step-1 hits start attempts: those in a period, or every hit of some persons (for the kept table). */
export type ChainScope = { kind: 'period'; start: RawBuilder<unknown>; end: RawBuilder<unknown> } | { kind: 'persons'; persons: RawBuilder<unknown>; attentionStage: string };

/**
 * CTEs ending in `chain(person_id, t1, ts[], level)`: one ordered attempt per step-1 hit. Each later step
 * is the earliest hit at or after the previous step (an ASOF join) inside the window from t1; greedy
 * earliest is optimal for a fixed start. An attempt does not depend on the period, only on its start.
 */
export function orderedChainCtes(steps: StepDef[], windowDays: number, scope: ChainScope): RawBuilder<unknown> {
  const ks = steps.map((_, i) => i + 1);
  const window = windowUs(windowDays);
  const attention = scope.kind === 'period'
    ? sql`attention as (select ${attentionStageSql(scope)} as attention_stage)`
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

/** Where a request's kept attempts come from: the period's dates in `funnel_days`, and its Attention stage when known. */
export type KeptDays = { from: RawBuilder<unknown>; to: RawBuilder<unknown>; attention?: string };

/**
 * CTEs `attention(attention_stage)` and `attempts(person_id[, bucket], ts, level)` of an ordered funnel:
 * read from the kept `funnel_days`, or walked over the stage hits (`orderedChainCtes`).
 */
export function orderedAttemptsCtes(o: FunnelSqlOptions, kept?: KeptDays): RawBuilder<unknown> {
  if (kept) {
    // read twice by funnelSql (everyone, and the few who went further): a view, not a materialised table
    const keptBucket = o.group.kind === 'bucket' ? localBucketSql(o.group.grain, sql.raw('day'), o.config) : null;
    // a known Attention stage is a literal, so the scan can skip the other variant's row groups
    const variant = kept.attention ? sql.lit(kept.attention) : sql`(select attention_stage from attention)`;
    return sql`attention as (
        select ${kept.attention ? sql.lit(kept.attention) : attentionStageSql({ keptFrom: kept.from, keptTo: kept.to })} as attention_stage),
      attempts as not materialized (
        select person_id, ${keptBucket ? sql`${keptBucket} as bucket,` : sql``} ts, level
        from funnel_days
        where variant = ${variant} and day >= cast(${kept.from} as date) and day < cast(${kept.to} as date))`;
  }
  const bucket = o.group.kind === 'bucket' ? bucketSql(o.group.grain, sql.raw('t1'), o.config) : null;
  return sql`${orderedChainCtes(o.steps, o.windowDays, { kind: 'period', start: o.start, end: o.end })},
      attempts as (select person_id, ${bucket ? sql`${bucket} as bucket,` : sql``} ts, level from chain)`;
}

/**
 * Rows of (grp, attention_stage, c1..cN, m2..mN): persons reaching each step and the median seconds
 * from the previous step, per group (one 'all' group, a bucket start, or a breakdown value).
 * `kept` = the period's dates, to read the attempts ingest keeps in `funnel_days` instead of walking hits.
 */
export function funnelSql(o: FunnelSqlOptions, kept?: KeptDays): RawBuilder<Record<string, unknown>> {
  const ks = o.steps.map((_, i) => i + 1);
  const window = windowUs(o.windowDays);
  const bucket = o.group.kind === 'bucket' ? bucketSql(o.group.grain, sql.raw('t1'), o.config) : null;
  let ctes: RawBuilder<unknown>;
  if (kept || o.mode === 'ordered') {
    ctes = orderedAttemptsCtes(o, kept);
  } else {
    // any order: entry = the first hit of any step in the period; a step counts when hit inside the window
    // after entry, and step k is reached when steps 1..k all are
    const relevant = sql`ts >= ${o.start} and ts <= ${o.end} + to_microseconds(${window})`;
    const all = sql.join(ks.map((k) => sql`select person_id, ts, ${sql.lit(k)} as k from (${hitsSql(o.steps[k - 1]!, 'any-order')}) where ${relevant}`), sql` union all `);
    const firsts = ks.map((k) => sql`min(h.ts) filter (where h.k = ${sql.lit(k)})`);
    const reached = ks.map((k) => sql`(min(h.ts) filter (where h.k = ${sql.lit(k)}) is not null)`);
    const level = sql.join(ks.map((k) => sql`(${sql.join(reached.slice(0, k), sql` and `)})::integer`), sql` + `);
    ctes = sql`attention as (select ${attentionStageSql(o)} as attention_stage),
      ${o.steps.some((s) => s.source.kind === 'nth-order') ? sql`${personOrdersCte},` : sql``}
      hits_any as (${all}),
      entries as (select person_id, min(ts) as t1 from hits_any where ts >= ${o.start} and ts < ${o.end} group by person_id),
      attempts as (
        select e.person_id, ${bucket ? sql`any_value(${bucket}) as bucket,` : sql``} [${sql.join(firsts)}] as ts, ${level} as level
        from entries e join hits_any h on h.person_id = e.person_id and h.ts >= e.t1 and h.ts <= e.t1 + to_microseconds(${window})
        group by e.person_id)`;
  }
  const bestOf = (where: RawBuilder<unknown>) => bestCte(where, bucket !== null);
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
