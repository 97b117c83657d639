// Long lists in the API come a page at a time (limit, offset and `page.total` in the JSON) and whole as
// CSV: at-risk customers (250 of them, 200 by default), campaigns (a window in the middle), follow-ups
// due; bad paging parameters are 400s naming them; endpoints without a list take no paging parameters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { records } from '../support/csv-records.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

// 250 customers, each with two orders ten days apart in January 2026 (gap 10 days) and nothing since:
// on as_of 2026-06-01 each is ~140 days past their last order, more than churn_k (2) × 10 — all at risk.
// Customer k (1..250) spends 1000 + k per order, so by revenue the list is c250, c249, ..., c1.
const customers = Array.from({ length: 250 }, (_, i) => i + 1);
const ordersCsv = [
  'order_id,ts,customer_id,amount,status',
  ...customers.flatMap((k) => [`a${k},2026-01-05T10:00:00Z,c${k},${1000 + k}.00,paid`, `b${k},2026-01-15T10:00:00Z,c${k},${1000 + k}.00,paid`]),
].join('\n');

// Five campaigns in the log; the list is ordered by cost, highest first: e 50, d 40, c 30, b 20, a 10.
const campaignsCsv = `date,source,medium,campaign,cost
2026-01-05,google,cpc,a,10.00
2026-01-05,google,cpc,b,20.00
2026-01-05,google,cpc,c,30.00
2026-01-05,google,cpc,d,40.00
2026-01-05,google,cpc,e,50.00
`;

let f: ServerFixture;
beforeAll(async () => {
  f = await serverFixture();
  expect((await f.ingest('orders.csv', ordersCsv)).status).toBe('loaded');
  expect((await f.ingest('campaigns.csv', campaignsCsv)).status).toBe('loaded');
});
afterAll(async () => f.close());

const get = async (path: string) => {
  const res = await f.app.request(`/api/${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { page?: { total: number; offset: number; limit: number } } };
};

describe('at-risk customers: a page of the list, the total, and the whole list as CSV', () => {
  it('sends 200 of 250 by default, with page.total 250 and the summary over all of them', async () => {
    const { status, body } = await get('customers/at-risk?as_of=2026-06-01');
    expect(status).toBe(200);
    const list = body.customers as { customerId: string; revenue: number }[];
    expect(list).toHaveLength(200);
    expect(body.page).toEqual({ total: 250, offset: 0, limit: 200 });
    expect((body.summary as { atRisk: number }).atRisk).toBe(250);
    expect(list[0]).toMatchObject({ customerId: 'c250', revenue: 2 * 1250 }); // two orders of 1000 + 250
    expect(list[199]!.customerId).toBe('c51'); // the 200th from the top: 250 − 199
  });

  it('offset and limit pick the next rows of the same order', async () => {
    const { body } = await get('customers/at-risk?as_of=2026-06-01&offset=200&limit=100');
    expect((body.customers as { customerId: string }[]).map((c) => c.customerId)).toEqual(customers.slice(0, 50).reverse().map((k) => `c${k}`)); // c50 … c1
    expect(body.page).toEqual({ total: 250, offset: 200, limit: 100 });
    const past = await get('customers/at-risk?as_of=2026-06-01&offset=300');
    expect([(past.body.customers as unknown[]).length, past.body.page]).toEqual([0, { total: 250, offset: 300, limit: 200 }]);
  });

  it('the JSON of a page is a fraction of the whole list’s', async () => {
    const page = await (await f.app.request('/api/customers/at-risk?as_of=2026-06-01&limit=20')).text();
    const all = await (await f.app.request('/api/customers/at-risk?as_of=2026-06-01&limit=250')).text();
    console.log(`at-risk JSON: 20 rows ${page.length} bytes, 250 rows ${all.length} bytes`);
    expect(page.length).toBeLessThan(all.length / 5);
  });

  it('format=csv has every row, whatever limit says', async () => {
    const res = await f.app.request('/api/customers/at-risk?as_of=2026-06-01&limit=5&format=csv');
    const rows = [...records((await res.text()))];
    expect(rows[0]!.slice(0, 3)).toEqual(['as_of', 'customer_id', 'orders']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(customers.slice().reverse().map((k) => `c${k}`));
  });
});

describe('campaigns and follow-ups due: the same paging', () => {
  it('campaigns: limit=2&offset=2 is the third and fourth by cost; the totals stay over all five', async () => {
    const { body } = await get('campaigns?from=2026-01-01&to=2026-02-01&limit=2&offset=2');
    expect((body.campaigns as { campaign: string; cost: number }[]).map((c) => [c.campaign, c.cost])).toEqual([['c', 30], ['b', 20]]);
    expect(body.page).toEqual({ total: 5, offset: 2, limit: 2 });
    expect((body.totals as { cost: number; campaigns: number })).toMatchObject({ cost: 150, campaigns: 5 }); // 10 + 20 + 30 + 40 + 50
    const csv = [...records(await (await f.app.request('/api/campaigns?from=2026-01-01&to=2026-02-01&limit=2&format=csv')).text())];
    const [head, ...rows] = csv;
    expect(rows.filter((r) => r[head!.indexOf('row')] === 'campaign').map((r) => r[head!.indexOf('campaign')])).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('follow-ups due: on 2026-07-15 every customer is lapsed for lapsed_days + 1 = 181 days (since 01-15): 250 due, one sent', async () => {
    const { status, body } = await get('customers/lifecycle?as_of=2026-07-15&limit=1&offset=1');
    expect(status).toBe(200);
    // ordered by stage, then revenue: c250, c249, ... — offset 1 is c249
    expect((body.due as { customerId: string; daysSince: number }[]).map((d) => [d.customerId, d.daysSince])).toEqual([['c249', 181]]);
    expect(body.page).toEqual({ total: 250, offset: 1, limit: 1 });
    expect((body.stages as { stage: string; due: number }[]).find((s) => s.stage === 'D')!.due).toBe(250);
  });

  it('refuses bad paging parameters by name, and paging parameters where there is no list', async () => {
    const bad = await get('customers/at-risk?limit=0&offset=-1');
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { parameter: string }[]).map((e) => e.parameter).sort()).toEqual(['limit', 'offset']);
    const tooMany = await get('campaigns?limit=10001');
    expect((tooMany.body.errors as { parameter: string; message: string }[])[0]).toMatchObject({ parameter: 'limit' });
    const noList = await get('funnel?limit=10');
    expect([noList.status, (noList.body.errors as { parameter: string; message: string }[])[0]]).toEqual([400, expect.objectContaining({ parameter: 'limit', message: 'unknown parameter' })]);
  });
});
