// The analyst's `funnel(from_date, to_date)` table macro (installed with the views, analyst-views.ts):
// the configured AIDA funnel, one row per step, from the same SQL as GET /api/funnel over the kept days.
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { compileLiteral as compile } from '../db/compile.ts';
import { funnelSql } from './chain-sql.ts';
import { resolveFunnel } from './definition.ts';

/** A string as an SQL literal, quoted by compile.ts (the macro is stored SQL text). */
const literal = (s: string) => compile(sql`${s}`);

/** `funnel(from_date, to_date)`: the configured AIDA funnel, one row per step, as GET /api/funnel computes it. */
export function funnelMacro(config: Config): string {
  const def = resolveFunnel(config, {});
  const tz = literal(config.timezone);
  const counts = compile(funnelSql({
    steps: def.steps, mode: def.mode, windowDays: def.windowDays, exclusions: def.exclusions, filters: {}, attribution: 'first', config, group: { kind: 'all' },
    start: sql.raw(`timezone(${tz}, cast(from_date as date)::timestamp)`), end: sql.raw(`timezone(${tz}, cast(to_date as date)::timestamp)`),
  }, { from: sql.raw('from_date'), to: sql.raw('to_date') }));
  const stepRows = def.steps.map((s, i) => {
    const k = i + 1;
    const label = s.source.kind === 'attention' ? `case when c.attention_stage = 'visit' then 'Attention (visits)' else ${literal(s.label)} end` : literal(s.label);
    const prev = k === 1 ? 'null' : `coalesce(c.c${k - 1}, 0)`;
    return `select ${k} as step_no, ${literal(s.key)} as step, ${label} as label, coalesce(c.c${k}, 0) as count,
      ${k === 1 ? 'null::double' : `case when ${prev} > 0 then coalesce(c.c${k}, 0) / ${prev} end`} as rate_from_previous,
      case when coalesce(c.c1, 0) > 0 then coalesce(c.c${k}, 0) / c.c1 end as rate_from_first,
      ${k === 1 ? 'null::integer' : `${prev} - coalesce(c.c${k}, 0)`} as drop_off,
      ${k === 1 ? 'null::double' : `c.m${k}`} as median_seconds_from_previous
      from (select 1) one left join counts c on true`;
  });
  return `create or replace macro funnel(from_date, to_date) as table
    with counts as (${counts})
    ${stepRows.join('\nunion all\n')}
    order by step_no`;
}
