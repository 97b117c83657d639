// GET /api/properties through the real app, on Segment messages loaded by the real pipeline
// (test/fixtures/property-shop.ts, where each person's messages and properties are laid out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { period, propertyShopNdjson } from '../fixtures/property-shop.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

let f: ServerFixture;
beforeAll(async () => {
  f = await serverFixture();
  expect(await f.ingest('segment.json', propertyShopNdjson)).toMatchObject({ status: 'loaded', profile: 'segment', rowsLoaded: 12 });
});
afterAll(async () => f.close());

const inPeriod = `from=${period.from}&to=${period.to}`;
type Row = { key: string; value: string | null; events: number; orders: number; persons: number };
async function get(query: string): Promise<{ key: string | null; distinct: number; properties: Row[]; page: { total: number; offset: number; limit: number } }> {
  const res = await f.app.request(`/api/properties?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}
const table = (rows: Row[]) => rows.map((r) => [r.value ?? r.key, r.events, r.orders, r.persons]);

describe('GET /api/properties', () => {
  it('lists the keys with the events, orders and persons carrying each, by persons', async () => {
    const r = await get(inPeriod);
    expect(r.key).toBeNull();
    // Beyond the fixture's own table: Segment's `context` (user agent, page) stays on all 12 messages
    // (identify included) and on the order; `event` (the track call's own name) on the 6 track events
    // (u1 ×3, anon-2 ×1, anon-5 ×2) and the order. Ties on persons go by events + orders, then by name.
    expect(table(r.properties)).toEqual([
      ['context', 12, 1, 5],
      ['title', 5, 0, 5],
      ['plan', 9, 1, 4],
      ['event', 6, 1, 3],
      ['experiment', 3, 0, 3],
      ['currency', 1, 1, 1],
      ['order_id', 1, 1, 1],
      ['total', 1, 1, 1],
    ]);
    expect(r.distinct).toBe(8);
    expect(r.page).toEqual({ total: 8, offset: 0, limit: 50 });
  });

  it('key=plan: its values with the same counts', async () => {
    const r = await get(`${inPeriod}&key=plan`);
    expect(r.key).toBe('plan');
    // pro: u1's 4 events and order, anon-3's page → 5 events, 1 order, 2 persons; free: anon-2 ×1, anon-5 ×3
    expect(table(r.properties)).toEqual([['pro', 5, 1, 2], ['free', 4, 0, 2]]);
    expect(r.properties.every((p) => p.key === 'plan')).toBe(true);
  });

  it('pages the list with limit and offset; total is the whole list', async () => {
    const r = await get(`${inPeriod}&limit=3&offset=2`);
    expect(table(r.properties).map((x) => x[0])).toEqual(['plan', 'event', 'experiment']);
    expect(r.page).toEqual({ total: 8, offset: 2, limit: 3 });
  });

  it('takes the touch filters: property:experiment=A keeps anon-2 and anon-4', async () => {
    const r = await get(`${inPeriod}&property:experiment=A`);
    // anon-2: page (context, title, plan, experiment), Product Viewed (context, event); anon-4: page (context, title, experiment)
    expect(table(r.properties)).toEqual([
      ['context', 3, 0, 2],
      ['experiment', 2, 0, 2],
      ['title', 2, 0, 2],
      ['event', 1, 0, 1],
      ['plan', 1, 0, 1],
    ]);
    // the values of plan among them: anon-2's free
    expect(table((await get(`${inPeriod}&key=plan&property:experiment=A`)).properties)).toEqual([['free', 1, 0, 1]]);
    // a channel nobody came by: nothing
    expect((await get(`${inPeriod}&channel=Social`)).properties).toEqual([]);
  });

  it('a period without data, and a key nobody has: empty lists, total 0', async () => {
    expect(await get('from=2020-01-01&to=2020-02-01')).toMatchObject({ distinct: 0, properties: [], page: { total: 0 } });
    expect(await get(`${inPeriod}&key=${encodeURIComponent('plan") or true --')}`)).toMatchObject({ distinct: 0, properties: [], page: { total: 0 } });
  });

  it('CSV: one row per value of the key', async () => {
    const res = await f.app.request(`/api/properties?${inPeriod}&key=plan&format=csv`);
    expect(res.status).toBe(200);
    expect((await res.text()).trim().split(/\r?\n/)).toEqual(['from,to,key,value,events,orders,persons', '2026-11-01,2026-12-01,plan,pro,5,1,2', '2026-11-01,2026-12-01,plan,free,4,0,2']);
  });

  it.each([
    ['key=', 'key', /expected a property key/],
    [`key=${'k'.repeat(201)}`, 'key', /at most 200/],
    ['key=a%01b', 'key', /control characters/],
    ['key=plan&key=title', 'key', /given 2 times/],
    ['limit=0', 'limit', /./],
    ['from=2026-12-01&to=2026-11-01', 'to', /after from/],
    ['keys=plan', 'keys', /unknown parameter/],
  ])('400 for %s, naming %s', async (query, parameter, message) => {
    const res = await f.app.request(`/api/properties?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const body = (await res.json()) as { errors: { parameter: string; message: string }[] };
    const e = body.errors.find((x) => x.parameter === parameter);
    expect(e, JSON.stringify(body)).toBeDefined();
    expect(e!.message).toMatch(message);
  });

  it('is in the OpenAPI document with its parameters', async () => {
    const doc = (await (await f.app.request('/api/openapi.json')).json()) as { paths: Record<string, { get?: { parameters: { name: string }[] } }> };
    const names = doc.paths['/api/properties']!.get!.parameters.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['from', 'to', 'key', 'channel', 'property', 'attribution', 'limit', 'offset', 'format']));
  });
});
