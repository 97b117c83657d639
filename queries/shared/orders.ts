// What makes an order "valid" for metrics (SPEC §3): a paid-like status and a positive amount.
export const paidStatuses = ['paid', 'complete', 'completed', 'success', 'succeeded', 'fulfilled', 'shipped', 'delivered', 'partially_refunded', 'processing'];

/** SQL condition over an orders row alias `o`. */
export function validOrderSql(alias = 'o'): string {
  return `(${alias}.status in (${paidStatuses.map((s) => `'${s}'`).join(', ')}) and ${alias}.amount > 0)`;
}
