// The summaries ingest keeps for the customers, retention and snapshot views (ingest/derive-summaries.ts,
// migration 012) after overlapping loads: web and order files whose rows repeat, one order replaced by a
// later export (refunded) and a later file touching one customer only. The rows are derived by hand below,
// and they equal what a from-scratch rebuild of every derived table computes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { resolveConfig } from '../../bin/config.ts';
import { ensureDerived } from '../../ingest/ensure-derived.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const ua = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0';
const web = 'event_id,ts,visitor_id,customer_id,event,url,user_agent';
const sales = 'order_id,ts,customer_id,amount,status,coupon';
const files: [string, string[]][] = [
  ['orders-a.csv', [sales, 'o1,2026-10-01T10:00:00Z,c1,10.00,paid,WELCOME', 'o2,2026-10-03T09:00:00Z,c1,20.00,paid,', 'o3,2026-10-02T12:00:00Z,c2,50.00,paid,']],
  ['web-1.csv', [web, `e1,2026-09-30T09:00:00Z,v1,,pageview,/,${ua}`, `e2,2026-09-30T09:05:00Z,v1,c1,add_to_cart,/cart,${ua}`, `e3,2026-10-04T23:30:00Z,v2,,pageview,/,${ua}`]],
  // o2 again unchanged, o3 again as refunded (replaces the stored row), o4 on o2's day, o5 and c3's o6 new
  ['orders-b.csv', [sales, 'o2,2026-10-03T09:00:00Z,c1,20.00,paid,', 'o3,2026-10-02T12:00:00Z,c2,50.00,refunded,', 'o4,2026-10-03T18:00:00Z,c1,5.00,paid,', 'o5,2026-10-10T08:00:00Z,c1,15.00,paid,', 'o6,2026-10-05T08:00:00Z,c3,30.00,paid,']],
  // e2 and e3 again, e4 new
  ['web-2.csv', [web, `e2,2026-09-30T09:05:00Z,v1,c1,add_to_cart,/cart,${ua}`, `e3,2026-10-04T23:30:00Z,v2,,pageview,/,${ua}`, `e4,2026-10-06T10:00:00Z,v2,,add_to_cart,/cart,${ua}`]],
  // only c2's summary changes (no stored order replaced: the incremental path)
  ['orders-c.csv', [sales, 'o7,2026-10-07T10:00:00Z,c2,40.00,paid,']],
];

const tables = {
  customer_summary: `select customer_id, strftime(first_ts, '%m-%d %H:%M') as first, strftime(second_ts, '%m-%d %H:%M') as second,
    strftime(last_ts, '%m-%d %H:%M') as last, orders::integer as orders, revenue::double as revenue, first_amount::double as first_amount,
    first_coupon, first_order_id from customer_summary order by customer_id`,
  customer_days: `select customer_id, strftime(day, '%m-%d') as day, strftime(next_day, '%m-%d') as next, orders::integer as orders,
    revenue::double as revenue, strftime(last_ts, '%m-%d %H:%M') as last, last_order_id, median_gap from customer_days order by customer_id, day`,
  person_days: `select person_id, strftime(day, '%m-%d') as day, strftime(next_day, '%m-%d') as next, strftime(intent_day, '%m-%d') as intent,
    purchase, identified, strftime(buy_ts, '%m-%d %H:%M') as buy from person_days order by person_id, day`,
};

async function read(w: TempWarehouse): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [t, q] of Object.entries(tables)) out[t] = await w.rows(q);
  return out;
}

describe('summaries kept by ingest', () => {
  let w: TempWarehouse;
  let incremental: Record<string, unknown[]>;
  beforeAll(async () => {
    w = await tempWarehouse({ timezone: 'UTC' });
    for (const [name, lines] of files) expect((await w.ingest(w.file(name, lines.join('\n') + '\n'))).status, name).toBe('loaded');
    incremental = await read(w);
  });
  afterAll(async () => {
    await w.close();
  });

  it('customer_summary: one row per customer over their valid orders', () => {
    // c1: o1 10-01 10:00 (10, WELCOME), o2 10-03 09:00 (20), o4 10-03 18:00 (5), o5 10-10 08:00 (15): 4 orders, 50.00
    // c2: o3 is refunded now, so only o7 10-07 10:00 (40). c3: o6 10-05 08:00 (30).
    expect(incremental.customer_summary).toEqual([
      { customer_id: 'c1', first: '10-01 10:00', second: '10-03 09:00', last: '10-10 08:00', orders: 4, revenue: 50, first_amount: 10, first_coupon: 'WELCOME', first_order_id: 'o1' },
      { customer_id: 'c2', first: '10-07 10:00', second: null, last: '10-07 10:00', orders: 1, revenue: 40, first_amount: 40, first_coupon: null, first_order_id: 'o7' },
      { customer_id: 'c3', first: '10-05 08:00', second: null, last: '10-05 08:00', orders: 1, revenue: 30, first_amount: 30, first_coupon: null, first_order_id: 'o6' },
    ]);
  });

  it('customer_days: figures so far at each order day, the next order day and the median gap between order days', () => {
    // c1's order days 10-01, 10-03 (o2 and o4), 10-10: gaps 2 then 7 days, medians 2 and (2 + 7) / 2 = 4.5
    expect(incremental.customer_days).toEqual([
      { customer_id: 'c1', day: '10-01', next: '10-03', orders: 1, revenue: 10, last: '10-01 10:00', last_order_id: 'o1', median_gap: null },
      { customer_id: 'c1', day: '10-03', next: '10-10', orders: 3, revenue: 35, last: '10-03 18:00', last_order_id: 'o4', median_gap: 2 },
      { customer_id: 'c1', day: '10-10', next: null, orders: 4, revenue: 50, last: '10-10 08:00', last_order_id: 'o5', median_gap: 4.5 },
      { customer_id: 'c2', day: '10-07', next: null, orders: 1, revenue: 40, last: '10-07 10:00', last_order_id: 'o7', median_gap: null },
      { customer_id: 'c3', day: '10-05', next: null, orders: 1, revenue: 30, last: '10-05 08:00', last_order_id: 'o6', median_gap: null },
    ]);
  });

  it('person_days: each day with a stage hit, the last intent day so far, purchases, identified and the first valid order', () => {
    // v1 logs in as c1 (e2), so its 09-30 visit and add_to_cart are c1's: c1 is identified (a customer id
    // in the person map). c1's orders give purchase days 10-01, 10-03, 10-10. c2 and c3 never visit: not
    // identified. v2 is anonymous: a visit on 10-04 (23:30 UTC) and an add_to_cart on 10-06.
    const c1 = { person_id: 'c1', intent: '09-30', identified: true, buy: '10-01 10:00' };
    expect(incremental.person_days).toEqual([
      { ...c1, day: '09-30', next: '10-01', purchase: false },
      { ...c1, day: '10-01', next: '10-03', purchase: true },
      { ...c1, day: '10-03', next: '10-10', purchase: true },
      { ...c1, day: '10-10', next: null, purchase: true },
      { person_id: 'c2', day: '10-07', next: null, intent: null, purchase: true, identified: false, buy: '10-07 10:00' },
      { person_id: 'c3', day: '10-05', next: null, intent: null, purchase: true, identified: false, buy: '10-05 08:00' },
      { person_id: 'v2', day: '10-04', next: '10-06', intent: null, purchase: false, identified: false, buy: null },
      { person_id: 'v2', day: '10-06', next: null, intent: '10-06', purchase: false, identified: false, buy: null },
    ]);
  });

  it('equal a from-scratch rebuild of the derived tables', async () => {
    await sql`update meta set value = 'stale' where key = 'derived_fingerprint'`.execute(w.db.kysely);
    expect(await ensureDerived(w.db, resolveConfig({ timezone: 'UTC' }))).toBe(true);
    expect(await read(w)).toEqual(incremental);
  });
});
