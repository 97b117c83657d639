// The kept `funnel_days` (SPEC §5.1, kept by ingest for the persons a load touches): the best AIDA
// attempt of each person per local day for both Attention stages, and when a request can read them.
import { sql, type RawBuilder } from 'kysely';
import type { Config } from '../config.ts';
import { bucketSql } from '../shared/period.ts';
import { activeFilters } from '../shared/touches.ts';
import { attentionStages, resolveFunnel, type FunnelDef } from './definition.ts';
import { bestAttemptKey, orderedChainCtes, type FunnelSqlOptions } from './chain-sql.ts';

/** The best attempt of each person on each local day, for the kept `funnel_days` table (ingest). */
export function funnelDaysSql(config: Config, persons: RawBuilder<unknown>): RawBuilder<unknown> {
  const def = resolveFunnel(config, {});
  return sql.join(
    attentionStages.map((variant) => sql`
      select ${sql.lit(variant)} as variant, person_id, ${bucketSql('day', sql`t1`, config)} as day,
        max(level) as level, arg_min(ts, ${bestAttemptKey(sql`t1`)}) as ts
      from (with ${orderedChainCtes(def.steps, def.windowDays, { kind: 'persons', persons, attentionStage: variant })} select * from chain)
      group by all`),
    sql` union all `,
  );
}

/** True when the kept `funnel_days` answer this request: the configured AIDA funnel, no filter or breakdown. */
export function usesKeptDays(config: Config, def: FunnelDef, o: Omit<FunnelSqlOptions, 'start' | 'end'>): boolean {
  return def.name === 'aida' && o.mode === 'ordered' && o.windowDays === config.conversion_window_days && o.exclusions.length === 0 && o.group.kind !== 'breakdown' && activeFilters(o.filters).length === 0;
}
