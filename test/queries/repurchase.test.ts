// Repurchase (SPEC §5.4) on the hand-checked sales file of the retention tests, loaded through the
// real ingest pipeline: windows with censoring, days to the second order, orders per customer, repeat
// revenue, first-order filters, local from/to, an empty warehouse, and properties on random data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryContext } from '../../queries/define.ts';
import { repurchase, type RepurchaseResult } from '../../queries/repurchase.ts';
import { retention } from '../../queries/retention.ts';
import { wilson } from '../../queries/shared/rates.ts';
import { fixture, loaded } from '../fixtures/retention/load.ts';
import { randomOrderFiles } from '../fixtures/retention/random-orders.ts';
import type { TempWarehouse } from '../support/temp-warehouse.ts';

const counts = (r: RepurchaseResult) => r.windows.map((w) => [w.days, w.eligible, w.repurchased]);
const histogram = (r: RepurchaseResult) => r.daysToSecond.histogram.map((h) => h.customers);
const orders = (r: RepurchaseResult) => r.ordersPerCustomer.map((o) => o.customers);

// orders.csv (see retention.test.ts). Valid orders per customer, all at 10:00Z unless noted; the last
// data instant is 2026-04-30T10:00Z (o11):
//   A 01-05 100, 01-20 50, 03-10 30   → second after exactly 15 days
//   B 01-10 200, 02-15 80             → 36 days
//   C 01-31T23:30 40                  → no second order (its cancelled/refunded/zero orders do not count)
//   D 02-01T00:00 10, 04-30 20        → 88 days 10 hours = 88.4167 days
//   E 02-28T12:00 300, 02-28T13:00 5  → 1 hour = 0.0417 days
//   F 03-15 25                        → no second order
// A window of N days counts customers whose first order is at or before 04-30T10:00 − N days.
describe('repurchase on the hand-checked fixture', () => {
  let w: TempWarehouse;
  let ctx: QueryContext;
  beforeAll(async () => ({ w, ctx } = await loaded({}, [['orders.csv', fixture('orders.csv')]])));
  afterAll(async () => w.close());

  it('default windows 3, 7, 15, 30, 90 with censoring', async () => {
    const r = await repurchase.execute(ctx, {});
    expect(counts(r)).toEqual([
      [3, 6, 1], // every first order is ≥ 3 days before the end (F 03-15 is the latest); E (1 hour)
      [7, 6, 1], // E
      [15, 6, 2], // E and A (exactly 15 days counts: ts2 − ts1 ≤ 15 days)
      [30, 6, 2], // F 03-15 + 30 = 04-14 ≤ 04-30: all eligible; B (36) is too late
      [90, 2, 2], // only A (01-05) and B (01-10) are ≥ 90 days before 04-30; both bought again. D's 88.4 days
      //             is within 90 but D (02-01) is censored: eligible until 05-02 only
    ]);
    expect(r.windows[0]).toEqual({ days: 3, eligible: 6, repurchased: 1, rate: 1 / 6, ci: wilson(1, 6), small: true });
    expect(r.windows[4]).toMatchObject({ rate: 1, small: true });
    expect(r.windows.every((x) => x.reason === undefined)).toBe(true);
  });

  it('censoring at the window edge: 14, 88, 89 and 365 days', async () => {
    const r = await repurchase.execute(ctx, { windows: '365,89,88,14' });
    expect(counts(r)).toEqual([
      [14, 6, 1], // A's 15 days is one too many: only E
      [88, 4, 2], // first order ≤ 02-01T10:00: A, B, C, D (02-01T00:00); D's 88.42 days > 88 → A, B
      [89, 2, 2], // first order ≤ 01-31T10:00: A, B (C is 01-31T23:30)
      [365, 0, 0], // nobody was observed for a year
    ]);
    expect(r.windows[3]).toMatchObject({ rate: null, ci: null, small: true, reason: { code: 'no_eligible_customers', params: { days: 365 } } });
  });

  it('days to second order: median and histogram over the four customers with a second order', async () => {
    const r = await repurchase.execute(ctx, {});
    // E 1/24, A 15, B 36, D 88 + 10/24 → median (15 + 36) / 2 = 25.5
    expect(r.daysToSecond.customers).toBe(4);
    expect(r.daysToSecond.median).toBe(25.5);
    // buckets [0,1], (1,3], (3,7], (7,15], (15,30], (30,60], (60,90], (90,180], (180,365], (365,∞): E, A, B, D
    expect(r.daysToSecond.histogram.map((h) => [h.from, h.to])).toEqual([[0, 1], [1, 3], [3, 7], [7, 15], [15, 30], [30, 60], [60, 90], [90, 180], [180, 365], [365, null]]);
    expect(histogram(r)).toEqual([1, 0, 0, 1, 0, 1, 1, 0, 0, 0]);
  });

  it('orders per customer and the share of revenue from repeat orders', async () => {
    const r = await repurchase.execute(ctx, {});
    // C, F: 1 order; B, D, E: 2; A: 3
    expect(r.ordersPerCustomer.map((o) => o.orders)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, '10+']);
    expect(orders(r)).toEqual([2, 3, 1, 0, 0, 0, 0, 0, 0, 0]);
    // total = A 180 + B 280 + C 40 + D 30 + E 305 + F 25 = 860 (o15's 999 has no customer);
    // repeat = A 50 + 30, B 80, D 20, E 5 = 185
    expect(r.repeatRevenue).toEqual({ repeat: 185, total: 860, share: 185 / 860 });
    expect(r.notes).toContainEqual({ code: 'orders_without_customer', params: { orders: 1 } });
  });

  it('filters by the first order, and from/to by its date', async () => {
    // coupon WELCOME on the first order: B (01-10, 36 days) and E (02-28, 1 hour)
    const welcome = await repurchase.execute(ctx, { coupon: 'WELCOME' });
    // 90 days: E (02-28 + 90 = 05-29) is censored → B only
    expect(counts(welcome)).toEqual([[3, 2, 1], [7, 2, 1], [15, 2, 1], [30, 2, 1], [90, 1, 1]]);
    expect(welcome.daysToSecond.median).toBeCloseTo((1 / 24 + 36) / 2, 12);
    expect(orders(welcome)).toEqual([0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(welcome.repeatRevenue).toEqual({ repeat: 85, total: 585, share: 85 / 585 });
    // Advertising: only A (B's Advertising order is its second)
    const ads = await repurchase.execute(ctx, { channel: 'Advertising', windows: '30' });
    expect(counts(ads)).toEqual([[30, 1, 1]]);
    // February first orders: D and E
    const feb = await repurchase.execute(ctx, { from: '2026-02-01', to: '2026-03-01', windows: '7,88' });
    expect(counts(feb)).toEqual([[7, 2, 1], [88, 1, 0]]);
    expect(feb.notes).toEqual(expect.arrayContaining([{ code: 'first_order_from', params: { from: '2026-02-01' } }, { code: 'first_order_before', params: { to: '2026-03-01' } }]));
  });

  it('csv: tidy rows with a section column', async () => {
    const rows = repurchase.csv(await repurchase.execute(ctx, { windows: '15' }));
    expect(rows[0]).toEqual({ section: 'windows', days: 15, eligible: 6, repurchased: 2, rate: 1 / 3, ciLow: wilson(2, 6)![0], ciHigh: wilson(2, 6)![1], small: true });
    expect(rows.filter((x) => x.section === 'daysToSecondHistogram')).toHaveLength(10);
    expect(rows.filter((x) => x.section === 'ordersPerCustomer').at(-1)).toEqual({ section: 'ordersPerCustomer', orders: '10+', customers: 0 });
    expect(rows.at(-1)).toEqual({ section: 'repeatRevenue', repeat: 35 + 150, total: 860, share: 185 / 860 });
  });

  it('rejects malformed windows, naming the parameter', () => {
    const issues = (input: unknown) => {
      const parsed = repurchase.params.safeParse(input);
      return parsed.success ? parsed.data.windows : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
    };
    expect(issues({})).toEqual([3, 7, 15, 30, 90]);
    expect(issues({ windows: ' 30, 7,7 ' })).toEqual([7, 30]);
    expect(issues({ windows: '3,a' })).toEqual([['windows', 'expected whole numbers of days separated by commas, e.g. 3,7,15,30,90']]);
    expect(issues({ windows: '0,7' })).toEqual([['windows', 'expected windows between 1 and 3650 days']]);
  });
});

describe('repurchase in a non-UTC reporting time zone', () => {
  it('from/to are local dates: October in New York holds p1 (2026-11-01T02:00Z)', async () => {
    const { w, ctx } = await loaded({ timezone: 'America/New_York' }, [['ny.csv', fixture('new-york.csv')]]);
    try {
      const r = await repurchase.execute(ctx, { from: '2026-10-01', to: '2026-11-01' });
      // P: p1 11-01T02:00Z, p2 11-02T04:30Z (26.5 hours later); last data instant 11-09T05:00Z, 8 days 3 hours
      // after p1 → eligible for 3 and 7 days, censored for 15, 30 and 90
      expect(counts(r)).toEqual([[3, 1, 1], [7, 1, 1], [15, 0, 0], [30, 0, 0], [90, 0, 0]]);
      expect(r.daysToSecond.median).toBeCloseTo(26.5 / 24, 12);
      expect(orders(r)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    } finally {
      await w.close();
    }
  });
});

describe('repurchase on an empty warehouse', () => {
  it('has nothing eligible and says why instead of inventing zeros', async () => {
    const { w, ctx } = await loaded({}, []);
    try {
      const r = await repurchase.execute(ctx, {});
      expect(counts(r)).toEqual([[3, 0, 0], [7, 0, 0], [15, 0, 0], [30, 0, 0], [90, 0, 0]]);
      expect(r.windows.every((x) => x.rate === null && x.ci === null && !!x.reason)).toBe(true);
      expect(r.daysToSecond).toMatchObject({ median: null, customers: 0, reason: { code: 'no_second_orders' } });
      expect(histogram(r).every((n) => n === 0)).toBe(true);
      expect(orders(r).every((n) => n === 0)).toBe(true);
      expect(r.repeatRevenue).toEqual({ repeat: 0, total: 0, share: null, reason: { code: 'no_customer_revenue' } });
    } finally {
      await w.close();
    }
  });
});

describe('repurchase properties on random data', () => {
  const [a, b] = randomOrderFiles(11, 80);
  const loads: Record<string, { w: TempWarehouse; ctx: QueryContext }> = {};
  beforeAll(async () => {
    loads.ab = await loaded({}, [['a.csv', a], ['b.csv', b]]);
    loads.ba = await loaded({}, [['b.csv', b], ['a.csv', a]]);
    loads.twice = await loaded({}, [['a.csv', a], ['b.csv', b], ['b-again.csv', b], ['a.csv', a]]);
  });
  afterAll(async () => {
    for (const l of Object.values(loads)) await l.w.close();
  });

  it('counts are consistent with each other and with the retention matrix', async () => {
    const ctx = loads.ab!.ctx;
    const r = await repurchase.execute(ctx, { windows: '1,3,7,15,30,60,90,180' });
    const customers = orders(r).reduce((s, n) => s + n, 0);
    const repeaters = customers - orders(r)[0]!;
    expect(repeaters).toBeGreaterThan(10);
    // every customer is in exactly one cohort; every repeater has exactly one second order
    const [standard, firstRepeat] = await Promise.all([retention.execute(ctx, {}), retention.execute(ctx, { mode: 'first-repeat' })]);
    expect(standard.cohorts.reduce((s, c) => s + c.size, 0)).toBe(customers);
    expect(firstRepeat.cohorts.reduce((s, c) => s + c.periods.at(-1)!.customers, 0)).toBe(repeaters);
    expect(r.daysToSecond.customers).toBe(repeaters);
    expect(histogram(r).reduce((s, n) => s + n, 0)).toBe(repeaters);
    r.windows.forEach((x, i) => {
      expect(x.repurchased).toBeLessThanOrEqual(x.eligible);
      if (i > 0) expect(x.eligible).toBeLessThanOrEqual(r.windows[i - 1]!.eligible); // longer windows censor more
    });
    expect(r.repeatRevenue.repeat).toBeLessThanOrEqual(r.repeatRevenue.total);
    // an uncensored check against the raw days: repurchased within 180 days ≤ histogram up to (90, 180]
    expect(r.windows.at(-1)!.repurchased).toBeLessThanOrEqual(histogram(r).slice(0, 8).reduce((s, n) => s + n, 0));
    // total customer revenue = all of the retention matrix's revenue
    const matrixRevenue = standard.cohorts.flatMap((c) => c.periods).reduce((s, p) => s + p.revenue, 0);
    expect(r.repeatRevenue.total).toBeCloseTo(matrixRevenue, 6);
  });

  it('loading the files in another order, or twice, gives identical results', async () => {
    for (const input of [{}, { windows: '1,45' }, { coupon: 'WELCOME' }, { channel: 'Advertising,(none)' }]) {
      const want = await repurchase.execute(loads.ab!.ctx, input);
      expect(await repurchase.execute(loads.ba!.ctx, input)).toEqual(want);
      expect(await repurchase.execute(loads.twice!.ctx, input)).toEqual(want);
    }
  });
});
