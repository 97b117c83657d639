// SPEC §5.3 reference check on real data nobody here wrote: the UCI Online Retail export loaded with the
// default rules gives the same monthly cohort matrix as an independent computation, cell for cell,
// and the same repeat customers and repurchase windows. The oracle is plain TypeScript over the raw
// file (its own CSV reader, no SQL): no CustomerID → not a customer; `C` invoices and lines with a
// non-positive quantity or unit price are not valid; an order = an invoice, at the time of its first
// line, worth Σ quantity × unit price over its valid lines (in cents, as money is stored); timestamps
// as given, read as UTC.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import type { AppContext } from '../fixtures/retention/load.ts';
import { repurchase } from '../../queries/repurchase.ts';
import { createApp } from '../../server/app.ts';
import { retention } from '../../queries/retention.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';
import { records } from '../support/csv-records.ts';

const file = path.resolve('../shared/data/online-retail/online_retail.csv.gz');
const DAY = 86_400_000;


interface Invoice {
  ts: number;
  cents: number;
  customer: string;
  cancelled: boolean;
}

interface Oracle {
  /** cohort YYYY-MM → size and, per k, customers and revenue */
  cohorts: Map<string, { size: number; customers: number[]; revenue: number[] }>;
  lastMonth: string;
  repeatCustomers: number;
  windows: { days: number; eligible: number; repurchased: number }[];
}

const monthIndex = (t: number) => new Date(t).getUTCFullYear() * 12 + new Date(t).getUTCMonth();
const monthLabel = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

function oracle(): Oracle {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const it = records(text);
  const header = it.next().value as string[];
  const col = (name: string) => header.indexOf(name);
  const [inv, qty, date, price, cust] = [col('InvoiceNo'), col('Quantity'), col('InvoiceDate'), col('UnitPrice'), col('CustomerID')];
  const invoices = new Map<string, Invoice>();
  for (const r of it) {
    const id = r[inv]!.trim();
    const ts = Date.parse(`${r[date]!.trim().replace(' ', 'T')}Z`);
    let o = invoices.get(id);
    if (!o) invoices.set(id, (o = { ts, cents: 0, customer: '', cancelled: id.toUpperCase().startsWith('C') }));
    o.ts = Math.min(o.ts, ts);
    const c = r[cust]!.trim().replace(/\.0+$/, '');
    if (c) o.customer = c;
    const q = Number(r[qty]);
    const p = Number(r[price]);
    if (q > 0 && p > 0) o.cents += q * p * 100;
  }
  // valid orders of customers, per customer in time order (equal times by invoice number)
  const byCustomer = new Map<string, { id: string; ts: number; cents: number }[]>();
  let last = -Infinity;
  for (const [id, o] of invoices) {
    last = Math.max(last, o.ts); // the end of the data is the latest order of any kind
    const cents = Math.round(o.cents);
    if (o.cancelled || cents <= 0 || !o.customer) continue;
    const list = byCustomer.get(o.customer) ?? [];
    list.push({ id, ts: o.ts, cents });
    byCustomer.set(o.customer, list);
  }
  const lastMonth = monthIndex(last);
  const cohorts = new Map<string, { size: number; customers: number[]; revenue: number[] }>();
  const windows = [3, 7, 15, 30, 90].map((days) => ({ days, eligible: 0, repurchased: 0 }));
  let repeatCustomers = 0;
  for (const orders of byCustomer.values()) {
    orders.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    const first = monthIndex(orders[0]!.ts);
    const label = monthLabel(first);
    let cohort = cohorts.get(label);
    if (!cohort) {
      const n = lastMonth - first + 1;
      cohorts.set(label, (cohort = { size: 0, customers: Array(n).fill(0), revenue: Array(n).fill(0) }));
    }
    cohort.size++;
    const months = new Set<number>();
    for (const o of orders) {
      const k = monthIndex(o.ts) - first;
      months.add(k);
      cohort.revenue[k] = cohort.revenue[k]! + o.cents / 100;
    }
    for (const k of months) cohort.customers[k]!++;
    if (orders.length >= 2) repeatCustomers++;
    for (const w of windows) {
      if (orders[0]!.ts + w.days * DAY > last) continue;
      w.eligible++;
      if (orders.length >= 2 && orders[1]!.ts - orders[0]!.ts <= w.days * DAY) w.repurchased++;
    }
  }
  return { cohorts, lastMonth: monthLabel(lastMonth), repeatCustomers, windows };
}

describe('online-retail (UCI): monthly cohorts and repurchase against an independent computation', () => {
  let w: TempWarehouse;
  let ctx: AppContext;
  let expected: Oracle;
  beforeAll(async () => {
    w = await tempWarehouse();
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', profile: 'online-retail' });
    ctx = { db: w.db, config: resolveConfig({}) };
    expected = oracle();
  });
  afterAll(async () => w.close());

  it('has the same monthly cohort matrix (standard mode), cell for cell', async () => {
    const r = await retention.execute(ctx, { grain: 'month', mode: 'standard' });
    const got = Object.fromEntries(r.cohorts.map((c) => [c.cohort, { size: c.size, customers: c.periods.map((p) => p.customers) }]));
    const want = Object.fromEntries([...expected.cohorts].map(([k, c]) => [k, { size: c.size, customers: c.customers }]));
    expect(got).toEqual(want);
    // 13 cohorts, 2010-12 to 2011-12; the December 2010 cohort pins the rules (cancellations dropped)
    expect(Object.keys(got)).toHaveLength(13);
    expect(got['2010-12']!.size).toBe(885);
    expect(r.cohorts.at(-1)!.cohort).toBe(expected.lastMonth);
  });

  it('GET /api/retention answers the same matrix in the SPEC §6 shape', async () => {
    const app = createApp({ db: w.db, config: ctx.config });
    const res = await app.request('/api/retention?grain=month&mode=standard');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { grain: string; mode: string; cohorts: { cohort: string; size: number; periods: { k: number; customers: number; rate: number; revenue: number; complete: boolean }[] }[] };
    expect(body).toMatchObject({ grain: 'month', mode: 'standard' });
    const got = Object.fromEntries(body.cohorts.map((c) => [c.cohort, { size: c.size, customers: c.periods.map((p) => p.customers) }]));
    expect(got).toEqual(Object.fromEntries([...expected.cohorts].map(([k, c]) => [k, { size: c.size, customers: c.customers }])));
    const first = body.cohorts[0]!;
    expect(first.periods[1]).toMatchObject({ k: 1, rate: first.periods[1]!.customers / first.size, complete: true });
  });

  it('has the same revenue per cell within a cent', async () => {
    const r = await retention.execute(ctx, {});
    let cells = 0;
    for (const c of r.cohorts) {
      const want = expected.cohorts.get(c.cohort)!.revenue;
      expect(c.periods).toHaveLength(want.length);
      for (const p of c.periods) {
        expect(Math.abs(p.revenue - want[p.k]!), `${c.cohort} k${p.k}`).toBeLessThanOrEqual(0.01);
        cells++;
      }
    }
    expect(cells).toBe((13 * 14) / 2); // triangular: 13 + 12 + ... + 1
  });

  it('marks only December 2011 incomplete: the data ends on 2011-12-09', async () => {
    const r = await retention.execute(ctx, {});
    for (const c of r.cohorts) {
      for (const p of c.periods) expect(p.complete, `${c.cohort} k${p.k}`).toBe(p.k < c.periods.length - 1);
    }
  });

  it('has the same repeat customers and repurchase windows', async () => {
    const r = await repurchase.execute(ctx, {});
    const repeat = r.ordersPerCustomer.filter((o) => o.orders !== 1).reduce((s, o) => s + o.customers, 0);
    expect(repeat).toBe(expected.repeatCustomers);
    expect(r.daysToSecond.customers).toBe(expected.repeatCustomers);
    expect(r.windows.map(({ days, eligible, repurchased }) => ({ days, eligible, repurchased }))).toEqual(expected.windows);
    const size = [...expected.cohorts.values()].reduce((s, c) => s + c.size, 0);
    expect(r.ordersPerCustomer.reduce((s, o) => s + o.customers, 0)).toBe(size);
  });
});
