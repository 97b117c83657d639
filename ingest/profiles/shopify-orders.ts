// Shopify admin "Orders > Export": one row per line item; order-level fields (Email, Financial Status,
// Total, Discount Code, Created at) are filled on the order's first row only.
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
  },
  expressions: {
    customer_id: (col) => `lower(nullif(trim(${col('email')}), ''))`,
    status: (col) =>
      `case when nullif(trim(${col('cancelled_at')}), '') is not null then 'cancelled' else lower(nullif(trim(${col('financial_status')}), '')) end`,
  },
};
