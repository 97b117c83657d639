// GET /api/properties (issue 15 item 5): which event and order properties the period's data carries —
// each top-level key with the events, orders and persons that have it — and, for `key=K`, K's values
// with the same counts. What the web's property filter and breakdown suggest (`property:<key>`).
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { defineQuery, rows } from './define.ts';
import { metricKinds, resolvePeriod } from './shared/data-range.ts';
import { maxPageLimit, pageResult, wholeList } from './shared/page.ts';
import { checkPeriod, isoDate, periodParams, type Period } from './shared/period.ts';
import { orderPerson, visitorPerson } from './shared/persons.ts';
import { activeFilters, attributedSql, filterParams, filterSql, keyPath, propertyKeys } from './shared/touches.ts';

/** A key as the data can have it: any text but control characters, as long as a column name may reasonably be. */
const propertyKey = z
  .string()
  .min(1, 'expected a property key (e.g. key=plan); leave key out to list the keys')
  .max(200, 'expected a property key of at most 200 characters')
  .regex(/^[^\p{Cc}]+$/u, 'expected a property key without control characters');

export const propertiesParams = periodParams
  .extend(filterParams.shape)
  .extend({ key: propertyKey.optional().describe("list this key's values (as text) instead of the keys") })
  .superRefine(checkPeriod);
export type PropertiesParams = z.infer<typeof propertiesParams>;

/** The values listed for one key at most (a key of ids has one value per event): the top ones by persons. */
export const maxValues = maxPageLimit;

const count = z.number().int().nonnegative();

const propertiesResult = z.strictObject({
  period: z.strictObject({ from: isoDate, to: isoDate }),
  key: z.string().nullable().describe('the key whose values are listed; null when the list is of keys'),
  distinct: count.describe(`keys (or values of key) in the period; the list holds the top ${maxValues} of them by persons`),
  properties: z.array(
    z.strictObject({
      key: z.string(),
      value: z.string().nullable().describe('with key: the value as text (JSON text for an object or array); without key: null'),
      events: count.describe('non-bot events in the period carrying the key (with key: that value)'),
      orders: count.describe('orders in the period carrying it'),
      persons: count.describe('distinct persons of those events and orders'),
    }),
  ).describe('by persons, then events + orders, then text'),
  page: pageResult.describe('the page of `properties` this answer holds: the API sends the top 50 unless limit/offset say otherwise; format=csv all'),
});
export type PropertiesResult = z.infer<typeof propertiesResult>;

const eventPerson = visitorPerson('e');
const order = orderPerson('o');

/** Which rows of `carried` to read: a condition over a row's instant and its person (SQL expressions). */
export type CarriedWithin = (ts: RawBuilder<unknown>, person: RawBuilder<unknown>) => RawBuilder<unknown>;

/**
 * (person_id, is_event, properties, ts): every non-bot event and every order that has properties, with
 * its person — what the keys and values count, here over a period and in ingest's kept facts
 * (ingest/derive-properties.ts) over the touched days or persons.
 */
export function carriedPropertiesSql(within: CarriedWithin): RawBuilder<unknown> {
  const ep = sql.raw(eventPerson.person);
  const op = sql.raw(order.person);
  return sql`
      select ${ep} as person_id, true as is_event, e.properties, e.ts
      from events e ${sql.raw(eventPerson.join)}
      where not e.is_bot and e.properties is not null and ${within(sql`e.ts`, ep)}
      union all
      select ${op}, false, o.properties, o.ts
      from orders o ${sql.raw(order.join)}
      where o.properties is not null and ${within(sql`o.ts`, op)}`;
}

export type Listed = { name: string; events: number; orders: number; persons: number; distinct: number };

/**
 * The key list from the facts ingest keeps (ingest/derive-properties.ts): events and orders summed over
 * the period's days; persons summed over the sets of days with a day in the period (each person is in one
 * set per key, so counted once).
 */
export function keptKeysSql(period: Period): RawBuilder<Listed> {
  const from = sql`cast(${period.from} as date)`;
  const to = sql`cast(${period.to} as date)`;
  return sql`
    with counts as (
      select key, sum(events)::integer as events, sum(orders)::integer as orders
      from property_days where day >= ${from} and day < ${to} group by key
    ),
    persons as (
      select key, sum(persons)::integer as persons
      from property_day_sets
      where first_day < ${to} and last_day >= ${from}
        and ((first_day >= ${from} and last_day < ${to}) or len(list_filter(days, d -> d >= ${from} and d < ${to})) > 0)
      group by key
    )
    select c.key as name, c.events, c.orders, p.persons, (count(*) over ())::integer as distinct
    from counts c join persons p on p.key = c.key
    order by persons desc, events + orders desc, name
    limit ${maxValues}`;
}

export const properties = defineQuery({
  name: 'properties',
  summary: 'Event and order property keys in the period (events, orders and persons carrying each), or the values of one key',
  params: propertiesParams,
  result: propertiesResult,
  run: async (ctx, p) => {
    const period = await resolvePeriod(ctx, p, metricKinds.properties);
    // the key list of a period (what every page asks) from the kept facts; a key's values, or any filter, scanned
    const list = await rows(ctx, p.key === undefined && !activeFilters(p).length ? keptKeysSql(period) : scannedSql(period, p));
    return {
      period: { from: period.from, to: period.to },
      key: p.key ?? null,
      distinct: list[0]?.distinct ?? 0,
      properties: list.map((r) => ({ key: p.key ?? r.name, value: p.key ? r.name : null, events: r.events, orders: r.orders, persons: r.persons })),
      page: wholeList(list.length),
    };
  },
  csv: (r) => r.properties.map((x) => ({ from: r.period.from, to: r.period.to, key: x.key, value: x.value, events: x.events, orders: x.orders, persons: x.persons })),
  list: { field: 'properties', defaultLimit: 50 },
});

/**
 * The list scanned from the period's events and orders: what a filtered request needs, since filters keep
 * the persons whose credited touch (first, or last at their latest row in the period) matches, as the
 * funnel's filters do. Without filters or key it gives what `keptKeysSql` reads (test/api/properties.test.ts).
 */
export function scannedSql(period: Period, p: PropertiesParams): RawBuilder<Listed> {
  const carried = carriedPropertiesSql((ts) => sql`${ts} >= ${period.start} and ${ts} < ${period.end}`);
  const kept = activeFilters(p).length
    ? sql`credited as (${attributedSql(sql`select person_id, max(ts) as credit_at from carried group by person_id`, p.attribution, propertyKeys(p))}),
        kept as not materialized (select c.* from carried c left join credited a on a.person_id = c.person_id where ${filterSql(p, 'a')})`
    : sql`kept as not materialized (select * from carried)`;
  const names = p.key
    ? sql`select properties->>${keyPath(p.key)} as name, person_id, is_event from kept where properties->>${keyPath(p.key)} is not null`
    : sql`select unnest(json_keys(properties)) as name, person_id, is_event from kept`;
  // one scan: DuckDB would otherwise materialise each CTE, copying every properties object (2× slower on 1M events)
  return sql`
    with carried as not materialized (${carried}), ${kept},
      names as not materialized (${names})
    select name, count(*) filter (where is_event)::integer as events, count(*) filter (where not is_event)::integer as orders,
      count(distinct person_id)::integer as persons, (count(*) over ())::integer as distinct
    from names group by name
    order by persons desc, events + orders desc, name
    limit ${maxValues}`;
}
