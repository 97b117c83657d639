// GET /api/funnel/time-to-convert (issue 16 item 4): for each step pair of an ordered or strict funnel,
// how long the people who converted took — a histogram on boundaries a person reads (10 s, 1 min,
// 5 min, … 1 day, 7 days, 30 days), kept to the range the data covers, with the median, mean and p90.
import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery, rows } from '../define.ts';
import { notes } from '../shared/notes.ts';
import { checkPeriod } from '../shared/period.ts';
import { convertedCtes, type FunnelSqlOptions } from './chain-sql.ts';
import { attentionStages, checkFunnelShape, FunnelError, funnelShape, modes, sequentialModes } from './definition.ts';
import { usesKeptDays } from './kept-days.ts';
import { notesFor, periodResult, prepare, toSteps } from './steps.ts';

export const timeToConvertParams = funnelShape.omit({ breakdown: true, compare: true }).superRefine(checkPeriod).superRefine(checkFunnelShape);

/** Bin edges in seconds: 10 s, 30 s, 1, 5, 15, 30 min, 1, 3, 6, 12 h, 1, 2, 3, 7, 14, 30 days (the last bin is open). */
export const binEdges = [0, 10, 30, 60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 172_800, 259_200, 604_800, 1_209_600, 2_592_000];

const pair = z.strictObject({
  from: z.string().describe('the earlier step\'s key'),
  to: z.string().describe('the later step\'s key'),
  fromIndex: z.number().int().describe('1-based step numbers'),
  toIndex: z.number().int(),
  count: z.number().int().describe('people who reached the later step (their best attempt, as the funnel counts them)'),
  medianSeconds: z.number().nullable(),
  meanSeconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
  minSeconds: z.number().nullable(),
  maxSeconds: z.number().nullable(),
  bins: z.array(z.strictObject({ fromSeconds: z.number(), toSeconds: z.number().nullable().describe('exclusive; null = open-ended'), count: z.number().int() }))
    .describe('from the bin holding the fastest person to the one holding the slowest, empty bins between included'),
});

export const timeToConvertResult = z.strictObject({
  funnel: z.string(),
  mode: z.enum(modes),
  windowDays: z.number(),
  period: periodResult,
  attentionStage: z.enum(attentionStages),
  steps: z.array(z.strictObject({ key: z.string(), label: z.string() })),
  pairs: z.array(pair).describe('each step from the previous one, then (with 3 or more steps) the first to the last'),
  notes,
});
export type TimeToConvertResult = z.infer<typeof timeToConvertResult>;

export const funnelTimeToConvert = defineQuery({
  name: 'funnel/time-to-convert',
  summary: 'How long converting took between funnel steps: per step pair a histogram (human bin edges from 10 s to 30 days), median, mean and p90.',
  params: timeToConvertParams,
  result: timeToConvertResult,
  async run(ctx, p): Promise<TimeToConvertResult> {
    const prepared = await prepare(ctx, p);
    const { def, period, attention } = prepared;
    if (!sequentialModes.includes(def.mode)) throw new FunnelError('mode', `time to convert needs steps in order: mode=ordered or mode=strict (not ${def.mode})`);
    const n = def.steps.length;
    const pairs: [number, number][] = [...def.steps.slice(1).map((_, i): [number, number] => [i + 1, i + 2]), ...(n > 2 ? [[1, n] as [number, number]] : [])];
    const o: FunnelSqlOptions = {
      steps: def.steps, mode: def.mode, windowDays: def.windowDays, exclusions: def.exclusions, start: sql`${period.start}`, end: sql`${period.end}`,
      filters: p, attribution: p.attribution, config: ctx.config, group: { kind: 'all' },
    };
    const kept = usesKeptDays(ctx.config, def, o) ? { from: sql`${period.from}`, to: sql`${period.to}`, attention } : undefined;
    const edges = sql`[${sql.join(binEdges.slice(1).map((e) => sql.lit(e)))}]`;
    const out = await rows(ctx, sql<{ i: number; j: number; n: number; med: number; mean: number; p90: number; mn: number; mx: number; bins: { b: number; n: number }[] }>`
      with ${convertedCtes(o, kept)},
      d as materialized (${sql.join(pairs.map(([i, j]) => sql`select ${sql.lit(i)} as i, ${sql.lit(j)} as j, epoch(ts[${sql.lit(j)}]) - epoch(ts[${sql.lit(i)}]) as s from converted where level >= ${sql.lit(j)}`), sql` union all `)}),
      binned as (select i, j, len(list_filter(${edges}, x -> x <= s)) as b, count(*)::integer as n from d group by all),
      stats as (select i, j, count(*)::integer as n, median(s)::double as med, avg(s)::double as mean, quantile_cont(s, 0.9)::double as p90, min(s)::double as mn, max(s)::double as mx from d group by all)
      select s.*, (select list({'b': b.b, 'n': b.n} order by b.b) from binned b where b.i = s.i and b.j = s.j) as bins from stats s`);
    const byPair = new Map(out.map((r) => [`${r.i}-${r.j}`, r]));
    return {
      funnel: def.name, mode: def.mode, windowDays: def.windowDays, period: { from: period.from, to: period.to }, attentionStage: attention,
      steps: toSteps(def.steps, undefined, attention).map((s) => ({ key: s.key, label: s.label })),
      pairs: pairs.map(([i, j]) => {
        const r = byPair.get(`${i}-${j}`);
        const counts = new Map((r?.bins ?? []).map((b) => [Number(b.b), Number(b.n)]));
        const first = Math.min(...counts.keys());
        const last = Math.max(...counts.keys());
        const bins = r ? Array.from({ length: last - first + 1 }, (_, x) => first + x).map((b) => ({ fromSeconds: binEdges[b]!, toSeconds: binEdges[b + 1] ?? null, count: counts.get(b) ?? 0 })) : [];
        return {
          from: def.steps[i - 1]!.key, to: def.steps[j - 1]!.key, fromIndex: i, toIndex: j, count: r?.n ?? 0,
          medianSeconds: r?.med ?? null, meanSeconds: r?.mean ?? null, p90Seconds: r?.p90 ?? null, minSeconds: r?.mn ?? null, maxSeconds: r?.mx ?? null, bins,
        };
      }),
      notes: await notesFor(ctx, def, period, attention),
    };
  },
  csv: (r) => r.pairs.flatMap((x) => x.bins.map((b) => ({
    from_step: x.from, to_step: x.to, bin_from_seconds: b.fromSeconds, bin_to_seconds: b.toSeconds, count: b.count,
    pair_count: x.count, median_seconds: x.medianSeconds, mean_seconds: x.meanSeconds, p90_seconds: x.p90Seconds,
  }))),
});
