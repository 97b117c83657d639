// Complaints (SPEC §5.6) on a hand-checked fixture: per 1,000 valid orders by category and severity,
// response and resolution times, and repurchase after a complaint vs without, by resolution time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaints } from '../../queries/complaints.ts';
import { resolveConfig } from '../../bin/config.ts';
import type { QueryContext } from '../../queries/define.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

let w: TempWarehouse;
let ctx: QueryContext;
beforeAll(async () => {
  w = await tempWarehouse();
  ctx = { db: w.db, config: resolveConfig({}) };
  const files = {
    'sales.csv': [
      'order_id,ts,customer_id,amount,status',
      'A1,2026-10-01T10:00:00Z,A,50,paid',
      'A2,2026-10-20T10:00:00Z,A,60,paid', //      A repurchases 18 days after complaint K1
      'B1,2026-10-03T10:00:00Z,B,40,paid', //      B never again
      'C1,2026-10-08T10:00:00Z,C,30,paid',
      'C2,2026-12-01T10:00:00Z,C,30,paid', //      52 days after K3
      'D1,2026-10-24T10:00:00Z,D,20,paid',
      'F1,2026-10-04T10:00:00Z,F,10,paid',
      'F2,2026-11-15T10:00:00Z,F,10,paid', //      42 days after F1
      'G1,2026-10-06T10:00:00Z,G,10,paid',
      'G2,2026-10-09T10:00:00Z,G,10,cancelled', // not valid
      'H1,2026-10-12T10:00:00Z,H,10,paid',
      'H2,2027-01-19T10:00:00Z,H,10,paid', //      99 days later: outside 90
      'I1,2026-10-28T10:00:00Z,I,10,paid', //      after 2026-10-22: too recent to judge
      'Z1,2026-10-13T10:00:00Z,,10,paid', //       a guest order: valid, no customer
      'J1,2027-01-20T00:00:00Z,J,10,paid', //      the last data instant: judged until 2026-10-22
    ].join('\n') + '\n',
    'complaints.csv': [
      'complaint_id,ts,customer_id,order_id,category,severity,responded_at,resolved_at',
      'K0,2026-09-20T10:00:00Z,E,,Y1,minor,,', //                                               before the period
      'K1,2026-10-02T10:00:00Z,A,A1,Y1,minor,2026-10-02T12:00:00Z,2026-10-02T22:00:00Z', //     2 h, 12 h
      'K2,2026-10-05T00:00:00Z,B,B1,Y5,General,2026-10-05T05:00:00Z,2026-10-07T00:00:00Z', //   5 h, 48 h
      'K3,2026-10-10T00:00:00Z,C,C1,ZZ,严重,2026-10-10T01:00:00Z,2026-10-20T00:00:00Z', //      1 h, 240 h
      'K4,2026-10-25T00:00:00Z,D,D1,Y1,,,', //                                                 no severity, no response, open
      'K5,2026-10-15T00:00:00Z,A,A1,T1,minor,2026-10-15T03:00:00Z,2026-10-19T00:00:00Z', //    3 h, 96 h
    ].join('\n') + '\n',
  };
  for (const [name, content] of Object.entries(files)) expect((await w.ingest(w.file(name, content))).rowsRejected).toBe(0);
});
afterAll(async () => w.close());

describe('complaints in October 2026', () => {
  it('counts complaints per 1,000 valid orders by category and severity', async () => {
    const r = await complaints.execute(ctx, { from: '2026-10-01', to: '2026-11-01' });
    // valid October orders: A1 A2 B1 C1 D1 F1 G1 H1 I1 Z1 = 10 (G2 cancelled); complaints K1–K5 = 5 → 500 per 1,000
    expect(r.validOrders).toBe(10);
    expect(r.complaints).toBe(5);
    expect(r.per1000Orders).toBe(500);
    expect(r.categories.map((c) => [c.category, c.label, c.complaints, c.per1000Orders, c.bySeverity])).toEqual([
      ['Y1', 'Late dispatch/transport delay', 2, 200, { minor: 1, general: 0, serious: 0, unspecified: 1 }],
      ['T1', 'Staff attitude/communication', 1, 100, { minor: 1, general: 0, serious: 0 }],
      ['Y5', 'Damage/loss/return in delivery', 1, 100, { minor: 0, general: 1, serious: 0 }],
      ['ZZ', null, 1, 100, { minor: 0, general: 0, serious: 1 }], // unknown code kept as given; 严重 → serious
    ]);
    expect(r.severities).toEqual([
      { severity: 'minor', complaints: 2, per1000Orders: 200 },
      { severity: 'general', complaints: 1, per1000Orders: 100 },
      { severity: 'serious', complaints: 1, per1000Orders: 100 },
      { severity: 'unspecified', complaints: 1, per1000Orders: 100 },
    ]);
    expect(r.notes).toContainEqual({ code: 'complaints_unknown_categories', params: { categories: ['ZZ'] } });
    expect(complaints.csv(r)).toHaveLength(5); // (T1 minor) (Y1 minor) (Y1 unspecified) (Y5 general) (ZZ serious)
    expect(complaints.csv(r)[0]).toEqual({ from: '2026-10-01', to: '2026-11-01', category: 'T1', label: 'Staff attitude/communication', severity: 'minor', complaints: 1, per_1000_orders: 100 });
  });

  it('times first response and resolution (median and interpolated p90, in hours)', async () => {
    const r = await complaints.execute(ctx, { from: '2026-10-01', to: '2026-11-01' });
    // responses 1, 2, 3, 5 h: median 2.5; p90 at position 0.9 × 3 = 2.7 → 3 + 0.7 × (5 − 3) = 4.4; K4 not responded
    expect(r.response.medianHours).toBe(2.5);
    expect(r.response.p90Hours).toBeCloseTo(4.4, 10);
    expect(r.response).toMatchObject({ n: 4, notResponded: 1 });
    // resolutions 12, 48, 96, 240 h: median 72; p90 → 96 + 0.7 × (240 − 96) = 196.8; K4 unresolved
    expect(r.resolution.medianHours).toBe(72);
    expect(r.resolution.p90Hours).toBeCloseTo(196.8, 10);
    expect(r.resolution).toMatchObject({ n: 4, unresolved: 1 });
    expect(r.categories[0]!.response).toEqual({ medianHours: 2, p90Hours: 2, n: 1 }); // Y1: K1 only (K4 has none)
  });

  it('compares repurchase after a complaint with customers without one, by resolution time', async () => {
    const r = await complaints.execute(ctx, { from: '2026-10-01', to: '2026-11-01' });
    // data ends 2027-01-20 00:00: starts up to 2026-10-22 are judged (90 days must fit)
    expect(r.repurchase.judgedUntil).toBe('2026-10-22');
    // complained (first complaint): A K1 10-02 → A2 ✓; B K2 → ✗; C K3 → C2 ✓; D K4 10-25 too recent → 2 of 3
    expect(r.repurchase.complained).toMatchObject({ customers: 4, tooRecent: 1, numerator: 2, denominator: 3, value: 2 / 3, small: true });
    // without a complaint (first October order): F ✓ (42 days), G ✗, H ✗ (99 days), I too recent → 1 of 3
    expect(r.repurchase.notComplained).toMatchObject({ customers: 4, tooRecent: 1, numerator: 1, denominator: 3, value: 1 / 3 });
    // buckets of each complainer's first complaint: A 10 h (<1d), B 48 h (1–3), C 240 h (>7), D unresolved
    expect(r.repurchase.byResolution.map((b) => [b.bucket, b.customers, b.numerator, b.denominator, b.value])).toEqual([
      ['<1d', 1, 1, 1, 1],
      ['1-3d', 1, 0, 1, 0],
      ['3-7d', 0, 0, 0, null],
      ['>7d', 1, 1, 1, 1],
      ['unresolved', 1, 0, 0, null],
    ]);
    expect(r.notes).toContainEqual({ code: 'complaints_too_recent', params: { windowDays: 90, judgedUntil: '2026-10-22', complained: 1, others: 1 } });
  });

  it('an empty period: zero complaints, per-1,000 null with a reason', async () => {
    const r = await complaints.execute(ctx, { from: '2026-06-01', to: '2026-06-08' });
    expect(r).toMatchObject({ validOrders: 0, complaints: 0, per1000Orders: null, reason: { code: 'complaints_no_valid_orders' }, categories: [], cells: [] });
    expect(r.severities.map((s) => [s.severity, s.complaints, s.per1000Orders])).toEqual([['minor', 0, null], ['general', 0, null], ['serious', 0, null]]);
    expect(r.response).toEqual({ medianHours: null, p90Hours: null, n: 0, notResponded: 0 });
    expect(r.repurchase.complained).toMatchObject({ customers: 0, value: null });
  });
});
