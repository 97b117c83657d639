// Campaign economics (SPEC §5.6) on a hand-checked fixture: the log joined to visits and valid orders by
// utm tags (case-insensitive campaign, source/medium where the log has them), ratios null with a reason
// when an input is missing, brand vs direct-response subtotals and the totals row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns } from '../../queries/campaigns.ts';
import { resolveConfig } from '../../bin/config.ts';
import type { QueryContext } from '../../queries/define.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

let w: TempWarehouse;
let ctx: QueryContext;
const october = { from: '2026-10-01', to: '2026-10-08' };

beforeAll(async () => {
  w = await tempWarehouse();
  ctx = { db: w.db, config: resolveConfig({}) };
  const browser = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0';
  const files = {
    'campaigns.csv': [
      'date,source,medium,campaign,impressions,reach,clicks,cost',
      '2026-10-01,google,cpc,Spring-Sale,1000,800,50,100',
      '2026-10-02,google,cpc,Spring-Sale,1000,700,50,100', //   Σ 2000 impressions, 1500 reach, 100 clicks, 200 cost
      '2026-10-01,youtube,video,brand-video,5000,4000,20,300', // brand: the name contains "brand"
      '2026-10-01,news,pr,pr-launch,,,30,', //                   no cost, no impressions
      '2026-10-01,,,newsletter,0,0,10,5', //                     no source/medium: matches any; 0 impressions
      '2026-09-01,google,cpc,old-campaign,100,100,10,10', //     before the period
    ].join('\n') + '\n',
    'web.csv': [
      'event_id,ts,visitor_id,event,url,utm_source,utm_medium,utm_campaign,user_agent',
      `w1,2026-10-01T10:00:00Z,v1,pageview,/,google,cpc,spring-sale,${browser}`, //   Spring-Sale (case-insensitive)
      `w2,2026-10-01T11:00:00Z,v2,pageview,/,google,cpc,Spring-Sale,${browser}`, //   Spring-Sale
      `w3,2026-10-03T11:00:00Z,v2,pageview,/,google,cpc,Spring-Sale,${browser}`, //   Spring-Sale, v2's second session
      `w4,2026-10-02T11:00:00Z,v3,pageview,/,bing,cpc,Spring-Sale,${browser}`, //     bing is not in the log: own row
      `w5,2026-10-01T12:00:00Z,v4,pageview,/,youtube,video,brand-video,${browser}`,
      `w6,2026-10-04T12:00:00Z,v5,pageview,/,newsletter,email,newsletter,${browser}`,
      'w7,2026-10-01T13:00:00Z,v7,pageview,/,google,cpc,Spring-Sale,Googlebot/2.1', // a bot: not a visit
      `w8,2026-10-09T10:00:00Z,v8,pageview,/,google,cpc,Spring-Sale,${browser}`, //   after the period
    ].join('\n') + '\n',
    'sales.csv': [
      'order_id,ts,customer_id,visitor_id,amount,status,utm_source,utm_medium,utm_campaign',
      'O1,2026-10-01T12:00:00Z,c1,v1,150,paid,google,cpc,spring-sale',
      'O2,2026-10-03T12:00:00Z,c2,v2,50,paid,google,cpc,SPRING-SALE',
      'O3,2026-10-04T12:00:00Z,c1,v1,100,paid,google,cpc,Spring-Sale', // Spring-Sale: 3 orders, c1 and c2, 300
      'O4,2026-10-05T12:00:00Z,c4,v4,600,paid,youtube,video,brand-video',
      'O5,2026-10-05T13:00:00Z,c5,v5,40,paid,newsletter,email,newsletter',
      'O6,2026-10-06T12:00:00Z,c6,,80,refunded,google,cpc,spring-sale', // not valid
      'O7,2026-10-06T13:00:00Z,c7,,70,paid,google,cpc,old-campaign', //    logged, but not in this period
      'O8,2026-10-06T14:00:00Z,c8,,30,paid,,,', //                         no campaign
    ].join('\n') + '\n',
  };
  for (const [name, content] of Object.entries(files)) expect((await w.ingest(w.file(name, content))).rowsRejected).toBe(0);
});
afterAll(async () => w.close());

describe('campaign economics', () => {
  it('joins the log to visits and orders per (source, medium, campaign)', async () => {
    const r = await campaigns.execute(ctx, october);
    // order: in the log first, by cost (none last), then revenue
    expect(r.campaigns.map((c) => [c.source, c.medium, c.campaign, c.inLog, c.brand, c.cost, c.visits, c.visitors, c.orders, c.purchasers, c.revenue])).toEqual([
      ['youtube', 'video', 'brand-video', true, true, 300, 1, 1, 1, 1, 600],
      ['google', 'cpc', 'Spring-Sale', true, false, 200, 3, 2, 3, 2, 300], // visits w1 w2 w3; orders O1 O2 O3 (c1, c2)
      ['', '', 'newsletter', true, false, 5, 1, 1, 1, 1, 40],
      ['google', 'cpc', 'old-campaign', true, false, null, 0, 0, 1, 1, 70],
      ['news', 'pr', 'pr-launch', true, false, null, 0, 0, 0, 0, 0],
      ['bing', 'cpc', 'Spring-Sale', false, false, null, 1, 1, 0, 0, 0],
    ]);
  });

  it('computes CTR, CPC, CPA and ROAS, and null with a reason where an input is missing', async () => {
    const r = await campaigns.execute(ctx, october);
    const spring = r.campaigns[1]!;
    // 100 clicks / 2000 impressions; 200 / 100 clicks; 200 / 2 purchasers; 300 revenue / 200
    expect(spring).toMatchObject({ impressions: 2000, reach: 1500, clicks: 100, cpc: 2, cpa: 100, roas: 1.5, reasons: {} });
    expect(spring.ctr).toMatchObject({ value: 0.05, numerator: 100, denominator: 2000, small: false });
    const brand = r.campaigns[0]!;
    expect(brand).toMatchObject({ cpc: 15, cpa: 300, roas: 2 }); // 300/20, 300/1, 600/300
    const newsletter = r.campaigns[2]!;
    expect(newsletter).toMatchObject({ ctr: null, cpc: 0.5, cpa: 5, roas: 8 }); // 0 impressions; 5/10, 5/1, 40/5
    expect(newsletter.reasons).toEqual({ ctr: { code: 'no_impressions' } });
    const old = r.campaigns[3]!;
    expect(old).toMatchObject({ logDays: 0, cost: null, cpa: null, roas: null });
    expect(old.reasons.cost).toEqual({ code: 'no_log_rows_in_period' });
    const pr = r.campaigns[4]!;
    expect(pr).toMatchObject({ clicks: 30, impressions: null, ctr: null, cpc: null, cpa: null, roas: null });
    expect(pr.reasons).toMatchObject({ cost: { code: 'no_cost_in_log' }, ctr: { code: 'no_clicks_or_impressions' }, cpc: { code: 'no_cost' } });
    expect(r.campaigns[5]!.reasons.cost).toEqual({ code: 'not_in_campaigns_log' });
  });

  it('adds brand and direct-response subtotals and a totals row over distinct people', async () => {
    const r = await campaigns.execute(ctx, october);
    // cost 300 + 200 + 5; impressions 5000 + 2000 + 0 (pr has none); clicks 20 + 100 + 10 + 30
    // visitors: v1 (= c1), v2 (= c2), v3, v4 (= c4), v5 (= c5) → 5; purchasers c1 c2 c4 c5 c7 → 5, revenue 1010
    // CTR over rows with both: 130 / 7000; CPC over rows with both: 505 / 130
    // CPA and ROAS over campaigns with a cost: purchasers c1 c2 c4 c5 = 4, revenue 940 → 505 / 4, 940 / 505
    expect(r.totals).toMatchObject({ group: 'all', campaigns: 6, cost: 505, impressions: 7000, reach: 5500, clicks: 160, visits: 6, visitors: 5, orders: 6, purchasers: 5, revenue: 1010, cpa: 126.25 });
    expect(r.totals.ctr!.value).toBeCloseTo(130 / 7000, 12);
    expect(r.totals.cpc).toBeCloseTo(505 / 130, 12);
    expect(r.totals.roas).toBeCloseTo(940 / 505, 12);
    const [brand, direct] = r.subtotals;
    expect(brand).toMatchObject({ group: 'brand', campaigns: 1, cost: 300, visitors: 1, purchasers: 1, revenue: 600, cpa: 300, roas: 2 });
    // direct: cost 205; visitors c1 c2 v3 c5 = 4; purchasers c1 c2 c5 c7 = 4, revenue 410; with a cost: c1 c2 c5, 340
    expect(direct).toMatchObject({ group: 'direct-response', campaigns: 5, cost: 205, visits: 5, visitors: 4, purchasers: 4, revenue: 410 });
    expect(direct!.cpa).toBeCloseTo(205 / 3, 12);
    expect(direct!.roas).toBeCloseTo(340 / 205, 12);
  });

  it('carries the I-chain of the persons attributed (first touch) to each campaign name', async () => {
    const r = await campaigns.execute(ctx, october);
    // brand-video: v4 (c4) first touched by brand-video → Q2 = 1 visitor
    expect(r.campaigns[0]!.iChain!.levels.find((l) => l.key === 'Q2')!.value).toBe(1);
    expect(r.campaigns[0]!.iChain!.ratios.map((x) => x.key)).toEqual(['I1', 'I2', 'I3', 'I4', 'I5']);
    // pr-launch is in the log but brought nobody: its chain has Q2 = 0 (and no Q1: no reach in its log row)
    const pr = r.campaigns[4]!.iChain!;
    expect(pr.levels.map((l) => [l.key, l.value])).toEqual([['Q0', null], ['Q1', null], ['Q2', 0], ['Q3', 0], ['Q4', 0], ['Q5', 0]]);
  });

  it('csv: one row per campaign, then the subtotals and the total', async () => {
    const r = await campaigns.execute(ctx, october);
    const rows = campaigns.csv(r);
    expect(rows.map((x) => x.row)).toEqual(['campaign', 'campaign', 'campaign', 'campaign', 'campaign', 'campaign', 'subtotal', 'subtotal', 'total']);
    expect(rows[1]).toMatchObject({ source: 'google', medium: 'cpc', campaign: 'Spring-Sale', brand: false, cost: 200, ctr: 0.05, cpc: 2, cpa: 100, roas: 1.5 });
  });

  it('an empty period has no campaigns and totals without cost', async () => {
    const r = await campaigns.execute(ctx, { from: '2026-12-01', to: '2026-12-08' });
    expect(r.campaigns).toEqual([]);
    expect(r.totals).toMatchObject({ campaigns: 0, cost: null, visits: 0, purchasers: 0, revenue: 0, cpa: null, roas: null });
    expect(r.totals.reasons.cost).toEqual({ code: 'no_cost_in_log' });
    expect(r.notes).toContainEqual({ code: 'no_campaigns' });
  });
});
