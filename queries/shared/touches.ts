// Touch points and attribution: every way a person met the business (a session, an ad impression, an
// order with campaign tags), so a person can be credited to a channel/campaign by first or last touch.
// Filters (SPEC §5: channel, source, medium, campaign, device, country, landing path, and any event
// property as `property:<key>`) select persons by their attributed touch; breakdowns group them by it.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { touchDimensions, type TouchDimension } from './dimensions.ts';
import { offSiteEventTypes } from './events.ts';
import { validOrderSql } from './orders.ts';
import { orderPerson, visitorPerson } from './persons.ts';

const propertyPrefix = 'property:';
/** `property:<key>`: a key of the touch's properties (events.properties, orders.properties). */
export const propertyDimension = z.templateLiteral([propertyPrefix, z.string().min(1)]);
/** What an attributed touch can be filtered and broken down by: a touch dimension or a property. */
export const attributedDimension = z.union([z.enum(touchDimensions), propertyDimension]);
export type AttributedDimension = z.infer<typeof attributedDimension>;

/** Breakdown values beyond this many are summed into "(other)". */
export const maxBreakdownValues = 20;
export const otherValue = '(other)';

const list = z
  .string()
  .min(1)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .describe('one value or a comma-separated list');

const dimensionParams = Object.fromEntries(touchDimensions.map((d) => [d, list.optional()])) as Record<TouchDimension, z.ZodOptional<typeof list>>;

export const filterParams = z.object({
  ...dimensionParams,
  property: z
    .record(z.string().min(1), list)
    .optional()
    .describe('a property of the attributed touch: written property:<key>=<value> (one parameter per key, values comma-separated), e.g. property:plan=pro'),
  attribution: z.enum(['first', 'last']).default('first').describe('which touch credits a person: their first, or their last before converting'),
});
export type Filters = z.infer<typeof filterParams>;

export function activeFilters(f: Partial<Filters>): [AttributedDimension, string[]][] {
  const fixed = touchDimensions.filter((d) => f[d]?.length).map((d): [AttributedDimension, string[]] => [d, f[d]!]);
  return [...fixed, ...Object.entries(f.property ?? {}).filter(([, v]) => v.length).map(([k, v]): [AttributedDimension, string[]] => [`${propertyPrefix}${k}`, v])];
}

/** The property keys a request needs on its touches: those it filters by, and its breakdown's. */
export function propertyKeys(filters: Partial<Filters>, breakdown?: string): string[] {
  const keys = new Set(Object.keys(filters.property ?? {}));
  if (breakdown?.startsWith(propertyPrefix)) keys.add(breakdown.slice(propertyPrefix.length));
  return [...keys];
}

export const isPropertyDimension = (d: string): boolean => d.startsWith(propertyPrefix);

/** An attributed dimension's value in relation `alias`, as text, `(none)` when the touch has none. */
export function touchValueSql(alias: string, d: AttributedDimension): RawBuilder<string> {
  return sql<string>`coalesce(cast(${sql.id(alias, d)} as varchar), ${unknownValue})`;
}

/** The value shown for a person without any touch, or a touch without that attribute. */
export const unknownValue = '(none)';

const session = visitorPerson('s');
const impression = visitorPerson('e');
const order = orderPerson('o');

/** The JSON path of a top-level property key (bound as a value, never spliced into the SQL). */
export const keyPath = (key: string): string => `$."${key.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/**
 * (person_id, ts, channel, source, medium, campaign, device, country, landing_path, then one
 * `property:<key>` column per key): non-bot sessions, ad impressions, and valid orders that carry
 * campaign tags. A session's property is the value on its earliest event that has the key; an
 * impression's and an order's are their own.
 */
export function touchesSql(keys: string[] = []): RawBuilder<unknown> {
  const name = (k: string) => sql.id(`${propertyPrefix}${k}`);
  // one column per key after the fixed ones, from a value per key
  const cols = (value: (k: string) => RawBuilder<unknown>) => sql.join([sql``, ...keys.map((k) => sql`${value(k)} as ${name(k)}`)], sql`, `);
  const sessionProps = keys.length
    ? sql`left join (
        select e.session_id, ${sql.join(keys.map((k) => sql`arg_min(e.properties->>${keyPath(k)}, e.ts) filter (where e.properties->>${keyPath(k)} is not null) as ${name(k)}`))}
        from events e where e.properties is not null and e.session_id is not null and not e.is_bot group by e.session_id
      ) sp on sp.session_id = s.session_id`
    : sql``;
  return sql`
  select ${sql.raw(session.person)} as person_id, s.start_ts as ts, s.channel, s.utm_source as source, s.utm_medium as medium,
    s.utm_campaign as campaign, s.device, s.country, s.landing_path ${cols((k) => sql`sp.${name(k)}`)}
  from sessions s ${sql.raw(session.join)} ${sessionProps}
  where not s.is_bot
  union all
  select ${sql.raw(impression.person)}, e.ts, e.channel, e.utm_source, e.utm_medium, e.utm_campaign, e.device, e.country, null ${cols((k) => sql`e.properties->>${keyPath(k)}`)}
  from events e ${sql.raw(impression.join)}
  where e.event in (${sql.join(offSiteEventTypes.map((t) => sql.lit(t)))}) and not e.is_bot
  union all
  select ${sql.raw(order.person)}, o.ts, o.channel, o.utm_source, o.utm_medium, o.utm_campaign, null, null, null ${cols((k) => sql`o.properties->>${keyPath(k)}`)}
  from orders o ${sql.raw(order.join)}
  where o.channel is not null and ${sql.raw(validOrderSql('o'))}`;
}

/**
 * Attributed touch per person of `persons` (a relation with person_id and `credit_at`, the instant the
 * person is credited for): first = their earliest touch; last = their latest touch at or before `at`,
 * else their earliest. Columns: person_id plus every dimension.
 */
export function attributedSql(persons: RawBuilder<unknown>, attribution: 'first' | 'last', keys: string[] = []): RawBuilder<unknown> {
  const all: AttributedDimension[] = [...touchDimensions, ...keys.map((k): AttributedDimension => `${propertyPrefix}${k}`)];
  const touches = touchesSql(keys);
  const cols = sql.join(all.map((d) => sql`arg_min(${sql.id('t', d)}, t.ts) as ${sql.id(d)}`));
  const firsts = sql`select t.person_id, ${cols} from (${touches}) t semi join (${persons}) p on p.person_id = t.person_id group by t.person_id`;
  if (attribution === 'first') return firsts;
  const pick = sql.join(all.map((d) => sql`case when l.ts is not null then ${sql.id('l', d)} else ${sql.id('f', d)} end as ${sql.id(d)}`));
  return sql`
    select p.person_id, ${pick}
    from (${persons}) p
      asof left join (${touches}) l on l.person_id = p.person_id and l.ts <= p.credit_at
      left join (${firsts}) f on f.person_id = p.person_id`;
}

/** SQL condition over an attributed relation `alias` (made with the filters' propertyKeys): every active filter matches. */
export function filterSql(filters: Partial<Filters>, alias = 'a'): RawBuilder<boolean> {
  const conds = activeFilters(filters).map(([d, values]) => sql`${touchValueSql(alias, d)} in (${sql.join(values)})`);
  return conds.length ? sql<boolean>`(${sql.join(conds, sql` and `)})` : sql<boolean>`true`;
}
