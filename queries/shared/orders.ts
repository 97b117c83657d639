// What makes an order "valid" for metrics (SPEC §3: a paid-like status and a positive amount), cancelled,
// or a sold line; and each person's valid orders in order (the person itself: persons.ts).
import { sql, type RawBuilder } from 'kysely';
import { orderPerson } from './persons.ts';

export const paidStatuses = ['paid', 'complete', 'completed', 'success', 'succeeded', 'fulfilled', 'shipped', 'delivered', 'partially_refunded', 'processing'];

/** SQL condition over an orders row alias `o`. */
export function validOrderSql(alias = 'o'): string {
  return `(${alias}.status in (${paidStatuses.map((s) => `'${s}'`).join(', ')}) and ${alias}.amount > 0)`;
}

/**
 * (person_id, ts, n): every valid order with its person and its rank n among the person's valid orders
 * (by time, then order id) — what "a further valid order" is counted from.
 */
export function personOrdersSql(onlyPersons?: RawBuilder<unknown>): RawBuilder<unknown> {
  const of = orderPerson('o');
  const person = sql.raw(of.person);
  return sql`
    select ${person} as person_id, o.ts, row_number() over (partition by ${person} order by o.ts, o.order_id) as n
    from orders o ${sql.raw(of.join)}
    where ${sql.raw(validOrderSql('o'))} ${onlyPersons ? sql`and ${person} in (${onlyPersons})` : sql``}`;
}

/** Order statuses that cancel an order (its lines are shown as cancelled, never as sales). */
export const cancelledStatuses = ['cancelled', 'canceled', 'voided'];

/** Order statuses of money given back: with the cancellations, the returns a drop candidate is judged by (SPEC §5.5). */
const refundStatuses = ['refunded', 'partially_refunded', 'returned', 'chargeback'];
export const returnStatuses = [...cancelledStatuses, ...refundStatuses];

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
