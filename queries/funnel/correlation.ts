// GET /api/funnel/correlation (issue 16 item 8): among people who reached one funnel step, the pages,
// events and touch values (channel, campaign, device, country, ...) whose presence most raises or lowers
// the odds of converting to a later step — each with its 2×2 counts, odds ratio and Fisher's exact p.
import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery, rows } from '../define.ts';
import { metricKinds, resolvePeriod } from '../shared/data-range.ts';
import { eventNodeFilterSql, eventNodeSql } from '../shared/events.ts';
import { noteOf, notes, type Note } from '../shared/notes.ts';
import { benjaminiHochberg, fisherExact, oddsRatio, oddsRatioCi } from '../shared/odds.ts';
import { checkPeriod } from '../shared/period.ts';
import { visitorMayBeOfSql, visitorPerson } from '../shared/persons.ts';
import { touchDimensions as dimensions } from '../shared/dimensions.ts';
import { attributedSql, filterSql, unknownValue, propertyKeys } from '../shared/touches.ts';
import { attentionStageOf, funnelShape, FunnelError, resolveFunnel, type StepDef } from './definition.ts';
import { bestAttemptsCtes } from './steps.ts';

export const correlationParams = funnelShape
  .omit({ mode: true, breakdown: true, exclude: true, compare: true })
  .extend({
    from_step: z.string().optional().describe('the step people reached (a step key of the funnel; default: its first step); `from`/`to` are the period, as on every metric'),
    to_step: z.string().optional().describe('the later step they did or did not convert to (default: the funnel\'s last step)'),
    min_cell: z.coerce.number().int().min(1).max(1000).default(5).describe('an item is tested only when each of its four counts has at least this many people'),
  })
  .superRefine(checkPeriod);
export type CorrelationParams = z.infer<typeof correlationParams>;

export const itemKinds = ['page', 'event', ...dimensions] as const;

const item = z.strictObject({
  kind: z.enum(itemKinds).describe('page (a path seen), event (a type done), or a touch dimension of the person (first/last touch)'),
  value: z.string(),
  converted: z.strictObject({ did: z.number().int(), didNot: z.number().int() }).describe('people who converted, with and without the item'),
  notConverted: z.strictObject({ did: z.number().int(), didNot: z.number().int() }),
  oddsRatio: z.number().describe('(converted & did × not converted & didn\'t) / (converted & didn\'t × not converted & did)'),
  ci: z.tuple([z.number(), z.number()]).describe('95% interval of the odds ratio (Woolf, on the log scale)'),
  p: z.number().describe('Fisher\'s exact test, two-sided'),
  q: z.number().describe('Benjamini–Hochberg false discovery rate over every item tested'),
  significant: z.boolean().describe('q < 0.05'),
});
export type CorrelationItem = z.infer<typeof item>;

export const correlationResult = z.strictObject({
  funnel: z.string(),
  period: z.strictObject({ from: z.string(), to: z.string() }),
  windowDays: z.number(),
  steps: z.array(z.strictObject({ key: z.string(), label: z.string() })).describe('the funnel\'s steps (what from_step and to_step may name)'),
  attribution: z.enum(['first', 'last']),
  from: z.strictObject({ key: z.string(), label: z.string() }),
  to: z.strictObject({ key: z.string(), label: z.string() }),
  reached: z.number().int().describe('people who reached the from step (the funnel\'s count there)'),
  converted: z.number().int().describe('of them, people who went on to the to step'),
  minCell: z.number().int(),
  tested: z.number().int().describe('items with at least min_cell people in each of the four counts'),
  test: z.literal('fisher-exact'),
  raising: z.array(item).describe('up to 10 items with the highest odds ratio above 1'),
  lowering: z.array(item).describe('up to 10 items with the lowest odds ratio below 1'),
  notes,
});
export type CorrelationResult = z.infer<typeof correlationResult>;

const shownEachWay = 10;
const eventPerson = visitorPerson('e');

/** The event types the funnel's own steps from `from` to `to` are made of: they are what converting means, not a difference. */
function stepEvents(steps: StepDef[], stages: Record<string, { events?: string[] }>): string[] {
  return steps.flatMap((s) => (s.source.kind === 'event' ? [s.source.event] : s.source.kind === 'stage' ? (stages[s.source.stage]?.events ?? []).map((e) => e.toLowerCase()) : []));
}

export const funnelCorrelation = defineQuery({
  name: 'funnel/correlation',
  summary: 'What converters did differently: pages, events and touch values whose presence raises or lowers the odds of converting between two funnel steps (odds ratio, 2×2 counts, Fisher exact p).',
  params: correlationParams,
  result: correlationResult,
  async run(ctx, p): Promise<CorrelationResult> {
    const def = resolveFunnel(ctx.config, { ...p, mode: 'ordered' });
    const keys = def.steps.map((s) => s.key);
    const i = p.from_step === undefined ? 0 : keys.indexOf(p.from_step);
    const j = p.to_step === undefined ? keys.length - 1 : keys.indexOf(p.to_step);
    if (i < 0) throw new FunnelError('from_step', `unknown step "${p.from_step}" (steps: ${keys.join(', ')})`);
    if (j < 0) throw new FunnelError('to_step', `unknown step "${p.to_step}" (steps: ${keys.join(', ')})`);
    if (j <= i) throw new FunnelError('to_step', `expected a step after ${keys[i]} (steps: ${keys.join(', ')})`);
    const period = await resolvePeriod(ctx, p, metricKinds.funnel);
    const start = sql`${period.start}`;
    const end = sql`${period.end}`;
    const window = sql.lit(Math.round(def.windowDays * 86_400e6));
    const [fi, tj] = [sql.lit(i + 1), sql.lit(j + 1)];
    const excluded = [...new Set(stepEvents(def.steps.slice(i, j + 1), ctx.config.stages))];
    const dims = sql.join(dimensions.map((d) => sql`[${sql.lit(d)}, coalesce(cast(a.${sql.ref(d)} as varchar), ${unknownValue})]`));
    const query = sql<{ reached: number; converted: number; kind: string | null; value: string | null; a: number | null; c: number | null; attention_stage: string }>`
      with ${bestAttemptsCtes(ctx, def, period, await attentionStageOf(ctx, period))},
      credited as (${attributedSql(sql`select person_id, ts[level] as credit_at from best where level >= ${fi}`, p.attribution, propertyKeys(p))}),
      cohort as materialized (
        select b.person_id, b.ts[${fi}] as t_from, b.ts[1] + to_microseconds(${window}) as t_window, b.level >= ${tj} as converted, b.ts[${tj}] as t_to
        from best b left join credited a on a.person_id = b.person_id
        where b.level >= ${fi} and ${filterSql(p, 'a')}),
      -- what each person did after reaching the from step and before converting (else until their window closed)
      done as (
        select distinct c.person_id, c.converted, case when e.is_pageview and e.path is not null then 'page' else 'event' end as kind, ${eventNodeSql('e')} as value
        from events e ${sql.raw(eventPerson.join)}
          join cohort c on c.person_id = ${sql.raw(eventPerson.person)}
        where ${sql.raw(visitorMayBeOfSql('e', 'cohort'))} and e.ts >= ${start} and e.ts <= ${end} + to_microseconds(${window}) and e.ts > c.t_from
          and (case when c.converted then e.ts < c.t_to else e.ts <= c.t_window end)
          and ${eventNodeFilterSql('all')}
          ${excluded.length ? sql`and not (not e.is_pageview and e.event in (${sql.join(excluded.map((x) => sql.lit(x)))}))` : sql``}),
      touched as (
        select converted, d[1] as kind, d[2] as value
        from (select c.converted, unnest([${dims}]) as d from cohort c left join credited a on a.person_id = c.person_id)),
      items as (
        select kind, value, (count(*) filter (where converted))::integer as a, (count(*) filter (where not converted))::integer as c
        from (select converted, kind, value from done union all select converted, kind, value from touched) group by kind, value),
      totals as (select count(*)::integer as reached, (count(*) filter (where converted))::integer as converted from cohort)
      select t.reached, t.converted, i.kind, i.value, i.a, i.c, (select attention_stage from attention) as attention_stage
      from totals t left join items i
        on i.a >= ${sql.lit(p.min_cell)} and i.c >= ${sql.lit(p.min_cell)}
        and t.converted - i.a >= ${sql.lit(p.min_cell)} and t.reached - t.converted - i.c >= ${sql.lit(p.min_cell)}`;
    const out = await rows(ctx, query);
    const reached = out[0]?.reached ?? 0;
    const converted = out[0]?.converted ?? 0;
    const tables = out.filter((r) => r.kind !== null).map((r) => {
      const t = { a: r.a!, b: converted - r.a!, c: r.c!, d: reached - converted - r.c! };
      return { kind: r.kind as CorrelationItem['kind'], value: r.value!, t, or: oddsRatio(t)!, ci: oddsRatioCi(t)!, p: fisherExact(t) };
    });
    const qs = benjaminiHochberg(tables.map((x) => x.p));
    const items: CorrelationItem[] = tables.map((x, k) => ({
      kind: x.kind, value: x.value,
      converted: { did: x.t.a, didNot: x.t.b }, notConverted: { did: x.t.c, didNot: x.t.d },
      oddsRatio: x.or, ci: x.ci, p: x.p, q: qs[k]!, significant: qs[k]! < 0.05,
    }));
    const tie = (x: CorrelationItem, y: CorrelationItem) => x.p - y.p || (x.kind + x.value < y.kind + y.value ? -1 : 1);
    const noteList: Note[] = [];
    if (def.steps[0]?.source.kind === 'attention' && out[0]?.attention_stage === 'visit') noteList.push(noteOf('funnel_attention_visits'));
    if (items.length === 0) noteList.push(noteOf('correlation_none_tested', { minCell: p.min_cell }));
    return {
      funnel: def.name,
      period: { from: period.from, to: period.to },
      windowDays: def.windowDays,
      steps: def.steps.map((s) => ({ key: s.key, label: s.label })),
      attribution: p.attribution,
      from: { key: keys[i]!, label: def.steps[i]!.label },
      to: { key: keys[j]!, label: def.steps[j]!.label },
      reached,
      converted,
      minCell: p.min_cell,
      tested: items.length,
      test: 'fisher-exact',
      raising: items.filter((x) => x.oddsRatio > 1).sort((x, y) => y.oddsRatio - x.oddsRatio || tie(x, y)).slice(0, shownEachWay),
      lowering: items.filter((x) => x.oddsRatio < 1).sort((x, y) => x.oddsRatio - y.oddsRatio || tie(x, y)).slice(0, shownEachWay),
      notes: noteList,
    };
  },
  csv: (r) => (['raising', 'lowering'] as const).flatMap((way) => r[way].map((x) => ({
    way, kind: x.kind, value: x.value, converted_did: x.converted.did, converted_did_not: x.converted.didNot,
    not_converted_did: x.notConverted.did, not_converted_did_not: x.notConverted.didNot, odds_ratio: x.oddsRatio, ci_low: x.ci[0], ci_high: x.ci[1], p: x.p, q: x.q, significant: x.significant,
  }))),
});
