// The property facts of GET /api/properties' key list (queries/properties.ts reads them; schema in
// migration 013), kept in the load's transaction: `property_days` — the events and orders carrying each key
// per local day — recomputed for the days the load touched; `property_persons` — the days on which each
// person carried each key — recomputed for the persons the load touched (derive's `_in_persons`); and
// `property_day_sets` — how many persons have each (key, set of days) — what a request counts persons from:
// a few rows per key where `property_persons` has one per person.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Config } from '../queries/config.ts';
import { carriedPropertiesSql, type CarriedWithin } from '../queries/properties.ts';
import { bucketSql } from '../queries/shared/period.ts';
import type { DeriveScope } from './derive-scope.ts';

/** The (day, person, key) rows whose day lists are built in one statement at most (~100 MB of list state). */
const factsPerSlice = 1_000_000;

/** (day, person_id, key, is_event): one row per key of each carried properties object. */
function factsSql(config: Config, within: CarriedWithin): RawBuilder<unknown> {
  return sql`
    select ${bucketSql('day', sql`c.ts`, config)} as day, c.person_id, unnest(json_keys(c.properties)) as key, c.is_event
    from (${carriedPropertiesSql(within)}) c`;
}

/** Brings `property_days`, `property_persons` and `property_day_sets` up to date after derive has collected `_in_persons`. */
export async function deriveProperties(conn: Kysely<unknown>, config: Config, scope: DeriveScope): Promise<void> {
  const day = (ts: RawBuilder<unknown>) => bucketSql('day', ts, config);
  if (scope.all) {
    await sql`delete from property_days; delete from property_persons; delete from property_day_sets`.execute(conn);
  } else {
    // the local days of the load's events, of its orders, and of the orders it replaced (their old ts)
    await sql`
      create temp table _in_property_days as
      select distinct ${day(sql`ts`)} as day from (
        ${scope.newEvents ? sql`select ts from _in_new_events union all` : sql``}
        ${scope.replacedOrders ? sql`select ts from _in_replaced_orders union all` : sql``}
        select ts from orders where source_file = ${sql.lit(scope.fileId)}
      )`.execute(conn);
    await sql`delete from property_days d using _in_property_days t where d.day = t.day`.execute(conn);
    // the touched persons' day sets leave the counts (they come back below as they are now)
    await sql`
      create temp table _in_set_change as
      select key, days, -count(*) as n from property_persons d semi join _in_persons p on p.person_id = d.person_id group by key, days`.execute(conn);
    await sql`delete from property_persons d using _in_persons p where d.person_id = p.person_id`.execute(conn);
  }
  // one pass over the properties of the touched days' rows and the touched persons' rows (a range first,
  // so the scan skips the rest of the table), counted per (day, person, key)
  const inDays = (d: RawBuilder<unknown>) => (scope.all ? sql`true` : sql`${d} in (select day from _in_property_days)`);
  const ofPersons = (person: RawBuilder<unknown>) => (scope.all ? sql`true` : sql`${person} in (select person_id from _in_persons)`);
  const touched: CarriedWithin = (ts, person) => scope.all
    ? sql`true`
    : sql`((${ts} >= (select min(day)::timestamp - interval 1 day from _in_property_days)
        and ${ts} < (select max(day)::timestamp + interval 2 day from _in_property_days)
        and ${inDays(day(ts))}) or ${ofPersons(person)})`;
  await sql`
    create temp table _in_property_facts as
    select day, person_id, key, (count(*) filter (where is_event))::integer as events, (count(*) filter (where not is_event))::integer as orders
    from (${factsSql(config, touched)})
    group by all`.execute(conn);
  await sql`
    insert into property_days
    select day, key, sum(events)::integer, sum(orders)::integer from _in_property_facts where ${inDays(sql`day`)} group by day, key`.execute(conn);
  // a list per (key, person) is state DuckDB cannot spill: a whole rebuild goes a slice of persons at a time
  const [facts] = (await sql<{ n: number }>`select count(*)::integer as n from _in_property_facts`.execute(conn)).rows;
  const slices = Math.max(1, Math.ceil((facts?.n ?? 0) / factsPerSlice));
  for (let i = 0; i < slices; i++) {
    const slice = slices === 1 ? sql`true` : sql`hash(person_id) % ${sql.lit(slices)} = ${sql.lit(i)}`;
    await sql`
      insert into property_persons
      select key, person_id, list(day order by day) from _in_property_facts
      where ${ofPersons(sql`person_id`)} and ${slice} group by key, person_id`.execute(conn);
  }
  if (scope.all) {
    await sql`insert into property_day_sets select key, days, days[1], days[-1], count(*)::integer from property_persons group by key, days`.execute(conn);
  } else {
    await sql`
      insert into _in_set_change
      select key, days, count(*) from property_persons d semi join _in_persons p on p.person_id = d.person_id group by key, days`.execute(conn);
    await sql`
      create temp table _in_sets as
      select key, days, sum(n)::integer as persons from (
        select key, days, n from _in_set_change
        union all
        select s.key, s.days, s.persons from property_day_sets s semi join _in_set_change c on c.key = s.key and c.days = s.days
      ) group by key, days`.execute(conn);
    await sql`delete from property_day_sets s using _in_sets c where c.key = s.key and c.days = s.days`.execute(conn);
    await sql`insert into property_day_sets select key, days, days[1], days[-1], persons from _in_sets where persons > 0`.execute(conn);
  }
  for (const t of ['_in_property_days', '_in_property_facts', '_in_set_change', '_in_sets']) await sql`drop table if exists ${sql.table(t)}`.execute(conn);
}
