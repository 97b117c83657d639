// The property facts of GET /api/properties' key list (queries/properties.ts reads them; schema in
// migration 014), kept in the load's transaction: `property_days` — the events and orders carrying each key
// per local day — recomputed for the days the load touched; `property_persons` — the days on which each
// person carried each key — recomputed for the persons the load touched (derive's `_in_persons`).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Config } from '../queries/config.ts';
import { carriedPropertiesSql, type CarriedWithin } from '../queries/properties.ts';
import { bucketSql } from '../queries/shared/period.ts';

export interface PropertyScope {
  fileId: number;
  /** the load brought web events (`_in_new_events`) */
  newEvents: boolean;
  /** `_in_replaced_orders` holds the old `ts` of the orders the load replaced */
  replacedOrders: boolean;
  /** rebuild for every day and person */
  all: boolean;
}

/** (day, person_id, key, is_event): one row per key of each carried properties object. */
function factsSql(config: Config, within: CarriedWithin): RawBuilder<unknown> {
  return sql`
    select ${bucketSql('day', sql`c.ts`, config)} as day, c.person_id, unnest(json_keys(c.properties)) as key, c.is_event
    from (${carriedPropertiesSql(within)}) c`;
}

/** Brings `property_days` and `property_persons` up to date after derive has collected `_in_persons`. */
export async function deriveProperties(conn: Kysely<unknown>, config: Config, scope: PropertyScope): Promise<void> {
  const day = (ts: RawBuilder<unknown>) => bucketSql('day', ts, config);
  if (scope.all) {
    await sql`delete from property_days; delete from property_persons`.execute(conn);
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
    await sql`delete from property_persons d using _in_persons p where d.person_id = p.person_id`.execute(conn);
  }
  // days: only the rows of the touched days (a range first, so the scan skips the rest of the table)
  const touchedDays: CarriedWithin = (ts) => scope.all
    ? sql`true`
    : sql`${ts} >= (select min(day)::timestamp - interval 1 day from _in_property_days)
        and ${ts} < (select max(day)::timestamp + interval 2 day from _in_property_days)
        and ${day(ts)} in (select day from _in_property_days)`;
  await sql`
    insert into property_days
    select day, key, (count(*) filter (where is_event))::integer, (count(*) filter (where not is_event))::integer
    from (${factsSql(config, touchedDays)})
    group by all`.execute(conn);
  // persons: every row of the touched persons
  const touchedPersons: CarriedWithin = (_ts, person) => scope.all ? sql`true` : sql`${person} in (select person_id from _in_persons)`;
  await sql`
    insert into property_persons
    select key, person_id, min(day), max(day), list(distinct day order by day)
    from (${factsSql(config, touchedPersons)})
    group by key, person_id`.execute(conn);
  await sql`drop table if exists _in_property_days`.execute(conn);
}
