// The funnel's SQL (SPEC §5.1): each step's hits, the ordered attempts (an ASOF join per step) or the
// any-order entries, and the persons reaching each step per group. The API, the trends, the kept
// `funnel_days` (kept-days.ts) and the analyst macro (macro.ts) all run this one builder.
import { sql, type RawBuilder } from 'kysely';
import type { Config } from '../config.ts';
import { bucketSql, localBucketSql, type Grain } from '../shared/period.ts';
import { personOrdersSql } from '../shared/orders.ts';
import { globMatchSql } from '../shared/patterns.ts';
import { visitorPerson } from '../shared/persons.ts';
import { attributedSql, filterSql, activeFilters, keyPath, propertyKeys, touchValueSql, type AttributedDimension, type Filters } from '../shared/touches.ts';
import { nonPageRequestTypes } from '../shared/events.ts';
import { attentionStageSql, sequentialModes, type ExclusionDef, type Mode, type StepDef } from './definition.ts';

const eventPerson = visitorPerson('e');
const personOf = sql.raw(eventPerson.person);
/** (person_id, ts, rid) of every non-bot event, rid = its event id: the start of the event and path steps */
const personEvents = sql`select ${personOf} as person_id, e.ts, e.event_id as rid from events e ${sql.raw(eventPerson.join)} where not e.is_bot`;

/** An event step's property conditions over events `e` (`where: {plan: 'pro'}`; keys bound as JSON paths). */
const whereSql = (where?: Record<string, string>) =>
  where ? sql.join(Object.entries(where).map(([k, v]) => sql` and json_extract_string(e.properties, ${keyPath(k)}) = ${v}`), sql``) : sql``;

/** Steps whose hits come from `stage_hits` or the orders: they carry no event id. */
const isStageLike = (step: StepDef) => step.source.kind === 'stage' || step.source.kind === 'attention' || step.source.kind === 'nth-order';

/**
 * (person_id, ts, rid) hits of one step; `attention` is `exposed`, or `visit` when no exposure falls in
 * the period. rid = the event's id for event and path steps (one event fills at most one step); stage
 * hits have none (null): how many steps one instant can fill is then its count of records (`instants`).
 */
export function hitsSql(step: StepDef, mode: Mode): RawBuilder<unknown> {
  const s = step.source;
  switch (s.kind) {
    case 'stage':
      return sql`select person_id, ts, null::varchar as rid from stage_hits where stage = ${sql.lit(s.stage)}`;
    case 'attention':
      return sql`select person_id, ts, null::varchar as rid from stage_hits where stage = (select attention_stage from attention)`;
    case 'event':
      return sql`${personEvents} and e.event = ${sql.lit(s.event)}${whereSql(s.where)}`;
    case 'path':
      return sql`${personEvents} and e.is_pageview and ${globMatchSql('e.path', s.pattern)}${whereSql(s.where)}`;
    case 'nth-order':
      // ordered modes walk from the first order at/after the previous step; the others need a further order
      return sequentialModes.includes(mode)
        ? sql`select person_id, ts, null::varchar as rid, n from person_orders`
        : sql`select person_id, ts, null::varchar as rid from person_orders where n > ${sql.lit(s.further)}`;
  }
}

export interface FunnelSqlOptions {
  steps: StepDef[];
  mode: Mode;
  windowDays: number;
  exclusions: ExclusionDef[];
  start: RawBuilder<unknown>;
  end: RawBuilder<unknown>;
  group: { kind: 'all' } | { kind: 'bucket'; grain: Grain } | { kind: 'breakdown'; dimension: AttributedDimension };
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
export const windowUs = (days: number) => sql.lit(Math.round(days * 86_400e6));

const personOrdersCte = sql`person_orders as (${personOrdersSql()})`;

/** Which step-1 hits start attempts: those in a period, or every hit of some persons (for the kept table). */
export type ChainScope = { kind: 'period'; start: RawBuilder<unknown>; end: RawBuilder<unknown> } | { kind: 'persons'; persons: RawBuilder<unknown>; attentionStage: string };

/** A person's records (non-bot events and valid orders) at each instant: what a stage hit stands for. */
const recordsSql = (relevant: RawBuilder<unknown>, strict: boolean, instants?: RawBuilder<unknown>) => sql`
  select person_id, ts from (
    select ${personOf} as person_id, e.ts from events e ${sql.raw(eventPerson.join)}
    where not e.is_bot ${strict ? sql`and e.event not in (${sql.join(nonPageRequestTypes.map((t) => sql.lit(t)))})` : sql``}
      ${instants ? sql`and e.ts in (${instants})` : sql``}
    union all select person_id, ts from person_orders ${instants ? sql`where ts in (${instants})` : sql``}) where ${relevant}`;

/**
 * CTEs for the hits of every step (`h1..hN`), and the helpers the one-event-one-step rule needs:
 * `instants(person_id, ts, n)`, the count of records at each instant where hits of two steps (or two
 * positions of one step) coincide, when a stage-like step makes it necessary.
 */
function hitCtes(steps: StepDef[], mode: Mode, relevant: RawBuilder<unknown>, attention: RawBuilder<unknown>, lazy = false): { ctes: RawBuilder<unknown>[]; instants: boolean } {
  const ks = steps.map((_, i) => i + 1);
  const ctes = [attention];
  const needsOrders = steps.some((s) => s.source.kind === 'nth-order' || isStageLike(s)) || mode === 'strict';
  if (needsOrders) ctes.push(personOrdersCte);
  ctes.push(...steps.map((step, i) => sql`${col('h', i + 1)} as (select * from (${hitsSql(step, mode)}) where ${relevant})`));
  const instants = steps.some(isStageLike) && steps.length > 1;
  // `lazy`: the ordered chain counts the records of an instant only where an attempt needs it
  if (instants && !lazy) {
    // an instant where a later step has a hit at an earlier step's hit: only there can one step follow
    // another at the same instant (hash semi joins on the smaller later steps)
    ctes.push(sql`coinciding as (
      select distinct person_id, ts from (${sql.join(ks.slice(1).map((k) => sql`
        select b.person_id, b.ts from ${col('h', k)} b
        semi join (${sql.join(ks.slice(0, k - 1).map((j) => sql`select person_id, ts from ${col('h', j)}`), sql` union all `)}) a on a.person_id = b.person_id and a.ts = b.ts`), sql` union all `)}))`);
    ctes.push(sql`instants as (
      select c.person_id, c.ts, count(*) as n from coinciding c join (${recordsSql(relevant, false, sql`select ts from coinciding`)}) r on r.person_id = c.person_id and r.ts = c.ts
      group by all)`);
  }
  return { ctes, instants };
}

/**
 * CTEs ending in `chain(person_id, t1, ts[], level)`: one ordered attempt per step-1 hit. Each later step
 * is the earliest hit of that step at or after the previous step, inside the window from t1, that is not
 * an event already used: at the previous step's own instant only a different event counts (different
 * events at one instant count in step order); otherwise the next instant with a hit. `run` = the events
 * used at the current instant ('' for a stage hit, whose instant can fill as many steps as it has
 * records). Greedy earliest is optimal for a fixed start. `strict`: each step is at the previous step's
 * instant or the person's very next one (no other event in between). An attempt depends only on its start.
 */
export function orderedChainCtes(steps: StepDef[], windowDays: number, scope: ChainScope, mode: 'ordered' | 'strict' = 'ordered'): RawBuilder<unknown> {
  const ks = steps.map((_, i) => i + 1);
  const window = windowUs(windowDays);
  const attention = scope.kind === 'period'
    ? sql`attention as (select ${attentionStageSql(scope)} as attention_stage)`
    : sql`attention as (select ${sql.lit(scope.attentionStage)} as attention_stage)`;
  // only hits that can matter: from the period start to the end of the last window, or the persons' own
  const relevant = scope.kind === 'period'
    ? sql`ts >= ${scope.start} and ts <= ${scope.end} + to_microseconds(${window})`
    : sql`person_id in (select person_id from (${scope.persons}))`;
  const { ctes, instants } = hitCtes(steps, mode, relevant, attention, mode === 'ordered');
  const strict = mode === 'strict';
  if (strict) {
    ctes.push(sql`sequence as (select person_id, ts, row_number() over (partition by person_id order by ts) as i from (select distinct person_id, ts from (${recordsSql(relevant, true)})))`);
  }
  // per step, its hits per instant with their event ids (stage hits: none, and one row per instant is enough)
  ctes.push(...steps.map((step, i) => (isStageLike(step)
    ? sql`${col('g', i + 1)} as (select person_id, ts${step.source.kind === 'nth-order' ? sql`, n` : sql``} from ${col('h', i + 1)})`
    : sql`${col('g', i + 1)} as (select person_id, ts, list(rid order by rid) as rids from ${col('h', i + 1)} group by all)`)));
  // `run`: the events used at the current instant; with stage steps only, just how many steps it filled
  const byCount = steps.every(isStageLike);
  const run = {
    start: byCount ? sql`1` : sql`[coalesce(rid, '')]`,
    used: (r: RawBuilder<unknown>) => (byCount ? r : sql`len(${r})`),
    add: (r: RawBuilder<unknown>, pick: RawBuilder<unknown>) => (byCount ? sql`${r} + 1` : sql`list_append(${r}, ${pick})`),
    fresh: (step: StepDef, rids: RawBuilder<unknown>) => (byCount ? sql`1` : isStageLike(step) ? sql`['']` : sql`[${rids}[1]]`),
  };
  ctes.push(scope.kind === 'period'
    ? sql`s1 as (select person_id, ts as t1, ${run.start} as run from h1 where ts >= ${scope.start} and ts < ${scope.end})`
    : sql`s1 as (select person_id, ts as t1, ${run.start} as run from h1)`);
  for (const k of ks.slice(1)) {
    const step = steps[k - 1]!;
    const tPrev = col('t', k - 1);
    const prev = sql`s.${tPrev}`;
    const inWindow = (t: RawBuilder<unknown>) => sql`${t} <= s.t1 + to_microseconds(${window})`;
    if (step.source.kind === 'nth-order') {
      // a further valid order after the one at or after the previous step (never the same order twice)
      ctes.push(sql`${col('s', k)} as (
        select s.* exclude (run), case when ${prev} is not null and ${inWindow(sql`o2.ts`)} then o2.ts end as ${col('t', k)}, ${run.fresh(step, sql``)} as run
        from ${col('s', k - 1)} s
          asof left join ${col('g', k)} o1 on o1.person_id = s.person_id and o1.ts >= ${prev}
          left join ${col('g', k)} o2 on o2.person_id = s.person_id and o2.n = o1.n + ${sql.lit(step.source.further)})`);
      continue;
    }
    const stageStep = isStageLike(step);
    // the same instant: a hit there that is not an event the attempt already used at it, and records to spare
    const pick = stageStep ? sql`''` : sql`list_filter(same.rids, x -> not list_contains(s.run, x))[1]`;
    const spare = instants ? sql`coalesce(ic.n, 1) > ${run.used(sql`s.run`)}` : sql`true`;
    const sameOk = sql`(${prev} is not null and same.ts = ${prev} and ${spare} ${stageStep ? sql`` : sql`and ${pick} is not null`})`;
    const sameJoin = sql`asof left join ${col('g', k)} same on same.person_id = s.person_id and same.ts >= ${prev}
        ${instants ? sql`left join instants ic on ic.person_id = s.person_id and ic.ts = ${prev}` : sql``}`;
    const extra = stageStep ? [] : ['rids'];
    if (mode === 'strict') {
      // taking the step at the same instant or at the next one can each be the only way on: an attempt follows both
      const nextOk = sql`(${prev} is not null and next.ts is not null and ${inWindow(sql`next.ts`)} and qb.i = qa.i + 1)`;
      ctes.push(sql`${col('s', k)} as (
          with j as materialized (
            select s.*, ${sameOk} as same_ok, ${nextOk} as next_ok, ${run.add(sql`s.run`, pick)} as same_run, ${run.fresh(step, sql`next.rids`)} as next_run, next.ts as next_ts
            from ${col('s', k - 1)} s ${sameJoin}
              asof left join ${col('g', k)} next on next.person_id = s.person_id and next.ts > ${prev}
              left join sequence qa on qa.person_id = s.person_id and qa.ts = ${prev} left join sequence qb on qb.person_id = s.person_id and qb.ts = next.ts)
          select * exclude (run, same_ok, next_ok, same_run, next_run, next_ts), ${tPrev} as ${col('t', k)}, same_run as run from j where same_ok
          union all select * exclude (run, same_ok, next_ok, same_run, next_run, next_ts), next_ts, next_run from j where next_ok
          union all select * exclude (run, same_ok, next_ok, same_run, next_run, next_ts), null, null from j where not coalesce(same_ok, false) and not coalesce(next_ok, false))`);
      continue;
    }
    // ordered: the earliest hit at or after the previous step is best; only when it is at the previous
    // step's instant and cannot be used (the same event, no records to spare) is the next instant looked
    // up. The records of an instant are counted only for the attempts that meet a hit at their own instant.
    const own = (x: string) => sql.raw(extra.map((c) => `, ${x}.${c} as ${x}_${c}`).join(''));
    const drop = (...cols: string[]) => sql.raw(cols.join(', '));
    const fresh = (alias: string) => run.fresh(step, sql.raw(`${alias}_rids`));
    const pickA = stageStep ? sql`''` : sql`list_filter(a0.same_rids, x -> not list_contains(a0.run, x))[1]`;
    const sameOkA = sql`(a0.${tPrev} is not null and a0.at_ts = a0.${tPrev} ${instants ? sql`and coalesce(ic.n, 1) > ${run.used(sql`a0.run`)}` : sql``} ${stageStep ? sql`` : sql`and ${pickA} is not null`})`;
    ctes.push(sql`${col('s', k)} as (
        with a0 as materialized (
          select s.*, same.ts as at_ts ${own('same')}
          from ${col('s', k - 1)} s asof left join ${col('g', k)} same on same.person_id = s.person_id and same.ts >= ${prev}),
        ${instants
          ? sql`need as (select distinct person_id, ${tPrev} as ts from a0 where at_ts = ${tPrev}),
        cap as (
          select r.person_id, r.ts, count(*) as n from (${recordsSql(sql`true`, false, sql`select ts from need`)}) r
          semi join need c on c.person_id = r.person_id and c.ts = r.ts group by all),`
          : sql``}
        a as not materialized (
          select a0.*, ${sameOkA} as same_ok, ${run.add(sql`a0.run`, pickA)} as same_run
          from a0 ${instants ? sql`left join cap ic on ic.person_id = a0.person_id and ic.ts = a0.${tPrev}` : sql``}),
        -- few attempts: a correlated look-up (a hash join on them) rather than another ASOF join, which would sort all the hits
        later as (
          select r.*, ${stageStep ? sql`nx as next_ts` : sql`nx.ts as next_ts, nx.rids as next_rids`}
          from (select a.*, (select ${stageStep ? sql`min(g.ts)` : sql`arg_min({'ts': g.ts, 'rids': g.rids}, g.ts)`} from ${col('g', k)} g where g.person_id = a.person_id and g.ts > a.${tPrev}) as nx
                from a where a.at_ts = a.${tPrev} and not a.same_ok) r)
        select * exclude (${drop('run', 'at_ts', 'same_ok', 'same_run', ...extra.map((c) => `same_${c}`))}),
          case when same_ok then ${tPrev} when at_ts > ${tPrev} and at_ts <= t1 + to_microseconds(${window}) then at_ts end as ${col('t', k)},
          case when same_ok then same_run when at_ts > ${tPrev} and at_ts <= t1 + to_microseconds(${window}) then ${fresh('same')} end as run
        from a where not coalesce(at_ts = ${tPrev} and not same_ok, false)
        union all
        select * exclude (${drop('run', 'at_ts', 'same_ok', 'same_run', 'nx', 'next_ts', ...extra.flatMap((c) => [`same_${c}`, `next_${c}`]))}),
          case when next_ts <= t1 + to_microseconds(${window}) then next_ts end,
          case when next_ts <= t1 + to_microseconds(${window}) then ${fresh('next')} end
        from later)`);
  }
  const level = sql.join(ks.map((k) => sql`(${col('t', k)} is not null)::integer`), sql` + `);
  ctes.push(sql`chain as (select person_id, t1, [${sql.join(ks.map((k) => col('t', k)))}] as ts, ${level} as level from ${col('s', ks.length)})`);
  return sql.join(ctes);
}

/**
 * CTE `dropped(person_id)`: people with an exclusion event after their step i and before their step j
 * (before the window closed, when the attempt never reached j), in any attempt: PostHog drops them.
 */
function droppedCte(exclusions: ExclusionDef[], window: RawBuilder<unknown>, relevant: RawBuilder<unknown>): RawBuilder<unknown> {
  const parts = exclusions.map((x) => sql`
    select distinct c.person_id from chain c
    join (select * from (${hitsSql(x.step, 'ordered')}) where ${relevant}) x on x.person_id = c.person_id
      and x.ts > c.ts[${sql.lit(x.from)}]
      and x.ts < coalesce(c.ts[${sql.lit(x.to)}], c.t1 + to_microseconds(${window}) + interval 1 microsecond)`);
  return sql`dropped as (${sql.join(parts, sql` union `)})`;
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
  const window = windowUs(o.windowDays);
  const chain = orderedChainCtes(o.steps, o.windowDays, { kind: 'period', start: o.start, end: o.end }, o.mode === 'strict' ? 'strict' : 'ordered');
  const relevant = sql`ts >= ${o.start} and ts <= ${o.end} + to_microseconds(${window})`;
  return sql`${chain}, ${o.exclusions.length ? sql`${droppedCte(o.exclusions, window, relevant)},` : sql``}
      attempts as (select person_id, ${bucket ? sql`${bucket} as bucket,` : sql``} ts, level from chain
        ${o.exclusions.length ? sql`where person_id not in (select person_id from dropped)` : sql``})`;
}

/**
 * CTEs `attention` and `attempts(person_id[, bucket], ts, level)` of the any-order and unordered modes.
 * A record (an event, or a stage hit's instant) fills at most one step: `level` is bounded by the
 * records among the steps hit. any-order: entry = the first hit of any step in the period, step k
 * reached when steps 1..k were all hit within the window after entry. unordered (PostHog): every hit
 * instant in the period starts an attempt; its level = how many of the N steps were hit within the
 * window from it; ts = the steps' first hits in time order.
 */
function unorderedAttemptsCtes(o: FunnelSqlOptions): RawBuilder<unknown> {
  const ks = o.steps.map((_, i) => i + 1);
  const window = windowUs(o.windowDays);
  const bucket = o.group.kind === 'bucket' ? bucketSql(o.group.grain, sql.raw('e.t1'), o.config) : null;
  const relevant = sql`ts >= ${o.start} and ts <= ${o.end} + to_microseconds(${window})`;
  const { ctes, instants } = hitCtes(o.steps, o.mode, relevant, sql`attention as (select ${attentionStageSql(o)} as attention_stage)`);
  const union = sql.join(ks.map((k) => sql`select person_id, ts, rid, ${sql.lit(k)} as k from ${col('h', k)}`), sql` union all `);
  // a record = an event; the stage hits of one instant are as many records as the instant has (slots 0..n-1)
  const all = instants
    ? sql`select h.person_id, h.ts, h.k, coalesce(h.rid, 'at:' || epoch_us(h.ts) || '#' || ((row_number() over (partition by h.person_id, h.ts, h.rid is null order by h.k) - 1) % coalesce(ic.n, 1))) as record
        from (${union}) h left join instants ic on ic.person_id = h.person_id and ic.ts = h.ts`
    : sql`select person_id, ts, k, coalesce(rid, 'at:' || epoch_us(ts)) as record from (${union})`;
  const firsts = ks.map((k) => sql`min(h.ts) filter (where h.k = ${sql.lit(k)})`);
  // steps with the same rule share their hits: k steps of one rule need k of its records (Hall's condition
  // per rule, exact for rules with disjoint hits such as events), and j steps need j records in all
  const source = o.steps.map((s) => JSON.stringify(s.source));
  const first = (k: number) => source.indexOf(source[k - 1]!) + 1;
  const rules = (upTo: number) => [...new Set(ks.slice(0, upTo).map(first))].map((f) => ({ first: f, times: ks.slice(0, upTo).filter((k) => first(k) === f).length }));
  const recordsAt = (k: number) => sql`count(distinct h.record) filter (where h.k = ${sql.lit(k)})`;
  const recordsUpTo = (k: number) => sql`count(distinct h.record) filter (where h.k <= ${sql.lit(k)})`;
  let level: RawBuilder<unknown>;
  let starts: RawBuilder<unknown>;
  if (o.mode === 'any-order') {
    const cond = ks.map((j) => sql`(${sql.join(rules(j).map((r) => sql`${recordsAt(r.first)} >= ${sql.lit(r.times)}`), sql` and `)} and ${recordsUpTo(j)} >= ${sql.lit(j)})`);
    level = sql.join(ks.map((k) => sql`(${sql.join(cond.slice(0, k), sql` and `)})::integer`), sql` + `);
    starts = sql`select person_id, min(ts) as t1 from hits_any where ts >= ${o.start} and ts < ${o.end} group by person_id`;
  } else {
    level = sql`least(${sql.join(rules(ks.length).map((r) => sql`least(${recordsAt(r.first)}, ${sql.lit(r.times)})`), sql` + `)}, count(distinct h.record))`;
    starts = sql`select distinct person_id, ts as t1 from hits_any where ts >= ${o.start} and ts < ${o.end}`;
  }
  const ts = o.mode === 'any-order' ? sql`[${sql.join(firsts)}]` : sql`list_sort([${sql.join(firsts)}], 'ASC', 'NULLS LAST')`;
  return sql`${sql.join(ctes)},
      hits_any as materialized (${all}),
      entries as (${starts}),
      attempts as (
        select e.person_id, ${bucket ? sql`any_value(${bucket}) as bucket,` : sql``} ${o.mode === 'any-order' ? ts : sql`list_prepend(e.t1, ${ts}[2:])`} as ts, ${level} as level
        from entries e join hits_any h on h.person_id = e.person_id and h.ts >= e.t1 and h.ts <= e.t1 + to_microseconds(${window})
        group by e.person_id, e.t1)`;
}

/**
 * Rows of (grp, attention_stage, c1..cN, m2..mN): persons reaching each step and the median seconds
 * from the previous step, per group (one 'all' group, a bucket start, or a breakdown value).
 * `kept` = the period's dates, to read the attempts ingest keeps in `funnel_days` instead of walking hits.
 */
export function funnelSql(o: FunnelSqlOptions, kept?: KeptDays): RawBuilder<Record<string, unknown>> {
  const ks = o.steps.map((_, i) => i + 1);
  const bucket = o.group.kind === 'bucket' ? bucketSql(o.group.grain, sql.raw('t1'), o.config) : null;
  const ctes = kept || sequentialModes.includes(o.mode) ? orderedAttemptsCtes(o, kept) : unorderedAttemptsCtes(o);
  const bestOf = (where: RawBuilder<unknown>) => bestCte(where, bucket !== null);
  const grpOfBucket = bucket ? sql`cast(bucket as varchar)` : sql`'all'`;
  const counts = (from: number) => ks.slice(from - 1).map((k) => sql`(count(*) filter (where b.level >= ${sql.lit(k)}))::integer as ${col('c', k)}`);
  const medians = ks.slice(1).map((k) => (sequentialModes.includes(o.mode)
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
    ? sql`, credited as (${attributedSql(sql`select person_id, max(ts[level]) as credit_at from best group by person_id`, o.attribution, propertyKeys(o.filters, o.group.kind === 'breakdown' ? o.group.dimension : undefined))})`
    : sql``;
  const grp =
    o.group.kind === 'breakdown' ? touchValueSql('a', o.group.dimension) : o.group.kind === 'bucket' ? sql`cast(b.bucket as varchar)` : sql`'all'`;
  return sql<Record<string, unknown>>`
    with ${ctes}, ${bestOf(sql`level > 0`)} ${touch}
    select ${grp} as grp, (select attention_stage from attention) as attention_stage, ${sql.join([...counts(1), ...medians])}
    from best b ${needsTouch ? sql`left join credited a on a.person_id = b.person_id` : sql``}
    where ${needsTouch ? filterSql(o.filters, 'a') : sql`true`}
    group by all order by c1 desc, grp`;
}

/**
 * CTEs ending in `converted(person_id, level, ts)`: each person's best attempt that reached step 2 or
 * further (the same attempt the funnel counts), kept when the person passes the request's filters.
 */
export function convertedCtes(o: FunnelSqlOptions, kept?: KeptDays): RawBuilder<unknown> {
  const ctes = kept || sequentialModes.includes(o.mode) ? orderedAttemptsCtes(o, kept) : unorderedAttemptsCtes(o);
  const filtered = activeFilters(o.filters).length > 0;
  const touch = filtered ? sql`, credited as (${attributedSql(sql`select person_id, ts[level] as credit_at from best`, o.attribution, propertyKeys(o.filters))})` : sql``;
  return sql`${ctes}, ${bestCte(sql`level >= 2`)} ${touch},
    converted as (select b.person_id, b.level, b.ts from best b ${filtered ? sql`left join credited a on a.person_id = b.person_id where ${filterSql(o.filters, 'a')}` : sql``})`;
}
