// GET /api/funnel (SPEC §5.1): the AIDA funnel, a configured or an ad-hoc one — persons per step,
// conversion, drop-off, median time between steps; optionally broken down by first/last touch.
import { z } from 'zod';
import { defineQuery } from '../define.ts';
import { notes } from '../shared/notes.ts';
import { touchDimensions } from '../shared/dimensions.ts';
import { attentionStages, funnelParams, modes } from './definition.ts';
import { funnelRows, funnelStep, notesFor, periodResult, prepare, toSteps, type FunnelStep } from './steps.ts';

export const funnelResult = z.strictObject({
  funnel: z.string(),
  label: z.string(),
  mode: z.enum(modes),
  windowDays: z.number(),
  period: periodResult,
  attribution: z.enum(['first', 'last']),
  attentionStage: z.enum(attentionStages).describe('what Attention counted: exposed (impressions), or visit when the period has none'),
  steps: z.array(funnelStep),
  breakdown: z.strictObject({ dimension: z.enum(touchDimensions), values: z.array(z.strictObject({ value: z.string(), steps: z.array(funnelStep) })) }).optional(),
  notes,
});
export type FunnelResult = z.infer<typeof funnelResult>;

/** Breakdown values beyond this many are summed into "(other)". */
const maxBreakdownValues = 20;

export const funnel = defineQuery({
  name: 'funnel',
  summary: 'The AIDA funnel (or a configured / ad-hoc funnel): persons per step, conversion, drop-off, median time between steps; optional breakdown.',
  params: funnelParams,
  result: funnelResult,
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
      attentionStage,
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
