// GET /api/funnel/trends (SPEC §5.1): the same funnel per day, week or month of step-1 entry, each
// bucket counted like a funnel over that bucket alone.
import { z } from 'zod';
import { defineQuery } from '../define.ts';
import { notes } from '../shared/notes.ts';
import { bucketLabel, bucketStart, grainParam, nextBucket } from '../shared/period.ts';
import { attentionStages, funnelTrendParams, modes } from './definition.ts';
import { funnelRows, notesFor, periodResult, prepare, toSteps } from './steps.ts';

export const funnelTrendResult = z.strictObject({
  funnel: z.string(),
  mode: z.enum(modes),
  grain: grainParam,
  windowDays: z.number(),
  period: periodResult,
  attentionStage: z.enum(attentionStages),
  steps: z.array(z.strictObject({ key: z.string(), label: z.string() })),
  series: z.array(z.strictObject({
    period: z.string(),
    start: z.string(),
    partial: z.boolean(),
    steps: z.array(z.strictObject({ key: z.string(), count: z.number().int(), rateFromFirst: z.number().nullable() })),
  })),
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
      funnel: def.name, mode: def.mode, grain: p.grain, windowDays: def.windowDays, period: { from: period.from, to: period.to }, attentionStage,
      steps: toSteps(def.steps, undefined, attentionStage).map((s) => ({ key: s.key, label: s.label })),
      series,
      notes: await notesFor(ctx, def, period, attentionStage),
    };
  },
  csv: (r) => r.series.flatMap((b) => b.steps.map((s) => ({ period: b.period, start: b.start, partial: b.partial, step: s.key, count: s.count, rate_from_first: s.rateFromFirst }))),
});
