// What the funnel and its trends share: a request resolved (funnel, period, Attention stage), its rows
// from the kept days or the stage hits, each group's steps (the result contract) and the notes.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { rows, type QueryContext } from '../define.ts';
import { dataRange, metricKinds, resolvePeriod } from '../shared/data-range.ts';
import { noteOf, type Note } from '../shared/notes.ts';
import { localDate, type Period } from '../shared/period.ts';
import { rate } from '../shared/rates.ts';
import { bestCte, funnelSql, orderedAttemptsCtes, type FunnelSqlOptions } from './chain-sql.ts';
import { attentionStageOf, resolveFunnel, type AttentionStage, type FunnelDef, type FunnelParams, type StepDef } from './definition.ts';
import { usesKeptDays } from './kept-days.ts';

export const funnelStep = z.strictObject({
  key: z.string().describe('attention, interest, desire, action for AIDA; a stage name, event:<type> or path:<pattern> otherwise'),
  label: z.string().describe('the English name (CSV); the web names AIDA steps by key'),
  count: z.number().int(),
  rateFromPrevious: z.number().nullable(),
  rateFromFirst: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  small: z.boolean(),
  dropOff: z.number().int().nullable(),
  dropOffRate: z.number().nullable(),
  medianSecondsFromPrevious: z.number().nullable(),
});
export type FunnelStep = z.infer<typeof funnelStep>;

export const periodResult = z.strictObject({ from: z.string(), to: z.string() });

export function toSteps(defs: StepDef[], row: Record<string, unknown> | undefined, attentionStage: AttentionStage): FunnelStep[] {
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

export async function notesFor(ctx: QueryContext, def: FunnelDef, period: Period, attentionStage: AttentionStage): Promise<Note[]> {
  const notes: Note[] = [];
  if (def.steps[0]?.source.kind === 'attention' && attentionStage === 'visit') notes.push(noteOf('funnel_attention_visits'));
  const { last } = await dataRange(ctx, metricKinds.funnel);
  if (last && period.end.getTime() + def.windowDays * 86_400_000 > last.getTime()) {
    notes.push(noteOf('funnel_window_past_data', { windowDays: def.windowDays, lastDay: localDate(last, ctx.config.timezone) }));
  }
  if (def.mode === 'any-order') notes.push(noteOf('funnel_any_order'));
  return notes;
}

export type Prepared = Awaited<ReturnType<typeof prepare>>;

/** What every funnel request resolves first: which funnel, which period, which Attention stage. */
export async function prepare(ctx: QueryContext, p: FunnelParams) {
  const def = resolveFunnel(ctx.config, p);
  const period = await resolvePeriod(ctx, p, metricKinds.funnel);
  return { def, period, attention: await attentionStageOf(ctx, period) };
}

/** The funnel's rows for one grouping: from the kept days when they answer it, else over the stage hits. */
export function funnelRows(ctx: QueryContext, p: FunnelParams, { def, period, attention }: Prepared, group: FunnelSqlOptions['group']) {
  const o: FunnelSqlOptions = {
    steps: def.steps, mode: def.mode, windowDays: def.windowDays, exclusions: def.exclusions, start: sql`${period.start}`, end: sql`${period.end}`,
    filters: p, attribution: p.attribution, config: ctx.config, group,
  };
  return rows(ctx, funnelSql(o, usesKeptDays(ctx.config, def, o) ? { from: sql`${period.from}`, to: sql`${period.to}`, attention } : undefined));
}

/**
 * CTEs ending in `best(person_id, level, ts)`: each person's best ordered attempt of `def` started in the
 * period (the attempts of the funnel's own counts), read from the kept days whenever they hold them. Filters
 * are the caller's to apply to `best` (they pick persons; they do not change an attempt).
 */
export function bestAttemptsCtes(ctx: QueryContext, def: FunnelDef, period: Period, attention?: AttentionStage): RawBuilder<unknown> {
  const o: FunnelSqlOptions = {
    steps: def.steps, mode: 'ordered', windowDays: def.windowDays, exclusions: def.exclusions, start: sql`${period.start}`, end: sql`${period.end}`,
    filters: {}, attribution: 'first', config: ctx.config, group: { kind: 'all' },
  };
  const kept = usesKeptDays(ctx.config, def, o) ? { from: sql`${period.from}`, to: sql`${period.to}`, ...(attention ? { attention } : {}) } : undefined;
  return sql`${orderedAttemptsCtes(o, kept)}, ${bestCte(sql`level > 0`)}`;
}
