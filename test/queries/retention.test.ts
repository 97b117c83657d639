// Retention cohorts (SPEC §5.3) on hand-checked sales files loaded through the real ingest pipeline:
// month and week cohorts, the three modes, complete flags, invalid orders, first-order filters, a
// non-UTC reporting time zone across the end of daylight saving time, Sunday weeks, the SQL macro
// form, an empty warehouse, and properties that must hold on any data.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryContext } from '../../queries/define.ts';
import { addDays, isoWeekMonday } from '../../queries/shared/period.ts';
import { retention, retentionCellsSql, retentionGrains, retentionModes, type RetentionResult } from '../../queries/retention.ts';
import { fixture, loaded } from '../fixtures/retention/load.ts';
import { randomOrderFiles } from '../fixtures/retention/random-orders.ts';
import type { TempWarehouse } from '../support/temp-warehouse.ts';

/** cohort → size and the per-k columns, compact enough to compare with a hand-derived table */
function matrix(r: RetentionResult) {
  return Object.fromEntries(
    r.cohorts.map((c) => [
      c.cohort,
      { size: c.size, customers: c.periods.map((p) => p.customers), revenue: c.periods.map((p) => p.revenue), complete: c.periods.map((p) => p.complete) },
    ]),
  );
}
const customersOf = (r: RetentionResult) => Object.fromEntries(r.cohorts.map((c) => [c.cohort, c.periods.map((p) => p.customers)]));

// orders.csv (UTC, every order at 10:00Z unless noted; the last data instant is o11, 2026-04-30T10:00Z, so
// April is the only incomplete month):
//   A: o1 01-05 100 (google/cpc/spring → Advertising), o2 01-20 50, o3 03-10 30
//   B: o4 01-10 200 (coupon WELCOME, no utm), o5 02-15 80 (google/cpc/spring)
//   C: o6 01-31T23:30 40; o7 02-02 cancelled, o8 03-01 refunded, o9 04-01 amount 0 — not valid
//   D: o10 02-01T00:00 10, o11 04-30 20
//   E: o12 02-28T12:00 300 (WELCOME), o13 02-28T13:00 5
//   F: o14 03-15 25 (newsletter/email/march → Direct marketing)
//   o15 03-20 999 has no customer; H's only order o16 is cancelled → neither is a customer.
describe('retention on the hand-checked fixture (UTC, Monday weeks)', () => {
  let w: TempWarehouse;
  let ctx: QueryContext;
  beforeAll(async () => ({ w, ctx } = await loaded({}, [['orders.csv', fixture('orders.csv')]])));
  afterAll(async () => w.close());

  it('monthly standard: cohort sizes, customers and revenue per month, April incomplete', async () => {
    const r = await retention.execute(ctx, {});
    expect(r).toMatchObject({ grain: 'month', mode: 'standard' });
    expect(matrix(r)).toEqual({
      // Jan cohort = A, B, C (H has no valid order). k0 Jan: A, B, C; revenue 100+50+200+40 = 390.
      // k1 Feb: B (o5 80; C's o7 is cancelled). k2 Mar: A (o3 30; C's o8 refunded). k3 Apr: nobody (C's o9 is 0).
      '2026-01': { size: 3, customers: [3, 1, 1, 0], revenue: [390, 80, 30, 0], complete: [true, true, true, false] },
      // Feb cohort = D (o10 at 02-01T00:00 is February), E. k0: D 10 + E 300 + 5 = 315. k1 Mar: nobody. k2 Apr: D 20.
      '2026-02': { size: 2, customers: [2, 0, 1], revenue: [315, 0, 20], complete: [true, true, false] },
      // Mar cohort = F: k0 25; k1 April, empty and incomplete.
      '2026-03': { size: 1, customers: [1, 0], revenue: [25, 0], complete: [true, false] },
    });
  });

  it('rates are customers / size and cumulative revenue per customer adds up the periods', async () => {
    const [jan, feb] = (await retention.execute(ctx, {})).cohorts;
    expect(jan!.periods.map((p) => p.rate)).toEqual([1, 1 / 3, 1 / 3, 0]);
    // Jan: 390/3 = 130, (390+80)/3 = 156.67, (470+30)/3 = 166.67, still 166.67
    expect(jan!.periods.map((p) => p.cumulativeRevenuePerCustomer)).toEqual([130, 470 / 3, 500 / 3, 500 / 3]);
    // Feb: 315/2 = 157.5, 157.5, (315+20)/2 = 167.5
    expect(feb!.periods.map((p) => p.cumulativeRevenuePerCustomer)).toEqual([157.5, 157.5, 167.5]);
  });

  it('rolling: customers with a valid order in period k or later', async () => {
    const r = await retention.execute(ctx, { mode: 'rolling' });
    // last valid order: A k2 (Mar), B k1 (Feb), C k0 → Jan [3, 2, 1, 0]; D k2 (Apr), E k0 → Feb [2, 1, 1]; F k0 → Mar [1, 0]
    expect(customersOf(r)).toEqual({ '2026-01': [3, 2, 1, 0], '2026-02': [2, 1, 1], '2026-03': [1, 0] });
    // revenue stays the revenue of period k, as the notes say
    expect(matrix(r)['2026-01']!.revenue).toEqual([390, 80, 30, 0]);
    expect(r.notes).toContainEqual({ code: 'retention_mode_rolling' });
  });

  it('first-repeat: customers whose second valid order falls in period k or earlier', async () => {
    const r = await retention.execute(ctx, { mode: 'first-repeat' });
    // second valid order: A o2 Jan (k0), B o5 Feb (k1), C none → Jan [1, 2, 2, 2];
    // E o13 Feb (k0), D o11 Apr (k2) → Feb [1, 1, 2]; F none → Mar [0, 0]
    expect(customersOf(r)).toEqual({ '2026-01': [1, 2, 2, 2], '2026-02': [1, 1, 2], '2026-03': [0, 0] });
  });

  it('cancelled, refunded and zero-amount orders and orders without a customer count for nobody', async () => {
    const r = await retention.execute(ctx, {});
    // sizes 3 + 2 + 1 = 6 customers (A–F): H (cancelled only) and o15 (no customer) are not customers
    expect(r.cohorts.reduce((n, c) => n + c.size, 0)).toBe(6);
    // total revenue = 390 + 80 + 30 + 315 + 20 + 25 = 860: o7 60, o8 70, o15 999, o16 45 are not in it
    expect(r.cohorts.flatMap((c) => c.periods).reduce((s, p) => s + p.revenue, 0)).toBe(860);
    expect(r.notes).toContainEqual({ code: 'orders_without_customer', params: { orders: 1 } });
  });

  it('weekly cohorts are ISO weeks; k runs to the week of the last order', async () => {
    const r = await retention.execute(ctx, { grain: 'week' });
    // 2026-01-05 is a Monday (W02). First orders: A Mon 01-05 and B Sat 01-10 → W02; C Sat 01-31 23:30 and
    // D Sun 02-01 00:00 → W05 (Mon 01-26 – Sun 02-01); E Sat 02-28 → W09; F Sun 03-15 → W11.
    expect(r.cohorts.map((c) => [c.cohort, c.size])).toEqual([['2026-W02', 2], ['2026-W05', 2], ['2026-W09', 1], ['2026-W11', 1]]);
    // the last data instant (Thu 04-30) is in W18: W02 has k = 0..16, W05 0..13, W09 0..9, W11 0..7
    expect(r.cohorts.map((c) => c.periods.length)).toEqual([17, 14, 10, 8]);
    const w02 = r.cohorts[0]!.periods;
    // A o2 Tue 01-20 (W04, k2, 50), B o5 Sun 02-15 (W07, k5, 80), A o3 Tue 03-10 (W11, k9, 30)
    expect(w02.filter((p) => p.customers > 0).map((p) => [p.k, p.customers, p.revenue])).toEqual([[0, 2, 300], [2, 1, 50], [5, 1, 80], [9, 1, 30]]);
    // only the last week (W18, ending Mon 05-04) is incomplete, in every cohort
    for (const c of r.cohorts) expect(c.periods.map((p) => p.complete)).toEqual(c.periods.map((_, k) => k < c.periods.length - 1));
    // D's o11 (Thu 04-30, W18) is k13 of W05
    expect(r.cohorts[1]!.periods[13]).toMatchObject({ k: 13, customers: 1, revenue: 20, complete: false });
  });

  it('filters by the first order: coupon, channel, campaign, (none)', async () => {
    // coupon WELCOME on the first order: B (o4) and E (o12)
    const byCoupon = await retention.execute(ctx, { coupon: 'WELCOME' });
    expect(matrix(byCoupon)).toEqual({
      '2026-01': { size: 1, customers: [1, 1, 0, 0], revenue: [200, 80, 0, 0], complete: [true, true, true, false] },
      '2026-02': { size: 1, customers: [1, 0, 0], revenue: [305, 0, 0], complete: [true, true, false] },
    });
    expect(byCoupon.notes).toContainEqual({ code: 'first_order_coupon', params: { values: ['WELCOME'] } });
    // Advertising / spring: only A — B's o5 is Advertising/spring too, but it is not B's first order
    for (const input of [{ channel: 'Advertising' }, { campaign: 'spring' }]) {
      expect(matrix(await retention.execute(ctx, input))).toEqual({
        '2026-01': { size: 1, customers: [1, 0, 1, 0], revenue: [150, 0, 30, 0], complete: [true, true, true, false] },
      });
    }
    // (none) = a first order without a channel: B, C, D, E; a list: F's Direct marketing adds F
    expect(customersOf(await retention.execute(ctx, { channel: '(none)' }))).toEqual({ '2026-01': [2, 1, 0, 0], '2026-02': [2, 0, 1] });
    const two = await retention.execute(ctx, { channel: '(none), Direct marketing' });
    expect(two.cohorts.map((c) => [c.cohort, c.size])).toEqual([['2026-01', 2], ['2026-02', 2], ['2026-03', 1]]);
    // no match: no cohorts, not an error
    expect((await retention.execute(ctx, { coupon: 'NOPE' })).cohorts).toEqual([]);
  });

  it('from/to pick cohorts by the first order date; periods still run to the end of the data', async () => {
    const feb = await retention.execute(ctx, { from: '2026-02-01', to: '2026-03-01' });
    expect(matrix(feb)).toEqual({ '2026-02': { size: 2, customers: [2, 0, 1], revenue: [315, 0, 20], complete: [true, true, false] } });
    // from = Sun 02-01 cuts W05 (Mon 01-26 – Sun 02-01): C (Sat 01-31) is left out, D (Sun 02-01 00:00) kept
    const weeks = await retention.execute(ctx, { grain: 'week', from: '2026-02-01' });
    expect(weeks.cohorts.map((c) => [c.cohort, c.size])).toEqual([['2026-W05', 1], ['2026-W09', 1], ['2026-W11', 1]]);
    expect(weeks.notes).toContainEqual({ code: 'retention_cut_week', params: { date: '2026-02-01' } });
  });

  it('csv: one row per (cohort, k)', async () => {
    const r = await retention.execute(ctx, { mode: 'rolling' });
    const rows = retention.csv(r);
    expect(rows).toHaveLength(4 + 3 + 2);
    expect(rows[1]).toEqual({
      grain: 'month', mode: 'rolling', cohort: '2026-01', size: 3, k: 1, customers: 2, rate: 2 / 3, revenue: 80, cumulativeRevenuePerCustomer: 470 / 3, complete: true,
    });
  });

  it('the same SQL works as a DuckDB table macro with grain and mode as its parameters', async () => {
    const compiled = retentionCellsSql(ctx.config, { grain: sql.raw('grain'), mode: sql.raw('mode') }).compile(w.db.kysely);
    expect(compiled.parameters).toEqual([]);
    await sql`create or replace macro retention_check(grain, mode) as table ${sql.raw(compiled.sql)}`.execute(w.db.kysely);
    for (const grain of retentionGrains) {
      for (const mode of retentionModes) {
        const macro = await w.rows<{ cohort: string; size: number; k: number; customers: number; revenue: number; complete: boolean }>(
          `select cohort, size, k, customers, revenue, complete from retention_check('${grain}', '${mode}')`,
        );
        const module = retention.csv(await retention.execute(ctx, { grain, mode }));
        expect(macro).toEqual(module.map(({ cohort, size, k, customers, revenue, complete }) => ({ cohort, size, k, customers, revenue, complete })));
      }
    }
    await expect(w.rows("select * from retention_check('year', 'standard')")).rejects.toThrow(/grain must be week or month, not year/);
    await expect(w.rows("select * from retention_check('month', 'sticky')")).rejects.toThrow(/mode must be standard, rolling or first-repeat, not sticky/);
  });

  it('rejects unknown grain/mode and from >= to, naming the parameter', async () => {
    expect(issues({ grain: 'day' })).toEqual([['grain', 'Invalid option: expected one of "week"|"month"']]);
    expect(issues({ mode: 'sticky' })).toEqual([['mode', 'Invalid option: expected one of "standard"|"rolling"|"first-repeat"']]);
    expect(issues({ from: '2026-03-01', to: '2026-02-01' })).toEqual([['to', 'expected a date after from (2026-03-01)']]);
    expect(issues({ from: '2026-02-30' })).toEqual([['from', 'expected a real calendar date']]);
  });
});

describe('retention: the end of the data is the last non-bot event or order', () => {
  it('later web visits do not extend the matrix: cohorts run to the last order (ranges per kind)', async () => {
    const events = [
      'ts,visitor_id,event,url,user_agent',
      '2026-05-03T12:00:00Z,v1,pageview,https://shop.example/,Mozilla/5.0 (Windows NT 10.0) Firefox/120.0',
      '2026-07-01T12:00:00Z,v2,pageview,https://shop.example/,Mozilla/5.0 (compatible; Googlebot/2.1)',
    ].join('\n');
    const { w, ctx } = await loaded({}, [['orders.csv', fixture('orders.csv')], ['events.csv', `${events}\n`]]);
    try {
      // the sales range still ends at o9/o11 (04-30T10:00): the matrix of the orders alone, April incomplete
      expect(matrix(await retention.execute(ctx, {}))).toEqual({
        '2026-01': { size: 3, customers: [3, 1, 1, 0], revenue: [390, 80, 30, 0], complete: [true, true, true, false] },
        '2026-02': { size: 2, customers: [2, 0, 1], revenue: [315, 0, 20], complete: [true, true, false] },
        '2026-03': { size: 1, customers: [1, 0], revenue: [25, 0], complete: [true, false] },
      });
      // weeks: W02 runs to W18 (holding Thu 04-30) = 17 periods, the last incomplete
      const weeks = await retention.execute(ctx, { grain: 'week' });
      expect(weeks.cohorts[0]!.periods.map((p) => p.complete).slice(-2)).toEqual([true, false]);
      expect(weeks.cohorts[0]!.periods).toHaveLength(17);
    } finally {
      await w.close();
    }
  });
});

// new-york.csv, reporting time zone America/New_York (EDT UTC−4 until Sun 2026-11-01 02:00 local, then EST UTC−5):
//   p1 11-01T02:00Z = Sat 10-31 22:00 EDT   P 10
//   p2 11-02T04:30Z = Sun 11-01 23:30 EST   P 20
//   q1 11-02T05:00Z = Mon 11-02 00:00 EST   Q 30
//   r1 11-09T05:00Z = Mon 11-09 00:00 EST   R 40   (the last data instant)
describe('retention in a non-UTC reporting time zone across the end of daylight saving time', () => {
  let ny: { w: TempWarehouse; ctx: QueryContext };
  let utc: { w: TempWarehouse; ctx: QueryContext };
  beforeAll(async () => {
    ny = await loaded({ timezone: 'America/New_York' }, [['ny.csv', fixture('new-york.csv')]]);
    utc = await loaded({}, [['ny.csv', fixture('new-york.csv')]]);
  });
  afterAll(async () => {
    await ny.w.close();
    await utc.w.close();
  });

  it('an order at 2026-11-01T02:00Z belongs to October in New York (November in UTC)', async () => {
    expect(matrix(await retention.execute(ny.ctx, {}))).toEqual({
      // P: p1 October (k0), p2 November (k1). October ends 11-01 00:00 EDT = 04:00Z, before the last instant.
      '2026-10': { size: 1, customers: [1, 1], revenue: [10, 20], complete: [true, false] },
      '2026-11': { size: 2, customers: [2], revenue: [70], complete: [false] },
    });
    expect(matrix(await retention.execute(utc.ctx, {}))).toEqual({
      '2026-11': { size: 3, customers: [3], revenue: [100], complete: [false] },
    });
    // first-repeat: P's second order is in November → October cohort [0, 1]
    expect(customersOf(await retention.execute(ny.ctx, { mode: 'first-repeat' }))).toEqual({ '2026-10': [0, 1], '2026-11': [0] });
  });

  it('the DST week: Mon 10-26 00:00 EDT to Mon 11-02 00:00 EST (04:00Z to 05:00Z) holds p2 at 04:30Z', async () => {
    const r = await retention.execute(ny.ctx, { grain: 'week' });
    expect(matrix(r)).toEqual({
      // W44 = P (p1 Sat, p2 Sun 23:30 local, both W44: revenue 30). W45 ends Mon 11-09 00:00 EST = 05:00Z,
      // exactly the last data instant → complete; W46 is not.
      '2026-W44': { size: 1, customers: [1, 0, 0], revenue: [30, 0, 0], complete: [true, true, false] },
      '2026-W45': { size: 1, customers: [1, 0], revenue: [30, 0], complete: [true, false] },
      '2026-W46': { size: 1, customers: [1], revenue: [40], complete: [false] },
    });
    expect(customersOf(await retention.execute(ny.ctx, { grain: 'week', mode: 'first-repeat' }))['2026-W44']).toEqual([1, 1, 1]);
    // in UTC p1 (Sun 11-01 02:00Z) is W44 but p2 (Mon 11-02 04:30Z) is already W45
    expect(customersOf(await retention.execute(utc.ctx, { grain: 'week' }))).toEqual({ '2026-W44': [1, 1, 0], '2026-W45': [1, 0], '2026-W46': [1] });
  });

  it('from/to are local dates: from 2026-11-01 starts at 04:00Z and leaves p1 out', async () => {
    const r = await retention.execute(ny.ctx, { from: '2026-11-01' });
    expect(r.cohorts.map((c) => [c.cohort, c.size])).toEqual([['2026-11', 2]]);
  });
});

describe('retention with Sunday weeks', () => {
  let w: TempWarehouse;
  let ctx: QueryContext;
  beforeAll(async () => ({ w, ctx } = await loaded({ week_start: 'sunday' }, [['orders.csv', fixture('orders.csv')]])));
  afterAll(async () => w.close());

  it('a Sunday week takes the ISO week of its Monday as label', async () => {
    const r = await retention.execute(ctx, { grain: 'week' });
    // A Mon 01-05 and B Sat 01-10: week Sun 01-04 – Sat 01-10 (Monday 01-05 → W02).
    // C Sat 01-31: Sun 01-25 – Sat 01-31 → W05; D Sun 02-01 starts Sun 02-01 – Sat 02-07 → W06.
    // E Sat 02-28: Sun 02-22 – Sat 02-28 → W09; F Sun 03-15: Sun 03-15 – Sat 03-21 → W12.
    expect(r.cohorts.map((c) => [c.cohort, c.size])).toEqual([['2026-W02', 2], ['2026-W05', 1], ['2026-W06', 1], ['2026-W09', 1], ['2026-W12', 1]]);
    // W02: A o2 Tue 01-20 (Sun 01-18 week, k2); B o5 Sun 02-15 starts the Sun 02-15 week (k6, not k5 as
    // with Monday weeks); A o3 Tue 03-10 (Sun 03-08 week, k9). Last instant Thu 04-30: Sun 04-26 week, k16.
    const w02 = r.cohorts[0]!.periods;
    expect(w02).toHaveLength(17);
    expect(w02.filter((p) => p.customers > 0).map((p) => p.k)).toEqual([0, 2, 6, 9]);
    expect(w02.at(-1)!.complete).toBe(false);
    expect(r.notes[0]).toEqual({ code: 'retention_cohort_week_sunday', params: { timezone: 'UTC' } });
  });
});

describe('retention on an empty warehouse', () => {
  it('has no cohorts and says why, in every grain and mode', async () => {
    const { w, ctx } = await loaded({}, []);
    try {
      for (const grain of retentionGrains) {
        for (const mode of retentionModes) {
          const r = await retention.execute(ctx, { grain, mode });
          expect(r).toMatchObject({ grain, mode, cohorts: [] });
          expect(r.notes).toContainEqual({ code: 'retention_no_customers' });
          expect(retention.csv(r)).toEqual([]);
        }
      }
    } finally {
      await w.close();
    }
  });
});

describe('retention properties on random data (America/New_York)', () => {
  const config = { timezone: 'America/New_York' };
  const [a, b] = randomOrderFiles(7);
  const loads: Record<string, { w: TempWarehouse; ctx: QueryContext }> = {};
  beforeAll(async () => {
    loads.ab = await loaded(config, [['a.csv', a], ['b.csv', b]]);
    loads.ba = await loaded(config, [['b.csv', b], ['a.csv', a]]);
    loads.twice = await loaded(config, [['a.csv', a], ['b.csv', b], ['a-again.csv', a], ['b.csv', b]]);
  });
  afterAll(async () => {
    for (const l of Object.values(loads)) await l.w.close();
  });

  it('cells never exceed the cohort size; rolling never increases and first-repeat never decreases with k', async () => {
    for (const grain of retentionGrains) {
      const run = (mode: (typeof retentionModes)[number]) => retention.execute(loads.ab!.ctx, { grain, mode });
      const [standard, rolling, repeat] = await Promise.all([run('standard'), run('rolling'), run('first-repeat')]);
      expect(standard.cohorts.length).toBeGreaterThan(grain === 'month' ? 5 : 20);
      standard.cohorts.forEach((c, i) => {
        const roll = rolling.cohorts[i]!.periods.map((p) => p.customers);
        const rep = repeat.cohorts[i]!.periods.map((p) => p.customers);
        expect(c.size).toBeGreaterThan(0);
        c.periods.forEach((p, k) => {
          expect(p.k).toBe(k);
          for (const n of [p.customers, roll[k]!, rep[k]!]) expect(n).toBeGreaterThanOrEqual(0);
          for (const n of [p.customers, roll[k]!, rep[k]!]) expect(n).toBeLessThanOrEqual(c.size);
          expect(p.customers).toBeLessThanOrEqual(roll[k]!); // bought in k ⇒ bought in k or later
          if (k > 0) expect(roll[k]!).toBeLessThanOrEqual(roll[k - 1]!);
          if (k > 0) expect(rep[k]!).toBeGreaterThanOrEqual(rep[k - 1]!);
        });
        expect(c.periods[0]!.customers).toBe(c.size); // everyone bought in their cohort period
        expect(roll[0]).toBe(c.size);
        // the matrix is triangular: every cohort runs to the same last period, the one of the last data instant
        expect(lastPeriod(grain, c.cohort, c.periods.length)).toBe(lastPeriod(grain, standard.cohorts[0]!.cohort, standard.cohorts[0]!.periods.length));
      });
    }
  });

  it('loading the files in another order, or twice, gives identical results', async () => {
    for (const grain of retentionGrains) {
      for (const mode of retentionModes) {
        const want = await retention.execute(loads.ab!.ctx, { grain, mode });
        expect(await retention.execute(loads.ba!.ctx, { grain, mode })).toEqual(want);
        expect(await retention.execute(loads.twice!.ctx, { grain, mode })).toEqual(want);
      }
    }
  });
});

/** [path, message] of each problem with an input (execute validates before it runs anything). */
function issues(input: unknown): [string, string][] {
  const parsed = retention.params.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
}

/** The start date of period k = n - 1 of a cohort. */
function lastPeriod(grain: 'week' | 'month', cohort: string, n: number): string {
  if (grain === 'week') return addDays(isoWeekMonday(cohort), 7 * (n - 1));
  const [y, m] = cohort.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n - 1, 1)).toISOString().slice(0, 10);
}
