// What makes an order "valid" for metrics (SPEC §3: a paid-like status and a positive amount), and the
// person an order belongs to (SPEC §3: the customer's person, else the visitor's).
import { sql, type RawBuilder } from 'kysely';

export const paidStatuses = ['paid', 'complete', 'completed', 'success', 'succeeded', 'fulfilled', 'shipped', 'delivered', 'partially_refunded', 'processing'];

/** SQL condition over an orders row alias `o`. */
export function validOrderSql(alias = 'o'): string {
  return `(${alias}.status in (${paidStatuses.map((s) => `'${s}'`).join(', ')}) and ${alias}.amount > 0)`;
}

/** The person of order `o`: needs the joins of `orderPersonJoinsSql(o)` (aliases pmc, pmv). */
export function personOfOrderSql(alias = 'o'): string {
  return `coalesce(pmc.person_id, ${alias}.customer_id, pmv.person_id, ${alias}.visitor_id)`;
}

export function orderPersonJoinsSql(alias = 'o'): string {
  return `left join person_map pmc on pmc.id_kind = 'customer' and pmc.id = ${alias}.customer_id
    left join person_map pmv on pmv.id_kind = 'visitor' and pmv.id = ${alias}.visitor_id`;
}

/**
 * (person_id, ts, n): every valid order with its person and its rank n among the person's valid orders
 * (by time, then order id) — what "a further valid order" is counted from.
 */
export function personOrdersSql(onlyPersons?: RawBuilder<unknown>): RawBuilder<unknown> {
  const person = sql.raw(personOfOrderSql('o'));
  return sql`
    select ${person} as person_id, o.ts, row_number() over (partition by ${person} order by o.ts, o.order_id) as n
    from orders o ${sql.raw(orderPersonJoinsSql('o'))}
    where ${sql.raw(validOrderSql('o'))} ${onlyPersons ? sql`and ${person} in (${onlyPersons})` : sql``}`;
}

/** Order statuses that cancel an order (its lines are shown as cancelled, never as sales). */
export const cancelledStatuses = ['cancelled', 'canceled', 'voided'];

/** SQL condition over an orders row alias: the order was cancelled. */
export function cancelledOrderSql(alias = 'o'): string {
  return `(${alias}.status in (${cancelledStatuses.map((s) => `'${s}'`).join(', ')}))`;
}

/**
 * SQL condition over an order_items row `i` and its order `o`: a sold line, counted as product revenue —
 * a line of a valid order with quantity > 0 and unit price > 0 (SPEC §4: the other lines are adjustments).
 */
export function soldLineSql(item = 'i', order = 'o'): string {
  return `(${validOrderSql(order)} and ${item}.quantity > 0 and ${item}.unit_price > 0)`;
}
