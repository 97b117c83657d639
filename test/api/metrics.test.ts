// The generic metric route on a real warehouse: a tiny real Query (valid orders per day) mounted with
// metricRoute, answered as JSON and CSV, 400 problems naming each parameter, ETag/304, the per-version
// cache; and the real metric modules mounted in createApp, through the typed client.
import { Hono } from 'hono';
import { hc } from 'hono/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineQuery, rows } from '../../queries/define.ts';
import { dataVersion } from '../../queries/health.ts';
import { validOrderSql } from '../../queries/shared/orders.ts';
import { resolvePeriod } from '../../queries/shared/data-range.ts';
import { checkPeriod, periodParams } from '../../queries/shared/period.ts';
import type { AppType } from '../../server/app.ts';
import { makeDeps } from '../../server/deps.ts';
import { renderError } from '../../server/problems.ts';
import { metricQueries, metricRoute } from '../../server/routes/metrics.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

let runs = 0;

/** Valid (or all) orders per UTC day in the period; a real Query over the real tables. */
const ordersPerDay = defineQuery({
  name: 'test/orders',
  summary: 'orders per day',
  params: periodParams.extend({ status: z.enum(['valid', 'all']).default('valid').describe('which orders count') }).superRefine(checkPeriod),
  async run(ctx, p) {
    runs++;
    const period = await resolvePeriod(ctx, p, ['sales']);
    const days = await rows(ctx, sql<{ day: string; orders: number; revenue: number }>`
      select strftime(o.ts, '%Y-%m-%d') as day, count(*)::integer as orders, sum(o.amount)::double as revenue
        from orders o
       where o.ts >= ${period.start} and o.ts < ${period.end} and (${p.status === 'all'} or ${sql.raw(validOrderSql('o'))})
       group by 1 order by 1`);
    return { period: { from: period.from, to: period.to }, days, total: days.reduce((s, d) => s + d.orders, 0) };
  },
  csv: (r) => r.days.map((d, i) => ({ day: d.day, orders: d.orders, revenue: d.revenue, note: i === 0 ? 'first day, "opening"' : null })),
});

const ordersCsv = [
  'order_id,ts,customer_id,amount,status',
  'o1,2026-10-01T10:00:00Z,c1,10.00,paid',
  'o2,2026-10-01T12:00:00Z,c2,20.50,paid',
  'o3,2026-10-02T09:00:00Z,c1,5.00,cancelled',
  'o4,2026-10-03T23:30:00Z,c3,7.25,paid',
  'o5,2026-09-30T23:59:00Z,c4,100.00,paid',
].join('\n');

let f: ServerFixture;
let app: Hono;

beforeAll(async () => {
  f = await serverFixture();
  expect((await f.ingest('orders.csv', ordersCsv)).status).toBe('loaded');
  app = new Hono().route('/api/test/orders', metricRoute(makeDeps(f.db, f.config, 'test', f.inbox), ordersPerDay));
  app.onError(renderError);
});
afterAll(async () => f.close());

const period = 'from=2026-10-01&to=2026-10-04';

describe('a metric through the generic route', () => {
  it('answers JSON with the values and an ETag from the data version', async () => {
    const res = await app.request(`/api/test/orders?${period}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    // valid orders in [Oct 1, Oct 4): o1 + o2 on Oct 1 (10.00 + 20.50), o4 on Oct 3; o3 is cancelled, o5 is Sep 30
    expect(await res.json()).toEqual({
      period: { from: '2026-10-01', to: '2026-10-04' },
      days: [{ day: '2026-10-01', orders: 2, revenue: 30.5 }, { day: '2026-10-03', orders: 1, revenue: 7.25 }],
      total: 3,
    });
    expect(res.headers.get('etag')).toBe(`"${await dataVersion(f.db)}-${res.headers.get('etag')!.split('-').at(-1)}`);
    // status=all adds the cancelled o3 on Oct 2
    const all = await (await app.request(`/api/test/orders?${period}&status=all`)).json();
    expect(all.days.map((d: { day: string; orders: number }) => [d.day, d.orders])).toEqual([['2026-10-01', 2], ['2026-10-02', 1], ['2026-10-03', 1]]);
  });

  it('answers format=csv with tidy rows, RFC 4180 quoting and a download name', async () => {
    const res = await app.request(`/api/test/orders?${period}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="test-orders-2026-10-01_2026-10-04.csv"');
    expect(await res.text()).toBe('day,orders,revenue,note\r\n2026-10-01,2,30.5,"first day, ""opening"""\r\n2026-10-03,1,7.25,\r\n');
  });

  it('answers If-None-Match with 304 until the query or the data changes, and caches per data version', async () => {
    const runsBefore = runs;
    const first = await app.request(`/api/test/orders?to=2026-10-04&from=2026-10-01`);
    const etag = first.headers.get('etag')!;
    // the same query with its parameters in another order is the same resource
    const again = await app.request(`/api/test/orders?${period}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const csv = await app.request(`/api/test/orders?${period}&format=csv`, { headers: { 'if-none-match': etag } });
    expect(csv.status).toBe(200); // another representation, another tag
    expect(csv.headers.get('etag')).not.toBe(etag);
    expect(runs).toBe(runsBefore); // all three were answered from the cache filled by the earlier tests

    // a new file changes the data version: the old tag no longer matches and the numbers are fresh
    expect((await f.ingest('more.csv', 'order_id,ts,customer_id,amount,status\no6,2026-10-03T08:00:00Z,c5,2.75,paid\n')).status).toBe('loaded');
    const after = await app.request(`/api/test/orders?${period}`, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((await after.json()).days[1]).toEqual({ day: '2026-10-03', orders: 2, revenue: 10 }); // o4 7.25 + o6 2.75
    expect(runs).toBe(runsBefore + 1);
  });

  it('answers 400 problem+json naming each bad parameter and what was expected', async () => {
    const res = await app.request('/api/test/orders?from=yesterday&to=2026-02-30&status=some&format=xml&colour=red');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const body = await res.json();
    expect(body).toMatchObject({ type: '/api/docs#problem-invalid-parameters', title: 'Invalid parameters', status: 400 });
    expect(body.errors).toEqual([
      { parameter: 'colour', message: 'unknown parameter', expected: 'one of from, to, preset, status, format' },
      { parameter: 'format', message: 'Invalid option: expected one of "json"|"csv"', expected: 'one of json, csv' },
      { parameter: 'from', message: 'expected a date as YYYY-MM-DD' },
      { parameter: 'to', message: 'expected a real calendar date' },
      { parameter: 'status', message: 'Invalid option: expected one of "valid"|"all"', expected: 'one of valid, all' },
    ]);
    expect(body.detail).toBe('invalid parameters colour: unknown parameter (expected one of from, to, preset, status, format); format: Invalid option: expected one of "json"|"csv" (expected one of json, csv); from: expected a date as YYYY-MM-DD; to: expected a real calendar date; status: Invalid option: expected one of "valid"|"all" (expected one of valid, all)');
  });

  it('answers 400 for a period that ends before it starts, and for a parameter given twice', async () => {
    const backwards = await (await app.request('/api/test/orders?from=2026-10-05&to=2026-10-01')).json();
    expect(backwards.errors).toEqual([{ parameter: 'to', message: 'expected a date after from (2026-10-05)' }]);
    const twice = await app.request('/api/test/orders?status=valid&status=all');
    expect(twice.status).toBe(400);
    expect((await twice.json()).errors).toEqual([{ parameter: 'status', message: 'given 2 times; give it once (lists are comma-separated, e.g. status=a,b)' }]);
  });
});

describe('the metric modules in createApp', () => {
  it('serves every module at its path, typed for the web client', async () => {
    const client = hc<AppType>('http://localhost', { fetch: (input: RequestInfo | URL, init?: RequestInit) => f.app.request(input, init) });
    const res = await client.api.funnel.$get({ query: { from: '2026-10-01', to: '2026-10-04' } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.steps.map((s) => s.key)).toEqual(['attention', 'interest', 'desire', 'action']);
    for (const path of Object.keys(metricQueries)) {
      const r = await f.app.request(`/api${path}?format=csv`); // each module's defaults
      expect([path, r.status]).toEqual([path, 200]);
      expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    }
  });

  it("turns a module's own parameter error into a 400 naming the parameter", async () => {
    const res = await f.app.request('/api/funnel?funnel=nope');
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([{ parameter: 'funnel', message: 'unknown funnel "nope" (funnels: aida)' }]);
    const mode = await (await f.app.request('/api/funnel?mode=sideways')).json();
    expect(mode.errors).toEqual([{ parameter: 'mode', message: 'Invalid option: expected one of "ordered"|"strict"|"any-order"|"unordered"', expected: 'one of ordered, strict, any-order, unordered' }]);
  });

  it('answers unknown API paths with a 404 problem, not the web page', async () => {
    const res = await f.app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await res.json()).detail).toBe('no API endpoint GET /api/nothing-here; see /api/docs');
  });
});
