// Line items and places (issue 12 item 4) on hand-checked files through the real ingest pipeline and
// the real app: cancelled lines shown as such, dedupe of overlapping line-item exports (same lines are
// duplicates, a changed order replaces its lines), a Shopify export shaped by the real 79-column header,
// a generic sales CSV with product columns, and retention/repurchase filtered by first-purchase product.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountriesResult } from '../../queries/countries.ts';
import type { TopProductsResult } from '../../queries/products.ts';
import { repurchase } from '../../queries/repurchase.ts';
import { retention } from '../../queries/retention.ts';
import { installAnalystViews } from '../../queries/analyst-views.ts';
import { createApp } from '../../server/app.ts';
import { loaded, type AppContext } from '../fixtures/retention/load.ts';
import type { TempWarehouse } from '../support/temp-warehouse.ts';

const get = async <T>(ctx: AppContext, url: string): Promise<T> => {
  const res = await createApp({ db: ctx.db, config: ctx.config }).request(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
};
const productRows = (r: TopProductsResult) => r.products.map(({ rank, sku, description, quantity, revenue, orders, customers, cancelledQuantity, cancelledValue }) => ({ rank, sku, description, quantity, revenue, orders, customers, cancelledQuantity, cancelledValue }));

// UCI online-retail layout (header and value forms as in ../shared/data/online-retail). First export:
//   536365 (UK, customer 17850): 85123A 6 × 2.55 = 15.30, 71053 6 × 3.39 = 20.34, 85123A again 2 × 2.55 = 5.10
//     (one invoice, the same SKU on two lines: lines are keyed by position, so both stay)
//   C536379: the cancellation of 3 × 85123A (quantity -3, price 2.55 → cancelled value 7.65)
//   536380 (France, 12583): 22423 1 × 12.75, and a -1 × 0.00 stock adjustment line (not sold)
//   536381 (UK, no customer): PADS 1 × 0.00 only → an adjustment order, never valid
const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const first = [
  header,
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER ,2,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
  'C536379,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-3,2010-12-01 09:41:00,2.55,17850.0,United Kingdom',
  '536380,22423,REGENCY CAKESTAND 3 TIER,1,2010-12-01 10:00:00,12.75,12583.0,France',
  '536380,22423,REGENCY CAKESTAND 3 TIER,-1,2010-12-01 10:00:00,0,12583.0,France',
  '536381,PADS,PADS TO MATCH ALL CUSHIONS,1,2010-12-02 10:00:00,0,,United Kingdom',
].join('\n');
// The overlapping second export: 536365 and C536379 again unchanged (4 duplicate rows); 536380 now has
// 2 cakestands (its two lines replace the stored two); a new invoice 536390 (Germany, 13047):
// 84029G 4 × 3.39 = 13.56.
const second = [
  header,
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER ,2,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
  'C536379,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-3,2010-12-01 09:41:00,2.55,17850.0,United Kingdom',
  '536380,22423,REGENCY CAKESTAND 3 TIER,2,2010-12-01 10:00:00,12.75,12583.0,France',
  '536380,22423,REGENCY CAKESTAND 3 TIER,-1,2010-12-01 10:00:00,0,12583.0,France',
  '536390,84029G,KNITTED UNION FLAG HOT WATER BOTTLE,4,2010-12-02 12:00:00,3.39,13047.0,Germany',
].join('\n');

describe('online-retail line items: cancelled lines and overlapping exports', () => {
  let w: TempWarehouse;
  let ctx: AppContext;
  beforeAll(async () => ({ w, ctx } = await loaded({}, [])));
  afterAll(async () => w.close());

  it('the first export keeps all 7 lines, numbered within their invoice in file order', async () => {
    expect(await w.ingest(w.file('export-1.csv', first))).toMatchObject({ status: 'loaded', profile: 'online-retail', rowsIn: 7, rowsLoaded: 7, rowsDuplicate: 0, rowsRejected: 0 });
    expect(await w.rows('select order_id, line, sku, description, quantity, unit_price::double as unit_price, amount::double as amount, currency from order_items order by order_id, line')).toEqual([
      { order_id: '536365', line: 1, sku: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 6, unit_price: 2.55, amount: 15.3, currency: 'GBP' },
      { order_id: '536365', line: 2, sku: '71053', description: 'WHITE METAL LANTERN', quantity: 6, unit_price: 3.39, amount: 20.34, currency: 'GBP' },
      { order_id: '536365', line: 3, sku: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 2, unit_price: 2.55, amount: 5.1, currency: 'GBP' },
      { order_id: '536380', line: 1, sku: '22423', description: 'REGENCY CAKESTAND 3 TIER', quantity: 1, unit_price: 12.75, amount: 12.75, currency: 'GBP' },
      { order_id: '536380', line: 2, sku: '22423', description: 'REGENCY CAKESTAND 3 TIER', quantity: -1, unit_price: 0, amount: 0, currency: 'GBP' },
      { order_id: '536381', line: 1, sku: 'PADS', description: 'PADS TO MATCH ALL CUSHIONS', quantity: 1, unit_price: 0, amount: 0, currency: 'GBP' },
      { order_id: 'C536379', line: 1, sku: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: -3, unit_price: 2.55, amount: -7.65, currency: 'GBP' },
    ]);
    // orders carry the country; 536365 = 15.30 + 20.34 + 5.10 = 40.74
    expect(await w.rows('select order_id, status, amount::double as amount, country from orders order by order_id')).toEqual([
      { order_id: '536365', status: 'paid', amount: 40.74, country: 'United Kingdom' },
      { order_id: '536380', status: 'paid', amount: 12.75, country: 'France' },
      { order_id: '536381', status: 'adjustment', amount: 0, country: 'United Kingdom' },
      { order_id: 'C536379', status: 'cancelled', amount: 7.65, country: 'United Kingdom' },
    ]);
  });

  it('the same file again is a no-op; the overlapping export adds 1 invoice, replaces 536380 and doubles nothing', async () => {
    expect(await w.ingest(w.file('export-1-again.csv', first))).toMatchObject({ status: 'skipped', rowsIn: 0 });
    // 7 rows in = 3 loaded (536380's 2 lines, 536390's 1) + 4 duplicate (536365's 3, C536379's 1)
    expect(await w.ingest(w.file('export-2.csv', second))).toMatchObject({ status: 'loaded', rowsIn: 7, rowsLoaded: 3, rowsDuplicate: 4, rowsRejected: 0 });
    expect(await w.rows("select order_id, count(*)::integer as lines, sum(quantity)::double as quantity from order_items group by 1 order by 1")).toEqual([
      { order_id: '536365', lines: 3, quantity: 14 },
      { order_id: '536380', lines: 2, quantity: 1 }, // 2 + (-1): the new lines, not 1 + 2 - 1 - 1 stacked on the old
      { order_id: '536381', lines: 1, quantity: 1 },
      { order_id: '536390', lines: 1, quantity: 4 },
      { order_id: 'C536379', lines: 1, quantity: -3 },
    ]);
  });

  it('v_order_items tells sold, cancelled and adjustment lines apart', async () => {
    await installAnalystViews(ctx.db, ctx.config);
    expect(await w.rows("select order_id, line, line_kind, is_sold, is_cancelled, country from v_order_items order by order_id, line")).toEqual([
      { order_id: '536365', line: 1, line_kind: 'sold', is_sold: true, is_cancelled: false, country: 'United Kingdom' },
      { order_id: '536365', line: 2, line_kind: 'sold', is_sold: true, is_cancelled: false, country: 'United Kingdom' },
      { order_id: '536365', line: 3, line_kind: 'sold', is_sold: true, is_cancelled: false, country: 'United Kingdom' },
      { order_id: '536380', line: 1, line_kind: 'sold', is_sold: true, is_cancelled: false, country: 'France' },
      { order_id: '536380', line: 2, line_kind: 'adjustment', is_sold: false, is_cancelled: false, country: 'France' },
      { order_id: '536381', line: 1, line_kind: 'adjustment', is_sold: false, is_cancelled: false, country: 'United Kingdom' },
      { order_id: '536390', line: 1, line_kind: 'sold', is_sold: true, is_cancelled: false, country: 'Germany' },
      { order_id: 'C536379', line: 1, line_kind: 'cancelled', is_sold: false, is_cancelled: true, country: 'United Kingdom' },
    ]);
    const comments = await w.rows<{ n: number }>("select count(*)::integer as n from duckdb_columns() where table_name = 'v_order_items' and (comment is null or comment = '')");
    expect(comments).toEqual([{ n: 0 }]);
  });

  it('top products: revenue of sold lines, cancelled quantity and value apart (cancelled line of 85123A)', async () => {
    const r = await get<TopProductsResult>(ctx, '/api/products?from=2010-12-01&to=2010-12-03');
    expect(productRows(r)).toEqual([
      // 22423: 2 × 12.75 = 25.50 (the -1 × 0 adjustment line is not sold)
      { rank: 1, sku: '22423', description: 'REGENCY CAKESTAND 3 TIER', quantity: 2, revenue: 25.5, orders: 1, customers: 1, cancelledQuantity: 0, cancelledValue: 0 },
      // 85123A: 6 × 2.55 + 2 × 2.55 = 20.40 on one invoice; cancelled C536379: 3 units, 3 × 2.55 = 7.65
      { rank: 2, sku: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 8, revenue: 20.4, orders: 1, customers: 1, cancelledQuantity: 3, cancelledValue: 7.65 },
      { rank: 3, sku: '71053', description: 'WHITE METAL LANTERN', quantity: 6, revenue: 20.34, orders: 1, customers: 1, cancelledQuantity: 0, cancelledValue: 0 },
      { rank: 4, sku: '84029G', description: 'KNITTED UNION FLAG HOT WATER BOTTLE', quantity: 4, revenue: 13.56, orders: 1, customers: 1, cancelledQuantity: 0, cancelledValue: 0 },
    ]);
    // 25.50 + 20.40 + 20.34 + 13.56 = 79.80; 2 + 8 + 6 + 4 = 20 units; orders 536365, 536380, 536390; PADS is never sold
    expect(r.totals).toEqual({ quantity: 20, revenue: 79.8, orders: 3, customers: 3, cancelledQuantity: 3, cancelledValue: 7.65 });
    expect(r.productCount).toBe(4);
    expect(r.products[0]!.share).toBeCloseTo(25.5 / 79.8, 12);
    expect(r.notes).toContainEqual({ code: 'other_lines_not_counted', params: { lines: 2 } });
    // a country filter: France only → 22423 alone
    const fr = await get<TopProductsResult>(ctx, '/api/products?from=2010-12-01&to=2010-12-03&country=France');
    expect(fr.products.map((p) => [p.sku, p.revenue])).toEqual([['22423', 25.5]]);
    // a one-day period: 2010-12-02 holds only 536390 (sold) and 536381 (adjustment)
    const day = await get<TopProductsResult>(ctx, '/api/products?from=2010-12-02&to=2010-12-03&limit=1');
    expect(day.products.map((p) => [p.rank, p.sku, p.revenue])).toEqual([[1, '84029G', 13.56]]);
  });

  it('revenue by country: valid orders only, with shares of the period revenue', async () => {
    const r = await get<CountriesResult>(ctx, '/api/countries?from=2010-12-01&to=2010-12-03');
    // UK 536365 = 40.74 (C536379 cancelled, 536381 adjustment: not valid); France 536380 = 25.50; Germany 536390 = 13.56
    expect(r.countries).toEqual([
      { country: 'United Kingdom', revenue: 40.74, orders: 1, customers: 1, share: 40.74 / 79.8 },
      { country: 'France', revenue: 25.5, orders: 1, customers: 1, share: 25.5 / 79.8 },
      { country: 'Germany', revenue: 13.56, orders: 1, customers: 1, share: 13.56 / 79.8 },
    ]);
    expect(r.totals).toEqual({ revenue: 79.8, orders: 3, customers: 3 });
  });

  it('an empty period says so instead of inventing rows', async () => {
    const p = await get<TopProductsResult>(ctx, '/api/products?from=2020-01-01&to=2020-02-01');
    expect(p.products).toEqual([]);
    expect(p.totals.revenue).toBe(0);
    expect(p.notes.at(-1)).toEqual({ code: 'no_order_lines' });
    const c = await get<CountriesResult>(ctx, '/api/countries?from=2020-01-01&to=2020-02-01');
    expect(c).toMatchObject({ countries: [], totals: { revenue: 0, orders: 0, customers: 0 }, notes: [{ code: 'country_revenue' }, { code: 'countries_no_valid_orders' }] });
  });
});

// A Shopify admin "Orders > Export" file: the real 79-column header (../shared/data/shopify), one row per
// line item, order-level fields on the order's first row only, `Created at` as `2024-03-05 14:02:11 +0100`.
//   #1001 a@x.com paid EUR, Total 59.00 (lines 40 + 15, shipping 4): 2 × SHIRT-M 20.00, 1 × CAP 15.00;
//         ships to Berlin DE (billing Wien AT: the shipping address wins)
//   #1002 b@x.com paid, Total 30.00: 1 × "Gift card" without SKU; nothing shipped → billing Paris FR
//   #1003 a@x.com cancelled (Cancelled at filled), Total 40.00: 2 × SHIRT-M 20.00, ships to DE
//   #1004 c@x.com refunded, Total 15.00: 1 × CAP — neither sold nor cancelled
const shopifyHeader = fs.readFileSync(path.resolve('../shared/data/shopify/orders_export_header.csv'), 'utf8').trim().split(',');
const shopifyRow = (fields: Record<string, string>) => {
  for (const k of Object.keys(fields)) expect(shopifyHeader, k).toContain(k);
  return shopifyHeader.map((h) => {
    const v = fields[h] ?? '';
    return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  }).join(',');
};
const shopifyFile = (rows: Record<string, string>[]) => [shopifyHeader.join(','), ...rows.map(shopifyRow)].join('\n');
const order1001 = { Name: '#1001', Email: 'a@x.com', 'Financial Status': 'paid', Currency: 'EUR', Subtotal: '55.00', Shipping: '4.00', Total: '59.00', 'Created at': '2024-03-05 14:02:11 +0100', 'Shipping City': 'Berlin', 'Shipping Country': 'DE', 'Billing City': 'Wien', 'Billing Country': 'AT' };
const shopifyRows: Record<string, string>[] = [
  { ...order1001, 'Lineitem quantity': '2', 'Lineitem name': 'Linen Shirt - M', 'Lineitem price': '20.00', 'Lineitem sku': 'SHIRT-M' },
  { Name: '#1001', 'Lineitem quantity': '1', 'Lineitem name': 'Cap', 'Lineitem price': '15.00', 'Lineitem sku': 'CAP' },
  { Name: '#1002', Email: 'b@x.com', 'Financial Status': 'paid', Currency: 'EUR', Total: '30.00', 'Created at': '2024-03-06 10:00:00 +0100', 'Billing City': 'Paris', 'Billing Country': 'FR', 'Lineitem quantity': '1', 'Lineitem name': 'Gift card', 'Lineitem price': '30.00' },
  { Name: '#1003', Email: 'a@x.com', 'Financial Status': 'paid', Currency: 'EUR', Total: '40.00', 'Created at': '2024-03-07 09:00:00 +0100', 'Cancelled at': '2024-03-07 12:00:00 +0100', 'Shipping City': 'Berlin', 'Shipping Country': 'DE', 'Lineitem quantity': '2', 'Lineitem name': 'Linen Shirt - M', 'Lineitem price': '20.00', 'Lineitem sku': 'SHIRT-M' },
  { Name: '#1004', Email: 'c@x.com', 'Financial Status': 'refunded', Currency: 'EUR', Total: '15.00', 'Created at': '2024-03-08 09:00:00 +0100', 'Shipping City': 'Lyon', 'Shipping Country': 'FR', 'Lineitem quantity': '1', 'Lineitem name': 'Cap', 'Lineitem price': '15.00', 'Lineitem sku': 'CAP' },
];

describe('Shopify orders export: line rows, places, cancelled and refunded orders', () => {
  let w: TempWarehouse;
  let ctx: AppContext;
  beforeAll(async () => ({ w, ctx } = await loaded({}, [])));
  afterAll(async () => w.close());

  it('keeps one line per row with the order-level fields of the first row', async () => {
    expect(await w.ingest(w.file('orders_export_1.csv', shopifyFile(shopifyRows)))).toMatchObject({ status: 'loaded', profile: 'shopify-orders', rowsIn: 5, rowsLoaded: 5, rowsRejected: 0 });
    expect(await w.rows('select order_id, line, sku, description, quantity, amount::double as amount, currency from order_items order by order_id, line')).toEqual([
      { order_id: '#1001', line: 1, sku: 'SHIRT-M', description: 'Linen Shirt - M', quantity: 2, amount: 40, currency: 'EUR' },
      { order_id: '#1001', line: 2, sku: 'CAP', description: 'Cap', quantity: 1, amount: 15, currency: 'EUR' },
      { order_id: '#1002', line: 1, sku: null, description: 'Gift card', quantity: 1, amount: 30, currency: 'EUR' },
      { order_id: '#1003', line: 1, sku: 'SHIRT-M', description: 'Linen Shirt - M', quantity: 2, amount: 40, currency: 'EUR' },
      { order_id: '#1004', line: 1, sku: 'CAP', description: 'Cap', quantity: 1, amount: 15, currency: 'EUR' },
    ]);
    // 14:02:11 +0100 = 13:02:11 UTC; the order amount is Shopify's Total (with shipping), not Σ lines
    expect(await w.rows('select order_id, ts, status, amount::double as amount, country, city from orders order by order_id')).toEqual([
      { order_id: '#1001', ts: new Date('2024-03-05T13:02:11Z'), status: 'paid', amount: 59, country: 'DE', city: 'Berlin' },
      { order_id: '#1002', ts: new Date('2024-03-06T09:00:00Z'), status: 'paid', amount: 30, country: 'FR', city: 'Paris' },
      { order_id: '#1003', ts: new Date('2024-03-07T08:00:00Z'), status: 'cancelled', amount: 40, country: 'DE', city: 'Berlin' },
      { order_id: '#1004', ts: new Date('2024-03-08T08:00:00Z'), status: 'refunded', amount: 15, country: 'FR', city: 'Lyon' },
    ]);
  });

  it('top products: a line without SKU is its own product by name; the cancelled order shows apart; the refund counts nowhere', async () => {
    const r = await get<TopProductsResult>(ctx, '/api/products?from=2024-03-01&to=2024-04-01');
    expect(productRows(r)).toEqual([
      { rank: 1, sku: 'SHIRT-M', description: 'Linen Shirt - M', quantity: 2, revenue: 40, orders: 1, customers: 1, cancelledQuantity: 2, cancelledValue: 40 },
      { rank: 2, sku: null, description: 'Gift card', quantity: 1, revenue: 30, orders: 1, customers: 1, cancelledQuantity: 0, cancelledValue: 0 },
      { rank: 3, sku: 'CAP', description: 'Cap', quantity: 1, revenue: 15, orders: 1, customers: 1, cancelledQuantity: 0, cancelledValue: 0 },
    ]);
    expect(r.currency).toBe('EUR');
    // #1001 and #1002 are valid; customers a@x.com, b@x.com
    expect(r.totals).toEqual({ quantity: 4, revenue: 85, orders: 2, customers: 2, cancelledQuantity: 2, cancelledValue: 40 });
  });

  it('revenue by country uses the order totals: DE 59 (Berlin), FR 30 (billing Paris); the refunded Lyon order is not revenue', async () => {
    const r = await get<CountriesResult>(ctx, '/api/countries?from=2024-03-01&to=2024-04-01');
    expect(r.countries).toEqual([
      { country: 'DE', revenue: 59, orders: 1, customers: 1, share: 59 / 89 },
      { country: 'FR', revenue: 30, orders: 1, customers: 1, share: 30 / 89 },
    ]);
  });

  it('a later export where #1002 was refunded replaces the order and keeps its one line', async () => {
    const later = shopifyFile([{ ...shopifyRows[2]!, 'Financial Status': 'refunded' }]);
    expect(await w.ingest(w.file('orders_export_2.csv', later))).toMatchObject({ status: 'loaded', rowsIn: 1, rowsLoaded: 1, rowsDuplicate: 0 });
    expect(await w.rows("select count(*)::integer as n from order_items where order_id = '#1002'")).toEqual([{ n: 1 }]);
    const r = await get<TopProductsResult>(ctx, '/api/products?from=2024-03-01&to=2024-04-01');
    expect(r.products.map((p) => p.description)).toEqual(['Linen Shirt - M', 'Cap']); // the gift card is no longer sold
  });

  it('v_customers: the country of most of their valid orders', async () => {
    await installAnalystViews(ctx.db, ctx.config);
    // a@x.com: #1001 DE valid (#1003 cancelled); b@x.com's only order is refunded now → not a customer
    expect(await w.rows('select customer_id, country, city from v_customers order by customer_id')).toEqual([{ customer_id: 'a@x.com', country: 'DE', city: 'Berlin' }]);
  });
});

// A generic sales CSV with product columns under common names (product_id → sku, product_name →
// description, shipping_country → country, shipping_city → city): lines, places and the customers'
// country (D: 2 orders in NL, 1 in BE → NL; E: one in BE, one in NL → a tie, the latest order (NL) wins).
const generic = [
  'order_id,order_date,customer_id,product_id,product_name,quantity,unit_price,shipping_country,shipping_city',
  'g1,2026-05-01T10:00:00Z,D,P-1,Mug,2,4.50,NL,Utrecht',
  'g1,2026-05-01T10:00:00Z,D,P-2,Plate,1,7.25,NL,Utrecht',
  'g2,2026-05-02T10:00:00Z,D,P-1,Mug,1,4.50,BE,Gent',
  'g3,2026-05-03T10:00:00Z,D,P-1,Mug,1,4.50,NL,Amsterdam',
  'g4,2026-05-04T10:00:00Z,E,P-2,Plate,1,7.25,BE,Antwerpen',
  'g5,2026-05-05T10:00:00Z,E,P-2,Plate,3,7.25,NL,Delft',
].join('\n');

describe('a generic sales CSV with product_id / product_name / quantity / unit_price columns', () => {
  let w: TempWarehouse;
  let ctx: AppContext;
  beforeAll(async () => ({ w, ctx } = await loaded({}, [['sales.csv', generic]])));
  afterAll(async () => w.close());

  it('maps the product and place columns and keeps the lines', async () => {
    expect(await w.rows("select order_id, line, sku, description, quantity, amount::double as amount from order_items where order_id = 'g1' order by line")).toEqual([
      { order_id: 'g1', line: 1, sku: 'P-1', description: 'Mug', quantity: 2, amount: 9 },
      { order_id: 'g1', line: 2, sku: 'P-2', description: 'Plate', quantity: 1, amount: 7.25 },
    ]);
    expect(await w.rows("select order_id, amount::double as amount, country, city from orders where order_id in ('g1', 'g5') order by 1")).toEqual([
      { order_id: 'g1', amount: 16.25, country: 'NL', city: 'Utrecht' },
      { order_id: 'g5', amount: 21.75, country: 'NL', city: 'Delft' },
    ]);
  });

  it('v_customers: most frequent country, ties to the latest order; the city of the latest order there', async () => {
    await installAnalystViews(ctx.db, ctx.config);
    // D: NL ×2 (g1, g3), BE ×1 → NL, city of g3 (latest in NL) = Amsterdam. E: BE ×1 (g4), NL ×1 (g5, later) → NL, Delft
    expect(await w.rows('select customer_id, country, city from v_customers order by 1')).toEqual([
      { customer_id: 'D', country: 'NL', city: 'Amsterdam' },
      { customer_id: 'E', country: 'NL', city: 'Delft' },
    ]);
  });
});

// Retention by first-purchase product (SPEC §5.3). Line items, every order at 10:00Z; the last data
// instant is o7, 2026-03-15T10:00Z, so March is incomplete.
//   A: o1 01-05 SKU-X 1 × 10 + SKU-Y 1 × 5 (= 15); o2 02-10 SKU-Y 1 × 5
//   B: o3 01-20 SKU-Y 2 × 5 (= 10); o4 03-01 SKU-X 1 × 10
//   C: o5 02-03 SKU-X 1 × 10 cancelled (not valid); o6 02-04 SKU-X 1 × 10; o7 03-15 SKU-Z 1 × 7
//   D: o8 01-10 SKU-X 1 × 0.00 (not sold) + SKU-Z 1 × 8
//   E: o9 02-20 SKU-X 1 × 10
// First valid orders with SKU-X sold on them: A (o1, Jan), C (o6, Feb: o5 is cancelled), E (o9, Feb).
// B's first order has only SKU-Y; D's SKU-X line has price 0, so it was not bought.
const firstProduct = [
  'order_id,ts,customer_id,sku,quantity,unit_price,status',
  'o1,2026-01-05T10:00:00Z,A,SKU-X,1,10.00,',
  'o1,2026-01-05T10:00:00Z,A,SKU-Y,1,5.00,',
  'o2,2026-02-10T10:00:00Z,A,SKU-Y,1,5.00,',
  'o3,2026-01-20T10:00:00Z,B,SKU-Y,2,5.00,',
  'o4,2026-03-01T10:00:00Z,B,SKU-X,1,10.00,',
  'o5,2026-02-03T10:00:00Z,C,SKU-X,1,10.00,cancelled',
  'o6,2026-02-04T10:00:00Z,C,SKU-X,1,10.00,',
  'o7,2026-03-15T10:00:00Z,C,SKU-Z,1,7.00,',
  'o8,2026-01-10T10:00:00Z,D,SKU-X,1,0.00,',
  'o8,2026-01-10T10:00:00Z,D,SKU-Z,1,8.00,',
  'o9,2026-02-20T10:00:00Z,E,SKU-X,1,10.00,',
].join('\n');

describe('retention and repurchase filtered by first-purchase product', () => {
  let w: TempWarehouse;
  let ctx: AppContext;
  beforeAll(async () => ({ w, ctx } = await loaded({}, [['lines.csv', firstProduct]])));
  afterAll(async () => w.close());

  const cells = (r: Awaited<ReturnType<typeof retention.run>>) =>
    Object.fromEntries(r.cohorts.map((c) => [c.cohort, { size: c.size, customers: c.periods.map((p) => p.customers), revenue: c.periods.map((p) => p.revenue), complete: c.periods.map((p) => p.complete) }]));

  it('first_product=SKU-X: the January cohort is A, the February cohort C and E', async () => {
    const r = await get<Awaited<ReturnType<typeof retention.run>>>(ctx, '/api/retention?grain=month&first_product=SKU-X');
    expect(cells(r)).toEqual({
      // A: k0 Jan o1 15, k1 Feb o2 5, k2 Mar nothing
      '2026-01': { size: 1, customers: [1, 1, 0], revenue: [15, 5, 0], complete: [true, true, false] },
      // C and E: k0 Feb o6 10 + o9 10 = 20; k1 Mar C's o7 7
      '2026-02': { size: 2, customers: [2, 1], revenue: [20, 7], complete: [true, false] },
    });
    expect(r.notes).toContainEqual({ code: 'first_order_product', params: { values: ['SKU-X'] } });
  });

  it('first_product=SKU-Y: A and B, both January; a list adds both SKUs\' customers', async () => {
    // A (o1 has SKU-Y) and B (o3): k0 Jan 15 + 10 = 25; k1 Feb A's o2 5; k2 Mar B's o4 10
    expect(cells(await retention.execute(ctx, { first_product: 'SKU-Y' }))).toEqual({
      '2026-01': { size: 2, customers: [2, 1, 1], revenue: [25, 5, 10], complete: [true, true, false] },
    });
    // X or Y: A, B in January (D's first order sold neither); C, E in February
    expect(Object.fromEntries((await retention.execute(ctx, { first_product: 'SKU-X,SKU-Y' })).cohorts.map((c) => [c.cohort, c.size]))).toEqual({ '2026-01': 2, '2026-02': 2 });
    // SKU-Z: only D, whose first valid order o8 sold SKU-Z 1 × 8 (C's o7 is not C's first order)
    expect(Object.fromEntries((await retention.execute(ctx, { first_product: 'SKU-Z' })).cohorts.map((c) => [c.cohort, c.size]))).toEqual({ '2026-01': 1 });
  });

  it('repurchase with first_product=SKU-X: windows over A, C and E', async () => {
    const r = await repurchase.execute(ctx, { first_product: 'SKU-X', windows: '30,60' });
    // 30 days: eligible = first order ≥ 30 days before 03-15: A (01-05), C (02-04; 02-04 + 30 = 03-06); E (02-20 + 30 = 03-22) is not.
    //   repurchased within 30: A's gap is 36 days (01-05 → 02-10), C's 39 (02-04 → 03-15): none.
    // 60 days: only A is eligible (01-05 + 60 = 03-06); A's 36-day gap is within 60.
    expect(r.windows.map(({ days, eligible, repurchased }) => ({ days, eligible, repurchased }))).toEqual([
      { days: 30, eligible: 2, repurchased: 0 },
      { days: 60, eligible: 1, repurchased: 1 },
    ]);
    expect(r.daysToSecond).toMatchObject({ customers: 2, median: 37.5 }); // median of 36 and 39
  });

  it('an unknown SKU gives no cohorts, with a note', async () => {
    const r = await retention.execute(ctx, { first_product: 'NOPE' });
    expect(r.cohorts).toEqual([]);
    expect(r.notes).toContainEqual({ code: 'retention_no_customers' });
  });
});
