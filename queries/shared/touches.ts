// Touch points and attribution: every way a person met the business (a session, an ad impression, an
// order with campaign tags), so a person can be credited to a channel/campaign by first or last touch.
// Filters (SPEC §5: channel, source, medium, campaign, device, country, landing path) select persons
// by their attributed touch; breakdowns group them by it.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { touchDimensions, type TouchDimension } from './dimensions.ts';
import { offSiteEventTypes } from './events.ts';
import { validOrderSql } from './orders.ts';
import { orderPerson, visitorPerson } from './persons.ts';

const list = z
  .string()
  .min(1)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .describe('one value or a comma-separated list');

const dimensionParams = Object.fromEntries(touchDimensions.map((d) => [d, list.optional()])) as Record<TouchDimension, z.ZodOptional<typeof list>>;

export const filterParams = z.object({
  ...dimensionParams,
  attribution: z.enum(['first', 'last']).default('first').describe('which touch credits a person: their first, or their last before converting'),
});
export type Filters = z.infer<typeof filterParams>;

export function activeFilters(f: Partial<Filters>): [TouchDimension, string[]][] {
  return touchDimensions.filter((d) => f[d]?.length).map((d) => [d, f[d]!]);
}

/** The value shown for a person without any touch, or a touch without that attribute. */
export const unknownValue = '(none)';

const session = visitorPerson('s');
const impression = visitorPerson('e');
const order = orderPerson('o');

/**
 * (person_id, ts, channel, source, medium, campaign, device, country, landing_path): non-bot sessions,
 * ad impressions, and valid orders that carry campaign tags.
 */
export const touchesSql: RawBuilder<unknown> = sql`
  select ${sql.raw(session.person)} as person_id, s.start_ts as ts, s.channel, s.utm_source as source, s.utm_medium as medium,
    s.utm_campaign as campaign, s.device, s.country, s.landing_path
  from sessions s ${sql.raw(session.join)}
  where not s.is_bot
  union all
  select ${sql.raw(impression.person)}, e.ts, e.channel, e.utm_source, e.utm_medium, e.utm_campaign, e.device, e.country, null
  from events e ${sql.raw(impression.join)}
  where e.event in (${sql.join(offSiteEventTypes.map((t) => sql.lit(t)))}) and not e.is_bot
  union all
  select ${sql.raw(order.person)}, o.ts, o.channel, o.utm_source, o.utm_medium, o.utm_campaign, null, null, null
  from orders o ${sql.raw(order.join)}
  where o.channel is not null and ${sql.raw(validOrderSql('o'))}`;

/**
 * Attributed touch per person of `persons` (a relation with person_id and `credit_at`, the instant the
 * person is credited for): first = their earliest touch; last = their latest touch at or before `at`,
 * else their earliest. Columns: person_id plus every dimension.
 */
export function attributedSql(persons: RawBuilder<unknown>, attribution: 'first' | 'last'): RawBuilder<unknown> {
  const cols = sql.join(touchDimensions.map((d) => sql`arg_min(t.${sql.ref(d)}, t.ts) as ${sql.ref(d)}`));
  const firsts = sql`select t.person_id, ${cols} from (${touchesSql}) t semi join (${persons}) p on p.person_id = t.person_id group by t.person_id`;
  if (attribution === 'first') return firsts;
  const pick = sql.join(touchDimensions.map((d) => sql`case when l.ts is not null then l.${sql.ref(d)} else f.${sql.ref(d)} end as ${sql.ref(d)}`));
  return sql`
    select p.person_id, ${pick}
    from (${persons}) p
      asof left join (${touchesSql}) l on l.person_id = p.person_id and l.ts <= p.credit_at
      left join (${firsts}) f on f.person_id = p.person_id`;
}

/** SQL condition over an attributed relation `a`: every active filter matches. */
export function filterSql(filters: Partial<Filters>, alias = 'a'): RawBuilder<boolean> {
  const conds = activeFilters(filters).map(([d, values]) => sql`coalesce(${sql.ref(`${alias}.${d}`)}, ${unknownValue}) in (${sql.join(values)})`);
  return conds.length ? sql<boolean>`(${sql.join(conds, sql` and `)})` : sql<boolean>`true`;
}
