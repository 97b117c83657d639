// Every input format and known export profile through the real pipeline, with the values a person
// would check: NDJSON, JSON arrays, Parquet, Big5, gzip; shopify-orders, rees46, retailrocket.
import zlib from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWith } from '../support/encode.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

let w: TempWarehouse;
beforeAll(async () => {
  w = await tempWarehouse();
});
afterAll(async () => w.close());

describe('formats', () => {
  it('NDJSON: aliases map, a line that is not an object is rejected with its line number', async () => {
    const file = w.file('events.ndjson', [
      '{"timestamp": "2026-10-01T10:00:00Z", "user_id": "n1", "event_name": "page_view", "page_url": "https://ex.com/a?utm_source=news&utm_medium=email"}',
      '',
      '{"timestamp": 1791540000, "user_id": "n1", "event_name": "add_to_cart"}',
      'this is not json',
      '[1, 2]',
      '{"timestamp": "2026-10-01T10:05:00Z", "user_id": "n2", "event_name": "search", "extra": {"nested": true}}',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    // 5 non-blank lines: 3 objects load, lines 4 and 5 are rejected
    expect(s).toMatchObject({ status: 'loaded', kind: 'web', format: 'ndjson', rowsIn: 5, rowsLoaded: 3, rowsRejected: 2 });
    expect(await w.rows(`select line, reason from rejects where file_id = ${s.fileId} order by line`)).toEqual([
      { line: 4, reason: 'not a JSON object (expected one {...} per line)' },
      { line: 5, reason: 'not a JSON object (expected one {...} per line)' },
    ]);
    expect(await w.rows("select visitor_id, event, path, utm_source, utm_medium, channel from events where visitor_id = 'n1' order by ts")).toEqual([
      { visitor_id: 'n1', event: 'page_view', path: '/a', utm_source: 'news', utm_medium: 'email', channel: 'Direct marketing' },
      // epoch seconds 1791540000 = 2026-10-09T10:00:00Z, a week later: a new session, no referrer or utm
      { visitor_id: 'n1', event: 'add_to_cart', path: null, utm_source: null, utm_medium: null, channel: 'Direct' },
    ]);
  });

  it('JSON array: elements are rows; a bad element is rejected at the line where it starts', async () => {
    const file = w.file('orders.json', `[
  {"order_id": "j1", "ts": "2026-10-02 09:00:00", "customer_id": "k1", "amount": "19.99"},
  {"order_id": "j2", "ts": "2026-10-02 10:00:00", "customer_id": "k2",
   "amount": "not money"},
  "oops",
  {"order_id": "j3", "ts": "2026-10-02 11:00:00", "customer_id": "k1", "amount": 5}
]`);
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', kind: 'sales', format: 'json', rowsIn: 4, rowsLoaded: 2, rowsRejected: 2 });
    expect(await w.rows(`select line, reason from rejects where file_id = ${s.fileId} order by line`)).toEqual([
      { line: 3, reason: "amount 'not money' is not a number such as 12.50" },
      { line: 5, reason: 'array element is not a JSON object' },
    ]);
    expect(await w.rows("select order_id, amount from orders where order_id like 'j%' order by 1")).toEqual([
      { order_id: 'j1', amount: 19.99 },
      { order_id: 'j3', amount: 5 },
    ]);
  });

  it('Parquet: typed columns are read, a bad row is rejected by its row number', async () => {
    const file = `${w.dir}/campaigns.parquet`;
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    await conn.run(`copy (select * from (values
      (date '2026-10-01', 'google', 'cpc', 'pq-search', 1000, 40, 12.5),
      (date '2026-10-02', 'google', 'cpc', 'pq-search', 1200, 44, 13.0),
      (null, 'google', 'cpc', 'pq-search', 5, 1, 1.0)) t(date, source, medium, campaign, impressions, clicks, cost)) to '${file}' (format parquet)`);
    conn.closeSync();
    inst.closeSync();
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', kind: 'campaigns', format: 'parquet', rowsIn: 3, rowsLoaded: 2, rowsRejected: 1 });
    expect(await w.rows(`select line, reason from rejects where file_id = ${s.fileId}`)).toEqual([{ line: 3, reason: 'date is empty (required)' }]);
    expect(await w.rows("select sum(impressions)::integer as i, sum(cost)::double as c from campaigns where campaign = 'pq-search'")).toEqual([{ i: 2200, c: 25.5 }]);
  });

  it('Big5 (traditional Chinese) complaints with Chinese severities, gzipped', async () => {
    const text = 'complaint_id,ts,customer_id,category,severity\nq1,2026-10-03 09:00:00,k1,Y5,嚴重\nq2,2026-10-03 10:00:00,k2,W4,輕微\nq3,2026-10-03 11:00:00,k2,L1,一般\n';
    const big5 = encodeWith('big5', text);
    const s = await w.ingest(w.file('complaints-big5.csv.gz', zlib.gzipSync(big5)));
    expect(s).toMatchObject({ status: 'loaded', kind: 'complaints', encoding: 'big5', rowsLoaded: 3 });
    expect(await w.rows('select complaint_id, category, severity from complaints order by 1')).toEqual([
      { complaint_id: 'q1', category: 'Y5', severity: 'serious' },
      { complaint_id: 'q2', category: 'W4', severity: 'minor' },
      { complaint_id: 'q3', category: 'L1', severity: 'general' },
    ]);
  });
});

describe('profiles', () => {
  it('shopify-orders: line items under one Name, order fields on the first row only', async () => {
    const header = 'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Cancelled at';
    const file = w.file('shopify.csv', [
      header,
      '#1001,Ann@Example.com,paid,2024-03-05 14:02:11 +0100,fulfilled,,yes,EUR,30.00,5.00,0,35.00,SPRING20,6.00,Standard,2024-03-05 14:02:11 +0100,2,Mug,10.00,',
      '#1001,,,,,,,,,,,,,,,,1,Plate,10.00,',
      '#1002,bob@example.com,refunded,,,,no,EUR,8.00,0,0,8.00,,,,2024-03-06 09:00:00 +0100,1,Card,8.00,',
      '#1003,ann@example.com,pending,,,,no,EUR,4.00,0,0,4.00,,,,2024-03-07 09:00:00 +0100,1,Pen,4.00,2024-03-07 10:00:00 +0100',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', kind: 'sales', profile: 'shopify-orders', rowsIn: 4, rowsLoaded: 4 });
    expect(await w.rows("select order_id, ts, customer_id, amount, currency, status, items, coupon from orders where order_id like '#%' order by 1")).toEqual([
      // Total (incl. shipping) wins over the line sum; 14:02:11 at +01:00 = 13:02:11Z; email lower-cased
      { order_id: '#1001', ts: new Date('2024-03-05T13:02:11Z'), customer_id: 'ann@example.com', amount: 35, currency: 'EUR', status: 'paid', items: 3, coupon: 'SPRING20' },
      { order_id: '#1002', ts: new Date('2024-03-06T08:00:00Z'), customer_id: 'bob@example.com', amount: 8, currency: 'EUR', status: 'refunded', items: 1, coupon: null },
      { order_id: '#1003', ts: new Date('2024-03-07T08:00:00Z'), customer_id: 'ann@example.com', amount: 4, currency: 'EUR', status: 'cancelled', items: 1, coupon: null },
    ]);
  });

  it('rees46: event_time with UTC, user_session as the session', async () => {
    const file = w.file('rees46.csv', [
      'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session',
      '2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c',
      '2019-10-01 00:00:05 UTC,cart,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c',
      '2019-10-01 02:00:00 UTC,purchase,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', kind: 'web', profile: 'rees46', rowsLoaded: 3 });
    // the given session id is kept even though 2 hours pass inside it
    expect(await w.rows("select session_id, events, duration_s from sessions where visitor_id = '541312140'")).toEqual([
      { session_id: '72d76fde-8bb3-4e00-8c23-a032dfed738c', events: 3, duration_s: 7200 },
    ]);
    expect(await w.rows("select stage from person_stages where person_id = '541312140' order by 1")).toEqual([
      { stage: 'engaged' }, { stage: 'intent' }, { stage: 'purchase' },
    ]);
  });

  it('retailrocket: epoch-millisecond timestamps and transaction ids', async () => {
    const file = w.file('rr.csv', 'timestamp,visitorid,event,itemid,transactionid\n1433221332117,257597,view,355908,\n1433224214164,257597,addtocart,248676,\n1433224300000,257597,transaction,248676,4000\n');
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', kind: 'web', profile: 'retailrocket', rowsLoaded: 3 });
    expect(await w.rows("select ts, event, order_id from events where visitor_id = '257597' order by ts")).toEqual([
      { ts: new Date(1433221332117), event: 'view', order_id: null },
      { ts: new Date(1433224214164), event: 'addtocart', order_id: null },
      { ts: new Date(1433224300000), event: 'transaction', order_id: '4000' },
    ]);
  });
});
