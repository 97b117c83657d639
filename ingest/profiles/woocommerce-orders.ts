// WooCommerce orders as the Customer/Order/Coupon CSV Export writes them in its "Default - One Row per
// Item" format: order fields (order_id, order_date, status, order_total, order_currency, billing_* and
// shipping_*) on every row, one row per line item (item_name, item_sku, item_quantity, item_subtotal).
// A line's unit price is its subtotal over its quantity; a price that needs more than 4 places is a reject.
import type { Profile } from './profile.ts';
import { shippedElseBilled } from './shopify-orders.ts';

export const woocommerceOrders: Profile = {
  name: 'woocommerce-orders',
  kind: 'sales',
  signature: ['order_id', 'order_date', 'status', 'order_total', 'order_currency', 'item_quantity', 'item_subtotal'],
  columns: {
    order_id: 'order_id', ts: 'order_date', amount: 'order_total', currency: 'order_currency', status: 'status', customer_id: 'billing_email',
    quantity: 'item_quantity', unit_price: 'item_subtotal', sku: 'item_sku', description: 'item_name',
  },
  expressions: {
    customer_id: (col) => `lower(nullif(trim(${col('billing_email')}), ''))`,
    unit_price: (col) => `(try_cast(${col('item_subtotal')} as double) / nullif(try_cast(${col('item_quantity')} as double), 0))::varchar`,
    // coupon_items: "code:WINTER10|amount:8.10" (several coupons separated by ';'): the first code
    coupon: (col) => `nullif(regexp_extract(${col('coupon_items')}, 'code:([^|;]*)', 1), '')`,
    country: (col) => shippedElseBilled(col, 'country'),
    city: (col) => shippedElseBilled(col, 'city'),
  },
};
