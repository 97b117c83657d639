// GET /api/paths (issue 16 item 7): the ways people took from a start step (or into an end step) — the
// next (previous) K pages or events per person, the people at each hop and who stopped, the most common
// sequences — and the preset "where did people go who dropped after a funnel step".
import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery, rows, type QueryContext } from './define.ts';
import { hitsSql } from './funnel/chain-sql.ts';
import { visitorMayBeOfSql, visitorPerson } from './shared/persons.ts';
import { bestAttemptsCtes } from './funnel/steps.ts';
import { aidaSteps, attentionStageOf, attentionStageSql, FunnelError, resolveFunnel, stepFromSpec, type StepDef } from './funnel/definition.ts';
import { metricKinds, resolvePeriod } from './shared/data-range.ts';
import { eventNodeFilterSql, eventNodeSql, nodeKinds } from './shared/events.ts';
import { noteOf, notes, type Note } from './shared/notes.ts';
import { checkPeriod, periodParams, type Period } from './shared/period.ts';
import { activeFilters, attributedSql, filterParams, filterSql } from './shared/touches.ts';

const stepSpec = z
  .string()
  .regex(/^([a-z][a-z0-9_]*|event:.+|path:.+)$/, 'expected an AIDA step (attention, interest, desire, action), a stage name, event:<type> or path:<pattern>');

/** The AIDA steps a person can drop after (the last one has no next step). */
const droppable = ['attention', 'interest', 'desire'] as const;

export const pathsParams = periodParams
  .extend(filterParams.shape)
  .extend({
    start: stepSpec.optional().describe('paths after this step: an AIDA step key, a stage name, event:<type> or path:<pattern> (default: visit)'),
    end: stepSpec.optional().describe('paths into this step instead: the pages and events before it'),
    dropped_after: z.enum(droppable).optional().describe('preset: people who reached this AIDA step and not the next one (the funnel\'s drop-off), and where they went after it'),
    depth: z.coerce.number().int().min(1).max(5).default(3).describe('hops after (before) the step, 1–5'),
    top: z.coerce.number().int().min(1).max(20).default(6).describe('pages/events shown per hop; the rest are summed as (other)'),
    nodes: z.enum(nodeKinds).default('all').describe('what a hop is: all (pages by path, other events by type), pages, or events'),
    scope: z.enum(['session', 'person']).default('session').describe('session: the rest of the session the step happened in (as PostHog); person: across sessions, within conversion_window_days'),
  })
  .superRefine((p, ctx) => {
    checkPeriod(p, ctx);
    const given = (['start', 'end', 'dropped_after'] as const).filter((k) => p[k] !== undefined);
    if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], message: `give one of start, end or dropped_after (got ${given.join(' and ')})` });
  });
export type PathsParams = z.infer<typeof pathsParams>;

const hop = z.number().int().min(0).max(5);

export const pathsResult = z.strictObject({
  period: z.strictObject({ from: z.string(), to: z.string() }),
  direction: z.enum(['after', 'before']).describe('after: the steps that followed the anchor; before: the steps that led to it'),
  anchor: z.strictObject({ key: z.string().describe('the step given (start, end or dropped_after)'), label: z.string().describe('its English name (CSV)') }),
  droppedBefore: z.string().nullable().describe('with dropped_after: the next AIDA step these people did not reach'),
  scope: z.enum(['session', 'person']),
  nodes: z.enum(nodeKinds),
  depth: z.number().int(),
  top: z.number().int(),
  persons: z.number().int().describe('people at the anchor in the period (after filters)'),
  hops: z.array(z.strictObject({
    hop,
    persons: z.number().int().describe('people with a step at this hop (hop 0: everyone at the anchor)'),
    stopped: z.number().int().describe('people whose path ends at this hop: no further step (before: nothing earlier); at the last hop, those who went no further'),
    stoppedRate: z.number().nullable(),
  })),
  steps: z.array(z.strictObject({
    hop: hop.min(1),
    name: z.string().describe('a page path (/p/1), an event type (add_to_cart), or (other)'),
    persons: z.number().int(),
    stopped: z.number().int().describe('people whose path ends here'),
    folded: z.number().int().describe('for (other): how many different pages/events it sums; else 1'),
  })),
  links: z.array(z.strictObject({
    hop: hop.min(1).describe('the hop of `to`; `from` is the step one hop nearer the anchor (hop 1: the anchor itself)'),
    from: z.string(),
    to: z.string(),
    persons: z.number().int(),
  })),
  sequences: z.array(z.strictObject({ steps: z.array(z.string()), persons: z.number().int() })).describe('the most common whole paths (up to `depth` steps, in time order), at most 20'),
  otherSequences: z.number().int().describe('people on paths not listed (including those with no step at all)'),
  notes,
});
export type PathsResult = z.infer<typeof pathsResult>;

export const otherStep = '(other)';
const maxSequences = 20;
/** An order placed within this long after a session's last event still belongs to it (the default inactivity gap). */
const sessionGraceMinutes = 30;

/** The anchor step of a request: an AIDA key, else a stage, event or path (the funnel's own step rules). */
function anchorStep(ctx: QueryContext, p: PathsParams): { param: 'start' | 'end' | 'dropped_after'; step: StepDef } {
  const param = p.end ? 'end' : p.dropped_after ? 'dropped_after' : 'start';
  const spec = p.end ?? p.dropped_after ?? p.start ?? 'visit';
  const aida = aidaSteps.find((s) => s.key === spec);
  if (aida) return { param, step: aida };
  try {
    return { param, step: stepFromSpec(spec, 0, ctx.config.stages) };
  } catch (e) {
    throw e instanceof FunnelError ? new FunnelError(param, e.message) : e;
  }
}

export const paths = defineQuery({
  name: 'paths',
  summary: 'User paths: the most common next (or previous) pages and events after a step, per hop with drop-off, and where people went who dropped after a funnel step.',
  params: pathsParams,
  result: pathsResult,
  async run(ctx, p): Promise<PathsResult> {
    const period = await resolvePeriod(ctx, p, metricKinds.funnel);
    const { param, step } = anchorStep(ctx, p);
    const direction = param === 'end' ? 'before' : 'after';
    const start = sql`${period.start}`;
    const end = sql`${period.end}`;
    const windowDays = ctx.config.conversion_window_days;
    const aida = resolveFunnel(ctx.config, {});
    const k = p.dropped_after ? aida.steps.findIndex((s) => s.key === p.dropped_after) + 1 : 0;

    // (person_id, t0): each person's moment at the anchor in the period
    const anchorCtes = p.dropped_after
      ? sql`${bestAttemptsCtes(ctx, aida, period, await attentionStageOf(ctx, period))},
          reached as (select person_id, ts[${sql.lit(k)}] as t0 from best where level = ${sql.lit(k)})`
      : sql`${step.source.kind === 'attention' ? sql`attention as (select ${attentionStageSql({ start, end })} as attention_stage),` : sql``}
          reached as (select person_id, min(ts) as t0 from (${hitsSql(step, 'ordered')}) where ts >= ${start} and ts < ${end} group by person_id)`;
    const filtered = activeFilters(p).length
      ? sql`credited as (${attributedSql(sql`select person_id, t0 as credit_at from reached`, p.attribution)}),
          anchors as (select r.person_id, r.t0, (row_number() over ())::integer as pid from reached r left join credited a on a.person_id = r.person_id where ${filterSql(p, 'a')})`
      : sql`anchors as (select person_id, t0, (row_number() over ())::integer as pid from reached)`;

    const window = sql.lit(Math.round(windowDays * 86_400e6));
    const grace = sql`interval ${sql.lit(`${sessionGraceMinutes} minutes`)}`;
    // the sessions that can hold an anchor span these instants: constant bounds let the events scan skip row groups
    const [span] = p.scope === 'session'
      ? await rows(ctx, sql<{ lo: Date | null; hi: Date | null }>`select min(start_ts) as lo, max(end_ts) as hi from sessions where not is_bot and start_ts < ${end} and end_ts >= ${start} - ${grace}`)
      : [{ lo: null, hi: null }];
    const after = direction === 'after';
    const nodeFilter = eventNodeFilterSql(p.nodes);
    // (pid, ts, node) — pid numbers the anchors: sorting and grouping on an integer beats the person's text id — the pages and events on the anchor's side, in its session or across sessions
    const stepsCte = p.scope === 'session'
      ? sql`person_sessions as (
            select ${sql.raw(sessionPerson.person)} as person_id, s.session_id, s.start_ts, s.end_ts
            from sessions s ${sql.raw(sessionPerson.join)}
            where not s.is_bot and s.start_ts < ${end} and s.end_ts >= ${start} - ${grace}),
          anchor_sessions as (
            select a.person_id, a.pid, a.t0, case when a.t0 <= s.end_ts + ${grace} then s.session_id end as session_id
            from anchors a asof left join person_sessions s on s.person_id = a.person_id and s.start_ts <= a.t0),
          walked as (
            select a.pid, e.ts, ${eventNodeSql('e')} as node
            from anchor_sessions a join events e on e.session_id = a.session_id
            where ${after ? sql`e.ts > a.t0` : sql`e.ts < a.t0`} and ${nodeFilter}
              and ${span?.lo && span.hi ? sql`e.ts >= ${span.lo} and e.ts <= ${span.hi}` : sql`false`})`
      : sql`walked as (
            select a.pid, e.ts, ${eventNodeSql('e')} as node
            from events e ${sql.raw(eventPerson.join)}
              join anchors a on a.person_id = ${sql.raw(eventPerson.person)}
            where ${sql.raw(visitorMayBeOfSql('e', 'anchors'))} and ${after
              ? sql`e.ts > a.t0 and e.ts <= a.t0 + to_microseconds(${window}) and e.ts >= ${start} and e.ts <= ${end} + to_microseconds(${window})`
              : sql`e.ts < a.t0 and e.ts >= a.t0 - to_microseconds(${window}) and e.ts < ${end} and e.ts >= ${start} - to_microseconds(${window})`}
              and ${nodeFilter})`;
    // nearest first; ties at one instant by name, so a path never depends on storage order
    const order = after ? sql`ts, node` : sql`ts desc, node desc`;
    const query = sql<PathRow>`
      with ${anchorCtes}, ${filtered}, ${stepsCte},
      -- each person's steps nearest first, consecutive repeats dropped, one beyond the depth kept
      marked as (
        select pid, node, ts, node is not distinct from lag(node) over (partition by pid order by ${order}) as repeat from walked),
      walks as materialized (
        select pid, node, row_number() over (partition by pid order by ${order}) as hop from marked where not repeat qualify hop <= ${sql.lit(p.depth + 1)}),
      -- one hop beyond the depth is walked only to tell who went on from the last hop shown
      numbered as (select * from walks where hop <= ${sql.lit(p.depth)}),
      ranked as (
        select hop, node, row_number() over (partition by hop order by count(*) desc, node) as r from numbered group by hop, node),
      grouped as materialized (
        select n.pid, n.hop, case when r.r <= ${sql.lit(p.top)} then n.node else ${otherStep} end as node, n.node as raw
        from numbered n join ranked r on r.hop = n.hop and r.node = n.node),
      lengths as (select pid, max(hop) as len from walks group by pid),
      -- a column per hop groups faster than an ordered list
      sequences as (select ${sql.join(Array.from({ length: p.depth }, (_, h) => sql`max(node) filter (where hop = ${sql.lit(h + 1)}) as ${sql.raw(`n${h + 1}`)}`))} from numbered group by pid)
      select 'step' as kind, g.hop, null as source, g.node as target, count(*)::integer as persons,
        (count(*) filter (where l.len = g.hop))::integer as stopped, count(distinct g.raw)::integer as folded, null::varchar[] as seq
      from grouped g join lengths l on l.pid = g.pid group by g.hop, g.node
      union all
      select 'link', g.hop, f.node, g.node, count(*)::integer, null, null, null
      from grouped g left join grouped f on f.pid = g.pid and f.hop = g.hop - 1 group by g.hop, f.node, g.node
      union all
      select 'sequence', null, null, null, count(*)::integer, null, null, [${sql.join(Array.from({ length: p.depth }, (_, h) => sql.raw(`n${h + 1}`)))}] from sequences group by all
      union all
      select 'total', null, null, null, count(*)::integer,
        ${p.scope === 'session' ? sql`(count(*) filter (where session_id is null))::integer` : sql`0`}, null, null
      from ${p.scope === 'session' ? sql`anchor_sessions` : sql`anchors`}`;
    const out = await rows(ctx, query);
    return assemble(ctx, p, { period, step, direction, droppedBefore: k ? (aida.steps[k]?.key ?? null) : null, rows: out });
  },
  csv: (r) => [
    ...r.hops.map((h) => ({ table: 'hop', hop: h.hop, from: null, name: h.hop === 0 ? r.anchor.key : null, persons: h.persons, stopped: h.stopped })),
    ...r.steps.map((s) => ({ table: 'step', hop: s.hop, from: null, name: s.name, persons: s.persons, stopped: s.stopped })),
    ...r.links.map((l) => ({ table: 'link', hop: l.hop, from: l.from, name: l.to, persons: l.persons, stopped: null })),
    ...r.sequences.map((s) => ({ table: 'sequence', hop: s.steps.length, from: null, name: s.steps.join(' → '), persons: s.persons, stopped: null })),
  ],
});

const eventPerson = visitorPerson('e');
const sessionPerson = visitorPerson('s');

/** Code-unit order, as DuckDB sorts text: the same in every locale. */
const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

interface PathRow {
  kind: 'step' | 'link' | 'sequence' | 'total';
  hop: number | null;
  source: string | null;
  target: string | null;
  persons: number;
  stopped: number | null;
  folded: number | null;
  seq: (string | null)[] | null;
}

async function assemble(
  ctx: QueryContext,
  p: PathsParams,
  o: { period: Period; step: StepDef; direction: 'after' | 'before'; droppedBefore: string | null; rows: PathRow[] },
): Promise<PathsResult> {
  const total = o.rows.find((r) => r.kind === 'total')!;
  const persons = total.persons;
  const steps = o.rows.filter((r) => r.kind === 'step')
    .map((r) => ({ hop: r.hop!, name: r.target!, persons: r.persons, stopped: r.stopped!, folded: r.folded! }))
    .sort((x, y) => x.hop - y.hop || Number(x.name === otherStep) - Number(y.name === otherStep) || y.persons - x.persons || byText(x.name, y.name));
  const links = o.rows.filter((r) => r.kind === 'link')
    .map((r) => ({ hop: r.hop!, from: r.source ?? o.step.key, to: r.target!, persons: r.persons }))
    .sort((x, y) => x.hop - y.hop || y.persons - x.persons || byText(x.from, y.from) || byText(x.to, y.to));
  const reachedAt = (h: number) => (h === 0 ? persons : steps.filter((s) => s.hop === h).reduce((n, s) => n + s.persons, 0));
  const hops = Array.from({ length: p.depth + 1 }, (_, h) => {
    const here = reachedAt(h);
    const stopped = h === 0 ? here - reachedAt(1) : steps.filter((s) => s.hop === h).reduce((n, s) => n + s.stopped, 0);
    return { hop: h, persons: here, stopped, stoppedRate: here > 0 ? stopped / here : null };
  });
  // whole paths read in time order (into an end step: the earliest step first)
  const seqs = o.rows.filter((r) => r.kind === 'sequence')
    .map((r) => {
      const nearestFirst = r.seq!.filter((x): x is string => x !== null);
      return { steps: o.direction === 'before' ? nearestFirst.reverse() : nearestFirst, persons: r.persons };
    })
    .sort((x, y) => y.persons - x.persons || byText(x.steps.join('\u0000'), y.steps.join('\u0000')));
  const shown = seqs.slice(0, maxSequences);
  const notesOut: Note[] = [];
  if (total.stopped) notesOut.push(noteOf('paths_outside_sessions', { persons: total.stopped }));
  if (o.step.source.kind === 'attention' && (await attentionStageOf(ctx, o.period)) === 'visit') notesOut.push(noteOf('funnel_attention_visits'));
  return {
    period: { from: o.period.from, to: o.period.to },
    direction: o.direction,
    anchor: { key: o.step.key, label: o.step.label },
    droppedBefore: o.droppedBefore,
    scope: p.scope,
    nodes: p.nodes,
    depth: p.depth,
    top: p.top,
    persons,
    hops,
    steps,
    links,
    sequences: shown,
    otherSequences: persons - shown.reduce((n, s) => n + s.persons, 0),
    notes: notesOut,
  };
}

