// The one database API (queries/db/): Kysely transactions whose access mode and isolation level the
// DuckDB driver honours, a pool that never hands out a connection holding another caller's temp tables,
// and the write counter (Db.generation) that remembered reads depend on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../queries/db/open.ts';

let dir: string;
let db: Db;
const metaKeys = async () => (await sql<{ key: string }>`select key from meta where key like 'test:%' order by key`.execute(db.kysely)).rows.map((r) => r.key);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-db-api-'));
  db = await openDb(path.join(dir, 'aida.duckdb'));
});

afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Kysely transactions on DuckDB', () => {
  it('a read only transaction refuses a write, and nothing is written', async () => {
    const write = db.kysely.transaction().setAccessMode('read only').execute((trx) => sql`insert into meta values ('test:ro', 'x')`.execute(trx));
    await expect(write).rejects.toThrow(/read-only|Cannot write/i);
    expect(await metaKeys()).toEqual([]);
  });

  it('a read write transaction commits, and one that throws is rolled back', async () => {
    await db.kysely.transaction().setAccessMode('read write').execute((trx) => sql`insert into meta values ('test:a', 'x')`.execute(trx));
    const failing = db.kysely.transaction().execute(async (trx) => {
      await sql`insert into meta values ('test:b', 'x')`.execute(trx);
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await metaKeys()).toEqual(['test:a']);
  });

  it('snapshot isolation and weaker levels run; serializable is refused, not faked', async () => {
    for (const level of ['snapshot', 'repeatable read', 'read committed'] as const) {
      expect(await db.kysely.transaction().setIsolationLevel(level).execute(async (trx) => (await sql<{ n: number }>`select 1 as n`.execute(trx)).rows)).toEqual([{ n: 1 }]);
    }
    await expect(db.kysely.transaction().setIsolationLevel('serializable').execute(async () => 1)).rejects.toThrow(/snapshot isolation and cannot give serializable/);
  });

  it('when there is nothing left to roll back, the error that caused the rollback is the one reported', async () => {
    const failing = db.kysely.transaction().execute(async (trx) => {
      await sql`commit`.execute(trx); // the transaction ends early: the driver's rollback finds none
      throw new Error('the cause');
    });
    await expect(failing).rejects.toThrow('the cause');
  });
});

describe('the connection pool', () => {
  it("a connection that made a temp table is closed: the next caller never sees it", async () => {
    await db.kysely.connection().execute(async (c) => {
      await sql`create temp table _in_probe as select 1 as x`.execute(c);
      expect((await sql<{ n: number }>`select count(*)::integer as n from _in_probe`.execute(c)).rows).toEqual([{ n: 1 }]);
    });
    // eight connections at once: any pooled one would be among them
    const seen = await Promise.all(Array.from({ length: 8 }, () => db.kysely.connection().execute(async (c) => (await sql<{ n: number }>`select count(*)::integer as n from duckdb_tables() where temporary and table_name = '_in_probe'`.execute(c)).rows[0]!.n)));
    expect(seen).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('Db.generation moves on a write and on its commit, never on a read', async () => {
    const before = db.generation;
    await sql`select count(*) from meta`.execute(db.kysely);
    await db.kysely.transaction().setAccessMode('read only').execute((trx) => sql`select 1`.execute(trx));
    expect(db.generation).toBe(before);
    await sql`insert into meta values ('test:g', 'x')`.execute(db.kysely);
    expect(db.generation).toBe(before + 1); // the insert (autocommit)
    await db.kysely.transaction().execute((trx) => sql`delete from meta where key = 'test:g'`.execute(trx));
    expect(db.generation).toBe(before + 3); // the delete, then its commit
  });
});
