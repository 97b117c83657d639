// Customers (SPEC §5.5) on hand-checked fixtures: A/B/C tiers with their boundaries and ties, migration,
// lifecycle stages and who is due on a day, and the churn early warning. Every number derived beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../../bin/config.ts';
import { customerLifecycle, customersAtRisk, customerTiers } from '../../queries/customers.ts';
import type { QueryContext } from '../../queries/define.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

async function warehouse(files: Record<string, string>, config: ConfigInput = {}): Promise<{ w: TempWarehouse; ctx: QueryContext }> {
  const w = await tempWarehouse(config);
  for (const [name, content] of Object.entries(files)) {
    const s = await w.ingest(w.file(name, content));
    expect(s.status).toBe('loaded');
    expect(s.rowsRejected).toBe(0);
  }
  return { w, ctx: { db: w.db, config: resolveConfig(config) } };
}

describe('customer tiers', () => {
  let w: TempWarehouse;
  let ctx: QueryContext;
  beforeAll(async () => {
    ({ w, ctx } = await warehouse({
      'sales.csv': [
        'order_id,ts,customer_id,amount,status',
        // September: c6 1000, c7 500
        'S1,2026-09-10T10:00:00Z,c6,1000,paid',
        'S2,2026-09-12T10:00:00Z,c7,500,paid',
        // October: c1 500, c2 200, c3 60+40 = 100, c4 100, c5 50, c6 50 → total 1000
        'O1,2026-10-02T10:00:00Z,c1,500,paid',
        'O2,2026-10-03T10:00:00Z,c2,200,paid',
        'O3,2026-10-04T10:00:00Z,c3,60,paid',
        'O4,2026-10-05T10:00:00Z,c3,40,paid',
        'O5,2026-10-06T10:00:00Z,c4,100,paid',
        'O6,2026-10-07T10:00:00Z,c5,50,paid',
        'O7,2026-10-08T10:00:00Z,c6,50,paid',
        // not valid or not a customer: none of these count
        'X1,2026-10-09T10:00:00Z,c1,900,cancelled',
        'X2,2026-10-10T10:00:00Z,c5,900,refunded',
        'X3,2026-10-11T10:00:00Z,,900,paid',
        'X4,2026-10-12T10:00:00Z,c4,0,paid',
      ].join('\n') + '\n',
    }));
  });
  afterAll(async () => w.close());

  it('splits October at exactly 50% and 80%, breaking the c3/c4 tie by customer id', async () => {
    const r = await customerTiers.execute(ctx, { from: '2026-10-01', to: '2026-11-01' });
    // ranked: c1 500 (before 0 < 500 → A), c2 200 (before 500, not < 500 but < 800 → B), c3 100 (before 700 → B),
    // c4 100 (tie with c3, later by id; before 800, not < 800 → C), c5 50 (before 900 → C), c6 50 (before 950 → C)
    expect(r.customers).toBe(6);
    expect(r.revenue).toBe(1000);
    expect(r.tiers).toEqual([
      { tier: 'A', customers: 1, revenue: 500, customerShare: 1 / 6, revenueShare: 0.5 },
      { tier: 'B', customers: 2, revenue: 300, customerShare: 2 / 6, revenueShare: 0.3 },
      { tier: 'C', customers: 3, revenue: 200, customerShare: 3 / 6, revenueShare: 0.2 },
    ]);
    expect(r.ruleOfThumb.map((t) => [t.tier, t.customerShare, t.revenueShare])).toEqual([['A', 0.15, 0.5], ['B', 0.35, 0.3], ['C', 0.5, 0.2]]);
    // cumulative shares: 500, 700, 800, 900, 950, 1000 of 1000
    expect(r.pareto).toEqual([
      { rank: 1, customerId: 'c1', revenue: 500, cumulativeShare: 0.5, tier: 'A' },
      { rank: 2, customerId: 'c2', revenue: 200, cumulativeShare: 0.7, tier: 'B' },
      { rank: 3, customerId: 'c3', revenue: 100, cumulativeShare: 0.8, tier: 'B' },
      { rank: 4, customerId: 'c4', revenue: 100, cumulativeShare: 0.9, tier: 'C' },
      { rank: 5, customerId: 'c5', revenue: 50, cumulativeShare: 0.95, tier: 'C' },
      { rank: 6, customerId: 'c6', revenue: 50, cumulativeShare: 1, tier: 'C' },
    ]);
    expect(r.paretoSampled).toBe(false);
  });

  it('reports migration from September to October (the last full month of the period)', async () => {
    const r = await customerTiers.execute(ctx, { from: '2026-10-01', to: '2026-11-01' });
    // September: c6 1000 (A), c7 500 (before 1000 ≥ 750, < 1200 → B). October as above.
    // c6 A → C, c7 B → none, c1 new → A, c2 c3 new → B, c4 c5 new → C
    expect(r.migrationMonths).toEqual({ from: '2026-09', to: '2026-10' });
    expect(r.migration).toHaveLength(15); // 4 × 4 minus new → none
    expect(r.migration.filter((m) => m.customers > 0)).toEqual([
      { from: 'A', to: 'C', customers: 1 },
      { from: 'B', to: 'none', customers: 1 },
      { from: 'new', to: 'A', customers: 1 },
      { from: 'new', to: 'B', customers: 2 },
      { from: 'new', to: 'C', customers: 2 },
    ]);
  });

  it('lifetime tiers as of a day count every valid order before it', async () => {
    const r = await customerTiers.execute(ctx, { as_of: '2026-11-01' });
    // c6 1050, c1 500, c7 500 (tie: c1 first), c2 200, c3 100, c4 100, c5 50; total 2500, 50% = 1250, 80% = 2000
    // c6 (before 0) A, c1 (1050) A, c7 (1550) B, c2 (2050) C, c3, c4, c5 C
    expect(r.period).toEqual({ from: '2026-09-10', to: '2026-11-01' });
    expect(r.tiers.map((t) => [t.tier, t.customers, t.revenue])).toEqual([['A', 2, 1550], ['B', 1, 500], ['C', 4, 450]]);
  });

  it('an empty period has no shares (null with a reason) and no migration', async () => {
    const r = await customerTiers.execute(ctx, { from: '2026-12-01', to: '2026-12-15' });
    expect(r.customers).toBe(0);
    expect(r.tiers[0]).toEqual({ tier: 'A', customers: 0, revenue: 0, customerShare: null, revenueShare: null, reason: { code: 'no_customer_orders' } });
    expect(r.pareto).toEqual([]);
    expect(r.migration).toEqual([]);
    expect(r.migrationMonths).toBeNull();
    expect(r.notes).toContainEqual({ code: 'tier_migration_no_full_month' });
  });

  it('refuses as_of together with from/to, naming the parameter', async () => {
    await expect(async () => customerTiers.execute(ctx, { as_of: '2026-11-01', from: '2026-10-01' })).rejects.toThrow(/as_of/);
  });

  it('csv has one row per tier beside the rule of thumb', async () => {
    const r = await customerTiers.execute(ctx, { from: '2026-10-01', to: '2026-11-01' });
    expect(customerTiers.csv(r)[1]).toEqual({
      from: '2026-10-01', to: '2026-11-01', tier: 'B', customers: 2, revenue: 300, customer_share: 2 / 6, revenue_share: 0.3,
      rule_of_thumb_customer_share: 0.35, rule_of_thumb_revenue_share: 0.3,
    });
  });
});

describe('customer tiers in a non-UTC reporting time zone', () => {
  it('an order at 20:00 UTC on 30 September is on 1 October in Shanghai (UTC+8)', async () => {
    const { w, ctx } = await warehouse(
      { 'sales.csv': 'order_id,ts,customer_id,amount\nT1,2026-09-30T20:00:00Z,s1,10\nT2,2026-10-31T15:59:00Z,s2,30\nT3,2026-10-31T16:00:00Z,s3,70\n' },
      { timezone: 'Asia/Shanghai' },
    );
    // T1 = 2026-10-01 04:00 local (in), T2 = 2026-10-31 23:59 local (in), T3 = 2026-11-01 00:00 local (out)
    const r = await customerTiers.execute(ctx, { from: '2026-10-01', to: '2026-11-01' });
    expect(r.customers).toBe(2);
    expect(r.revenue).toBe(40);
    await w.close();
  });
});

describe('lifecycle stages and follow-ups due', () => {
  let w: TempWarehouse;
  let ctx: QueryContext;
  beforeAll(async () => {
    ({ w, ctx } = await warehouse({
      'sales.csv': [
        'order_id,ts,customer_id,visitor_id,amount,status',
        'L1-1,2026-06-01T10:00:00Z,L1,,50,paid',
        'L1-2,2026-10-28T10:00:00Z,L1,,100,paid', //    3 days before 2026-10-31
        'L2-0,2026-10-16T10:00:00Z,L2,,30,paid', //     15 days
        'L2-1,2026-10-24T10:00:00Z,L2,,40,paid', //     7 days
        'L3-1,2026-07-01T10:00:00Z,L3,,200,paid', //    122 days: cooling
        'L4-1,2026-05-03T10:00:00Z,L4,,300,paid', //    181 days: lapses today
        'L5-1,2025-11-05T10:00:00Z,L5,,250,paid', //    360 days
        'L6-1,2026-01-01T10:00:00Z,L6,,120,paid', //    303 days
        'L6-2,2026-11-05T10:00:00Z,L6,,999,paid', //    after as_of: ignored
        'L7-1,2026-10-20T10:00:00Z,L7,,5,paid',
        'L7-2,2026-10-21T10:00:00Z,L7,,20,cancelled',
        'L7-3,2026-10-22T10:00:00Z,L7,,20,refunded',
        'L8-1,2026-10-28T10:00:00Z,L8,,8,paid',
        'L9-1,2026-10-16T10:00:00Z,L9,,10,paid', //     15 days
        'L9-2,2026-10-17T10:00:00Z,L9,,10,cancelled',
        'G-1,2026-10-28T11:00:00Z,,vg,60,paid', //      a guest: bought, but not a customer
      ].join('\n') + '\n',
      'web.csv': [
        'event_id,ts,visitor_id,customer_id,event,url',
        'e1,2026-10-28T09:00:00Z,v1,P1,add_to_cart,/p', //  B, 3 days since intent, known
        'e2,2026-10-24T09:00:00Z,v2,,add_to_cart,/p', //    B, anonymous
        'e3,2026-08-02T09:00:00Z,v3,P3,pageview,/', //      C, 90 days since seen, known
        'e4,2026-10-30T09:00:00Z,v4,,pageview,/', //        C, anonymous
        'e5,2026-09-01T09:00:00Z,v5,P5,add_to_cart,/p', //  intent 60 days ago: C
        'e6,2026-09-01T09:01:00Z,v5,P5,pageview,/',
        'e7,2026-10-29T09:00:00Z,v6,L1,pageview,/', //      L1 is a customer: not a prospect
        'e8,2026-10-28T10:30:00Z,vg,,add_to_cart,/p', //    the guest bought: not a prospect
      ].join('\n') + '\n',
      'complaints.csv': [
        'complaint_id,ts,customer_id,category,severity',
        'K1,2026-10-29T10:00:00Z,L8,Y1,嚴重', //  serious (traditional Chinese)
        'K2,2026-10-29T11:00:00Z,L9,W5,minor',
      ].join('\n') + '\n',
    }));
  });
  afterAll(async () => w.close());

  it('puts each customer and prospect in one of the five stages', async () => {
    const r = await customerLifecycle.execute(ctx, { as_of: '2026-10-31' });
    // lifetime revenue before as_of: L4 300, L5 250, L3 200, L1 150, L6 120, L2 70, L9 10, L8 8, L7 5; total 1113
    // 50% = 556.5, 80% = 890.4: L4 (before 0) A, L5 (300) A, L3 (550) A, L1 (750) B, L6 (900) C, L2, L9, L8, L7 C
    // E: L7 (tier C, cancelled + refunded = 2), L8 (tier C, one serious complaint). L9 has 1 cancellation and a minor complaint: not E.
    // A: L1 (3 days), L2 (7), L3 (122: cooling), L9 (15) → 4, cooling 1; D: L4 (181), L5 (360), L6 (303) → 3
    // B: P1 and v2 (intent within 30 days) → 2, 1 known; C: P3, v4, P5 → 3, 2 known
    expect(r.stages.map((s) => [s.stage, s.customers, s.identified, s.due])).toEqual([
      ['A', 4, 4, 3], // due: L1 (3 days), L2 (7), L9 (15)
      ['B', 2, 1, 1], // P1 (3 days since intent)
      ['C', 3, 2, 1], // P3 (90 days since seen)
      ['D', 3, 3, 2], // L4 (181 = lapsed_days + 1), L5 (360 = 2 × lapsed_days)
      ['E', 2, 2, 0],
    ]);
    expect(r.stages[0]!.cooling).toBe(1);
  });

  it('lists who is due on the day with a reason a person can act on', async () => {
    const r = await customerLifecycle.execute(ctx, { as_of: '2026-10-31' });
    expect(r.due.map((d) => [d.customerId, d.stage, d.reason, d.tier, d.revenue])).toEqual([
      ['L1', 'A', { code: 'due_active', params: { days: 3, orderId: 'L1-2' } }, 'B', 150],
      ['L2', 'A', { code: 'due_active', params: { days: 7, orderId: 'L2-1' } }, 'C', 70], // L2-0 is 15 days old, but the cadence restarts with each order
      ['L9', 'A', { code: 'due_active', params: { days: 15, orderId: 'L9-1' } }, 'C', 10],
      ['P1', 'B', { code: 'due_negotiating', params: { days: 3 } }, null, null],
      ['P3', 'C', { code: 'due_potential', params: { days: 90 } }, null, null],
      ['L4', 'D', { code: 'due_lapsed', params: { days: 181 } }, 'A', 300], // lapsed_days 180 + 1: lapsed today
      ['L5', 'D', { code: 'due_lapsed_last', params: { days: 360 } }, 'A', 250], // 2 × 180: the last win-back try
    ]);
    expect(r.due[0]!.lastOrderAt).toBe('2026-10-28T10:00:00.000Z');
    expect(r.page).toEqual({ total: 7, offset: 0, limit: 7 }); // the query returns the whole list; the API pages it
    expect(customerLifecycle.csv(r)[0]).toMatchObject({ as_of: '2026-10-31', customer_id: 'L1', stage: 'A', days_since: 3 });
  });

  it('defaults as_of to the day after the last data day', async () => {
    const r = await customerLifecycle.execute(ctx, {});
    expect(r.asOf).toBe('2026-11-06'); // last data: L6-2 on 2026-11-05
  });
});

describe('customers at risk', () => {
  let w: TempWarehouse;
  let ctx: QueryContext;
  beforeAll(async () => {
    ({ w, ctx } = await warehouse({
      'sales.csv': [
        'order_id,ts,customer_id,amount,status',
        'R1-1,2026-09-01T10:00:00Z,R1,100,paid', // gaps 10, 10 → median 10; 40 days since → at risk
        'R1-2,2026-09-11T10:00:00Z,R1,100,paid',
        'R1-3,2026-09-21T10:00:00Z,R1,100,paid',
        'R1-4,2026-11-02T10:00:00Z,R1,100,paid', // after as_of: ignored
        'R2-1,2026-10-01T10:00:00Z,R2,50,paid', //  order days 10-01, 10-21 → gap 20; 10 days since
        'R2-2,2026-10-21T10:00:00Z,R2,50,paid',
        'R2-3,2026-10-21T12:00:00Z,R2,25,paid',
        'R3-1,2026-08-01T10:00:00Z,R3,40,paid', //  gaps 4, 10 → median 7; 77 days since → at risk
        'R3-2,2026-08-05T10:00:00Z,R3,40,paid',
        'R3-3,2026-08-15T10:00:00Z,R3,40,paid',
        'R4-1,2026-06-01T10:00:00Z,R4,500,paid', // one order: population median 10; 152 days → at risk
        'R5-1,2026-10-25T10:00:00Z,R5,30,paid', //  one order, 6 days
        'R5-2,2026-10-26T10:00:00Z,R5,30,cancelled',
        'R6-1,2026-10-11T10:00:00Z,R6,20,paid', //  two orders on one day: one order day → population; 20 days = 2 × 10, not above
        'R6-2,2026-10-11T15:00:00Z,R6,20,paid',
        'R7-1,2026-01-10T10:00:00Z,R7,70,paid', //  gap 10; 284 days → at risk and lapsed
        'R7-2,2026-01-20T10:00:00Z,R7,50,paid',
      ].join('\n') + '\n',
    }));
  });
  afterAll(async () => w.close());

  it('flags customers past churn_k × their median gap, by revenue with tier and expected next order', async () => {
    const r = await customersAtRisk.execute(ctx, { as_of: '2026-10-31' });
    // own medians: R1 10, R2 20, R3 7, R7 10 → population median of [7, 10, 10, 20] = 10
    // lifetime tiers: R4 500, R1 300, R2 125, R3 120, R7 120, R6 40, R5 30; total 1235 (50% 617.5, 80% 988)
    // R4 A (before 0), R1 A (500), R2 B (800), R3 B (925), R7 C (1045), R6 C, R5 C
    expect(r.summary).toEqual({
      customers: 7, repeatCustomers: 4, populationMedianGapDays: 10,
      atRisk: 4, atRiskRepeat: 3, atRiskOneOrder: 1, atRiskLapsed: 1, revenueAtRisk: 1040, // 500 + 300 + 120 + 120
    });
    expect(r.customers.map((c) => [c.customerId, c.orders, c.revenue, c.tier, c.medianGapDays, c.gapBasis, c.daysSinceLast, c.expectedNextOrder, c.lapsed])).toEqual([
      ['R4', 1, 500, 'A', 10, 'population', 152, '2026-06-11', false], // 06-01 → 10-31 = 152 days
      ['R1', 3, 300, 'A', 10, 'own', 40, '2026-10-01', false], //          09-21 → 10-31 = 40 > 20
      ['R3', 3, 120, 'B', 7, 'own', 77, '2026-08-22', false], //           08-15 → 10-31 = 77 > 14
      ['R7', 2, 120, 'C', 10, 'own', 284, '2026-01-30', true], //          01-20 → 10-31 = 284 > 20; R3/R7 tie by id
    ]);
    expect(r.customers[0]!.lastOrderAt).toBe('2026-06-01T10:00:00.000Z');
    expect(customersAtRisk.csv(r)).toHaveLength(4);
  });

  it('with churn_k = 1 the boundary customer R6 (20 days, population gap 10) is flagged', async () => {
    const strict = { ...ctx, config: resolveConfig({ churn_k: 1 }) };
    const r = await customersAtRisk.execute(strict, { as_of: '2026-10-31' });
    // thresholds: R1 10 (40 >), R2 20 (10 no), R3 7 (77 >), R4 10 (152 >), R5 10 (6 no), R6 10 (20 >), R7 10 (284 >)
    expect(r.customers.map((c) => c.customerId)).toEqual(['R4', 'R1', 'R3', 'R7', 'R6']);
  });
});
