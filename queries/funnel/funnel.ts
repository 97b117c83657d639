// GET /api/funnel (SPEC §5.1): the AIDA funnel, a configured or an ad-hoc one — persons per step,
// conversion, drop-off, median time between steps; optionally broken down by first/last touch.
import { z } from 'zod';
import { defineQuery } from '../define.ts';
import { change, changeOf, comparisonPeriod } from '../shared/compare.ts';
import { notes } from '../shared/notes.ts';
import { attributedDimension, maxBreakdownValues, otherValue } from '../shared/touches.ts';
import { attentionStageOf, attentionStages, funnelParams, modes } from './definition.ts';
import { funnelRows, funnelStep, notesFor, periodResult, prepare, toSteps, type FunnelStep, type Prepared } from './steps.ts';
import { compareKinds } from '../shared/presets.ts';

export const funnelResult = z.strictObject({
  funnel: z.string(),
  label: z.string(),
  mode: z.enum(modes),
  windowDays: z.number(),
  period: periodResult,
  attribution: z.enum(['first', 'last']),
  attentionStage: z.enum(attentionStages).describe('what Attention counted: exposed (impressions), or visit when the period has none'),
  steps: z.array(funnelStep),
  breakdown: z.strictObject({ dimension: attributedDimension, values: z.array(z.strictObject({ value: z.string(), steps: z.array(funnelStep) })) }).optional(),
  comparison: z.strictObject({
    compare: z.enum(compareKinds),
    period: periodResult,
    attentionStage: z.enum(attentionStages),
    steps: z.array(funnelStep).describe('the same funnel over the comparison period'),
    change: z.array(z.strictObject({ key: z.string(), count: change, rateFromFirst: change, rateFromPrevious: change })).describe('per step, this period against the comparison'),
  }).optional().describe('with compare='),
  notes,
});
export type FunnelResult = z.infer<typeof funnelResult>;

export const funnel = defineQuery({
  name: 'funnel',
  summary: 'The AIDA funnel (or a configured / ad-hoc funnel): persons per step, conversion, drop-off, median time between steps; optional breakdown.',
  params: funnelParams,
  result: funnelResult,
  async run(ctx, p): Promise<FunnelResult> {
    const prepared = await prepare(ctx, p);
    const { def, period, attention: attentionStage } = prepared;
    const before = p.compare ? comparisonPeriod(period, p.compare, ctx.config.timezone) : null;
    const earlier: Prepared | null = before ? { def, period: before, attention: await attentionStageOf(ctx, before) } : null;
    const [[total], compared] = await Promise.all([funnelRows(ctx, p, prepared, { kind: 'all' }), earlier ? funnelRows(ctx, p, earlier, { kind: 'all' }) : null]);
    const result: FunnelResult = {
      funnel: def.name,
      label: def.label,
      mode: def.mode,
      windowDays: def.windowDays,
      period: { from: period.from, to: period.to },
      attribution: p.attribution,
      attentionStage,
      steps: toSteps(def.steps, total, attentionStage),
      notes: await notesFor(ctx, def, period, attentionStage),
    };
    if (earlier && p.compare) {
      const steps = toSteps(def.steps, compared?.[0], earlier.attention);
      result.comparison = {
        compare: p.compare, period: { from: earlier.period.from, to: earlier.period.to }, attentionStage: earlier.attention, steps,
        change: result.steps.map((s, i) => ({
          key: s.key, count: changeOf(s.count, steps[i]!.count), rateFromFirst: changeOf(s.rateFromFirst, steps[i]!.rateFromFirst), rateFromPrevious: changeOf(s.rateFromPrevious, steps[i]!.rateFromPrevious),
        })),
      };
    }
    if (p.breakdown) {
      const groups = await funnelRows(ctx, p, prepared, { kind: 'breakdown', dimension: p.breakdown });
      const shown = groups.slice(0, maxBreakdownValues);
      const rest = groups.slice(maxBreakdownValues);
      const values = shown.map((g) => ({ value: String(g.grp), steps: toSteps(def.steps, g, attentionStage) }));
      if (rest.length) {
        const summed: Record<string, unknown> = {};
        for (let k = 1; k <= def.steps.length; k++) summed[`c${k}`] = rest.reduce((s, g) => s + Number(g[`c${k}`]), 0);
        values.push({ value: otherValue, steps: toSteps(def.steps, summed, attentionStage) });
      }
      result.breakdown = { dimension: p.breakdown, values };
    }
    return result;
  },
  csv: (r) => [
    ...r.steps.map((s) => ({ group: 'all', ...stepCsv(s) })),
    ...(r.breakdown?.values.flatMap((v) => v.steps.map((s) => ({ group: `${r.breakdown!.dimension}=${v.value}`, ...stepCsv(s) }))) ?? []),
    ...(r.comparison?.steps.map((s) => ({ group: `${r.comparison!.compare}=${r.comparison!.period.from}_${r.comparison!.period.to}`, ...stepCsv(s) })) ?? []),
  ],
});

function stepCsv(s: FunnelStep) {
  return {
    step: s.key, label: s.label, count: s.count, rate_from_previous: s.rateFromPrevious, rate_from_first: s.rateFromFirst,
    ci_low: s.ci?.[0] ?? null, ci_high: s.ci?.[1] ?? null, small: s.small, drop_off: s.dropOff, median_seconds_from_previous: s.medianSecondsFromPrevious,
  };
}
