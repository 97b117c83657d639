// Who a row belongs to (SPEC §3: the person is the customer a visitor is linked to, transitively through
// `identities` — ingest keeps that as `person_map` — else the visitor id). Every metric, derive step and view asks here.

/** A row's person as SQL text over the row's alias: `join` adds the person-map lookups, `person` reads them. */
export interface PersonOf {
  join: string;
  person: string;
}

type IdKind = 'visitor' | 'customer';

/** `table` is `person_map`, or a copy of it (derive compares the map before and after a load). */
function lookup(kind: IdKind, row: string, as: string, table: string): string {
  return `left join ${table} ${as} on ${as}.id_kind = '${kind}' and ${as}.id = ${row}.${kind}_id`;
}

/** The person of a row with a `visitor_id` (an event, a session): its visitor's person, else the visitor id. */
export function visitorPerson(row: string, as = 'pmv', table = 'person_map'): PersonOf {
  return { join: lookup('visitor', row, as, table), person: `coalesce(${as}.person_id, ${row}.visitor_id)` };
}

/** The person of a row with a `customer_id`: the customer's person, else the customer id (a customer never seen on the site). */
export function customerPerson(row: string, as = 'pmc', table = 'person_map'): PersonOf {
  return { join: lookup('customer', row, as, table), person: `coalesce(${as}.person_id, ${row}.customer_id)` };
}

/** The person of an order: its customer's person when it has a customer id, else its visitor's (a guest order). */
export function orderPerson(row = 'o'): PersonOf {
  const customer = customerPerson(row, 'pmc');
  const visitor = visitorPerson(row, 'pmv');
  return {
    join: `${customer.join}\n    ${visitor.join}`,
    person: `coalesce(pmc.person_id, ${row}.customer_id, pmv.person_id, ${row}.visitor_id)`,
  };
}

/** SQL condition: the person id `person` is a customer's (the map labels a linked person by a customer id), not an anonymous visitor's. */
export function isCustomerPersonSql(person: string): string {
  return `exists (select 1 from person_map m where m.id_kind = 'customer' and m.id = ${person})`;
}

/**
 * SQL condition over a row with a `visitor_id`: its visitor may belong to one of the persons of `persons`
 * (a relation with person_id) — a cheap superset test that lets a scan drop most rows before the exact
 * `visitorPerson` lookup.
 */
export function visitorMayBeOfSql(row: string, persons: string): string {
  return `${row}.visitor_id in (
    select id from person_map where id_kind = 'visitor' and person_id in (select person_id from ${persons})
    union all select person_id from ${persons})`;
}
