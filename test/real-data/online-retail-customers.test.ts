// Real data nobody here wrote: the UCI Online Retail export. Customer tiers over the whole data period
// and the at-risk list on 2011-12-10 equal an independent computation in plain TypeScript over the raw
// file (its own CSV reading, integer pence, no SQL), under the SPEC §5.3 rules for valid orders.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import type { AppContext } from '../fixtures/retention/load.ts';
import { customersAtRisk, customerTiers } from '../../queries/customers.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';
import { records } from '../support/csv-records.ts';
import { createApp } from '../../server/app.ts';

const file = path.resolve('../shared/data/online-retail/online_retail.csv.gz');
const asOf = '2011-12-10';


interface Invoice {
  cents: number;
  customer: string | null;
  ts: string;
}

interface Customer {
  id: string;
  orders: number;
  cents: number;
  days: string[];
  lastTs: string;
  rank: number;
  tier: 'A' | 'B' | 'C';
}

const dayMs = 86_400_000;
const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / dayMs;
const dateOf = (n: number) => new Date(n * dayMs).toISOString().slice(0, 10);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Valid invoices (no C prefix, Σ quantity × price over lines with both > 0, prices in whole pence) per customer, ranked and tiered. */
function oracle(): Customer[] {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const it = records(text);
  const header = it.next().value as string[];
  const col = (name: string) => header.indexOf(name);
  const [inv, qty, price, cust, date] = [col('InvoiceNo'), col('Quantity'), col('UnitPrice'), col('CustomerID'), col('InvoiceDate')];
  const invoices = new Map<string, Invoice & { sum: number }>();
  for (const r of it) {
    const id = r[inv]!.trim();
    if (id.toUpperCase().startsWith('C')) continue;
    let x = invoices.get(id);
    if (!x) invoices.set(id, (x = { cents: 0, sum: 0, customer: null, ts: r[date]!.trim() }));
    const c = r[cust]!.trim().replace(/\.0+$/, '');
    if (c && (x.customer === null || c < x.customer)) x.customer = c; // the warehouse keeps the smallest id of an order's lines
    if (r[date]!.trim() < x.ts) x.ts = r[date]!.trim();
    const q = Number(r[qty]);
    const p = Math.round(Number(r[price]) * 100) / 100; // money columns hold pence: 0.001 is 0.00
    if (q > 0 && p > 0) x.sum += q * p;
  }
  const byCustomer = new Map<string, Customer>();
  for (const x of invoices.values()) {
    const cents = Math.round(x.sum * 100);
    if (!(cents > 0) || x.customer === null) continue;
    let c = byCustomer.get(x.customer);
    if (!c) byCustomer.set(x.customer, (c = { id: x.customer, orders: 0, cents: 0, days: [], lastTs: x.ts, rank: 0, tier: 'C' }));
    c.orders++;
    c.cents += cents;
    c.days.push(x.ts.slice(0, 10));
    if (x.ts > c.lastTs) c.lastTs = x.ts;
  }
  const ranked = [...byCustomer.values()].sort((a, b) => b.cents - a.cents || (a.id < b.id ? -1 : 1));
  const total = ranked.reduce((s, c) => s + c.cents, 0);
  let before = 0;
  ranked.forEach((c, i) => {
    c.rank = i + 1;
    // tiers.a = 0.5, tiers.b = 0.8, in integers: before < total / 2, before < 4 total / 5
    c.tier = 2 * before < total ? 'A' : 5 * before < 4 * total ? 'B' : 'C';
    before += c.cents;
  });
  return ranked;
}

describe('online-retail customers (UCI)', () => {
  let w: TempWarehouse;
  let ctx: AppContext;
  let expected: Customer[];
  beforeAll(async () => {
    w = await tempWarehouse();
    ctx = { db: w.db, config: resolveConfig({}) };
    expected = oracle();
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', profile: 'online-retail' });
  });
  afterAll(async () => w.close());

  it('has the same A/B/C tiers over the whole period as the independent computation', async () => {
    const r = await customerTiers.execute(ctx, { from: '2010-12-01', to: asOf });
    const want = (['A', 'B', 'C'] as const).map((tier) => {
      const members = expected.filter((c) => c.tier === tier);
      return { tier, customers: members.length, revenue: members.reduce((s, c) => s + c.cents, 0) / 100 };
    });
    expect(r.customers).toBe(expected.length);
    expect(r.tiers.map((t) => ({ tier: t.tier, customers: t.customers, revenue: Math.round(t.revenue * 100) / 100 }))).toEqual(want);
    // the well-known shape of this data: a few wholesalers make half the revenue
    expect(r.tiers[0]!.customerShare!).toBeLessThan(0.15);
    expect(r.migrationMonths).toEqual({ from: '2011-10', to: '2011-11' });
    const boundaryA = expected.filter((c) => c.tier === 'A').at(-1)!;
    expect(r.pareto.find((p) => p.rank === boundaryA.rank)).toMatchObject({ customerId: boundaryA.id, tier: 'A' });
  });

  it('GET /api/customers/tiers answers the same tiers', async () => {
    const res = await createApp({ db: w.db, config: ctx.config }).request(`/api/customers/tiers?from=2010-12-01&to=${asOf}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tiers: { tier: string; customers: number; revenue: number; customerShare: number; revenueShare: number }[]; ruleOfThumb: unknown[] };
    const total = expected.reduce((s, c) => s + c.cents, 0);
    expect(body.tiers.map((t) => [t.tier, t.customers, Math.round(t.revenue * 100)])).toEqual(
      (['A', 'B', 'C'] as const).map((tier) => {
        const members = expected.filter((c) => c.tier === tier);
        return [tier, members.length, members.reduce((s, c) => s + c.cents, 0)];
      }),
    );
    expect(body.tiers[0]!.revenueShare).toBeCloseTo(expected.filter((c) => c.tier === 'A').reduce((s, c) => s + c.cents, 0) / total, 9);
    expect(body.ruleOfThumb).toHaveLength(3);
  });

  it(`has the same at-risk list on ${asOf} as the independent computation`, async () => {
    const asOfDay = dayNumber(asOf);
    const own = new Map<string, number>();
    for (const c of expected) {
      const days = [...new Set(c.days)].map(dayNumber).sort((a, b) => a - b);
      if (days.length >= 2) own.set(c.id, median(days.slice(1).map((d, i) => d - days[i]!)));
    }
    const population = median([...own.values()]);
    const want = expected
      .map((c) => {
        const last = dayNumber(c.lastTs.slice(0, 10));
        const gap = own.get(c.id) ?? population;
        return { c, gap, since: asOfDay - last, next: dateOf(last + Math.round(gap)) };
      })
      .filter((x) => x.since > 2 * x.gap) // churn_k = 2
      .map((x) => [x.c.id, x.c.orders, x.c.cents / 100, x.c.tier, x.gap, x.since, x.next]); // already in revenue order, ties by id
    const r = await customersAtRisk.execute(ctx, { as_of: asOf });
    expect(r.summary.populationMedianGapDays).toBe(population);
    expect(r.summary.repeatCustomers).toBe(own.size);
    expect(r.summary.atRisk).toBe(want.length);
    expect(want.length).toBeGreaterThan(100);
    expect(r.customers.map((c) => [c.customerId, c.orders, c.revenue, c.tier, c.medianGapDays, c.daysSinceLast, c.expectedNextOrder])).toEqual(want);
  });
});
