// GET /api/funnel/trends (SPEC §5.1): the same funnel per day, week or month of step-1 entry, each
// bucket counted like a funnel over that bucket alone.
import { z } from 'zod';
import { defineQuery } from '../define.ts';
import { comparisonPeriod } from '../shared/compare.ts';
import { notes } from '../shared/notes.ts';
import { nextPeriodStart } from '../shared/calendar.ts';
import { bucketLabel, bucketStart, grainParam } from '../shared/period.ts';
import { attentionStageOf, attentionStages, funnelTrendParams, modes, type AttentionStage, type FunnelParams } from './definition.ts';
import { funnelRows, notesFor, periodResult, prepare, toSteps, type Prepared } from './steps.ts';
import type { QueryContext } from '../define.ts';
import type { Grain } from '../shared/period.ts';
import { compareKinds } from '../shared/presets.ts';

const trendPeriod = z.strictObject({
  period: z.string(),
  start: z.string(),
  partial: z.boolean(),
  steps: z.array(z.strictObject({ key: z.string(), count: z.number().int(), rateFromFirst: z.number().nullable() })),
});

export const funnelTrendResult = z.strictObject({
  funnel: z.string(),
  mode: z.enum(modes),
  grain: grainParam,
  windowDays: z.number(),
  period: periodResult,
  attentionStage: z.enum(attentionStages),
  steps: z.array(z.strictObject({ key: z.string(), label: z.string() })),
  series: z.array(trendPeriod),
  comparison: z.strictObject({
    compare: z.enum(compareKinds),
    period: periodResult,
    attentionStage: z.enum(attentionStages),
    series: z.array(trendPeriod).describe('the comparison period\'s buckets, in order: bucket i stands beside the current series\' bucket i'),
  }).optional().describe('with compare='),
  notes,
});
export type FunnelTrendResult = z.infer<typeof funnelTrendResult>;

export const funnelTrends = defineQuery({
  name: 'funnel/trends',
  summary: 'The same funnel per day, week or month of step-1 entry (each bucket counted like a funnel over that bucket alone).',
  params: funnelTrendParams,
  result: funnelTrendResult,
  async run(ctx, p): Promise<FunnelTrendResult> {
    const prepared = await prepare(ctx, p);
    const { def, period, attention: attentionStage } = prepared;
    const before = p.compare ? comparisonPeriod(period, p.compare, ctx.config.timezone) : null;
    const earlier: Prepared | null = before ? { def, period: before, attention: await attentionStageOf(ctx, before) } : null;
    const [series, compared] = await Promise.all([trendSeries(ctx, p, prepared, p.grain), earlier ? trendSeries(ctx, p, earlier, p.grain) : null]);
    return {
      funnel: def.name, mode: def.mode, grain: p.grain, windowDays: def.windowDays, period: { from: period.from, to: period.to }, attentionStage,
      steps: toSteps(def.steps, undefined, attentionStage).map((s) => ({ key: s.key, label: s.label })),
      series,
      ...(earlier && compared && p.compare ? { comparison: { compare: p.compare, period: { from: earlier.period.from, to: earlier.period.to }, attentionStage: earlier.attention, series: compared } } : {}),
      notes: await notesFor(ctx, def, period, attentionStage),
    };
  },
  csv: (r) => [
    ...r.series.flatMap((b) => b.steps.map((s) => ({ series: 'current', period: b.period, start: b.start, partial: b.partial, step: s.key, count: s.count, rate_from_first: s.rateFromFirst }))),
    ...(r.comparison?.series.flatMap((b) => b.steps.map((s) => ({ series: r.comparison!.compare, period: b.period, start: b.start, partial: b.partial, step: s.key, count: s.count, rate_from_first: s.rateFromFirst }))) ?? []),
  ],
});

/** The buckets of one period, each counted like a funnel over that bucket alone. */
async function trendSeries(ctx: QueryContext, p: FunnelParams, prepared: Prepared, grain: Grain): Promise<FunnelTrendResult['series']> {
  const { def, period, attention } = prepared;
  const groups = await funnelRows(ctx, p, prepared, { kind: 'bucket', grain });
  const byStart = new Map(groups.map((g) => [String(g.grp).slice(0, 10), g]));
  const series: FunnelTrendResult['series'] = [];
  for (let b = bucketStart(grain, period.from, ctx.config.week_start); b < period.to; b = nextPeriodStart(grain, b)) {
    const steps = toSteps(def.steps, byStart.get(b), attention as AttentionStage);
    series.push({
      period: bucketLabel(grain, b),
      start: b,
      partial: b < period.from || nextPeriodStart(grain, b) > period.to,
      steps: steps.map((s) => ({ key: s.key, count: s.count, rateFromFirst: s.rateFromFirst })),
    });
  }
  return series;
}
