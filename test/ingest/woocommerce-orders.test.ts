// WooCommerce orders through the real pipeline, laid out as the Customer/Order/Coupon CSV Export writes
// its "Default - One Row per Item" format; orders, their lines and statuses checked exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

let w: TempWarehouse;
beforeAll(async () => {
  w = await tempWarehouse({ input_timezone: 'America/Denver' });
});
afterAll(async () => w.close());

describe('woocommerce-orders', () => {
  it('one row per item: order fields on every row, the order total kept, unit prices from subtotal / quantity', async () => {
    // Column names and order of the export's default format (woocommerce.com/document/ordercustomer-csv-exporter,
    // "Default - One Row per Item"; its XML sibling at gist.github.com/bekarice/07b1526ddd1519db7698bcfc9e72ee55
    // shows the same order 188 fields: OrderDate 2016-09-15 03:17:47 in the site's time, OrderStatus completed, USD)
    const header = 'order_id,order_number,order_number_formatted,order_date,status,shipping_total,shipping_tax_total,fee_total,fee_tax_total,tax_total,cart_discount,order_discount,discount_total,order_total,refunded_total,order_currency,payment_method,shipping_method,customer_id,billing_first_name,billing_last_name,billing_company,billing_email,billing_phone,billing_address_1,billing_address_2,billing_postcode,billing_city,billing_state,billing_country,shipping_first_name,shipping_last_name,shipping_address_1,shipping_address_2,shipping_postcode,shipping_city,shipping_state,shipping_country,shipping_company,customer_note,item_id,item_product_id,item_name,item_sku,item_quantity,item_subtotal,item_subtotal_tax,item_total,item_total_tax,item_refunded,item_refunded_qty,item_meta,shipping_items,fee_items,tax_items,coupon_items,order_notes,download_permissions';
    const order188 = '188,188,188,2016-09-15 03:17:47,completed,5.00,0.00,0.00,0.00,0.00,0.00,0.00,4.50,86.50,0.00,USD,stripe,Flat rate,12,Skyler,White,,Skyler@Mailinator.com,123986987,308 Negra Arroyo Lane,,87104,Albuquerque,NM,US,Skyler,White,308 Negra Arroyo Lane,,87104,Albuquerque,NM,US,,';
    const order189 = '189,189,189,2016-09-16 10:00:00,cancelled,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,20.00,0.00,USD,bacs,,13,Walter,Jr,,flynn@mailinator.com,,1 Main St,,87104,Albuquerque,NM,US,,,,,,,,,,';
    const order190 = '190,190,190,2016-09-17 18:30:00,on-hold,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,30.00,0.00,EUR,bacs,,14,Marie,Schrader,,marie@mailinator.com,,2 Elm St,,10115,Berlin,,DE,Marie,Schrader,2 Elm St,,80331,München,,DE,,';
    const file = w.file('orders-export-2016_09_18.csv', [
      header,
      `${order188},101,53,Woo Beanie,BEANIE-1,2,36.00,0.00,36.00,0.00,0.00,0,,method_id:flat_rate|method_title:Flat rate|total:5.00,,,code:WINTER10|amount:4.50,,`,
      `${order188},102,54,Woo Hoodie,HOODIE-L,1,50.00,0.00,45.50,0.00,0.00,0,size=L,method_id:flat_rate|method_title:Flat rate|total:5.00,,,code:WINTER10|amount:4.50,,`,
      `${order189},103,53,Woo Beanie,BEANIE-1,1,18.00,0.00,18.00,0.00,0.00,0,,,,,,,`,
      `${order190},104,55,Woo Cap,CAP-1,3,30.00,0.00,30.00,0.00,0.00,0,,,,,,,`,
    ].join('\r\n') + '\r\n');
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', kind: 'sales', profile: 'woocommerce-orders', rowsIn: 4, rowsLoaded: 4, rowsRejected: 0 });
    // order_date is the site's local time: 2016-09-15 03:17:47 in Denver (MDT, UTC-6) is 09:17:47 UTC
    expect(await w.rows(`select order_id, strftime(timezone('UTC', ts), '%Y-%m-%d %H:%M:%S') as ts, customer_id, amount::varchar as amount, currency, status, items, coupon, country, city
      from orders order by order_id`)).toEqual([
      // the order total (items 36.00 + 50.00, less the 4.50 coupon, plus 5.00 shipping = 86.50) is the order's amount
      { order_id: '188', ts: '2016-09-15 09:17:47', customer_id: 'skyler@mailinator.com', amount: '86.50', currency: 'USD', status: 'completed', items: 3, coupon: 'WINTER10', country: 'US', city: 'Albuquerque' },
      { order_id: '189', ts: '2016-09-16 16:00:00', customer_id: 'flynn@mailinator.com', amount: '20.00', currency: 'USD', status: 'cancelled', items: 1, coupon: null, country: 'US', city: 'Albuquerque' },
      // 189 has no shipping address: its place is the billing one; 190 ships to Munich, billed in Berlin
      { order_id: '190', ts: '2016-09-18 00:30:00', customer_id: 'marie@mailinator.com', amount: '30.00', currency: 'EUR', status: 'on-hold', items: 3, coupon: null, country: 'DE', city: 'München' },
    ]);
    // unit prices: 36.00 / 2 = 18, 50.00 / 1 = 50, 30.00 / 3 = 10
    expect(await w.rows('select order_id, sku, description, quantity::integer as quantity, unit_price::varchar as unit_price from order_items order by order_id, line')).toEqual([
      { order_id: '188', sku: 'BEANIE-1', description: 'Woo Beanie', quantity: 2, unit_price: '18.0000' },
      { order_id: '188', sku: 'HOODIE-L', description: 'Woo Hoodie', quantity: 1, unit_price: '50.0000' },
      { order_id: '189', sku: 'BEANIE-1', description: 'Woo Beanie', quantity: 1, unit_price: '18.0000' },
      { order_id: '190', sku: 'CAP-1', description: 'Woo Cap', quantity: 3, unit_price: '10.0000' },
    ]);
    // completed is a valid order; cancelled and on-hold (not paid yet) are not
    expect(await w.rows("select count(*)::integer as n from orders where status in ('completed')")).toEqual([{ n: 1 }]);
  });
});
