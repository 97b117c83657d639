// The property facts ingest keeps for GET /api/properties' key list (ingest/derive-properties.ts):
// the list read from them equals the list scanned from the events and orders (the path filtered
// requests still take) for any period — on the property-shop fixture, after two overlapping loads (the
// second repeats events, replaces an order and links another visitor), after `aida rebuild`, and on a
// database made before the tables existed (migration 013).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { ensureDerived } from '../../ingest/ensure-derived.ts';
import { ingestFile } from '../../ingest/pipeline.ts';
import { openDb, type Db } from '../../queries/db/open.ts';
import { keptKeysSql, propertiesParams, scannedSql } from '../../queries/properties.ts';
import { zonedMidnight, type Period } from '../../queries/shared/period.ts';
import { propertyShopMessages, propertyShopNdjson } from '../fixtures/property-shop.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const config = resolveConfig({});
const periodOf = (from: string, to: string): Period => ({ from, to, start: zonedMidnight(from, config.timezone), end: zonedMidnight(to, config.timezone), days: 0 });
type Row = [string, number, number, number];

/** The key list both ways: [key, events, orders, persons], and the distinct count. */
async function lists(db: Db, from: string, to: string): Promise<{ kept: Row[]; scanned: Row[]; distinct: number[] }> {
  const p = periodOf(from, to);
  const kept = (await keptKeysSql(p).execute(db.kysely)).rows;
  const scanned = (await scannedSql(p, propertiesParams.parse({})).execute(db.kysely)).rows;
  const table = (rows: typeof kept): Row[] => rows.map((r) => [r.name, r.events, r.orders, r.persons]);
  return { kept: table(kept), scanned: table(scanned), distinct: [kept[0]?.distinct ?? 0, scanned[0]?.distinct ?? 0] };
}

// whole month, single days, a window in the middle, a window ending before the data, one starting after it
const periods: [string, string][] = [
  ['2026-11-01', '2026-12-01'], ['2026-11-02', '2026-11-03'], ['2026-11-03', '2026-11-06'], ['2026-11-06', '2026-11-07'],
  ['2026-11-04', '2026-11-09'], ['2026-11-08', '2026-11-09'], ['2026-10-01', '2026-11-02'], ['2026-11-09', '2026-12-01'],
];

async function expectSameEverywhere(db: Db): Promise<void> {
  for (const [from, to] of periods) {
    const l = await lists(db, from, to);
    expect(l.kept, `${from}..${to}`).toEqual(l.scanned);
    expect(l.distinct[0], `${from}..${to} distinct`).toBe(l.distinct[1]);
  }
}

describe('kept property facts', () => {
  let w: TempWarehouse;
  beforeAll(async () => {
    w = await tempWarehouse();
  });
  afterAll(async () => w.close());

  it('the fixture in one load: the kept key list is the scanned one for every period', async () => {
    expect((await w.ingest(w.file('shop.json', propertyShopNdjson))).status).toBe('loaded');
    await expectSameEverywhere(w.db);
    // 11-03..11-05 by hand (fixture table): anon-2's page (context, title, plan, experiment) and Product
    // Viewed (context, event), anon-3's page (context, title, plan), anon-4's page (context, title, experiment);
    // ties on persons by events + orders, then by name (experiment before plan)
    expect((await lists(w.db, '2026-11-03', '2026-11-06')).kept).toEqual([
      ['context', 4, 0, 3], ['title', 3, 0, 3], ['experiment', 2, 0, 2], ['plan', 2, 0, 2], ['event', 1, 0, 1],
    ]);
    // one person a day: 11-06 is anon-5's page, Product Viewed and Product Added
    expect((await lists(w.db, '2026-11-06', '2026-11-07')).kept).toEqual([['context', 3, 0, 1], ['plan', 3, 0, 1], ['event', 2, 0, 1], ['title', 1, 0, 1]]);
  });
});

describe('kept property facts over two overlapping loads', () => {
  let w: TempWarehouse;
  beforeAll(async () => {
    w = await tempWarehouse();
  });
  afterAll(async () => w.close());

  // the second file repeats the fixture's first seven messages (anon-1 and anon-2: duplicates, not loaded
  // again), brings the other five, completes order o-1 again on 11-08 for 25.00 on plan team (the stored
  // order is replaced by the file's: a6's amount and properties, the time of its first Order Completed,
  // 11-02) and identifies anon-3 as u1 (anon-3's rows become u1's person)
  const first = propertyShopMessages.slice(0, 7).join('\n') + '\n';
  const ctx = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', page: { url: 'https://shop.example/' } };
  const second = [
    ...propertyShopMessages,
    JSON.stringify({ context: ctx, type: 'track', event: 'Order Completed', messageId: 'a6', anonymousId: 'anon-1', userId: 'u1', properties: { order_id: 'o-1', total: 25, currency: 'USD', plan: 'team' }, timestamp: '2026-11-08T10:00:00Z' }),
    JSON.stringify({ context: ctx, type: 'identify', messageId: 'c2', anonymousId: 'anon-3', userId: 'u1', timestamp: '2026-11-04T11:05:00Z' }),
  ].join('\n') + '\n';

  it('after the first load and after the second the kept list is the scanned one for every period', async () => {
    expect((await w.ingest(w.file('first.json', first))).status).toBe('loaded');
    await expectSameEverywhere(w.db);
    // the first file alone: u1's five messages and order on 11-02, anon-2's two on 11-03; plan on a1, a2,
    // a3, a5, b1 and the order (6) before event on a2, a3, a5, b2 and the order (5)
    expect((await lists(w.db, '2026-11-01', '2026-12-01')).kept.slice(0, 3)).toEqual([['context', 7, 1, 2], ['plan', 5, 1, 2], ['event', 4, 1, 2]]);

    const r = await w.ingest(w.file('second.json', second));
    expect(r).toMatchObject({ status: 'loaded', rowsDuplicate: 7 });
    await expectSameEverywhere(w.db);
    const whole = (await lists(w.db, '2026-11-01', '2026-12-01')).kept;
    // persons: u1 (anon-1 and now anon-3), anon-2, anon-4, anon-5. context: the fixture's 12 messages,
    // a6 and c2 = 14 events, 4 persons; title on the 5 pages of 4 persons; plan: the fixture's 9 events and
    // a6 (u1, anon-2, anon-5); the order o-1 once, as replaced (its properties are a6's)
    expect(whole).toEqual([
      ['context', 14, 1, 4], ['title', 5, 0, 4], ['plan', 10, 1, 3], ['event', 7, 1, 3], ['experiment', 3, 0, 3],
      ['currency', 2, 1, 1], ['order_id', 2, 1, 1], ['total', 2, 1, 1],
    ]);
    // the replaced order stays on 11-02 beside a5; 11-08 has a6 alone, an event of u1's
    expect((await lists(w.db, '2026-11-02', '2026-11-03')).kept.find((x) => x[0] === 'order_id')).toEqual(['order_id', 1, 1, 1]);
    expect((await lists(w.db, '2026-11-08', '2026-11-09')).kept).toEqual([['context', 1, 0, 1], ['currency', 1, 0, 1], ['event', 1, 0, 1], ['order_id', 1, 0, 1], ['plan', 1, 0, 1], ['total', 1, 0, 1]]);
  });

  it('an order moved to another day by a later sales file leaves its old day', async () => {
    // o-9 of customer c9 with an extra column (a property: gift_wrap) on 11-10, then again on 11-12 for more
    const orders = (day: string, amount: string) => `order_id,ts,customer_id,amount,gift_wrap\no-9,${day} 10:00:00,c9,${amount},yes\n`;
    expect((await w.ingest(w.file('orders-1.csv', orders('2026-11-10', '10.00')))).status).toBe('loaded');
    expect((await lists(w.db, '2026-11-10', '2026-11-11')).kept).toEqual([['gift_wrap', 0, 1, 1]]);
    expect((await w.ingest(w.file('orders-2.csv', orders('2026-11-12', '12.00')))).status).toBe('loaded');
    expect((await lists(w.db, '2026-11-10', '2026-11-11')).kept).toEqual([]);
    expect((await lists(w.db, '2026-11-10', '2026-11-13')).kept).toEqual([['gift_wrap', 0, 1, 1]]);
    await expectSameEverywhere(w.db);
  });

  it('aida rebuild (derived tables made again from the rows) keeps the same facts', async () => {
    const facts = async () => ({
      days: await w.rows('select * from property_days order by all'),
      persons: await w.rows('select * from property_persons order by all'),
      sets: await w.rows('select * from property_day_sets order by all'),
    });
    const before = await facts();
    expect(before.persons.length).toBeGreaterThan(10);
    // the sets after the loads' increments are the ones counted from the persons afresh; one set here has
    // two days: u1's title (11-02 page; anon-3's 11-04 page since the merge)
    expect(before.sets.filter((x) => (x.days as unknown[]).length > 1).map((x) => x.key)).toContain('title');
    await sql`update meta set value = 'stale' where key = 'derived_fingerprint'`.execute(w.db.kysely);
    expect(await ensureDerived(w.db, config)).toBe(true);
    expect(await facts()).toEqual(before);
  });
});

describe('a database made before the property facts', () => {
  it('gets them on migration 013 and the rebuild it asks for', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-props-'));
    const file = path.join(dir, 'aida.duckdb');
    try {
      let db = await openDb(file);
      fs.writeFileSync(path.join(dir, 'shop.json'), propertyShopNdjson);
      expect((await ingestFile(db, path.join(dir, 'shop.json'), { config, inboxDir: path.join(dir, 'inbox') })).status).toBe('loaded');
      // as an aida of schema 12 left it: no property tables, derived tables current
      await sql`drop table property_days; drop table property_persons; drop table property_day_sets; delete from aida_migrations where version = 13`.execute(db.kysely);
      await db.close();
      db = await openDb(file);
      expect(await ensureDerived(db, config)).toBe(true);
      await expectSameEverywhere(db);
      expect((await lists(db, '2026-11-01', '2026-12-01')).kept[0]).toEqual(['context', 12, 1, 5]);
      await db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
