// The AIDA funnel and the I1–I5 chain on a fixture small enough to check by hand (SPEC §5.1, §5.2).
// Every expected number is derived in the comments next to the rows and the assertions.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAnalystViews } from '../../queries/analyst-views.ts';
import { resolveConfig, type ConfigInput } from '../../bin/config.ts';
import { efficiency } from '../../queries/efficiency.ts';
import { funnelSql } from '../../queries/funnel/chain-sql.ts';
import { resolveFunnel } from '../../queries/funnel/definition.ts';
import { funnel } from '../../queries/funnel/funnel.ts';
import { funnelTrends } from '../../queries/funnel/trends.ts';
import { metricKinds, resolvePeriod } from '../../queries/shared/data-range.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

// Period under test: [2026-10-01, 2026-10-08) UTC, conversion window 30 days.
//  v1 → c1: exposed 10-01 09:00, pageview 10:00, product_view 10:01, add_to_cart 10:02, order o1 10:05, order o2 10-20
//  v2 → c2: exposed 10-02 12:00, pageview 10-03 12:00, product_view 12:01; its order is cancelled (not valid)
//  v3:      exposed 10-03 08:00 and nothing else
//  v4:      exposed 09-25 (before the period), pageview + product_view 10-02
//  v5:      exposed 10-05 10:00, pageview 10:04, product_view 10:05, add_to_cart 11-10 (36 days later: outside the window)
//  v6:      exposed 10-06 10:00, add_to_cart 10:10 BEFORE product_view 10:20 (no pageview at all)
//  v7:      a crawler: everything it does is left out
//  v8:      exposed 10-02 09:00 and again 10-07 09:00, product_view 11-05 09:30 (34 days after the first, 29 after the second)
//  v9:      exposed 10-04 10:00, pageviews 10:05 and 10:07 (engaged by the 2nd pageview at 10:07)
//  c9:      an order on 10-04 without any web visit
const web = `event_id,ts,visitor_id,customer_id,event,url,user_agent,utm_source,utm_medium,utm_campaign
e1,2026-10-01T09:00:00Z,v1,,impression,,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,google,cpc,brand-x
e2,2026-10-01T10:00:00Z,v1,,pageview,https://shop.example/,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e3,2026-10-01T10:01:00Z,v1,,product_view,https://shop.example/p/1,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e4,2026-10-01T10:02:00Z,v1,c1,add_to_cart,https://shop.example/cart,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e5,2026-10-02T12:00:00Z,v2,,impression,,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,facebook,paid_social,promo-y
e6,2026-10-03T12:00:00Z,v2,,pageview,https://shop.example/,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e7,2026-10-03T12:01:00Z,v2,,product_view,https://shop.example/p/2,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e8,2026-10-03T08:00:00Z,v3,,impression,,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,google,cpc,brand-x
e9,2026-09-25T10:00:00Z,v4,,impression,,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,google,cpc,brand-x
e10,2026-10-02T10:00:00Z,v4,,pageview,https://shop.example/,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e11,2026-10-02T10:01:00Z,v4,,product_view,https://shop.example/p/3,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e12,2026-10-05T10:00:00Z,v5,,impression,,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,google,cpc,brand-x
e13,2026-10-05T10:04:00Z,v5,,pageview,https://shop.example/,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e14,2026-10-05T10:05:00Z,v5,,product_view,https://shop.example/p/4,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e15,2026-11-10T09:00:00Z,v5,,add_to_cart,https://shop.example/cart,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e16,2026-10-06T10:00:00Z,v6,,impression,,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,facebook,paid_social,promo-y
e17,2026-10-06T10:10:00Z,v6,,add_to_cart,https://shop.example/cart,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e18,2026-10-06T10:20:00Z,v6,,product_view,https://shop.example/p/5,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e19,2026-10-02T10:00:00Z,v7,,impression,,Googlebot/2.1,google,cpc,brand-x
e20,2026-10-02T10:01:00Z,v7,,product_view,https://shop.example/p/6,Googlebot/2.1,,,
e21,2026-10-02T09:00:00Z,v8,,impression,,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,google,cpc,brand-x
e22,2026-10-07T09:00:00Z,v8,,impression,,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,google,cpc,brand-x
e23,2026-11-05T09:30:00Z,v8,,product_view,https://shop.example/p/7,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e24,2026-10-04T10:00:00Z,v9,,impression,,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,google,cpc,brand-x
e25,2026-10-04T10:05:00Z,v9,,pageview,https://shop.example/,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
e26,2026-10-04T10:07:00Z,v9,,pageview,https://shop.example/about,Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0,,,
`;
const orders = `order_id,ts,customer_id,visitor_id,amount,status
o1,2026-10-01T10:05:00Z,c1,v1,50.00,paid
o2,2026-10-20T15:00:00Z,c1,,30.00,paid
o3,2026-10-04T11:00:00Z,c9,,20.00,paid
o4,2026-10-03T12:05:00Z,c2,v2,40.00,cancelled
`;
// Q0 for the period = largest audience of each campaign on its days in the period, summed:
// brand-x max(1000, 1200) + promo-y 500 = 1700. The 09-30 row (9999) is outside the period.
const campaigns = `date,source,medium,campaign,audience,impressions,reach,clicks,cost
2026-09-30,google,cpc,brand-x,9999,100,80,5,10.00
2026-10-01,google,cpc,brand-x,1000,100,50,5,10.00
2026-10-02,google,cpc,brand-x,1200,100,40,4,10.00
2026-10-03,facebook,paid_social,promo-y,500,60,30,3,6.00
`;

const period = { from: '2026-10-01', to: '2026-10-08' };

async function load(config: ConfigInput = {}, order: 'forward' | 'reverse' = 'forward', twice = false): Promise<TempWarehouse> {
  const w = await tempWarehouse(config);
  const files = [w.file('web.csv', web), w.file('orders.csv', orders), w.file('campaigns.csv', campaigns)];
  if (order === 'reverse') files.reverse();
  for (const f of files) await w.ingest(f);
  if (twice) for (const f of files) await w.ingest(f);
  return w;
}

describe('AIDA funnel and I-chain on the hand-checked fixture', () => {
  let w: TempWarehouse;
  const config = resolveConfig({});
  const ctx = () => ({ db: w.db, config });
  beforeAll(async () => {
    w = await load();
  });
  afterAll(async () => w?.close());

  it('counts persons per AIDA step, ordered, within 30 days of step 1', async () => {
    const r = await funnel.execute(ctx(), period);
    // attention: exposed in the period = v1 v2 v3 v5 v6 v8 v9 (v4's exposure is before it, v7 is a crawler) = 7
    // interest: all but v3 = 6 (v8 only from its second exposure: 10-07 + 29.02 days)
    // desire: v1 only (v5's cart is 36 days after exposure; v6's cart came before its product view) = 1
    // action: v1's order o1 at 10:05 after its cart at 10:02 = 1
    expect(r.steps.map((s) => [s.key, s.count])).toEqual([['attention', 7], ['interest', 6], ['desire', 1], ['action', 1]]);
    expect(r.steps[1]!.rateFromPrevious).toBeCloseTo(6 / 7, 12);
    expect(r.steps[1]!.dropOff).toBe(1);
    expect(r.steps[2]!.rateFromFirst).toBeCloseTo(1 / 7, 12);
    expect(r.steps[3]!.small).toBe(true);
    // seconds exposed → interest: v5 300, v9 420, v6 1200, v1 3660, v2 86460, v8 29 d 30 min = 2507400 → median (1200 + 3660) / 2
    expect(r.steps.map((s) => s.medianSecondsFromPrevious)).toEqual([null, 2430, 60, 180]);
    // Wilson 95% interval of 6/7, computed by hand: centre (p + z²/2n)/(1 + z²/n), half-width z/(1+z²/n)·√(p(1−p)/n + z²/4n²)
    const z = 1.959963984540054, n = 7, p = 6 / 7;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    expect(r.steps[1]!.ci![0]).toBeCloseTo(centre - half, 12);
    expect(r.steps[1]!.ci![1]).toBeCloseTo(centre + half, 12);
  });

  it('any-order mode counts steps done in any order after the first step of any kind', async () => {
    const r = await funnel.execute(ctx(), { ...period, mode: 'any-order' });
    // entry = first step hit in the period; v6 has exposed, cart (10:10) and product view (10:20) → 3 steps;
    // v8 enters at 10-02 and its product view is 34 days later → 1; v4 enters on its product view without exposure → not counted
    expect(r.steps.map((s) => s.count)).toEqual([7, 5, 2, 1]);
  });

  it('falls back to visits for Attention when the period has no impressions, and says so', async () => {
    // [10-08, 10-21): no impression; visits: none either except... v1's o2 is an order, v8's product view is not a pageview → 0 people
    const empty = await funnel.execute(ctx(), { from: '2026-10-08', to: '2026-10-21' });
    expect(empty.steps.map((s) => s.count)).toEqual([0, 0, 0, 0]);
    expect(empty.steps[0]!.label).toBe('Attention (visits)');
    expect(empty.notes).toContainEqual({ code: 'funnel_attention_visits' });
    expect(empty.steps[1]!.rateFromPrevious).toBeNull(); // 0/0 is not a rate
  });

  it('breaks down by first-touch channel and filters by it', async () => {
    const r = await funnel.execute(ctx(), { ...period, breakdown: 'campaign' });
    // first touches are the impressions: brand-x = v1 v3 v5 v8 v9 (5), promo-y = v2 v6 (2)
    const by = Object.fromEntries(r.breakdown!.values.map((v) => [v.value, v.steps.map((s) => s.count)]));
    expect(by).toEqual({ 'brand-x': [5, 4, 1, 1], 'promo-y': [2, 2, 0, 0] });
    const only = await funnel.execute(ctx(), { ...period, campaign: 'promo-y' });
    expect(only.steps.map((s) => s.count)).toEqual([2, 2, 0, 0]);
  });

  it('ad-hoc steps, with repurchase as a further order after the purchase', async () => {
    const r = await funnel.execute(ctx(), { ...period, steps: 'visit,purchase,repurchase', window_days: '60' });
    // visit in the period: v1 v2 v4 v5 v9 = 5; purchase after the visit: v1 (o1) = 1; a further order: o2 on 10-20 = 1
    expect(r.steps.map((s) => s.count)).toEqual([5, 1, 1]);
    // o1 10:05 − pageview 10:00 = 300 s; o2 10-20 15:00 − o1 10-01 10:05 = 19 d 4 h 55 min = 1659300 s
    expect(r.steps.map((s) => s.medianSecondsFromPrevious)).toEqual([null, 300, 1659300]);
    await expect(funnel.execute(ctx(), { ...period, steps: 'visit,nonsense' })).rejects.toThrow(/unknown stage "nonsense"/);
  });

  it('kept funnel days give the same answer as walking the stage hits', async () => {
    const p = await resolvePeriod(ctx(), period, metricKinds.funnel);
    const def = resolveFunnel(config, {});
    const [walked] = (await funnelSql({ steps: def.steps, mode: 'ordered', windowDays: 30, exclusions: [], start: sql`${p.start}`, end: sql`${p.end}`, filters: {}, attribution: 'first', config, group: { kind: 'all' } }).execute(w.db.kysely)).rows;
    const kept = await funnel.execute(ctx(), period);
    expect(kept.steps.map((s) => s.count)).toEqual([walked!.c1, walked!.c2, walked!.c3, walked!.c4]);
    expect(kept.steps.slice(1).map((s) => s.medianSecondsFromPrevious)).toEqual([walked!.m2, walked!.m3, walked!.m4]);
  });

  it('the funnel() table macro returns the same numbers as the endpoint', async () => {
    await installAnalystViews(w.db, config);
    const api = await funnel.execute(ctx(), period);
    const macro = await w.rows<{ step: string; count: number; rate_from_previous: number | null; median_seconds_from_previous: number | null }>(`from funnel('2026-10-01', '2026-10-08')`);
    expect(macro.map((m) => [m.step, m.count, m.rate_from_previous, m.median_seconds_from_previous])).toEqual(
      api.steps.map((s) => [s.key, s.count, s.rateFromPrevious, s.medianSecondsFromPrevious]),
    );
  });

  it('Q0–Q5, I1–I5, overall index and chain product', async () => {
    const r = await efficiency.execute(ctx(), period);
    const level = Object.fromEntries(r.levels.map((l) => [l.key, l]));
    expect(level.Q0).toMatchObject({ value: 1700, source: 'campaigns.audience', estimate: true }); // 1200 + 500
    expect(level.Q1).toMatchObject({ value: 7, source: 'impressions', estimate: false }); // the 7 exposed people
    expect(level.Q2!.value).toBe(5); // pageviews in the period: v1 v2 v4 v5 v9 (v6 and v8 never viewed a page)
    expect(level.Q3!.value).toBe(5); // all five also engaged in the period
    expect(level.Q4!.value).toBe(1); // of those, only v1/c1 bought (c9 bought without visiting; c2's order was cancelled)
    expect(level.Q5).toMatchObject({ value: 1, complete: false }); // o2 is 19 days after o1; 90 days after o1 runs past the data
    const ratio = Object.fromEntries(r.ratios.map((x) => [x.key, x]));
    expect([ratio.I1!.value, ratio.I2!.value, ratio.I3!.value, ratio.I4!.value, ratio.I5!.value]).toEqual([7 / 1700, 5 / 7, 1, 1 / 5, 1]);
    expect(ratio.I4).toMatchObject({ numerator: 1, denominator: 5, small: true });
    expect(r.overallIndex).toBeCloseTo((7 / 1700 + 5 / 7 + 1 + 1 / 5 + 1) / 5, 12);
    expect(r.chainProduct).toBeCloseTo(1 / 1700, 12);
    // previous 7 days [09-24, 10-01): one exposure (v4), no visit, no purchase → purchases 0 → no log-change
    expect(r.decomposition).toMatchObject({ previous: { from: '2026-09-24', to: '2026-10-01' }, purchases: { previous: 0, current: 1 }, logChange: null });
    expect(r.decomposition!.reason).toEqual({ code: 'decomposition_purchases_zero' });
  });

  it('independent Q4 counts every purchaser; missing audience is null with a reason, never 0', async () => {
    const w2 = await tempWarehouse({ q4_mode: 'independent' });
    try {
      await w2.ingest(w2.file('web.csv', web));
      await w2.ingest(w2.file('orders.csv', orders));
      const r = await efficiency.execute({ db: w2.db, config: resolveConfig({ q4_mode: 'independent' }) }, period);
      expect(r.levels[4]!.value).toBe(2); // c1 and c9 (who bought without visiting)
      expect(r.levels[0]).toMatchObject({ value: null, source: null });
      expect(r.levels[0]!.reason).toEqual({ code: 'efficiency_no_audience', params: { level: 'Q0' } });
      expect(r.ratios[0]).toMatchObject({ value: null, numerator: 7, denominator: null });
      expect(r.chainProduct).toBeNull();
    } finally {
      await w2.close();
    }
  });

  it('funnel counts never increase along the steps, in every mode and breakdown', async () => {
    for (const input of [period, { ...period, mode: 'any-order' }, { ...period, breakdown: 'channel' }, { from: '2026-09-20', to: '2026-11-20' }]) {
      const r = await funnel.execute(ctx(), input);
      for (const steps of [r.steps, ...(r.breakdown?.values.map((v) => v.steps) ?? [])]) {
        for (let i = 1; i < steps.length; i++) expect(steps[i]!.count).toBeLessThanOrEqual(steps[i - 1]!.count);
      }
    }
  });
});

describe('metrics do not depend on how the files were loaded', () => {
  it('reverse order and loading everything twice give identical funnel, trends and I-chain', async () => {
    const a = await load();
    const b = await load({}, 'reverse', true);
    try {
      const config = resolveConfig({});
      for (const input of [period, { from: '2026-09-20', to: '2026-11-20' }]) {
        expect(await funnel.execute({ db: b.db, config }, input)).toEqual(await funnel.execute({ db: a.db, config }, input));
        expect(await efficiency.execute({ db: b.db, config }, input)).toEqual(await efficiency.execute({ db: a.db, config }, input));
        expect(await funnelTrends.execute({ db: b.db, config }, { ...input, grain: 'day' })).toEqual(await funnelTrends.execute({ db: a.db, config }, { ...input, grain: 'day' }));
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('reporting time zone', () => {
  it('buckets trends by local day in Europe/London across the end of summer time, each bucket = the funnel over that day', async () => {
    const config = { timezone: 'Europe/London' };
    // 2026-10-24T23:30Z is 00:30 BST on Sunday 10-25 in London (clocks go back at 01:00 UTC that day);
    // 2026-10-25T23:30Z is 23:30 GMT, still Sunday 10-25; 2026-10-26T00:30Z is Monday 00:30 GMT
    const w = await tempWarehouse(config);
    try {
      await w.ingest(w.file('dst.csv', `event_id,ts,visitor_id,event,url
d1,2026-10-24T23:30:00Z,a,impression,
d2,2026-10-24T23:31:00Z,a,product_view,https://s.example/p
d3,2026-10-25T23:30:00Z,b,impression,
d4,2026-10-26T00:30:00Z,c,impression,
`));
      const ctx = { db: w.db, config: resolveConfig(config) };
      const t = await funnelTrends.execute(ctx, { from: '2026-10-24', to: '2026-10-27', grain: 'day' });
      // London days: 10-24 nobody; 10-25 a (interest too) and b; 10-26 c
      expect(t.series.map((s) => [s.period, s.steps[0]!.count, s.steps[1]!.count])).toEqual([['2026-10-24', 0, 0], ['2026-10-25', 2, 1], ['2026-10-26', 1, 0]]);
      for (const s of t.series) {
        const day = await funnel.execute(ctx, { from: s.start, to: s.start === '2026-10-26' ? '2026-10-27' : s.start === '2026-10-25' ? '2026-10-26' : '2026-10-25' });
        expect(day.steps.map((x) => x.count)).toEqual(s.steps.map((x) => x.count));
      }
      // weeks start on Monday: 10-25 is the Sunday of ISO week 2026-W43, 10-26 opens 2026-W44
      const weeks = await funnelTrends.execute(ctx, { from: '2026-10-19', to: '2026-11-02', grain: 'week' });
      expect(weeks.series.map((s) => [s.period, s.steps[0]!.count])).toEqual([['2026-W43', 2], ['2026-W44', 1]]);
      const sunday = await funnelTrends.execute({ db: w.db, config: resolveConfig({ ...config, week_start: 'sunday' }) }, { from: '2026-10-18', to: '2026-11-01', grain: 'week' });
      // Sunday weeks: 10-18..10-24 (nobody), 10-25..10-31 (a, b, c); labelled by the ISO week of their Monday
      expect(sunday.series.map((s) => [s.start, s.period, s.steps[0]!.count])).toEqual([['2026-10-18', '2026-W43', 0], ['2026-10-25', '2026-W44', 3]]);
    } finally {
      await w.close();
    }
  });
});
