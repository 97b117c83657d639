// The I1–I5 efficiency chain (SPEC §5.2, after Berthon, Pitt & Watson 1996): Q-levels Q0–Q5 with
// their source, the five ratios with Wilson intervals, the overall index, the chain product, and the
// decomposition of the change in purchases between two periods into audience and I1–I4.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import { defineQuery, rows, type QueryContext } from './define.ts';
import { campaignKindSql } from './shared/brand.ts';
import { change, changeOf, compareParam, comparisonPeriod } from './shared/compare.ts';
import { compareKinds, type CompareKind } from './shared/presets.ts';
import { personOrdersSql } from './shared/orders.ts';
import { dataRange, metricKinds, resolvePeriod } from './shared/data-range.ts';
import { addDays, checkPeriod, isoDate, localDate, periodParams, zonedMidnight, daysBetween, type Period } from './shared/period.ts';
import { note, noteOf, notes, type Note } from './shared/notes.ts';
import { rate } from './shared/rates.ts';
import { activeFilters, attributedSql, filterParams, filterSql, isPropertyDimension, maxBreakdownValues, otherValue, propertyDimension, propertyKeys, touchValueSql, unknownValue, type Filters } from './shared/touches.ts';

const breakdownDimensions = ['channel', 'campaign', 'brand'] as const;
const breakdownParam = z.union([z.enum(breakdownDimensions), propertyDimension]);

export const efficiencyParams = periodParams
  .extend(filterParams.shape)
  .extend({
    breakdown: breakdownParam.optional().describe('levels and ratios per attributed channel, campaign, brand vs direct-response, or property:<key> (top 20 values by visitors, the rest as (other))'),
    compare_from: isoDate.optional().describe('start of the period to compare with; default: the same number of days just before `from`'),
    compare_to: isoDate.optional().describe('end (exclusive) of the comparison period; default: `from`'),
    compare: compareParam.optional(),
  })
  .superRefine(checkPeriod);

export const levelKeys = ['Q0', 'Q1', 'Q2', 'Q3', 'Q4', 'Q5'] as const;
export type LevelKey = (typeof levelKeys)[number];
const ratioKeys = ['I1', 'I2', 'I3', 'I4', 'I5'] as const;

export const level = z.strictObject({
  key: z.enum(levelKeys),
  label: z.string().describe('the English name (CSV); the web names levels by key'),
  value: z.number().nullable(),
  source: z.string().nullable().describe('where the count comes from: config.audience, campaigns.audience, impressions, campaigns.reach, visit, visit+engaged, purchase, purchase (of Q3), repurchase'),
  estimate: z.boolean(),
  complete: z.boolean(),
  reason: note.optional().describe('why the value is missing or provisional'),
});
export type Level = z.infer<typeof level>;

export const ratio = z.strictObject({
  key: z.enum(ratioKeys),
  label: z.string(),
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  small: z.boolean(),
  reason: note.optional(),
});
export type Ratio = z.infer<typeof ratio>;

const chainShape = {
  levels: z.array(level),
  ratios: z.array(ratio),
  overallIndex: z.number().nullable(),
  chainProduct: z.number().nullable(),
};
export const chain = z.strictObject(chainShape);
export type Chain = z.infer<typeof chain>;

const levelLabels: Record<LevelKey, string> = {
  Q0: 'Surfers (target audience)', Q1: 'Aware surfers', Q2: 'Hits (visitors)', Q3: 'Active visitors', Q4: 'Purchasers', Q5: 'Repurchasers',
};
const ratioLabels = { I1: 'Awareness', I2: 'Attractability', I3: 'Contact', I4: 'Conversion', I5: 'Retention' } as const;

type Group = z.infer<typeof breakdownParam>;

/** Person counts Q1 (exposed), Q2–Q5 per group for one period; `last_tp` = latest first-purchase instant of Q4. */
function personLevelsSql(config: Config, period: Period, filters: Partial<Filters>, group: Group | undefined): RawBuilder<Record<string, unknown>> {
  const windowUs = sql.lit(Math.round(config.repurchase_window_days * 86_400e6));
  const q4 = config.q4_mode === 'nested' ? sql`vi and en and tp is not null` : sql`tp is not null`;
  const needsTouch = group !== undefined || activeFilters(filters).length > 0;
  const grp =
    group === undefined ? sql`'all'`
    : group === 'brand' ? sql`coalesce(${campaignKindSql(config, sql`a.campaign`, sql`a.medium`)}, ${unknownValue})`
    : touchValueSql('a', group);
  // a property can have any number of values: the top ones by visitors (Q2), the rest summed as (other)
  const capped = group !== undefined && isPropertyDimension(group);
  return sql<Record<string, unknown>>`
    with period_persons as (
      select person_id,
        bool_or(stage = 'exposed') as ex, bool_or(stage = 'visit') as vi, bool_or(stage = 'engaged') as en,
        min(ts) filter (where stage = 'purchase') as tp, max(ts) as credit_at
      from stage_hits
      where ts >= ${period.start} and ts < ${period.end} and stage in ('exposed', 'visit', 'engaged', 'purchase')
      group by person_id
    ),
    person_orders as (${personOrdersSql(sql`select person_id from period_persons where tp is not null`)}),
    -- Q5: a further valid order within the window of the first purchase in the period: the second valid
    -- order at or after it (the first being the purchase's own order)
    levels as (
      select p.*, (${q4}) as q4, (${q4}) and o2.ts <= p.tp + to_microseconds(${windowUs}) as q5
      from period_persons p
        asof left join person_orders o1 on o1.person_id = p.person_id and o1.ts >= p.tp
        left join person_orders o2 on o2.person_id = p.person_id and o2.n = o1.n + 1
    )
    ${needsTouch ? sql`, credited as (${attributedSql(sql`select person_id, credit_at from period_persons`, filters.attribution ?? 'first', propertyKeys(filters, group))})` : sql``},
    grouped as (
      select l.*, ${grp} as grp0 from levels l ${needsTouch ? sql`left join credited a on a.person_id = l.person_id` : sql``}
      where ${needsTouch ? filterSql(filters, 'a') : sql`true`}
    )
    ${capped ? sql`, top_values as (select grp0 from grouped group by grp0 order by count(*) filter (where vi) desc, grp0 limit ${sql.lit(maxBreakdownValues)})` : sql``}
    select ${capped ? sql`case when grp0 in (select grp0 from top_values) then grp0 else ${otherValue} end` : sql`grp0`} as grp,
      (count(*) filter (where ex))::integer as q1, (count(*) filter (where vi))::integer as q2,
      (count(*) filter (where vi and en))::integer as q3, (count(*) filter (where q4))::integer as q4,
      (count(*) filter (where q5))::integer as q5, max(tp) filter (where q4) as last_tp
    from grouped
    group by all`;
}

interface CampaignLevels {
  grp: string;
  audience: number | null;
  reach: number | null;
}

/** Σ over campaigns of their largest audience in the period, and Σ reach, per group (estimates). */
async function campaignEstimates(ctx: QueryContext, period: Period, filters: Partial<Filters>, group: Group | undefined): Promise<Map<string, CampaignLevels> | null> {
  // the campaigns log knows campaign, source and medium; any other filter makes its sums meaningless
  if (activeFilters(filters).some(([d]) => !['campaign', 'source', 'medium'].includes(d)) || group === 'channel') return null;
  const conds = activeFilters(filters).map(([d, values]) => sql`${sql.ref(d)} in (${sql.join(values)})`);
  const grp = group === 'campaign' ? sql`campaign` : group === 'brand' ? campaignKindSql(ctx.config, sql`campaign`, sql`nullif(medium, '')`) : sql`'all'`;
  const found = await rows(ctx, sql<CampaignLevels>`
    with per_campaign as (
      select ${grp} as grp, max(audience) as audience, sum(reach) as reach
      from campaigns
      where date >= ${period.from}::date and date < ${period.to}::date ${conds.length ? sql`and ${sql.join(conds, sql` and `)}` : sql``}
      group by source, medium, campaign
    )
    select grp, sum(audience)::double as audience, sum(reach)::double as reach from per_campaign group by grp`);
  return new Map(found.map((r) => [r.grp, r]));
}

/** Q0 from the config: a constant, or per month averaged over the period's days. */
function configAudience(config: Config, period: Period): { value: number | null; reason?: Note } | null {
  const a = config.audience;
  if (a === undefined) return null;
  if (typeof a === 'number') return { value: a };
  let sum = 0;
  for (let d = period.from; d < period.to; d = addDays(d, 1)) {
    const v = a[d.slice(0, 7)];
    if (v === undefined) return { value: null, reason: noteOf('efficiency_audience_month_missing', { level: 'Q0', month: d.slice(0, 7) }) };
    sum += v;
  }
  return { value: Math.round(sum / daysBetween(period.from, period.to)) };
}

function chainOf(levels: Level[]): Chain {
  const v = (k: number) => levels[k]!.value;
  const ratios: Ratio[] = ratioKeys.map((key, i) => {
    const num = v(i + 1);
    const den = v(i);
    const r = rate(num, den);
    const reason = num === null || den === null ? noteOf('efficiency_level_unavailable', { level: num === null ? levels[i + 1]!.key : levels[i]!.key }) : den === 0 ? noteOf('efficiency_level_zero', { level: levels[i]!.key }) : undefined;
    return { key, label: ratioLabels[key], value: r.value, numerator: num, denominator: den, ci: r.ci, small: r.small, ...(reason ? { reason } : {}) };
  });
  const available = ratios.map((r) => r.value).filter((x): x is number => x !== null);
  const q0 = v(0);
  const q5 = v(5);
  return {
    levels,
    ratios,
    overallIndex: available.length ? available.reduce((s, x) => s + x, 0) / available.length : null,
    chainProduct: q0 !== null && q0 > 0 && q5 !== null ? q5 / q0 : null,
  };
}

/** Q0–Q5 and I1–I5 for one period, per group ('all' when ungrouped). Exported for campaigns and the snapshot. */
export async function efficiencyChains(ctx: QueryContext, period: Period, filters: Partial<Filters> = {}, group?: Group): Promise<Map<string, Chain>> {
  const [persons, estimates, range, sales] = await Promise.all([
    rows(ctx, personLevelsSql(ctx.config, period, filters, group)),
    campaignEstimates(ctx, period, filters, group),
    dataRange(ctx, metricKinds.efficiency),
    dataRange(ctx, ['sales']),
  ]);
  const fromConfig = group === undefined && activeFilters(filters).length === 0 ? configAudience(ctx.config, period) : null;
  const groups = new Set<string>([...persons.map((p) => String(p.grp)), ...(group === 'campaign' ? [...(estimates?.keys() ?? [])] : [])]);
  if (group === undefined) groups.add('all');
  // with impressions in the period, a group without exposed people has Q1 = 0, not "unknown"
  const exposures = persons.some((x) => Number(x.q1) > 0);
  const out = new Map<string, Chain>();
  for (const g of groups) {
    const p = persons.find((x) => x.grp === g);
    const est = estimates?.get(g);
    const count = (k: string) => Number(p?.[k] ?? 0);
    const lastTp = p?.last_tp as Date | null | undefined;
    // a repurchase is an order: its window is open while it runs past the last order
    const repurchaseOpen = lastTp && sales.last && lastTp.getTime() + ctx.config.repurchase_window_days * 86_400_000 > sales.last.getTime();
    const partial = period.to > addDays(localDate(range.last ?? period.end, ctx.config.timezone), 1);
    const level = (key: LevelKey, value: number | null, source: string | null, extra: Partial<Level> = {}): Level => ({
      key, label: levelLabels[key], value, source, estimate: false, complete: !partial, ...extra,
    });
    const q0 = fromConfig
      ? level('Q0', fromConfig.value, 'config.audience', fromConfig.reason ? { reason: fromConfig.reason } : {})
      : est?.audience != null
        ? level('Q0', est.audience, 'campaigns.audience', { estimate: true })
        : level('Q0', null, null, { reason: group === 'channel' ? noteOf('efficiency_audience_per_channel', { level: 'Q0' }) : noteOf('efficiency_no_audience', { level: 'Q0' }) });
    const q1 = exposures
      ? level('Q1', count('q1'), 'impressions')
      : est?.reach != null
        ? level('Q1', est.reach, 'campaigns.reach', { estimate: true, reason: noteOf('efficiency_reach_overcounts', { level: 'Q1' }) })
        : level('Q1', null, null, { reason: noteOf('efficiency_no_impressions', { level: 'Q1' }) });
    out.set(g, chainOf([
      q0,
      q1,
      level('Q2', count('q2'), 'visit'),
      level('Q3', count('q3'), 'visit+engaged'),
      level('Q4', count('q4'), ctx.config.q4_mode === 'nested' ? 'purchase (of Q3)' : 'purchase'),
      level('Q5', count('q5'), 'repurchase', repurchaseOpen
        ? { complete: false, reason: noteOf('efficiency_repurchase_window_open', { level: 'Q5', windowDays: ctx.config.repurchase_window_days }) }
        : {}),
    ]));
  }
  return out;
}

export const decompositionResult = z.strictObject({
  previous: z.strictObject({ from: z.string(), to: z.string() }),
  purchases: z.strictObject({ previous: z.number().nullable(), current: z.number().nullable() }),
  logChange: z.number().nullable(),
  factors: z.array(z.strictObject({
    key: z.string(),
    label: z.string(),
    previous: z.number().nullable(),
    current: z.number().nullable(),
    logChange: z.number().nullable(),
    share: z.number().nullable(),
    purchases: z.number().nullable().describe("the factor's contribution to the change in purchases, in purchases (log-mean split: the factors add up to current − previous)"),
    points: z.number().nullable().describe('the same contribution as a fraction of the previous purchases (0.034 = +3.4 percentage points of the % change)'),
    estimate: z.boolean().describe('the factor rests on an estimated level (an audience or reach summed from campaigns): shown, not ranked as a mover'),
  })),
  reason: note.optional().describe('why the change cannot be split'),
});
export type Decomposition = z.infer<typeof decompositionResult>;

/**
 * ln(Q4'/Q4) = ln(A'/A) + Σ ln(Ik'/Ik) over the ratios after the audience level A (the first level
 * known in both periods: Q0, else Q1, else Q2); each factor's share of the total log-change, and its
 * contribution in purchases by the log-mean split ΔQ4_k = L(Q4', Q4) · ln(x_k'/x_k), with
 * L(a, b) = (a − b) / ln(a / b) (and L(a, a) = a), so the contributions add up to Q4' − Q4 exactly.
 */
export function decompose(current: Chain, previous: Chain, previousPeriod: { from: string; to: string }): Decomposition {
  const q4 = { previous: previous.levels[4]!.value, current: current.levels[4]!.value };
  const base = { previous: previousPeriod, purchases: q4 };
  const start = [0, 1, 2].find((k) => (current.levels[k]!.value ?? 0) > 0 && (previous.levels[k]!.value ?? 0) > 0);
  if (start === undefined) return { ...base, logChange: null, factors: [], reason: noteOf('decomposition_no_audience') };
  const ratioKeys = current.ratios.slice(start, 4);
  const ln = (a: number | null, b: number | null) => (a !== null && b !== null && a > 0 && b > 0 ? Math.log(a / b) : null);
  const total = ln(q4.current, q4.previous);
  const audience = current.levels[start]!;
  const logMean = total === null ? null : total === 0 ? q4.current! : (q4.current! - q4.previous!) / total;
  // a level estimated in either period makes the factors it enters estimates: A itself, and Ik = Qk / Qk−1
  const estimated = (k: number) => !!(current.levels[k]?.estimate || previous.levels[k]?.estimate);
  const factors = [
    { key: audience.key, label: audience.label, previous: previous.levels[start]!.value, current: audience.value, estimate: estimated(start) },
    ...ratioKeys.map((r, i) => ({ key: r.key, label: r.label, previous: previous.ratios[start + i]!.value, current: r.value, estimate: estimated(start + i) || estimated(start + i + 1) })),
  ].map(({ estimate, ...f }) => {
    const logChange = ln(f.current, f.previous);
    const purchases = logChange !== null && logMean !== null ? logMean * logChange : null;
    return {
      ...f,
      logChange,
      share: logChange !== null && total !== null && total !== 0 ? logChange / total : null,
      purchases,
      points: purchases !== null && q4.previous ? purchases / q4.previous : null,
      estimate,
    };
  });
  const reason = total === null ? noteOf('decomposition_purchases_zero') : factors.some((f) => f.logChange === null) ? noteOf('decomposition_ratio_unknown') : undefined;
  return { ...base, logChange: total, factors, ...(reason ? { reason } : {}) };
}

export const efficiencyResult = z.strictObject({
  period: z.strictObject({ from: z.string(), to: z.string() }),
  q4Mode: z.enum(['nested', 'independent']),
  ...chainShape,
  breakdown: z.strictObject({ dimension: breakdownParam, values: z.array(z.strictObject({ value: z.string(), ...chainShape })) }).optional(),
  decomposition: decompositionResult.nullable(),
  comparison: z.strictObject({
    compare: z.enum(compareKinds),
    period: z.strictObject({ from: z.string(), to: z.string() }),
    ...chainShape,
    change: z.strictObject({
      levels: z.array(z.strictObject({ key: z.enum(levelKeys), ...change.shape })),
      ratios: z.array(z.strictObject({ key: z.enum(ratioKeys), ...change.shape })),
      overallIndex: change,
      chainProduct: change,
    }).describe('this period against the comparison'),
  }).optional().describe('with compare= (the decomposition then explains the change against the same period)'),
  notes,
});
export type EfficiencyResult = z.infer<typeof efficiencyResult>;

export const efficiency = defineQuery({
  name: 'efficiency',
  summary: 'Q0–Q5 with their sources, I1–I5 with Wilson intervals, the overall index, the chain product, and the decomposition of the change in purchases.',
  params: efficiencyParams,
  result: efficiencyResult,
  async run(ctx, p): Promise<EfficiencyResult> {
    const period = await resolvePeriod(ctx, p, metricKinds.efficiency);
    const tz = ctx.config.timezone;
    const asked = p.compare ? comparisonPeriod(period, p.compare, tz) : null;
    const prevTo = p.compare_to ?? asked?.to ?? period.from;
    const prevFrom = p.compare_from ?? asked?.from ?? addDays(prevTo, -period.days);
    const previous: Period = { from: prevFrom, to: prevTo, start: zonedMidnight(prevFrom, tz), end: zonedMidnight(prevTo, tz), days: daysBetween(prevFrom, prevTo) };
    const [current, before, grouped] = await Promise.all([
      efficiencyChains(ctx, period, p),
      efficiencyChains(ctx, previous, p),
      p.breakdown ? efficiencyChains(ctx, period, p, p.breakdown) : Promise.resolve(null),
    ]);
    const chain = current.get('all')!;
    const notes: Note[] = [];
    // a missing level's reason names the level (its `level` parameter)
    for (const l of chain.levels) if (l.value === null && l.reason) notes.push(l.reason);
    if (chain.levels[1]!.estimate) notes.push(noteOf('efficiency_q1_estimate'));
    const { first } = await dataRange(ctx, metricKinds.efficiency);
    const decomposition = first && previous.end.getTime() > first.getTime() ? decompose(chain, before.get('all')!, { from: prevFrom, to: prevTo }) : null;
    if (!decomposition) notes.push(noteOf('efficiency_nothing_before', { from: period.from }));
    return {
      period: { from: period.from, to: period.to },
      q4Mode: ctx.config.q4_mode,
      ...chain,
      ...(grouped ? { breakdown: { dimension: p.breakdown!, values: [...grouped].map(([value, c]) => ({ value, ...c })).sort((a, b) => (b.levels[2]!.value ?? 0) - (a.levels[2]!.value ?? 0)) } } : {}),
      decomposition,
      ...(p.compare ? { comparison: comparisonOf(p.compare, { from: prevFrom, to: prevTo }, chain, before.get('all')!) } : {}),
      notes,
    };
  },
  csv: (r) => {
    const flat = (group: string, c: Chain) => [
      ...c.levels.map((l) => ({ group, key: l.key, label: l.label, value: l.value, numerator: null, denominator: null, ci_low: null, ci_high: null, source: l.source, estimate: l.estimate, complete: l.complete, reason: l.reason?.code ?? null })),
      ...c.ratios.map((x) => ({ group, key: x.key, label: x.label, value: x.value, numerator: x.numerator, denominator: x.denominator, ci_low: x.ci?.[0] ?? null, ci_high: x.ci?.[1] ?? null, source: null, estimate: null, complete: null, reason: x.reason?.code ?? null })),
    ];
    return [...flat('all', r), ...(r.breakdown?.values.flatMap((v) => flat(`${r.breakdown!.dimension}=${v.value}`, v)) ?? [])];
  },
});

/** The comparison period's chain beside this one, with the change of every level and ratio. */
function comparisonOf(compare: CompareKind, period: { from: string; to: string }, now: Chain, before: Chain): NonNullable<EfficiencyResult['comparison']> {
  return {
    compare, period, ...before,
    change: {
      levels: now.levels.map((l, i) => ({ key: l.key, ...changeOf(l.value, before.levels[i]!.value) })),
      ratios: now.ratios.map((r, i) => ({ key: r.key, ...changeOf(r.value, before.ratios[i]!.value) })),
      overallIndex: changeOf(now.overallIndex, before.overallIndex),
      chainProduct: changeOf(now.chainProduct, before.chainProduct),
    },
  };
}
