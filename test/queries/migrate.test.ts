// Schema migrations: a database made by schema version 1 upgrades to the latest without losing rows,
// and gets its derived tables rebuilt from the raw rows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDerived } from '../../ingest/ensure-derived.ts';
import { resolveConfig } from '../../bin/config.ts';
import { latestVersion, migrate, schemaVersion } from '../../queries/db/migrate.ts';
import { openDb } from '../../queries/db/open.ts';
import { sql } from 'kysely';

describe('migrations', () => {
  it('upgrades a version-1 database without losing rows', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-migrate-'));
    const file = path.join(dir, 'old.duckdb');
    const old = await openDb(file, { migrate: false });
    await migrate(old, 1);
    expect(await schemaVersion(old)).toBe(1);
    await sql`insert into events (event_id, ts, visitor_id, session_id, event, is_pageview, source_file) values
      ('e1', '2026-10-01 10:00:00+00', 'v1', null, 'pageview', true, 1),
      ('e2', '2026-10-01 10:10:00+00', 'v1', null, 'pageview', true, 1),
      ('e3', '2026-10-01 12:00:00+00', 'v1', null, 'pageview', true, 1)`.execute(old.kysely);
    await sql`insert into orders (order_id, ts, customer_id, amount, status, source_file) values ('o1', '2026-10-02 09:00:00+00', 'c1', 20.00, 'paid', 2)`.execute(old.kysely);
    await old.close();

    const db = await openDb(file);
    expect(await schemaVersion(db)).toBe(latestVersion);
    expect(latestVersion).toBeGreaterThan(1);
    expect((await sql`select count(*)::integer as n from events`.execute(db.kysely)).rows).toEqual([{ n: 3 }]);
    expect((await sql`select order_id, amount from orders`.execute(db.kysely)).rows).toEqual([{ order_id: 'o1', amount: 20 }]);
    // derived tables arrive empty and stale, and are rebuilt from the raw rows
    expect(await ensureDerived(db, resolveConfig({}))).toBe(true);
    // e1 and e2 are 10 minutes apart (one session); e3 comes 110 minutes later (a second one)
    expect((await sql`select count(*)::integer as n, sum(pageviews)::integer as pv from sessions`.execute(db.kysely)).rows).toEqual([{ n: 2, pv: 3 }]);
    expect(await ensureDerived(db, resolveConfig({}))).toBe(false);
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('version 7 drops the daily rollups nothing read, and keeps every other table', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-migrate-'));
    const db = await openDb(path.join(dir, 'v6.duckdb'), { migrate: false });
    const tables = async () => ((await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = 'main' order by 1`.execute(db.kysely)).rows).map((r) => r.t);
    await migrate(db, 6);
    const before = await tables();
    expect(before).toEqual(expect.arrayContaining(['daily_sales', 'daily_traffic']));
    await migrate(db, 7);
    expect(await schemaVersion(db)).toBe(7);
    expect(await tables()).toEqual(before.filter((t) => t !== 'daily_sales' && t !== 'daily_traffic'));
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
