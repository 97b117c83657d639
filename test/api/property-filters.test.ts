// `property:<key>=<value>` filters and `breakdown=property:<key>` through the real app, on Segment
// messages loaded by the real pipeline; every count worked out by hand beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

// Persons (identify links anon-1 to u1), their touches and the value of `plan` on each touch:
//  u1 (anon-1): session 11-05 09:00 — page (no plan), Product Viewed plan=pro 09:01, Product Added 09:02,
//               Order Completed 09:03 (total 20.00): the session's plan is its earliest value, pro
//  anon-2:      session 11-05 10:00 — page plan=free, Product Viewed 10:01
//  anon-3:      session 11-06 10:00 — page plan=pro
//  anon-4:      session 11-06 11:00 — page without a plan: (none)
//  t01…t21:     one page each on 11-07 with plan t01…t21 (21 more values, to pass the top 20)
// AIDA steps here (no impressions, so Attention = visit): visit → engaged (product_view) → intent
// (add_to_cart) → purchase (a valid order).
const msg = (m: Record<string, unknown>) => JSON.stringify({ integrations: {}, version: 2, context: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', page: { url: 'https://shop.example/' } }, ...m });
const messages = [
  msg({ type: 'page', messageId: 'a1', anonymousId: 'anon-1', properties: { title: 'Home' }, timestamp: '2026-11-05T09:00:00Z' }),
  msg({ type: 'track', event: 'Product Viewed', messageId: 'a2', anonymousId: 'anon-1', properties: { plan: 'pro' }, timestamp: '2026-11-05T09:01:00Z' }),
  msg({ type: 'track', event: 'Product Added', messageId: 'a3', anonymousId: 'anon-1', properties: { plan: 'pro' }, timestamp: '2026-11-05T09:02:00Z' }),
  msg({ type: 'identify', messageId: 'a4', anonymousId: 'anon-1', userId: 'u1', timestamp: '2026-11-05T09:02:30Z' }),
  msg({ type: 'track', event: 'Order Completed', messageId: 'a5', anonymousId: 'anon-1', userId: 'u1', properties: { order_id: 'o-1', total: 20, currency: 'USD', plan: 'pro' }, timestamp: '2026-11-05T09:03:00Z' }),
  msg({ type: 'page', messageId: 'b1', anonymousId: 'anon-2', properties: { plan: 'free' }, timestamp: '2026-11-05T10:00:00Z' }),
  msg({ type: 'track', event: 'Product Viewed', messageId: 'b2', anonymousId: 'anon-2', properties: {}, timestamp: '2026-11-05T10:01:00Z' }),
  msg({ type: 'page', messageId: 'c1', anonymousId: 'anon-3', properties: { plan: 'pro' }, timestamp: '2026-11-06T10:00:00Z' }),
  msg({ type: 'page', messageId: 'd1', anonymousId: 'anon-4', properties: {}, timestamp: '2026-11-06T11:00:00Z' }),
  ...Array.from({ length: 21 }, (_, i) => {
    const plan = `t${String(i + 1).padStart(2, '0')}`;
    return msg({ type: 'page', messageId: `t${i}`, anonymousId: `anon-${plan}`, properties: { plan }, timestamp: `2026-11-07T${String(i).padStart(2, '0')}:00:00Z` });
  }),
];

let f: ServerFixture;
beforeAll(async () => {
  f = await serverFixture();
  expect(await f.ingest('segment.json', messages.join('\n') + '\n')).toMatchObject({ status: 'loaded', profile: 'segment', rowsLoaded: 30 });
});
afterAll(async () => f.close());

const period = 'from=2026-11-01&to=2026-12-01';
const counts = (steps: { count: number }[]) => steps.map((s) => s.count);
async function get(path: string): Promise<any> {
  const res = await f.app.request(path);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

describe('property filters', () => {
  it('funnel: property:plan=pro counts u1 and anon-3', async () => {
    // pro: u1 (visit, engaged, intent, purchase) and anon-3 (visit) → 2, 1, 1, 1
    expect(counts((await get(`/api/funnel?${period}&property:plan=pro`)).steps)).toEqual([2, 1, 1, 1]);
    // pro or free adds anon-2 (visit, engaged) → 3, 2, 1, 1
    expect(counts((await get(`/api/funnel?${period}&property:plan=pro,free`)).steps)).toEqual([3, 2, 1, 1]);
    // (none): anon-4 only → 1, 0, 0, 0; everyone: 4 + 21 = 25 visits
    expect(counts((await get(`/api/funnel?${period}&property:plan=(none)`)).steps)).toEqual([1, 0, 0, 0]);
    expect(counts((await get(`/api/funnel?${period}`)).steps)).toEqual([25, 2, 1, 1]);
  });

  it('a key is a value, never SQL: an odd key matches nobody, and the query still runs', async () => {
    expect(counts((await get(`/api/funnel?${period}&property:${encodeURIComponent(`plan"') or true --`)}=pro`)).steps)).toEqual([0, 0, 0, 0]);
  });

  it('efficiency: the same filter, and the order is a purchaser', async () => {
    const r = await get(`/api/efficiency?${period}&property:plan=pro`);
    // Q2 visitors u1, anon-3; Q3 visited and engaged: u1; Q4 purchasers: u1
    expect(r.levels.slice(2, 5).map((l: { value: number }) => l.value)).toEqual([2, 1, 1]);
  });

  it('paths and the funnel correlation take the filter too (the attributed touch carries the key)', async () => {
    expect((await f.app.request(`/api/paths?${period}&property:plan=pro`)).status).toBe(200);
    expect((await f.app.request(`/api/funnel/correlation?${period}&property:plan=pro`)).status).toBe(200);
  });

  it('an unknown parameter is still refused', async () => {
    expect((await f.app.request(`/api/funnel?${period}&propertyplan=pro`)).status).toBe(400);
  });
});

describe('property breakdowns', () => {
  it('funnel: one group per value, the top 20 by persons and the rest as (other)', async () => {
    const r = await get(`/api/funnel?${period}&breakdown=property:plan`);
    expect(r.breakdown.dimension).toBe('property:plan');
    const groups = Object.fromEntries(r.breakdown.values.map((v: { value: string; steps: { count: number }[] }) => [v.value, counts(v.steps)]));
    // 24 values: pro (2 persons) first, then the 1-person values in text order: (none), free, t01…t17; t18…t21 → (other)
    expect(r.breakdown.values.map((v: { value: string }) => v.value)).toEqual(['pro', '(none)', 'free', ...Array.from({ length: 17 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`), '(other)']);
    expect(groups.pro).toEqual([2, 1, 1, 1]);
    expect(groups.free).toEqual([1, 1, 0, 0]);
    expect(groups['(none)']).toEqual([1, 0, 0, 0]);
    expect(groups['(other)']).toEqual([4, 0, 0, 0]);
  });

  it('efficiency: the same groups, capped in SQL', async () => {
    const r = await get(`/api/efficiency?${period}&breakdown=property:plan`);
    const q = Object.fromEntries(r.breakdown.values.map((v: { value: string; levels: { value: number }[] }) => [v.value, v.levels.slice(2, 5).map((l) => l.value)]));
    expect(r.breakdown.values).toHaveLength(21);
    // Q2, Q3, Q4 — pro: u1 and anon-3 visited, u1 engaged and bought; free: anon-2 visited and engaged
    expect(q.pro).toEqual([2, 1, 1]);
    expect(q.free).toEqual([1, 1, 0]);
    expect(q['(none)']).toEqual([1, 0, 0]);
    expect(q['(other)']).toEqual([4, 0, 0]);
  });

  it('trends take the filter too', async () => {
    const r = await get(`/api/funnel/trends?${period}&grain=month&property:plan=free`);
    // November: anon-2 alone (visit, engaged)
    expect(r.series.map((s: { period: string; steps: { count: number }[] }) => [s.period, counts(s.steps)])).toEqual([['2026-11', [1, 1, 0, 0]]]);
  });
});
