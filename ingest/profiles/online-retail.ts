// UCI "Online Retail" line items: one row per invoice line (StockCode, Description, Quantity, UnitPrice),
// with the customer's Country on every line; `C` invoices are cancellations.
import type { Profile } from './profile.ts';

export const onlineRetail: Profile = {
  name: 'online-retail',
  kind: 'sales',
  signature: ['invoiceno', 'stockcode', 'quantity', 'invoicedate', 'unitprice', 'customerid'],
  columns: {
    order_id: 'invoiceno', ts: 'invoicedate', quantity: 'quantity', unit_price: 'unitprice', customer_id: 'customerid',
    sku: 'stockcode', description: 'description', country: 'country',
  },
  expressions: {
    status: (col) => `case when upper(trim(${col('invoiceno')})) like 'C%' then 'cancelled' end`,
  },
};
