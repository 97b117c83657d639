// The weekly snapshot (SPEC §5.7) on a fixture of eleven ISO weeks, small enough to check by hand.
// Every expected number is derived in the comments next to the rows and the assertions.
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { customersAtRisk } from '../../queries/customers.ts';
import { snapshot, type SnapshotMetric, type SnapshotResult } from '../../queries/snapshot.ts';
import { formats } from '../../web/i18n/format.ts';
import { translator } from '../../web/i18n/index.ts';
import { notableText } from '../../web/i18n/weekly-format.ts';
import { renderSnapshot } from '../../web/snapshot/render.ts';

/** A notable movement as the Weekly page and the file word it in English. */
const sentence = (n: SnapshotResult['notable'][number]) => notableText(translator('en'), formats('en'), n, 'GBP');
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

// ISO weeks of 2026 (Mondays): W35 08-24 (no data yet), W36 08-31, W37 09-07, W38 09-14, W39 09-21,
// W40 09-28 (no data at all), W41 10-05, W42 10-12, W43 10-19, W44 10-26, W45 11-02, W46 11-09,
// W47 11-16 (the data ends on Tuesday 11-17: incomplete). Orders are on Wednesdays at 10:00 UTC.
//
//   week  order  customer  amount  status     new / returning   notes
//   W36   o1     c1        100     paid       c1 new
//   W37   o2     c2        100     paid       c2 new
//   W38   o3     c3        120     paid       c3 new
//   W39   o4     c1         80     paid       c1 returning
//   W40   –                                                     a week without any event or order
//   W41   o5     c4        100     paid       c4 new
//   W42   o6     c2        100     paid       c2 returning
//   W43   o7     c5         90     paid       c5 new
//   W44   o8     c6        110     paid       c6 new
//   W45   o9     c7        100     paid       c7 new            visitor v1, so v1's person is c7
//         o10    c3         50     paid       c3 returning
//   W46   o11    c8        400     paid       c8 new            visitor v11, campaign google/cpc/brand-x
//         o12    c1        200     paid       c1 returning      visitor v12, campaign facebook/paid_social/promo-y
//         o13    c9        300     cancelled  (not valid)
//   W47   o15    c11        40     paid       Sunday 11-15 22:00 in New York, Monday 11-16 03:00 UTC
//         o14    c10        60     paid       Tuesday 11-17: the last data instant
const orders = `order_id,ts,customer_id,visitor_id,amount,status,utm_source,utm_medium,utm_campaign
o1,2026-09-02T10:00:00Z,c1,,100.00,paid,,,
o2,2026-09-09T10:00:00Z,c2,,100.00,paid,,,
o3,2026-09-16T10:00:00Z,c3,,120.00,paid,,,
o4,2026-09-23T10:00:00Z,c1,,80.00,paid,,,
o5,2026-10-07T10:00:00Z,c4,,100.00,paid,,,
o6,2026-10-14T10:00:00Z,c2,,100.00,paid,,,
o7,2026-10-21T10:00:00Z,c5,,90.00,paid,,,
o8,2026-10-28T10:00:00Z,c6,,110.00,paid,,,
o9,2026-11-04T10:00:00Z,c7,v1,100.00,paid,,,
o10,2026-11-04T10:00:00Z,c3,,50.00,paid,,,
o11,2026-11-11T10:00:00Z,c8,v11,400.00,paid,google,cpc,brand-x
o12,2026-11-11T10:00:00Z,c1,v12,200.00,paid,facebook,paid_social,promo-y
o13,2026-11-12T10:00:00Z,c9,,300.00,cancelled,,,
o15,2026-11-16T03:00:00Z,c11,,40.00,paid,,,
o14,2026-11-17T10:00:00Z,c10,,60.00,paid,,,
`;

// Web events only in W45 and W46 (the I-chain of every earlier week is empty):
//   W45: impressions v1..v8 (Mon 11-02), pageviews v1..v4 (Tue 11-03), product views v1, v2
//        → Q1 8, Q2 4, Q3 2, Q4 1 (v1 = c7 bought on 11-04; c3 bought too but never visited)
//   W46: impressions v11..v20 (Mon 11-09), pageviews v11..v16 (Tue 11-10), product views v11..v14
//        → Q1 10, Q2 6, Q3 4, Q4 2 (v11 = c8 and v12 = c1 bought on 11-11)
// A single pageview is one 0-second session, so only the product view makes v3, v4, v15, v16 not engaged.
function events(ts: string, event: string, visitors: number[], url = 'https://shop.example/'): string[] {
  const tags = event === 'impression' ? 'google,cpc,brand-x' : ',,';
  return visitors.map((v) => `${ts}-v${v}-${event},${ts},v${v},,${event},${event === 'impression' ? '' : url},Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,${tags}`);
}
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const web = [
  'event_id,ts,visitor_id,customer_id,event,url,user_agent,utm_source,utm_medium,utm_campaign',
  ...events('2026-11-02T09:00:00Z', 'impression', range(1, 8)),
  ...events('2026-11-03T09:10:00Z', 'pageview', range(1, 4)),
  ...events('2026-11-03T09:11:00Z', 'product_view', range(1, 2), 'https://shop.example/p/1'),
  ...events('2026-11-09T09:00:00Z', 'impression', range(11, 20)),
  ...events('2026-11-10T09:10:00Z', 'pageview', range(11, 16)),
  ...events('2026-11-10T09:11:00Z', 'product_view', range(11, 14), 'https://shop.example/p/1'),
].join('\n');

// Q0 (audience) per week = Σ over campaigns of their largest audience in the week: W45 1000, W46 2000
// (promo-y and display-z have none). Costs in W46: brand-x 60, promo-y 100, display-z 30.
const campaigns = `date,source,medium,campaign,audience,impressions,reach,clicks,cost
2026-11-04,google,cpc,brand-x,1000,100,80,10,50.00
2026-11-11,google,cpc,brand-x,2000,120,100,12,60.00
2026-11-11,facebook,paid_social,promo-y,,200,150,20,100.00
2026-11-12,google,display,display-z,,500,400,5,30.00
`;

const config = resolveConfig({});
const metric = (r: SnapshotResult, key: string): SnapshotMetric => r.metrics.find((m) => m.key === key)!;
const values = (r: SnapshotResult, key: string) => metric(r, key).series.map((p) => p.value);

describe('weekly snapshot on the hand-checked fixture', () => {
  let w: TempWarehouse;
  const ctx = () => ({ db: w.db, config });
  let w46: SnapshotResult;
  beforeAll(async () => {
    w = await tempWarehouse();
    for (const [name, text] of [['orders.csv', orders], ['web.csv', web], ['campaigns.csv', campaigns]] as const) await w.ingest(w.file(name, text));
    w46 = await snapshot.execute(ctx(), {});
  });
  afterAll(async () => w?.close());

  it('defaults to the last complete ISO week: W46, since the data ends on Tuesday of W47', () => {
    expect(w46.week).toBe('2026-W46');
    expect([w46.from, w46.to]).toEqual(['2026-11-09', '2026-11-16']);
    expect(w46.complete).toBe(true);
    expect(w46.notes).toContainEqual({ code: 'snapshot_default_week', params: { week: '2026-W46', timezone: 'UTC' } });
    expect(w46.data).toEqual({ first: '2026-09-02T10:00:00.000Z', last: '2026-11-17T10:00:00.000Z' });
  });

  it('compares this week with the previous week and the 4 weeks before (W42–W45)', () => {
    const row = (key: string) => {
      const m = metric(w46, key);
      return [m.value, m.previous, m.trailing4, m.change];
    };
    // visitors: W46 v11..v16 = 6, W45 v1..v4 = 4; W42–W44 had no web events: (0 + 0 + 0 + 4) / 4 = 1; 6/4 − 1 = 0.5
    expect(row('visitors')).toEqual([6, 4, 1, 0.5]);
    // active visitors (visit + engaged): 4 vs 2; (0 + 0 + 0 + 2) / 4 = 0.5; change 1
    expect(row('activeVisitors')).toEqual([4, 2, 0.5, 1]);
    // purchasers: W46 c8, c1 = 2 (c9's order is cancelled); W45 c7, c3 = 2; W42 c2, W43 c5, W44 c6 → (1+1+1+2)/4 = 1.25
    expect(row('purchasers')).toEqual([2, 2, 1.25, 0]);
    // orders: o11 o12 = 2; o9 o10 = 2; trailing (1+1+1+2)/4 = 1.25
    expect(row('orders')).toEqual([2, 2, 1.25, 0]);
    // revenue: 400 + 200 = 600; 100 + 50 = 150; (100 + 90 + 110 + 150) / 4 = 112.5; 600/150 − 1 = 3
    expect(row('revenue')).toEqual([600, 150, 112.5, 3]);
    // AOV: 600/2 = 300; 150/2 = 75; (100 + 90 + 110 + 75) / 4 = 93.75; 300/75 − 1 = 3
    expect(row('averageOrderValue')).toEqual([300, 75, 93.75, 3]);
    // new: c8 vs c7 = 1 vs 1; W42 0 (c2 returns), W43 c5, W44 c6, W45 c7 → 3/4 = 0.75
    expect(row('newCustomers')).toEqual([1, 1, 0.75, 0]);
    // returning: c1 vs c3; W42 c2, W43 0, W44 0, W45 c3 → 2/4 = 0.5
    expect(row('returningCustomers')).toEqual([1, 1, 0.5, 0]);
    // repurchase rate = returning / (new + returning): 1/2 vs 1/2; W42 1, W43 0, W44 0, W45 0.5 → 1.5/4 = 0.375
    expect(row('repurchaseRate')).toEqual([0.5, 0.5, 0.375, 0]);
    // at risk (days since the last order day > 2 × median gap; one-order customers: the median of the repeat
    // customers' medians). As of 11-09 (end of W45): c1 (09-02, 09-23: gap 21) is 47 days past 09-23 > 42 → 1.
    // As of 11-16: c1 bought on 11-11 → 0 (c2 gap 35, 33 days; c3 gap 49, 12 days; one-order threshold
    // 2 × median(35, 35, 49) = 70: c4 40 days, c5 26, c6 19, c7 12, c8 5). Before W45 nobody: 0, 0, 0, 1 → 0.25
    expect(row('atRisk')).toEqual([0, 1, 0.25, -1]);
    expect(metric(w46, 'atRisk').difference).toBe(-1);
  });

  it('reads I1–I5 from the I-chain of each week', () => {
    // I1 = Q1/Q0: 10/2000 = 0.005 vs 8/1000 = 0.008 → change −0.375; trailing: only W45 has one → 0.008
    const i1 = metric(w46, 'I1');
    expect([i1.value, i1.previous, i1.trailing4]).toEqual([0.005, 0.008, 0.008]);
    expect(i1.change).toBeCloseTo(-0.375, 12);
    // I2 = Q2/Q1: 6/10 vs 4/8; I3 = Q3/Q2: 4/6 vs 2/4; I4 = Q4/Q3: 2/4 vs 1/2
    expect(metric(w46, 'I2').value).toBeCloseTo(0.6, 12);
    expect(metric(w46, 'I2').previous).toBe(0.5);
    expect(metric(w46, 'I2').difference).toBeCloseTo(0.1, 12);
    expect(metric(w46, 'I3').value).toBeCloseTo(2 / 3, 12);
    expect(metric(w46, 'I4').value).toBe(0.5);
    expect(metric(w46, 'I4').change).toBe(0);
    // I5 = Q5/Q4: neither c8 nor c1 bought again → 0/2; previous 0/1; change null (previous is 0);
    // provisional because the 90-day repurchase window runs past the end of the data
    const i5 = metric(w46, 'I5');
    expect([i5.value, i5.previous, i5.change, i5.difference]).toEqual([0, 0, null, 0]);
    expect(i5.reason).toEqual({ code: 'snapshot_i5_provisional', params: { windowDays: 90 } });
    // weeks before W45 have no web events: Q2 = 0, so I3 is null there, not 0
    expect(values(w46, 'I3').slice(0, 10)).toEqual(Array(10).fill(null));
  });

  it('gives 12 weekly values ending with this week, null before the data starts', () => {
    expect(metric(w46, 'revenue').series.map((p) => p.week)).toEqual([
      '2026-W35', '2026-W36', '2026-W37', '2026-W38', '2026-W39', '2026-W40', '2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46',
    ]);
    // W35 is before the first order (09-02): null; W40 has no order: 0
    expect(values(w46, 'revenue')).toEqual([null, 100, 100, 120, 80, 0, 100, 100, 90, 110, 150, 600]);
    expect(values(w46, 'averageOrderValue')).toEqual([null, 100, 100, 120, 80, null, 100, 100, 90, 110, 75, 300]);
    expect(values(w46, 'newCustomers')).toEqual([null, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1]);
    expect(values(w46, 'visitors')).toEqual([null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 6]);
    // as derived above: only c1 as of the end of W45 (W38 has no repeat customer, so no population median)
    expect(values(w46, 'atRisk')).toEqual([null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('counts at-risk customers exactly as customers/at-risk does as of each week end', async () => {
    for (const p of metric(w46, 'atRisk').series.slice(1)) {
      const monday = new Date(Date.UTC(2026, 7, 24 + 7 * (Number(p.week.slice(6)) - 35) + 7)).toISOString().slice(0, 10);
      const r = await customersAtRisk.execute(ctx(), { as_of: monday });
      expect([p.week, p.value]).toEqual([p.week, r.summary.atRisk]);
    }
  });

  it('decomposes the change in purchases (Q4 1 → 2) into audience and I1–I4', () => {
    const d = w46.decomposition!;
    expect(d.previous).toEqual({ from: '2026-11-02', to: '2026-11-09' });
    expect(d.purchases).toEqual({ previous: 1, current: 2 });
    expect(d.logChange).toBeCloseTo(Math.log(2), 12);
    // ln 2 = ln(2000/1000) + ln(0.005/0.008) + ln(0.6/0.5) + ln((2/3)/(1/2)) + ln(0.5/0.5)
    //      = 0.6931 − 0.4700 + 0.1823 + 0.2877 + 0; shares = each / ln 2
    expect(d.factors.map((f) => f.key)).toEqual(['Q0', 'I1', 'I2', 'I3', 'I4']);
    const expected = [Math.log(2), Math.log(0.625), Math.log(1.2), Math.log(4 / 3), 0];
    d.factors.forEach((f, i) => {
      expect(f.logChange).toBeCloseTo(expected[i]!, 12);
      expect(f.share).toBeCloseTo(expected[i]! / Math.log(2), 12);
    });
    expect(d.factors.reduce((s, f) => s + f.logChange!, 0)).toBeCloseTo(d.logChange!, 12);
    // in purchases: the log mean L(2, 1) = (2 − 1) / ln 2 = 1.4427 times each log-change, so
    // Q0 +1.000, I1 −0.678, I2 +0.263, I3 +0.415, I4 0 — adding up to the one more purchaser; points = / 1
    const inPurchases = [1, Math.log(0.625) / Math.log(2), Math.log(1.2) / Math.log(2), Math.log(4 / 3) / Math.log(2), 0];
    d.factors.forEach((f, i) => {
      expect(f.purchases).toBeCloseTo(inPurchases[i]!, 12);
      expect(f.points).toBeCloseTo(inPurchases[i]! / 1, 12);
    });
    expect(d.factors.reduce((s, f) => s + f.purchases!, 0)).toBeCloseTo(2 - 1, 12);
    // Q0 is summed from the campaigns' audience column (an estimate), so Q0 and I1 = Q1/Q0 rest on it
    expect(d.factors.map((f) => f.estimate)).toEqual([true, true, false, false, false]);
  });

  it('lists the top campaigns by purchasers and by ROAS (campaigns without revenue left out of ROAS)', () => {
    // brand-x: c8's 400 for a cost of 60 → ROAS 6.67; promo-y: c1's 200 for 100 → 2; display-z: cost 30, nothing sold
    expect(w46.topCampaigns.byPurchasers.map((c) => [c.campaign, c.purchasers, c.revenue])).toEqual([['brand-x', 1, 400], ['promo-y', 1, 200]]);
    expect(w46.topCampaigns.byRoas.map((c) => c.campaign)).toEqual(['brand-x', 'promo-y']);
    expect(w46.topCampaigns.byRoas[0]!.roas).toBeCloseTo(400 / 60, 12);
    expect(w46.topCampaigns.byRoas[1]!.cost).toBe(100);
  });

  it('flags metrics more than 2 standard deviations from their 8-week mean, and not the others', () => {
    // History = W38..W45 (sample standard deviation, n − 1):
    //  revenue [120, 80, 0, 100, 100, 90, 110, 150]: mean 750/8 = 93.75; Σ(x − mean)² = 689.0625 + 189.0625
    //    + 8789.0625 + 39.0625 + 39.0625 + 14.0625 + 264.0625 + 3164.0625 = 13187.5; sd = √(13187.5/7) = 43.404;
    //    z = (600 − 93.75) / 43.404 = 11.66 → notable
    //  AOV [120, 80, –, 100, 100, 90, 110, 75] (W40 had no order): 7 weeks, mean 675/7 = 96.43; sd = √(1535.71/6)
    //    = 16.00; z = (300 − 96.43) / 16.00 = 12.7 → notable
    //  visitors [0 ×7, 4]: mean 0.5, sd √(14/7) = 1.414, z = 5.5/1.414 = 3.89 → notable
    //  active visitors [0 ×7, 2]: mean 0.25, sd √(3.5/7) = 0.707, z = 3.75/0.707 = 5.30 → notable
    //  orders [1, 1, 0, 1, 1, 1, 1, 2]: mean 1, sd √(2/7) = 0.5345, z = (2 − 1)/0.5345 = 1.87 → not notable
    //  (purchasers: the same numbers; new, returning, repurchase rate, at risk: |z| 0.72, 1.21, 0.30, 0.35;
    //   I1–I5 have fewer than 4 weeks of history)
    expect(w46.notable.map((n) => n.key)).toEqual(['visitors', 'activeVisitors', 'revenue', 'averageOrderValue']);
    const revenue = w46.notable.find((n) => n.key === 'revenue')!;
    expect(revenue.mean).toBe(93.75);
    expect(revenue.sd).toBeCloseTo(Math.sqrt(13187.5 / 7), 12);
    expect(revenue.z).toBeCloseTo((600 - 93.75) / Math.sqrt(13187.5 / 7), 12);
    expect(revenue.weeks).toBe(8);
    expect(revenue.direction).toBe('above');
    expect(sentence(revenue)).toBe('Revenue £600 is 11.7 standard deviations above its 8-week average of £93.75.');
    const aov = w46.notable.find((n) => n.key === 'averageOrderValue')!;
    expect(aov.weeks).toBe(7);
    expect(sentence(aov)).toBe('Average order value £300 is 12.7 standard deviations above its 7-week average of £96.43.');
    expect(sentence(w46.notable.find((n) => n.key === 'visitors')!)).toBe('Visitors 6 is 3.9 standard deviations above its 8-week average of 0.5.');
    expect(w46.notable.some((n) => n.key === 'orders')).toBe(false);
  });

  it('shows a week without any data as zeros with a note (W40), not an error', async () => {
    const r = await snapshot.execute(ctx(), { week: '2026-W40' });
    expect([metric(r, 'orders').value, metric(r, 'revenue').value, metric(r, 'purchasers').value, metric(r, 'visitors').value]).toEqual([0, 0, 0, 0]);
    // AOV and the repurchase rate have no denominator: null with a reason, not 0
    expect(metric(r, 'averageOrderValue').value).toBeNull();
    expect(metric(r, 'averageOrderValue').reason).toEqual({ code: 'snapshot_no_valid_orders' });
    expect(metric(r, 'repurchaseRate').value).toBeNull();
    // previous = W39: o4 (c1, 80): change −100%
    expect(metric(r, 'revenue').previous).toBe(80);
    expect(metric(r, 'revenue').change).toBe(-1);
    expect(r.notes).toContainEqual({ code: 'snapshot_zero_week', params: { week: '2026-W40' } });
    expect(r.topCampaigns).toEqual({ byPurchasers: [], byRoas: [] });
  });

  it('shows a week outside the data as nulls with a note', async () => {
    const r = await snapshot.execute(ctx(), { week: '2027-W10' });
    expect(r.metrics.every((m) => m.value === null && m.previous === null && m.reason?.code === 'snapshot_no_data_in_week' && m.reason.params?.['week'] === '2027-W10')).toBe(true);
    expect(r.decomposition).toBeNull();
    expect(r.complete).toBe(false);
    expect(r.notes[0]).toEqual({ code: 'snapshot_week_outside_data', params: { week: '2027-W10', from: '2027-03-08', lastDay: '2027-03-14', dataFirst: '2026-09-02', dataLast: '2026-11-17' } });
  });

  it('has no previous week in the first week of the data (W36)', async () => {
    const r = await snapshot.execute(ctx(), { week: '2026-W36' });
    const revenue = metric(r, 'revenue');
    // o1 = 100; W35 and every week before it are outside the data
    expect([revenue.value, revenue.previous, revenue.trailing4, revenue.change]).toEqual([100, null, null, null]);
    expect(values(r, 'revenue')).toEqual([...Array(11).fill(null), 100]);
    expect(r.decomposition).toBeNull();
    expect(r.notable).toEqual([]);
    expect(r.notes).toContainEqual({ code: 'snapshot_first_week', params: { week: '2026-W36' } });
  });

  it('marks the week the data ends in as incomplete (W47)', async () => {
    const r = await snapshot.execute(ctx(), { week: '2026-W47' });
    expect(r.complete).toBe(false);
    // o15 (Monday 03:00 UTC) and o14 (Tuesday): 40 + 60
    expect(metric(r, 'revenue').value).toBe(100);
    expect(r.notes).toContainEqual({ code: 'snapshot_week_incomplete', params: { week: '2026-W47', dataLast: '2026-11-17' } });
  });

  it('cuts weeks at local midnight in a non-UTC reporting time zone', async () => {
    // In New York, o15 (2026-11-16 03:00 UTC) is Sunday 22:00 of W46: revenue 600 + 40, c11 is a new customer
    const ny = await snapshot.execute({ db: w.db, config: resolveConfig({ timezone: 'America/New_York' }) }, { week: '2026-W46' });
    expect([ny.from, ny.to, ny.timezone]).toEqual(['2026-11-09', '2026-11-16', 'America/New_York']);
    expect(metric(ny, 'revenue').value).toBe(640);
    expect(metric(ny, 'orders').value).toBe(3);
    expect(metric(ny, 'newCustomers').value).toBe(2);
  });

  it('refuses a malformed or nonexistent week with a message naming the format (the API\'s 400)', async () => {
    const issues = (week: string) => snapshot.params.safeParse({ week }).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues('2026-47')).toEqual([['week', 'expected an ISO week as YYYY-Www, e.g. 2026-W47']]);
    // 2027 starts on a Friday: it has 52 ISO weeks (2026, starting on a Thursday, has 53)
    expect(issues('2027-W53')).toEqual([['week', 'expected a week that exists in that year (W01 to W52, or W53 in long years)']]);
    expect(issues('2026-W53')).toBeUndefined();
    expect(() => snapshot.execute(ctx(), { week: '2026-W00' })).toThrow(/expected a week that exists/);
    expect((await snapshot.execute(ctx(), { week: '2026-W53' })).from).toBe('2026-12-28');
  });

  it('renders the figures into the HTML file, names from the data escaped', () => {
    const evil = '<img src=x onerror="alert(1)">';
    const r: SnapshotResult = { ...w46, topCampaigns: { ...w46.topCampaigns, byPurchasers: [{ ...w46.topCampaigns.byPurchasers[0]!, campaign: evil, source: 'a&b' }] } };
    const html = renderSnapshot(r, { document: new JSDOM('').window.document });
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <span class="key"');
    expect(html).toContain('>a&amp;b / cpc</span>');
    const doc = new JSDOM(html).window.document;
    // each figure row: name, this week, previous, 4-week average, change (text and tone class)
    const row = (name: string) => {
      const tr = [...doc.querySelectorAll('table.figures tbody tr')].find((x) => x.querySelector('td')!.textContent!.replace('*', '').trim() === name)!;
      const tds = [...tr.querySelectorAll('td')];
      return [...tds.slice(0, 5).map((td) => td.textContent!.replace('*', '').trim()), tds[4]!.className];
    };
    // revenue row: £600 this week, £150 the week before, £112.50 on average, ▲ +300.0%
    expect(row('Revenue')).toEqual(['Revenue', '£600.00', '£150.00', '£112.50', '▲\u00a0+300.0%', 'good']);
    // at risk fell from 1 to 0: good news, so the change is "good" (green) though the arrow points down
    expect(row('At-risk customers').slice(4)).toEqual(['▼\u00a0-100.0%', 'good']);
    // I2 rose from 50% to 60%: +10 points; I1 (under 1%) changes relatively: 0.5% / 0.8% − 1 = −37.5%
    expect(row('I2 attractability').slice(4)).toEqual(['▲\u00a0+10.0 pt', 'good']);
    expect(row('I1 awareness')).toEqual(['I1 awareness', '0.5%', '0.8%', expect.any(String), '▼\u00a0-37.5%', 'bad']);
    expect([...doc.querySelectorAll('ul.notable li')].map((li) => li.textContent)).toContain('Revenue £600 is 11.7 standard deviations above its 8-week average of £93.75.');
    // every element that shapes the page carries its style inline (mail clients drop <style>): the cells too
    expect(doc.querySelector('table.figures td.now')!.getAttribute('style')).toMatch(/font-weight:700/);
    expect(doc.body.getAttribute('style')).toMatch(/font-family:system-ui/);
  });

  it('renders a mail body without SVG (webmail strips it) and with the same figures', () => {
    const doc = new JSDOM(renderSnapshot(w46, { document: new JSDOM('').window.document, charts: false })).window.document;
    expect(doc.querySelectorAll('svg')).toHaveLength(0);
    expect(doc.querySelectorAll('table.figures thead th')).toHaveLength(5); // no 12-week column
    expect(doc.querySelector('table.figures tbody tr td.now')!.textContent).toBe('6'); // visitors: W46 v11..v16
  });

  it('exports one tidy CSV row per metric', () => {
    const rows = snapshot.csv(w46);
    expect(rows).toHaveLength(15);
    expect(rows.find((r) => r.metric === 'revenue')).toEqual({ metric: 'revenue', label: 'Revenue', week: '2026-W46', value: 600, previous: 150, trailing4: 112.5, change: 3 });
  });
});
