// Which funnel a request means (SPEC §5.1): its parameters, its steps resolved from the config (the AIDA
// steps, a configured funnel, or ad-hoc steps), and its Attention stage — the one place both are decided.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Config, StageRule } from '../config.ts';
import { rows, type QueryContext } from '../define.ts';
import { compareParam } from '../shared/compare.ts';
import { checkPeriod, grainParam, periodParams, type Period } from '../shared/period.ts';
import { attributedDimension, filterParams } from '../shared/touches.ts';

/** A step as text: a stage name, `event:<type>` or `path:<pattern>`. */
const stepText = /^([a-z][a-z0-9_]*|event:.+|path:.+)$/;
const stepExpected = 'expected a stage name, event:<type>, path:<pattern>, or a JSON object {"event"|"path"|"stage": ..., "where": {"<property>": "<value>"}}';

/** A step as a JSON object: one of event / path / stage, and optional property conditions on the event. */
const stepObject = z.strictObject({
  event: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  stage: z.string().regex(/^[a-z][a-z0-9_]*$/).optional(),
  where: z.record(z.string().min(1), z.string()).optional(),
});
export type StepSpec = string | z.infer<typeof stepObject>;

/** One step spec checked; `at` names it in the message ("step 2"). */
function checkSpec(spec: unknown, at: string, ctx: z.RefinementCtx, path: (string | number)[]): spec is StepSpec {
  if (typeof spec === 'string') {
    if (stepText.test(spec)) return true;
    ctx.addIssue({ code: 'custom', path, message: `${at} "${spec}": ${stepExpected}` });
    return false;
  }
  const o = stepObject.safeParse(spec);
  const kinds = o.success ? (['event', 'path', 'stage'] as const).filter((k) => o.data[k] !== undefined) : [];
  if (o.success && kinds.length === 1 && !(o.data.where && o.data.stage)) return true;
  ctx.addIssue({ code: 'custom', path, message: `${at} ${JSON.stringify(spec)}: ${stepExpected} (exactly one of event, path, stage; "where" only with event or path)` });
  return false;
}

const stepCount = (n: number, ctx: z.RefinementCtx) => {
  if (n < 2 || n > 10) ctx.addIssue({ code: 'custom', message: `expected 2 to 10 steps (got ${n})` });
};

/**
 * `steps=`: a JSON array of specs (`["event:step one, ten", "path:/cart"]`), or the old comma-separated
 * list when every piece is a spec by itself (an event name with a comma needs the JSON array or `step=`).
 */
const stepsParam = z
  .string()
  .transform((s, ctx): StepSpec[] => {
    const text = s.trim();
    let list: unknown[];
    if (text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (!Array.isArray(parsed)) throw new Error('not an array');
        list = parsed;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected a JSON array of steps, e.g. ["event:signup","path:/pricing"]' });
        return z.NEVER;
      }
    } else list = text.split(',').map((x) => x.trim()).filter(Boolean);
    const ok = list.map((x, i) => checkSpec(x, `step ${i + 1}`, ctx, []));
    if (!text.startsWith('[') && ok.some((x) => !x)) {
      ctx.addIssue({ code: 'custom', message: 'a comma-separated list splits at every comma: give a step whose name has a comma as step=<spec> (repeated) or steps=["…"]' });
    }
    stepCount(list.length, ctx);
    return list as StepSpec[];
  })
  .describe('ad-hoc funnel: 2–10 steps, a JSON array (["event:signup","path:/pricing",{"event":"purchase","where":{"plan":"pro"}}]) or the old comma-separated form (no step may contain a comma); each a stage name, event:<type>, path:<pattern> (`*` any characters) or a JSON object with property conditions');

/** `step=` repeated, one spec each, in order: any event name works (`step=event:step one, ten`). */
const stepParam = z
  .array(z.string())
  .transform((xs, ctx): StepSpec[] => {
    const list = xs.map((x, i) => {
      const t = x.trim();
      if (!t.startsWith('{')) return t;
      try {
        return JSON.parse(t) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `step ${i + 1}: expected a JSON object, e.g. {"event":"signup","where":{"plan":"pro"}}` });
        return t;
      }
    });
    list.forEach((x, i) => checkSpec(x, `step ${i + 1}`, ctx, []));
    stepCount(list.length, ctx);
    return list as StepSpec[];
  })
  .describe('one step of an ad-hoc funnel, repeated 2–10 times in order (step=event:signup&step=path:/pricing): a stage name, event:<type>, path:<pattern>, or a JSON object {"event":"purchase","where":{"plan":"pro"}}');

const windowUnits = { m: 60, h: 3600, d: 86_400 } as const;
/** `window=30m|12h|7d`: the conversion window as days (fractional for minutes and hours). */
const windowParam = z
  .string()
  .regex(/^\d+(\.\d+)?[mhd]$/, 'expected a number with a unit: 30m, 12h or 7d (minutes, hours, days)')
  .transform((s) => (Number(s.slice(0, -1)) * windowUnits[s.slice(-1) as keyof typeof windowUnits]) / 86_400)
  .refine((d) => d > 0 && d <= 730, 'expected a window above 0 and at most 730 days')
  .describe('conversion window from step 1 in minutes, hours or days: 30m, 12h, 7d (window_days= still works)');

/**
 * `exclude=<step>@<i>-<j>`, repeatable (PostHog's exclusion steps): drop the people who did <step> after
 * their step i and before their step j (`event:refund@1-2`; without @i-j, between the first and last step).
 */
const excludeParam = z
  .array(z.string().regex(/^([a-z][a-z0-9_]*|event:.+|path:.+?)(@\d+-\d+)?$/, 'expected <step>@<i>-<j>, e.g. event:refund@1-2 (a stage name, event:<type> or path:<pattern>; steps numbered from 1)'))
  .describe('exclusion step, repeatable: exclude=event:refund@1-2 drops people who did the event after reaching step 1 and before step 2 (or before their window closed, if they never reached step 2) — anywhere in the period, as PostHog does; a stage name, event:<type> or path:<pattern>; without @i-j, between the first and the last step');

export const funnelShape = periodParams.extend(filterParams.shape).extend({
  funnel: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a funnel name').default('aida').describe('"aida" or a funnel named in the config'),
  steps: stepsParam.optional(),
  step: stepParam.optional(),
  mode: z.enum(['ordered', 'strict', 'any-order', 'unordered']).optional().describe('ordered: steps in order, other events between allowed; strict: each step the person\'s very next event; any-order: step 1 first, the rest in any order; unordered: step k = people who did any k of the steps within the window. Default: the funnel\'s own mode, else ordered'),
  window: windowParam.optional(),
  window_days: z.coerce.number().positive().max(730).optional().describe('conversion window from step 1 in days; default: the funnel\'s, else conversion_window_days'),
  exclude: excludeParam.optional(),
  breakdown: attributedDimension.optional().describe('persons per step by their attributed touch: a dimension, or property:<key> (top 20 values, the rest as (other))'),
  compare: compareParam.optional(),
});

/** Rejects two spellings of one thing given together, naming the second. */
export function checkFunnelShape(p: { steps?: unknown; step?: unknown; window?: unknown; window_days?: unknown }, ctx: z.RefinementCtx): void {
  if (p.steps !== undefined && p.step !== undefined) ctx.addIssue({ code: 'custom', path: ['step'], message: 'give the steps once: step= (repeated) or steps=, not both' });
  if (p.window !== undefined && p.window_days !== undefined) ctx.addIssue({ code: 'custom', path: ['window'], message: 'give the window once: window= or window_days=, not both' });
}

export const funnelParams = funnelShape.superRefine(checkPeriod).superRefine(checkFunnelShape);
export const funnelTrendParams = funnelShape.extend({ grain: grainParam.default('week') }).superRefine(checkPeriod).superRefine(checkFunnelShape);
export type FunnelParams = z.infer<typeof funnelParams>;

export const modes = ['ordered', 'strict', 'any-order', 'unordered'] as const;
export type Mode = (typeof modes)[number];
/** Modes whose steps come in order, one after another: they have step-to-step times. */
export const sequentialModes: readonly Mode[] = ['ordered', 'strict'];

/** Attention = `exposed`, or `visit` when no exposure falls in the period. */
export const attentionStages = ['exposed', 'visit'] as const;
export type AttentionStage = (typeof attentionStages)[number];

/** A funnel step: its key and label, and where its hits come from. */
export interface StepDef {
  key: string;
  label: string;
  source:
    | { kind: 'stage'; stage: string }
    | { kind: 'attention' }
    | { kind: 'event'; event: string; where?: Record<string, string> }
    | { kind: 'path'; pattern: string; where?: Record<string, string> }
    | { kind: 'nth-order'; further: number };
}

/** An exclusion step: people who did `step` after their step `from` and before their step `to` (1-based) are dropped. */
export interface ExclusionDef {
  step: StepDef;
  from: number;
  to: number;
}

export interface FunnelDef {
  name: string;
  label: string;
  steps: StepDef[];
  mode: Mode;
  windowDays: number;
  exclusions: ExclusionDef[];
}

export const aidaSteps: StepDef[] = [
  { key: 'attention', label: 'Attention', source: { kind: 'attention' } },
  { key: 'interest', label: 'Interest', source: { kind: 'stage', stage: 'engaged' } },
  { key: 'desire', label: 'Desire', source: { kind: 'stage', stage: 'intent' } },
  { key: 'action', label: 'Action', source: { kind: 'stage', stage: 'purchase' } },
];

/** One step from its spec: a stage name, `event:<type>`, `path:<pattern>` or an object (`index` 0 = the first step). */
export function stepFromSpec(spec: StepSpec, index: number, stages: Record<string, StageRule>, parameter = 'steps'): StepDef {
  if (typeof spec !== 'string') {
    const where = spec.where && Object.keys(spec.where).length ? spec.where : undefined;
    const cond = where ? ` [${Object.entries(where).map(([k, v]) => `${k}=${v}`).join(', ')}]` : '';
    if (spec.event !== undefined) return { key: `event:${spec.event}${cond}`, label: `${spec.event}${cond}`, source: { kind: 'event', event: spec.event.toLowerCase(), ...(where ? { where } : {}) } };
    if (spec.path !== undefined) return { key: `path:${spec.path}${cond}`, label: `${spec.path}${cond}`, source: { kind: 'path', pattern: spec.path, ...(where ? { where } : {}) } };
    return stepFromSpec(spec.stage!, index, stages, parameter);
  }
  if (spec.startsWith('event:')) return { key: spec, label: spec.slice(6), source: { kind: 'event', event: spec.slice(6).toLowerCase() } };
  if (spec.startsWith('path:')) return { key: spec, label: spec.slice(5), source: { kind: 'path', pattern: spec.slice(5) } };
  const rule = stages[spec];
  if (!rule) {
    const comma = parameter === 'steps' ? '; a comma-separated list splits at every comma: give a name with a comma as step=<spec> (repeated) or steps=["…"]' : '';
    throw new FunnelError(parameter, `${parameter === 'exclude' ? 'exclusion' : `step ${index + 1}`}: unknown stage "${spec}" (stages: ${Object.keys(stages).join(', ')}; or event:<type> / path:<pattern>)${comma}`);
  }
  // "a further valid order" (SPEC §5.1 repurchase) is counted from the orders themselves after the previous step
  const source: StepDef['source'] = rule.min_valid_orders && index > 0 ? { kind: 'nth-order', further: rule.min_valid_orders - 1 } : { kind: 'stage', stage: spec };
  return { key: spec, label: rule.label ?? spec, source };
}

/** `exclude=` values resolved against the funnel's steps (`@i-j` within 1..N, i < j). */
function exclusionsOf(specs: string[], steps: number, stages: Record<string, StageRule>): ExclusionDef[] {
  return specs.map((x) => {
    const m = /^(.+?)(?:@(\d+)-(\d+))?$/.exec(x)!;
    const from = m[2] ? Number(m[2]) : 1;
    const to = m[3] ? Number(m[3]) : steps;
    if (from < 1 || to > steps || from >= to) throw new FunnelError('exclude', `"${x}": expected @i-j with 1 <= i < j <= ${steps} (the funnel's steps)`);
    const step = stepFromSpec(m[1]!, 1, stages, 'exclude');
    if (step.source.kind === 'nth-order') throw new FunnelError('exclude', `"${x}": a repurchase stage cannot be an exclusion`);
    return { step, from, to };
  });
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

export function resolveFunnel(
  config: Config,
  p: { funnel?: string; steps?: StepSpec[]; step?: StepSpec[]; mode?: Mode; window?: number; window_days?: number; exclude?: string[] },
): FunnelDef {
  const adhoc = p.step ?? p.steps;
  const parameter = p.step ? 'step' : 'steps';
  const named = p.funnel && p.funnel !== 'aida' ? config.funnels[p.funnel] : undefined;
  if (p.funnel && p.funnel !== 'aida' && !named && !adhoc) {
    throw new FunnelError('funnel', `unknown funnel "${p.funnel}" (funnels: ${['aida', ...Object.keys(config.funnels)].join(', ')})`);
  }
  const specs = adhoc ?? named?.steps;
  const steps = specs ? specs.map((s, i) => stepFromSpec(s, i, config.stages, adhoc ? parameter : 'funnel')) : aidaSteps;
  const mode = p.mode ?? named?.mode ?? 'ordered';
  if (p.exclude?.length && !sequentialModes.includes(mode)) throw new FunnelError('exclude', `exclusion steps need steps in order: mode=ordered or mode=strict (not ${mode})`);
  return {
    name: adhoc ? 'custom' : (p.funnel ?? 'aida'),
    label: adhoc ? 'Custom funnel' : (named?.label ?? 'AIDA'),
    steps,
    mode,
    windowDays: p.window ?? p.window_days ?? named?.window_days ?? config.conversion_window_days,
    exclusions: exclusionsOf(p.exclude ?? [], steps.length, config.stages),
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
