// Shopify admin "Orders > Export": one row per line item; order-level fields (Email, Financial Status,
// Total, Discount Code, Created at, addresses) are filled on the order's first row only. The place of an
// order is where it ships to, else (nothing shipped) the billing address.
import type { Profile } from './profile.ts';

export const shopifyOrders: Profile = {
  name: 'shopify-orders',
  kind: 'sales',
  orderFieldsOnFirstLine: true,
  signature: ['name', 'financial_status', 'created_at', 'lineitem_quantity', 'lineitem_price'],
  columns: {
    order_id: 'name',
    ts: 'created_at',
    customer_id: 'email',
    amount: 'total',
    quantity: 'lineitem_quantity',
    unit_price: 'lineitem_price',
    currency: 'currency',
    coupon: 'discount_code',
    sku: 'lineitem_sku',
    description: 'lineitem_name',
  },
  expressions: {
    country: (col) => shippedElseBilled(col, 'country'),
    city: (col) => shippedElseBilled(col, 'city'),
    customer_id: (col) => `lower(nullif(trim(${col('email')}), ''))`,
    status: (col) =>
      `case when nullif(trim(${col('cancelled_at')}), '') is not null then 'cancelled' else lower(nullif(trim(${col('financial_status')}), '')) end`,
  },
};

/** The shipping address's field when the order has a shipping country, else the billing address's. */
export function shippedElseBilled(col: (header: string) => string, field: 'country' | 'city'): string {
  const shipped = `nullif(trim(${col('shipping_country')}), '')`;
  return `case when ${shipped} is not null then ${col(`shipping_${field}`)} else ${col(`billing_${field}`)} end`;
}
