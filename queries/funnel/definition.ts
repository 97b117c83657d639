// Which funnel a request means (SPEC §5.1): its parameters, its steps resolved from the config (the AIDA
// steps, a configured funnel, or ad-hoc steps), and its Attention stage — the one place both are decided.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Config, StageRule } from '../config.ts';
import { rows, type QueryContext } from '../define.ts';
import { checkPeriod, grainParam, periodParams, type Period } from '../shared/period.ts';
import { touchDimensions } from '../shared/dimensions.ts';
import { filterParams } from '../shared/touches.ts';

const stepList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^([a-z][a-z0-9_]*|event:.+|path:.+)$/, 'expected a stage name, event:<type> or path:<pattern>')).min(2, 'expected 2 to 10 steps').max(10, 'expected 2 to 10 steps'))
  .describe('ad-hoc funnel: 2–10 comma-separated steps, each a stage name, event:<type> or path:<pattern>');

export const funnelShape = periodParams.extend(filterParams.shape).extend({
  funnel: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a funnel name').default('aida').describe('"aida" or a funnel named in the config'),
  steps: stepList.optional(),
  mode: z.enum(['ordered', 'any-order']).optional().describe('default: the funnel\'s own mode, else ordered'),
  window_days: z.coerce.number().positive().max(730).optional().describe('conversion window from step 1; default: the funnel\'s, else conversion_window_days'),
  breakdown: z.enum(touchDimensions).optional(),
});

export const funnelParams = funnelShape.superRefine(checkPeriod);
export const funnelTrendParams = funnelShape.extend({ grain: grainParam.default('week') }).superRefine(checkPeriod);
export type FunnelParams = z.infer<typeof funnelParams>;

export const modes = ['ordered', 'any-order'] as const;
export type Mode = (typeof modes)[number];

/** Attention = `exposed`, or `visit` when no exposure falls in the period. */
export const attentionStages = ['exposed', 'visit'] as const;
export type AttentionStage = (typeof attentionStages)[number];

/** A funnel step: its key and label, and where its hits come from. */
export interface StepDef {
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

export const aidaSteps: StepDef[] = [
  { key: 'attention', label: 'Attention', source: { kind: 'attention' } },
  { key: 'interest', label: 'Interest', source: { kind: 'stage', stage: 'engaged' } },
  { key: 'desire', label: 'Desire', source: { kind: 'stage', stage: 'intent' } },
  { key: 'action', label: 'Action', source: { kind: 'stage', stage: 'purchase' } },
];

/** One step from its spec: a stage name, `event:<type>` or `path:<pattern>` (`index` 0 = the first step). */
export function stepFromSpec(spec: string, index: number, stages: Record<string, StageRule>): StepDef {
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

/**
 * The Attention stage of a period as SQL: `exposed` when an exposure falls in it, else `visit`. Over the
 * stage hits of [start, end), or over the kept `funnel_days` of the local dates [from, to).
 */
export function attentionStageSql(within: { start: RawBuilder<unknown>; end: RawBuilder<unknown> } | { keptFrom: RawBuilder<unknown>; keptTo: RawBuilder<unknown> }): RawBuilder<AttentionStage> {
  const exposure = 'start' in within
    ? sql`select 1 from stage_hits where stage = 'exposed' and ts >= ${within.start} and ts < ${within.end}`
    : sql`select 1 from funnel_days where variant = 'exposed' and day >= cast(${within.keptFrom} as date) and day < cast(${within.keptTo} as date)`;
  return sql<AttentionStage>`case when exists (${exposure}) then 'exposed' else 'visit' end`;
}

/** The Attention stage of a period, read once per request. */
export async function attentionStageOf(ctx: QueryContext, period: Period): Promise<AttentionStage> {
  const [row] = await rows(ctx, sql<{ stage: AttentionStage }>`select ${attentionStageSql({ start: sql`${period.start}`, end: sql`${period.end}` })} as stage`);
  return row?.stage === 'exposed' ? 'exposed' : 'visit';
}
