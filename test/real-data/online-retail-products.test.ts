// Issue 12 item 4 on real data nobody here wrote: the UCI Online Retail export's top 10 products by
// revenue and its revenue by country, through the API, equal an independent computation — plain
// TypeScript over the raw file (its own CSV reader, no SQL), with the SPEC's rules:
// - an order = an invoice; `C` invoices are cancellations; a line is sold when its invoice is not a
//   cancellation, its quantity > 0 and its unit price > 0; a valid order has a sold line;
// - unit prices kept to 4 places (the file's four 0.001 prices stay 0.001), each line's amount is
//   quantity × price rounded to the penny (half away from zero), money summed in integer pence: a
//   0.001 line is worth 0.00, so an invoice of only such lines is not a valid order;
// - text values are trimmed (an empty description is none); `17850.0` customer ids are `17850`;
// - times as given, read as UTC (the default config), periods [from, to) by order time.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import type { CountriesResult } from '../../queries/countries.ts';
import type { TopProductsResult } from '../../queries/products.ts';
import { createApp } from '../../server/app.ts';
import { records } from '../support/csv-records.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const file = path.resolve('../shared/data/online-retail/online_retail.csv.gz');

interface Line {
  invoice: string;
  n: number;
  sku: string;
  description: string;
  qty: number;
  /** unit price in 1/10,000 of a pound */
  price: number;
  ts: number;
  customer: string;
  country: string;
}

function readLines(): Line[] {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const it = records(text);
  const header = it.next().value as string[];
  const col = (name: string) => header.indexOf(name);
  const c = { inv: col('InvoiceNo'), sku: col('StockCode'), desc: col('Description'), qty: col('Quantity'), date: col('InvoiceDate'), price: col('UnitPrice'), cust: col('CustomerID'), country: col('Country') };
  const seen = new Map<string, number>();
  const out: Line[] = [];
  for (const r of it) {
    const invoice = r[c.inv]!.trim();
    const n = (seen.get(invoice) ?? 0) + 1;
    seen.set(invoice, n);
    out.push({
      invoice, n, sku: r[c.sku]!.trim(), description: r[c.desc]!.trim(), qty: Number(r[c.qty]), price: Math.round(Number(r[c.price]) * 10000),
      ts: Date.parse(`${r[c.date]!.trim().replace(' ', 'T')}Z`), customer: r[c.cust]!.trim().replace(/\.0+$/, ''), country: r[c.country]!.trim(),
    });
  }
  return out;
}

/** A line's amount in pence: quantity × price (in 1/10,000 of a pound), rounded half away from zero. */
function linePence(l: Line): number {
  return Math.sign(l.qty) * Math.round((Math.abs(l.qty) * l.price) / 100);
}

interface Product { sku: string; description: string; key: [number, string, number]; quantity: number; pence: number; orders: Set<string>; customers: Set<string>; cancelledQuantity: number; cancelledPence: number }

/** The oracle for [from, to): top products and revenue by country. */
function expected(all: Line[], from: string, to: string) {
  const [start, end] = [Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`)];
  const orders = new Map<string, { ts: number; cancelled: boolean; pence: number; customer: string; countries: Set<string> }>();
  for (const l of all) {
    let o = orders.get(l.invoice);
    if (!o) orders.set(l.invoice, (o = { ts: l.ts, cancelled: l.invoice.toUpperCase().startsWith('C'), pence: 0, customer: '', countries: new Set() }));
    o.ts = Math.min(o.ts, l.ts);
    if (l.customer) o.customer = l.customer;
    o.countries.add(l.country);
    if (l.qty > 0 && l.price > 0) o.pence += linePence(l);
  }
  const valid = (id: string) => !orders.get(id)!.cancelled && orders.get(id)!.pence > 0;
  const inPeriod = (id: string) => orders.get(id)!.ts >= start && orders.get(id)!.ts < end;
  const products = new Map<string, Product>();
  for (const l of all) {
    if (!inPeriod(l.invoice)) continue;
    const o = orders.get(l.invoice)!;
    const sold = valid(l.invoice) && l.qty > 0 && l.price > 0;
    if (!sold && !o.cancelled) continue;
    let p = products.get(l.sku);
    if (!p) products.set(l.sku, (p = { sku: l.sku, description: '', key: [-Infinity, '', 0], quantity: 0, pence: 0, orders: new Set(), customers: new Set(), cancelledQuantity: 0, cancelledPence: 0 }));
    // the latest description: by order time, then invoice, then line
    const key: [number, string, number] = [o.ts, l.invoice, l.n];
    const later = key[0] > p.key[0] || (key[0] === p.key[0] && (key[1] > p.key[1] || (key[1] === p.key[1] && key[2] > p.key[2])));
    if (l.description && later) [p.description, p.key] = [l.description, key];
    if (sold) {
      p.quantity += l.qty;
      p.pence += linePence(l);
      p.orders.add(l.invoice);
      if (o.customer) p.customers.add(o.customer);
    } else {
      p.cancelledQuantity += Math.abs(l.qty);
      if (l.price > 0) p.cancelledPence += Math.abs(linePence(l));
    }
  }
  const totalProductPence = [...products.values()].reduce((s, p) => s + p.pence, 0);
  const top = [...products.values()].sort((a, b) => b.pence - a.pence || (a.sku < b.sku ? -1 : 1)).slice(0, 10).map((p, i) => ({
    rank: i + 1, sku: p.sku, description: p.description, quantity: p.quantity, pence: p.pence, orders: p.orders.size, customers: p.customers.size,
    cancelledQuantity: p.cancelledQuantity, cancelledPence: p.cancelledPence,
  }));
  const countries = new Map<string, { pence: number; orders: number; customers: Set<string> }>();
  const allCustomers = new Set<string>();
  let orderCount = 0;
  for (const [id, o] of orders) {
    if (!valid(id) || !inPeriod(id)) continue;
    expect(o.countries.size, `invoice ${id} has one country`).toBe(1);
    const country = [...o.countries][0]!;
    const c = countries.get(country) ?? { pence: 0, orders: 0, customers: new Set<string>() };
    c.pence += o.pence;
    c.orders++;
    if (o.customer) c.customers.add(o.customer), allCustomers.add(o.customer);
    countries.set(country, c);
    orderCount++;
  }
  const totalPence = [...countries.values()].reduce((s, c) => s + c.pence, 0);
  const byCountry = [...countries].map(([country, c]) => ({ country, pence: c.pence, orders: c.orders, customers: c.customers.size }))
    .sort((a, b) => b.pence - a.pence || (a.country < b.country ? -1 : 1));
  return { top, totalProductPence, products: products.size, byCountry, totalPence, orderCount, customers: allCustomers.size };
}

const pence = (x: number) => Math.round(x * 100);

describe('online-retail (UCI): top products and revenue by country against an independent computation', () => {
  let w: TempWarehouse;
  let lines: Line[];
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    w = await tempWarehouse();
    expect(await w.ingest(file)).toMatchObject({ status: 'loaded', profile: 'online-retail', rowsIn: 541909, rowsLoaded: 541909, rowsRejected: 0 });
    app = createApp({ db: w.db, config: resolveConfig({}) });
    lines = readLines();
  });
  afterAll(async () => w.close());

  it('keeps every line of the file in order_items (541,909 lines, 9,288 of them on cancellation invoices)', async () => {
    const [r] = await w.rows<{ n: number; cancelled: number }>(`select count(*)::integer as n, (count(*) filter (where order_id like 'C%'))::integer as cancelled from order_items`);
    expect(r).toEqual({ n: lines.length, cancelled: lines.filter((l) => l.invoice.startsWith('C')).length });
    expect(r!.cancelled).toBe(9288); // SOURCE.md: 9,288 lines belong to cancellations
  });

  for (const [label, from, to] of [['the whole period', '2010-12-01', '2011-12-10'], ['November 2011', '2011-11-01', '2011-12-01']] as const) {
    it(`GET /api/products: the top 10 by revenue for ${label}, each figure exact to the penny`, async () => {
      const want = expected(lines, from, to);
      const res = await app.request(`/api/products?from=${from}&to=${to}&limit=10`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as TopProductsResult;
      expect(body.period).toEqual({ from, to });
      expect(body.currency).toBe('GBP');
      const got = body.products.map((p) => ({ rank: p.rank, sku: p.sku, description: p.description, quantity: p.quantity, pence: pence(p.revenue), orders: p.orders, customers: p.customers, cancelledQuantity: p.cancelledQuantity, cancelledPence: pence(p.cancelledValue) }));
      expect(got).toEqual(want.top);
      expect(pence(body.totals.revenue)).toBe(want.totalProductPence);
      expect(body.productCount).toBe(want.products);
      for (const p of body.products) expect(p.share).toBeCloseTo(pence(p.revenue) / want.totalProductPence, 12);
      console.log(`top 10 products, ${label} [${from}, ${to}):\n${want.top.map((p) => `${p.rank}. ${p.sku} ${p.description}: £${(p.pence / 100).toFixed(2)}, ${p.quantity} units, ${p.orders} orders, ${p.customers} customers; cancelled ${p.cancelledQuantity} units £${(p.cancelledPence / 100).toFixed(2)}`).join('\n')}`);
    });

    it(`GET /api/countries: revenue, orders, customers and share of every country for ${label}`, async () => {
      const want = expected(lines, from, to);
      const res = await app.request(`/api/countries?from=${from}&to=${to}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as CountriesResult;
      const got = body.countries.map((c) => ({ country: c.country, pence: pence(c.revenue), orders: c.orders, customers: c.customers }));
      expect(got).toEqual(want.byCountry);
      expect({ pence: pence(body.totals.revenue), orders: body.totals.orders, customers: body.totals.customers }).toEqual({ pence: want.totalPence, orders: want.orderCount, customers: want.customers });
      for (const c of body.countries) expect(c.share).toBeCloseTo(pence(c.revenue) / want.totalPence, 12);
      console.log(`revenue by country, ${label} [${from}, ${to}) — total £${(want.totalPence / 100).toFixed(2)}, ${want.orderCount} orders, ${want.customers} customers:\n${want.byCountry.map((c) => `${c.country}: £${(c.pence / 100).toFixed(2)} (${((100 * c.pence) / want.totalPence).toFixed(2)}%), ${c.orders} orders, ${c.customers} customers`).join('\n')}`);
    });
  }

  it('GET /api/products?format=csv gives every product as a download (the JSON pages them: 10 by default)', async () => {
    const res = await app.request('/api/products?from=2011-11-01&to=2011-12-01&limit=10&format=csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    const [head, ...body] = text.trim().split(/\r?\n/);
    expect(head).toBe('from,to,rank,sku,description,quantity,revenue,share,orders,customers,cancelledQuantity,cancelledValue');
    expect(body).toHaveLength(expected(lines, '2011-11-01', '2011-12-01').products);
    expect(body[0]!.split(',').slice(0, 4)).toEqual(['2011-11-01', '2011-12-01', '1', expected(lines, '2011-11-01', '2011-12-01').top[0]!.sku]);
  });
});
