// Funnel step matching and modes on fixtures small enough to check by hand (issue 16 items 1, 2, 3, 9):
// one event fills at most one step, same-instant events in step order, ordered / strict / any-order /
// unordered, exclusion steps, window edges and units, steps as a list. Every count is derived in the
// comments; where PostHog has the same funnel, the comment says what PostHog counts and why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { funnelSql } from '../../queries/funnel/chain-sql.ts';
import { resolveFunnel } from '../../queries/funnel/definition.ts';
import { funnel } from '../../queries/funnel/funnel.ts';
import { funnelTimeToConvert } from '../../queries/funnel/time-to-convert.ts';
import { funnelTrends } from '../../queries/funnel/trends.ts';
import { comparisonPeriod } from '../../queries/shared/compare.ts';
import { metricKinds, resolvePeriod } from '../../queries/shared/data-range.ts';
import { sql } from 'kysely';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

// Period [2026-10-01, 2026-10-08) UTC for the event funnels. No impressions anywhere.
// signup → signup:  s1 one signup; s2 two signups 5 minutes apart; s3 two signups at the same instant
// pageview ×3:     q1 one pageview; q2 two; q3 three
// a → b → c (window 1h), x and refund are other events:
//  r1  a 10:00, b 10:10, c 10:20                      (in order)
//  r2  a 10:00, x 10:05, b 10:10, c 10:20             (another event between a and b)
//  r3  b 10:00, a 10:10, c 10:20                      (out of order)
//  r4  b 10:00                                        (only step 2)
//  r5  b 10:00, c 10:05                               (skips step 1)
//  r6  a and b at the same instant 10:00 (b's event id sorts first), c 10:30
//  r7  a 10:00, b 10:30, c 11:00:00                   (c exactly at the window's end: inside)
//  r8  a 10:00, b 10:30, c 11:00:01                   (c one second past the window)
//  r9  a 10:00, refund 10:05, b 10:10, c 10:20        (refund between steps 1 and 2)
//  r10 a 10:00, b 10:10, refund 10:15, c 10:20        (refund between steps 2 and 3)
//  r11 a 10:00, refund 10:30                          (refund, never step 2)
// n1: "step one, ten" 10-03 10:00 then finish 10:10 (an event name with a comma)
// p1: choose with plan=pro then checkout; p2: choose with plan=free then checkout
// AIDA persons on 2026-10-10 (their own period, no impressions: Attention = visits):
//  l1  pageview 10:00, lead 10:05                     (a lone lead)
//  l2  pageview 10:00, lead 10:05, lead 10:10         (two leads)
//  l3  pageview 10:00, product_view and add_to_cart at the same instant 10:05
//  l4  lead 10:05 and nothing else                    (no visit: never enters)
const rows: [string, string, string, string, string?][] = [
  ['s1-1', '2026-10-01T10:00:00Z', 's1', 'signup'],
  ['s2-1', '2026-10-01T10:00:00Z', 's2', 'signup'],
  ['s2-2', '2026-10-01T10:05:00Z', 's2', 'signup'],
  ['s3-1', '2026-10-02T10:00:00Z', 's3', 'signup'],
  ['s3-2', '2026-10-02T10:00:00Z', 's3', 'signup'],
  ['q1-1', '2026-10-01T10:00:00Z', 'q1', 'pageview'],
  ['q2-1', '2026-10-01T10:00:00Z', 'q2', 'pageview'],
  ['q2-2', '2026-10-01T10:01:00Z', 'q2', 'pageview'],
  ['q3-1', '2026-10-01T10:00:00Z', 'q3', 'pageview'],
  ['q3-2', '2026-10-01T10:01:00Z', 'q3', 'pageview'],
  ['q3-3', '2026-10-01T10:02:00Z', 'q3', 'pageview'],
  ['r1-1', '2026-10-01T10:00:00Z', 'r1', 'step_a'],
  ['r1-2', '2026-10-01T10:10:00Z', 'r1', 'step_b'],
  ['r1-3', '2026-10-01T10:20:00Z', 'r1', 'step_c'],
  ['r2-1', '2026-10-01T10:00:00Z', 'r2', 'step_a'],
  ['r2-2', '2026-10-01T10:05:00Z', 'r2', 'other_x'],
  ['r2-3', '2026-10-01T10:10:00Z', 'r2', 'step_b'],
  ['r2-4', '2026-10-01T10:20:00Z', 'r2', 'step_c'],
  ['r3-1', '2026-10-01T10:00:00Z', 'r3', 'step_b'],
  ['r3-2', '2026-10-01T10:10:00Z', 'r3', 'step_a'],
  ['r3-3', '2026-10-01T10:20:00Z', 'r3', 'step_c'],
  ['r4-1', '2026-10-01T10:00:00Z', 'r4', 'step_b'],
  ['r5-1', '2026-10-01T10:00:00Z', 'r5', 'step_b'],
  ['r5-2', '2026-10-01T10:05:00Z', 'r5', 'step_c'],
  ['r6-2', '2026-10-01T10:00:00Z', 'r6', 'step_a'],
  ['r6-1', '2026-10-01T10:00:00Z', 'r6', 'step_b'],
  ['r6-3', '2026-10-01T10:30:00Z', 'r6', 'step_c'],
  ['r7-1', '2026-10-01T10:00:00Z', 'r7', 'step_a'],
  ['r7-2', '2026-10-01T10:30:00Z', 'r7', 'step_b'],
  ['r7-3', '2026-10-01T11:00:00Z', 'r7', 'step_c'],
  ['r8-1', '2026-10-01T10:00:00Z', 'r8', 'step_a'],
  ['r8-2', '2026-10-01T10:30:00Z', 'r8', 'step_b'],
  ['r8-3', '2026-10-01T11:00:01Z', 'r8', 'step_c'],
  ['r9-1', '2026-10-01T10:00:00Z', 'r9', 'step_a'],
  ['r9-2', '2026-10-01T10:05:00Z', 'r9', 'refund'],
  ['r9-3', '2026-10-01T10:10:00Z', 'r9', 'step_b'],
  ['r9-4', '2026-10-01T10:20:00Z', 'r9', 'step_c'],
  ['r10-1', '2026-10-01T10:00:00Z', 'r10', 'step_a'],
  ['r10-2', '2026-10-01T10:10:00Z', 'r10', 'step_b'],
  ['r10-3', '2026-10-01T10:15:00Z', 'r10', 'refund'],
  ['r10-4', '2026-10-01T10:20:00Z', 'r10', 'step_c'],
  ['r11-1', '2026-10-01T10:00:00Z', 'r11', 'step_a'],
  ['r11-2', '2026-10-01T10:30:00Z', 'r11', 'refund'],
  ['n1-1', '2026-10-03T10:00:00Z', 'n1', 'step one, ten'],
  ['n1-2', '2026-10-03T10:10:00Z', 'n1', 'finish'],
  ['p1-1', '2026-10-04T10:00:00Z', 'p1', 'choose', 'pro'],
  ['p1-2', '2026-10-04T10:10:00Z', 'p1', 'checkout'],
  ['p2-1', '2026-10-04T10:00:00Z', 'p2', 'choose', 'free'],
  ['p2-2', '2026-10-04T10:10:00Z', 'p2', 'checkout'],
  ['l1-1', '2026-10-10T10:00:00Z', 'l1', 'pageview'],
  ['l1-2', '2026-10-10T10:05:00Z', 'l1', 'lead'],
  ['l2-1', '2026-10-10T10:00:00Z', 'l2', 'pageview'],
  ['l2-2', '2026-10-10T10:05:00Z', 'l2', 'lead'],
  ['l2-3', '2026-10-10T10:10:00Z', 'l2', 'lead'],
  ['l3-1', '2026-10-10T10:00:00Z', 'l3', 'pageview'],
  ['l3-2', '2026-10-10T10:05:00Z', 'l3', 'product_view'],
  ['l3-3', '2026-10-10T10:05:00Z', 'l3', 'add_to_cart'],
  ['l4-1', '2026-10-10T10:05:00Z', 'l4', 'lead'],
];
const web = `event_id,ts,visitor_id,event,url,plan\n${rows.map(([id, ts, v, ev, plan]) => `${id},${ts},${v},"${ev}",https://shop.example/${v},${plan ?? ''}`).join('\n')}\n`;

const period = { from: '2026-10-01', to: '2026-10-08' };
const abc = { ...period, step: ['event:step_a', 'event:step_b', 'event:step_c'], window: '1h' };

describe('funnel step matching and modes on hand-derived fixtures', () => {
  let w: TempWarehouse;
  const config = resolveConfig({});
  const ctx = () => ({ db: w.db, config });
  /** the query's promise, with a parameter error (thrown before it runs) as a rejection */
  const run = (p: Record<string, unknown>) => Promise.resolve().then(() => funnel.execute(ctx(), p));
  const counts = async (p: Record<string, unknown>) => (await funnel.execute(ctx(), p)).steps.map((s) => s.count);
  beforeAll(async () => {
    w = await tempWarehouse();
    await w.ingest(w.file('web.csv', web));
  });
  afterAll(async () => w?.close());

  it('one event fills at most one step: signup → signup needs two signups, pageview ×3 three pageviews', async () => {
    // s1 has one signup: step 1 only; s2 has two; s3 has two at one instant (two different events) → [3, 2].
    // PostHog counts the same [3, 2]: a step is matched by a later (or same-time, different) event than the
    // previous step's, so one signup never completes "signup → signup".
    expect(await counts({ ...period, step: ['event:signup', 'event:signup'] })).toEqual([3, 2]);
    for (const mode of ['strict', 'any-order', 'unordered']) expect(await counts({ ...period, step: ['event:signup', 'event:signup'], mode })).toEqual([3, 2]);
    // pageviews: q1 1, q2 2, q3 3 (the l persons' pageviews are on 10-10, outside the period) → [3, 2, 1], as PostHog
    expect(await counts({ ...period, step: ['event:pageview', 'event:pageview', 'event:pageview'] })).toEqual([3, 2, 1]);
    expect(await counts({ ...period, step: ['event:pageview', 'event:pageview', 'event:pageview'], mode: 'unordered' })).toEqual([3, 2, 1]);
    // the same funnel as path steps, and the old comma form: the same people
    expect(await counts({ ...period, steps: 'path:/q*,path:/q*,path:/q*' })).toEqual([3, 2, 1]);
  });

  it('ordered: other events between steps are fine; same-instant different events count in step order', async () => {
    // entered (did a in the period): r1 r2 r3 r6 r7 r8 r9 r10 r11 = 9 (r4, r5 never did a)
    // reached b after a within 1h: r1 r2 r6 (same instant) r7 r8 r9 r10 = 7 (r3's b came before its a; r11 none)
    // reached c: r1 r2 r6 r7 (11:00 = a + 1h, inside) r9 r10 = 6 (r8's c is 1 s past the window)
    expect(await counts(abc)).toEqual([9, 7, 6]);
  });

  it('strict: each step is the very next event', async () => {
    // r1 3; r2 1 (x after a); r3 1 (c after a); r6 3 (a, b at one instant, then c); r7 3; r8 2 (c outside
    // the window); r9 1 (refund after a); r10 2 (refund after b); r11 1 → [9, 5, 3]. PostHog's strict order
    // gives the same: any other event between two steps ends the attempt.
    expect(await counts({ ...abc, mode: 'strict' })).toEqual([9, 5, 3]);
  });

  it('any-order needs step 1; unordered counts anyone who did any k of the N steps', async () => {
    // any-order: entry = first of a/b/c in the period, steps hit within 1h after it.
    // r3 (b, a, c) 3; r4 (only b) and r5 (b, c) lack step 1 → not counted; r8 2; r11 1; the others 3 → [9, 8, 7]
    expect(await counts({ ...abc, mode: 'any-order' })).toEqual([9, 8, 7]);
    // unordered (PostHog's unordered funnel): each step-hit instant starts an attempt; k = distinct steps
    // done within 1h of it. r4 1, r5 2 (b, c: skipping step 1 is fine), r8 2 (from a: a, b; from b: b, c),
    // r11 1, the other seven 3 → 11 people with ≥1 step, 9 with ≥2, 7 with all 3. PostHog counts the same.
    expect(await counts({ ...abc, mode: 'unordered' })).toEqual([11, 9, 7]);
  });

  it('exclusion steps drop the people who did the event between two steps (PostHog)', async () => {
    // @1-2: r9 (refund 10:05 between a 10:00 and b 10:10) and r11 (refund 10:30 inside its window, never b)
    // are dropped; r10's refund came after its b. From [9, 7, 6]: → [7, 6, 5]
    expect(await counts({ ...abc, exclude: ['event:refund@1-2'] })).toEqual([7, 6, 5]);
    // @2-3: only r10 (refund 10:15 between b 10:10 and c 10:20) → [8, 6, 5]
    expect(await counts({ ...abc, exclude: ['event:refund@2-3'] })).toEqual([8, 6, 5]);
    // without @i-j: between the first and the last step → r9, r10, r11 → [6, 5, 4]
    expect(await counts({ ...abc, exclude: ['event:refund'] })).toEqual([6, 5, 4]);
    await expect(run({ ...abc, exclude: ['event:refund@2-4'] })).rejects.toThrow(/1 <= i < j <= 3/);
    await expect(run({ ...abc, mode: 'unordered', exclude: ['event:refund@1-2'] })).rejects.toThrow(/mode=ordered or mode=strict/);
  });

  it('window in minutes, hours or days; window_days still works', async () => {
    // 30m: r7's b at 10:30 is exactly a + 30 min (inside), its c at 11:00 is not; r1 r2 r6 r9 r10 keep c (≤ 10:30)
    // b within 30 min: r1 r2 r6 r7 r8 r9 r10 = 7; c within 30 min: r1 r2 r6 r9 r10 = 5
    expect(await counts({ ...abc, window: '30m' })).toEqual([9, 7, 5]);
    expect(await counts({ ...abc, window: '60m' })).toEqual([9, 7, 6]);
    expect(await counts({ ...abc, window: undefined, window_days: 1 / 24 })).toEqual([9, 7, 6]);
    const r = await funnel.execute(ctx(), { ...abc, window: '12h' });
    expect(r.windowDays).toBe(0.5);
    expect(r.steps.map((s) => s.count)).toEqual([9, 7, 7]); // 12 h: r8's c is inside now; r3 still has no b after a
  });

  it('steps as a list: an event name with a comma, property conditions, a bad step named', async () => {
    expect(await counts({ ...period, step: ['event:step one, ten', 'event:finish'] })).toEqual([1, 1]);
    expect(await counts({ ...period, steps: '["event:step one, ten","event:finish"]' })).toEqual([1, 1]);
    // the comma form cannot say it: "event:step one" and "ten" → 400 naming the piece and the way out
    await expect(run({ ...period, steps: 'event:step one, ten,event:finish' })).rejects.toThrow(/step 2: unknown stage "ten".*step=/s);
    // p1 chose plan=pro, p2 plan=free: both checked out
    expect(await counts({ ...period, step: ['{"event":"choose","where":{"plan":"pro"}}', 'event:checkout'] })).toEqual([1, 1]);
    expect(await counts({ ...period, steps: '[{"event":"choose"},"event:checkout"]' })).toEqual([2, 2]);
    await expect(run({ ...period, step: ['visit', 'nonsense'] })).rejects.toThrow(/step 2: unknown stage "nonsense"/);
    await expect(run({ ...period, step: ['visit'] })).rejects.toThrow(/expected 2 to 10 steps/);
  });

  it('a lone lead (an Interest and a Desire event) reaches Interest only; two leads, or two events at one instant, reach Desire', async () => {
    // [10-10, 10-11), Attention = visits: l1 visit → lead (Interest; the same lead cannot also be Desire) = 2 steps;
    // l2's second lead is Desire = 3; l3's product_view and add_to_cart at one instant are two events = 3; l4 has no visit.
    const day = { from: '2026-10-10', to: '2026-10-11' };
    const kept = await funnel.execute(ctx(), day);
    expect(kept.attentionStage).toBe('visit');
    expect(kept.steps.map((s) => s.count)).toEqual([3, 3, 2, 0]);
    // the same walked over the stage hits (the kept funnel_days are ingest's run of the same SQL)
    const p = await resolvePeriod(ctx(), day, metricKinds.funnel);
    const def = resolveFunnel(config, {});
    const [walked] = (await funnelSql({ steps: def.steps, mode: 'ordered', windowDays: 30, exclusions: [], start: sql`${p.start}`, end: sql`${p.end}`, filters: {}, attribution: 'first', config, group: { kind: 'all' } }).execute(w.db.kysely)).rows;
    expect([walked!.c1, walked!.c2, walked!.c3, walked!.c4]).toEqual([3, 3, 2, 0]);
    // event steps: one lead is one step; l2's two leads are two
    expect(await counts({ ...day, step: ['event:lead', 'event:lead'] })).toEqual([3, 1]);
    // a lead event step and the Desire stage: l1's one lead cannot be both → l2 (second lead) only; l4 = 1 lead
    expect(await counts({ ...day, step: ['event:lead', 'intent'] })).toEqual([3, 1]);
    // strict and unordered agree on the lone lead: l1 reaches Interest only
    expect(await counts({ ...day, mode: 'strict' })).toEqual([3, 3, 2, 0]);
    expect(await counts({ ...day, mode: 'unordered' })).toEqual([4, 3, 2, 0]);
  });

  it('compare=previous|year: both periods side by side with the change; trends bucket by bucket', async () => {
    const signups = { from: '2026-10-02', to: '2026-10-03', step: ['event:signup', 'event:signup'] };
    // current day 10-02: s3 (two signups at one instant) → [1, 1]; previous day 10-01: s1 (one), s2 (two) → [2, 1]
    const r = await funnel.execute(ctx(), { ...signups, compare: 'previous' });
    expect(r.steps.map((s) => s.count)).toEqual([1, 1]);
    expect(r.comparison!.period).toEqual({ from: '2026-10-01', to: '2026-10-02' });
    expect(r.comparison!.steps.map((s) => s.count)).toEqual([2, 1]);
    // step 1: 1 − 2 = −1 (−50%); step 2: 1 − 1 = 0; conversion from step 1: 100% now, 50% before → +0.5 (+100%)
    expect(r.comparison!.change.map((c) => [c.count.absolute, c.count.relative])).toEqual([[-1, -0.5], [0, 0]]);
    expect(r.comparison!.change[1]!.rateFromFirst).toEqual({ absolute: 0.5, relative: 1 });
    // a year earlier: 2025-10-02, nobody → change relative to 0 is unknown
    const y = await funnel.execute(ctx(), { ...signups, compare: 'year' });
    expect(y.comparison!.period).toEqual({ from: '2025-10-02', to: '2025-10-03' });
    expect(y.comparison!.change[0]).toEqual({ key: 'event:signup', count: { absolute: 1, relative: null }, rateFromFirst: { absolute: null, relative: null }, rateFromPrevious: { absolute: null, relative: null } });
    const tr = await funnelTrends.execute(ctx(), { from: '2026-10-02', to: '2026-10-04', step: signups.step, grain: 'day', compare: 'previous' });
    // current days 10-02 [1, 1], 10-03 nobody; previous [09-30, 10-02): 09-30 nobody, 10-01 [2, 1]
    expect(tr.series.map((b) => [b.start, b.steps.map((s) => s.count)])).toEqual([['2026-10-02', [1, 1]], ['2026-10-03', [0, 0]]]);
    expect(tr.comparison!.series.map((b) => [b.start, b.steps.map((s) => s.count)])).toEqual([['2026-09-30', [0, 0]], ['2026-10-01', [2, 1]]]);
  });
});

describe('time to convert on a hand-derived fixture', () => {
  // a → b (window 30d), period [10-01, 10-08): t1 45 s, t2 4 min, t3 4 min 30 s, t4 2 h, t5 2 days; t6 never b
  // bins (edges 10 s, 30 s, 1 min, 5 min, 15 min, 30 min, 1 h, 3 h, 6 h, 12 h, 1 d, 2 d, 3 d, …):
  //  [30 s, 1 min) t1 · [1, 5 min) t2 t3 · [5, 15) · [15, 30) · [30 min, 1 h) · [1, 3 h) t4 · [3, 6 h) · [6, 12 h) · [12 h, 1 d) · [1, 2 d) · [2, 3 d) t5
  // median of 45, 240, 270, 7200, 172800 = 270; mean = 180555 / 5 = 36111; p90 (linear) = 7200 + 0.6 × (172800 − 7200) = 106560
  const seconds = [45, 240, 270, 7200, 172800];
  const start = Date.parse('2026-10-02T08:00:00Z');
  const ev = seconds.flatMap((s, i) => [`t${i + 1}-a,${new Date(start).toISOString()},t${i + 1},a`, `t${i + 1}-b,${new Date(start + s * 1000).toISOString()},t${i + 1},b`]);
  const csv = `event_id,ts,visitor_id,event\n${[...ev, `t6-a,${new Date(start).toISOString()},t6,a`].join('\n')}\n`;
  let w: TempWarehouse;
  const config = resolveConfig({});
  beforeAll(async () => {
    w = await tempWarehouse();
    await w.ingest(w.file('web.csv', csv));
  });
  afterAll(async () => w?.close());

  it('histogram on human bin edges from the fastest to the slowest, with median, mean and p90', async () => {
    const r = await funnelTimeToConvert.execute({ db: w.db, config }, { ...period, step: ['event:a', 'event:b'] });
    expect(r.pairs).toHaveLength(1);
    const x = r.pairs[0]!;
    expect([x.count, x.medianSeconds, x.meanSeconds, x.minSeconds, x.maxSeconds]).toEqual([5, 270, 36111, 45, 172800]);
    expect(x.p90Seconds).toBeCloseTo(106560, 6);
    expect(x.bins.map((b) => [b.fromSeconds, b.count])).toEqual([
      [30, 1], [60, 2], [300, 0], [900, 0], [1800, 0], [3600, 1], [10800, 0], [21600, 0], [43200, 0], [86400, 0], [172800, 1],
    ]);
    expect(x.bins.at(-1)!.toSeconds).toBe(259200);
    await expect(Promise.resolve().then(() => funnelTimeToConvert.execute({ db: w.db, config }, { ...period, step: ['event:a', 'event:b'], mode: 'unordered' }))).rejects.toThrow(/mode=ordered or mode=strict/);
  });
});

describe('comparison periods', () => {
  it('previous = the same number of days just before; year = the same dates a year earlier (29 February → 28th)', async () => {
    const p = comparisonPeriod({ from: '2026-10-01', to: '2026-10-08', days: 7 }, 'previous', 'UTC');
    expect([p.from, p.to, p.days]).toEqual(['2026-09-24', '2026-10-01', 7]);
    const y = comparisonPeriod({ from: '2028-02-29', to: '2028-03-01', days: 1 }, 'year', 'UTC');
    expect([y.from, y.to, y.days]).toEqual(['2027-02-28', '2027-03-01', 1]);
    expect(comparisonPeriod({ from: '2026-10-01', to: '2026-10-08', days: 7 }, 'year', 'Europe/London').start.toISOString()).toBe('2025-09-30T23:00:00.000Z');
  });
});

describe('breakdown and filters by property in every mode', () => {
  // u01..u25: go then done 5 minutes later on 2026-10-02, each with its own plan p01..p25 on its first event;
  // u01..u03 also have a second person each with the same plan (w01..w03), who never finish.
  const users = Array.from({ length: 25 }, (_, i) => String(i + 1).padStart(2, '0'));
  const csv = `event_id,ts,visitor_id,event,url,plan\n${[
    ...users.flatMap((u) => [`u${u}-1,2026-10-02T10:00:00Z,u${u},go,https://x.example/,p${u}`, `u${u}-2,2026-10-02T10:05:00Z,u${u},done,https://x.example/,`]),
    ...['01', '02', '03'].map((u) => `w${u}-1,2026-10-02T11:00:00Z,w${u},go,https://x.example/,p${u}`),
  ].join('\n')}\n`;
  let w: TempWarehouse;
  const config = resolveConfig({});
  const ctx = () => ({ db: w.db, config });
  beforeAll(async () => {
    w = await tempWarehouse();
    await w.ingest(w.file('web.csv', csv));
  });
  afterAll(async () => w?.close());
  const q = { from: '2026-10-02', to: '2026-10-03', step: ['event:go', 'event:done'] };

  it.each(['ordered', 'strict', 'any-order', 'unordered'])('%s: top 20 values by step-1 people, the rest as (other); property filters', async (mode) => {
    const r = await funnel.execute(ctx(), { ...q, mode, breakdown: 'property:plan' });
    const by = r.breakdown!.values.map((v) => [v.value, v.steps.map((s) => s.count)]);
    // p01–p03 have 2 people each (u and w) → first; then p04…p20 (1 each, by name) = 20 values;
    // p21–p25 (5 people, all finished) are summed as (other)
    expect(by.slice(0, 3)).toEqual([['p01', [2, 1]], ['p02', [2, 1]], ['p03', [2, 1]]]);
    expect(by.slice(3, 20).map(([v]) => v)).toEqual(users.slice(3, 20).map((u) => `p${u}`));
    expect(by[20]).toEqual(['(other)', [5, 5]]);
    expect(by).toHaveLength(21);
    // total: 28 went, 25 finished; filtered to plan p02: u02 and w02 → [2, 1]
    expect(r.steps.map((s) => s.count)).toEqual([28, 25]);
    expect((await funnel.execute(ctx(), { ...q, mode, property: { plan: 'p02' } })).steps.map((s) => s.count)).toEqual([2, 1]);
    expect((await funnel.execute(ctx(), { ...q, mode, property: { plan: 'p02,p25' } })).steps.map((s) => s.count)).toEqual([3, 2]);
  });
});
