// Checks the oracle itself on the hand-checked fixture (fixture.ts), so that metrics.test.ts compares
// the product with something known to follow the rules (SPEC §4 sessions, §5.1–§5.4).
import { describe, expect, test } from 'vitest';
import { edgeFixture } from './fixture.ts';
import { buildModel, formatCsv, oracleEfficiency, oracleFunnel, oracleRepurchase, oracleRetention, parseCsv } from './oracle.ts';

const model = buildModel(edgeFixture, { botUserAgents: [] });
const period = { from: '2026-01-05', to: '2026-01-12' };

describe('the oracle on a hand-checked fixture', () => {
  test('CSV: quoted commas, doubled quotes and CRLF read back; formatCsv is its inverse', () => {
    const rows = parseCsv('a,b\r\n"x, y","say ""hi"""\r\n,\n');
    expect(rows).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['', '']]);
    expect(parseCsv(formatCsv(rows))).toEqual(rows);
  });

  test('persons: a component is labelled by its smallest customer id as a string; bots link nothing', () => {
    // vA, vA2, C2 and C10 are one person 'C10'; the crawler's C01 link is ignored; C3 and C4 bought
    // without a visitor id, so they are persons by customer id alone
    expect([...model.persons.keys()].sort()).toEqual(['C10', 'C3', 'C4', 'vB', 'vC', 'vE', 'vF', 'vG', 'vH']);
    expect(model.persons.get('C10')!.validOrders.map((o) => o.orderId)).toEqual(['O1', 'O2']);
  });

  test('funnel: persons per step and median seconds from the previous step', () => {
    const f = oracleFunnel(model, period);
    expect(f.attention).toBe('exposed');
    // attention: A (C10), B, C, E, F, H = 6 (the crawler D is out; G saw no impression)
    // interest: A 10:06, C 09:02, E 08:01, F day 6 00:05 = 4; B's engagement is after its window
    // desire: A 10:07, E 08:01 = 2 (C's add_to_cart precedes its engagement)
    // action: A (O1 10:10), E (purchase event at exactly t1 + 30 days, after `to`) = 2
    expect(f.steps.map((s) => s.count)).toEqual([6, 4, 2, 2]);
    expect(f.steps[1]!.persons).toEqual(['C10', 'vC', 'vE', 'vF']);
    // interest gaps: E 60, C 120, A 360, F 6 days 5 min = 518700 (its earliest start) → (120 + 360) / 2
    // desire gaps: E 0, A 60 → 30; action gaps: A 180, E 30 days − 60 s = 2591940 → 1296060
    expect(f.steps.map((s) => s.medianSecondsFromPrevious)).toEqual([null, 240, 30, 1296060]);
  });

  test('sessions: a gap of exactly 30 minutes continues a session, 31 minutes or an impression between do not', () => {
    // G's 10:30 pageview is both its session's 2nd pageview and its first event ≥ 60 s in
    expect(model.persons.get('vG')!.hits.engaged).toEqual([Date.parse('2026-01-09T10:30:00Z'), Date.parse('2026-01-09T10:30:00Z')]);
    expect(model.persons.get('vH')!.hits.engaged).toEqual([]);
    // C10 engages at 10:06 on day 0 (A's 2nd pageview and 60 s mark, twice) and never via vA2
    expect(model.persons.get('C10')!.hits.engaged).toEqual([Date.parse('2026-01-05T10:06:00Z'), Date.parse('2026-01-05T10:06:00Z')]);
  });

  test('funnel: with no exposure in the period, Attention is the visit stage', () => {
    const f = oracleFunnel(model, { from: '2026-02-20', to: '2026-03-01' });
    // only vA2's pageview on 02-24 (person C10), and nothing after it
    expect(f.attention).toBe('visit');
    expect(f.steps.map((s) => s.count)).toEqual([1, 0, 0, 0]);
  });

  test('efficiency: Q-levels, ratios, overall index and chain product', () => {
    const e = oracleEfficiency(model, period);
    // Q0: google/cpc/x max(1000, 1500) + facebook/paid_social/y 500 (the 9999 row is after the period)
    // Q1: exposed A, B, C, E, F, H; Q2: visits A, B, C, E, G, H (F has none)
    // Q3: visit and engaged A, C, E, G (B engages after the period, H never)
    // Q4: A's O1 (E's purchase is after the period); Q5: A's O2 is 20 days after O1, within 90
    expect(e.levels).toEqual({ Q0: 2000, Q1: 6, Q2: 6, Q3: 4, Q4: 1, Q5: 1 });
    expect(e.ratios).toEqual({ I1: 6 / 2000, I2: 1, I3: 4 / 6, I4: 1 / 4, I5: 1 });
    expect(e.overallIndex).toBeCloseTo((0.003 + 1 + 4 / 6 + 0.25 + 1) / 5, 15);
    expect(e.chainProduct).toBe(1 / 2000);
  });

  test('efficiency: no campaign rows and nobody exposed make Q0 and Q1 null; the mean skips null ratios', () => {
    const e = oracleEfficiency(model, { from: '2026-02-20', to: '2026-03-01' });
    // Q2: C10's visit on 02-24, not engaged → Q3 0; I3 = 0/1, I4 = 0/0 → null
    expect(e.levels).toEqual({ Q0: null, Q1: null, Q2: 1, Q3: 0, Q4: 0, Q5: 0 });
    expect(e.ratios).toEqual({ I1: null, I2: null, I3: 0, I4: null, I5: null });
    expect(e.overallIndex).toBe(0);
    expect(e.chainProduct).toBeNull();
  });

  test('retention: monthly cohorts in each mode, revenue of period k, completeness', () => {
    // customers C2 (O1, O2 in January), C3 (O4 January, O5 February), C4 (O6 February; O7 refunded,
    // O8 zero); C10's only order is cancelled. Last data instant 2026-02-26 (O9): February is open.
    const cells = (mode: 'standard' | 'rolling' | 'first-repeat') =>
      oracleRetention(model, mode).map((c) => [c.cohort, c.size, c.periods.map((p) => [p.k, p.customers, p.revenue, p.complete])]);
    expect(cells('standard')).toEqual([
      ['2026-01', 2, [[0, 2, 50 + 30 + 20, true], [1, 1, 25, false]]],
      ['2026-02', 1, [[0, 1, 40, false]]],
    ]);
    expect(cells('rolling')).toEqual([
      ['2026-01', 2, [[0, 2, 100, true], [1, 1, 25, false]]],
      ['2026-02', 1, [[0, 1, 40, false]]],
    ]);
    // C2 repeats in k=0, C3 in k=1
    expect(cells('first-repeat')).toEqual([
      ['2026-01', 2, [[0, 1, 100, true], [1, 2, 25, false]]],
      ['2026-02', 1, [[0, 0, 40, false]]],
    ]);
    const jan = oracleRetention(model, 'standard')[0]!;
    expect(jan.periods.map((p) => [p.rate, p.cumulativeRevenuePerCustomer])).toEqual([[1, 50], [0.5, 62.5]]);
  });

  test('repurchase: eligibility counted back from the last data instant, the second order within N days', () => {
    const r = oracleRepurchase(model, [3, 15, 20, 30, 90]);
    // last instant 2026-02-26T00:00 (the cancelled O9 counts; the crawler's 03-06 event does not)
    // 3 and 15 days: all three first orders (C4's 02-10 12:00 is before 02-11 00:00); C3 within 2 hours
    // 20 days: C2 and C3 (C4 is after 02-06); C2's O2 is exactly 20 days later, which counts
    // 30 days: only C2 (C3's first order 01-31 is after 01-27); 90 days: nobody
    expect(r.windows).toEqual([
      { days: 3, eligible: 3, repurchased: 1 },
      { days: 15, eligible: 3, repurchased: 1 },
      { days: 20, eligible: 2, repurchased: 2 },
      { days: 30, eligible: 1, repurchased: 1 },
      { days: 90, eligible: 0, repurchased: 0 },
    ]);
    // gaps: C3 2 hours = 1/12 day, C2 20 days
    expect(r.medianDaysToSecond).toBeCloseTo((20 + 1 / 12) / 2, 12);
    expect(r.daysToSecond.filter((b) => b.customers).map((b) => [b.from, b.to, b.customers])).toEqual([[0, 1, 1], [15, 30, 1]]);
    expect(r.ordersPerCustomer.slice(0, 3)).toEqual([{ orders: 1, customers: 1 }, { orders: 2, customers: 2 }, { orders: 3, customers: 0 }]);
    expect([r.repeatRevenue, r.totalRevenue]).toEqual([30 + 25, 50 + 30 + 20 + 25 + 40]);
  });
});
