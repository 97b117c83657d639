// SQL quoting has one owner (queries/db/quote.ts, and Kysely's sql.lit/sql.id where that is the same
// rule): a value with ', ", \, a tab and non-ASCII letters goes through DuckDB and back unchanged via
// each place that writes SQL text itself: the quote functions, compileLiteral, the console's parse
// (check.ts), file confinement (confine.ts), the Parquet export (export.ts) and ingest's read_csv.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { ingestFile } from '../../ingest/pipeline.ts';
import { compileLiteral } from '../../queries/db/compile.ts';
import { openDb, type Db } from '../../queries/db/open.ts';
import { ident, sqlString } from '../../queries/db/quote.ts';
import { confineFileAccess, openSql, runSql, writeParquet } from '../../queries/sql.ts';

// every character that a quoting rule could get wrong: both quotes, a backslash (literal in DuckDB's
// standard strings), a control character (tab), and letters outside ASCII
const hostile = `it's "x" a\\b\tc é中`;

let dir: string;
let db: Db;

beforeAll(async () => {
  // the folder itself carries the characters: confinement, COPY and read_csv quote its path
  dir = fs.mkdtempSync(path.join(os.tmpdir(), `aida-quote ${hostile} `));
  fs.mkdirSync(path.join(dir, 'data'));
  db = await openDb(path.join(dir, 'data', 'aida.duckdb'));
});

afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SQL quoting round-trips through DuckDB', () => {
  it('quote.ts: a string literal and an identifier', async () => {
    const { rows } = await sql.raw<Record<string, string>>(`select ${sqlString(hostile)} as ${ident(hostile)}`).execute(db.kysely);
    expect(rows).toEqual([{ [hostile]: hostile }]);
  });

  it('quote.ts refuses a NUL, which DuckDB SQL text cannot hold', () => {
    expect(() => sqlString('a\0b')).toThrow(/NUL/);
    expect(() => ident('a\0b')).toThrow(/NUL/);
  });

  it("Kysely's sql.lit and sql.id write the same forms as quote.ts", async () => {
    expect(sql`${sql.lit(hostile)} ${sql.id(hostile)}`.compile(db.kysely).sql).toBe(`${sqlString(hostile)} ${ident(hostile)}`);
    const { rows } = await sql<Record<string, string>>`select ${sql.lit(hostile)} as ${sql.id(hostile)}`.execute(db.kysely);
    expect(rows).toEqual([{ [hostile]: hostile }]);
  });

  it('compileLiteral writes a bound string parameter as a literal', async () => {
    const text = compileLiteral(sql`select ${hostile} as v`);
    expect(text).toBe(`select ${sqlString(hostile)} as v`);
    expect((await sql.raw<{ v: string }>(text).execute(db.kysely)).rows).toEqual([{ v: hostile }]);
  });

  it('ingest reads a file whose path and header carry the characters (read_csv literals)', async () => {
    const file = path.join(dir, `orders ${hostile}.csv`);
    // CSV quoting of the header and the value: " doubled inside a quoted field
    const field = `"${hostile.replaceAll('"', '""')}"`;
    fs.writeFileSync(file, `order_id,ts,customer_id,amount,${field}\no1,2026-10-02 09:00:00,${field},20.00,extra\n`);
    const summary = await ingestFile(db, file, { config: resolveConfig({}), inboxDir: path.join(dir, 'inbox') });
    expect(summary).toMatchObject({ status: 'loaded', rowsIn: 1, rowsLoaded: 1, rowsRejected: 0 });
    expect((await sql`select order_id, customer_id from orders`.execute(db.kysely)).rows).toEqual([{ order_id: 'o1', customer_id: hostile }]);
  });

  it('confine.ts writes the folder into allowed_directories; the console parses the text through json_serialize_sql', async () => {
    const inbox = path.join(dir, 'inbox');
    await confineFileAccess(db, [inbox]);
    const { rows } = await sql<{ dirs: string[] }>`select current_setting('allowed_directories') as dirs`.execute(db.kysely);
    expect(rows[0]!.dirs).toContain(`${inbox}/`); // DuckDB adds its own spill folder (<db>.tmp) beside it
    const result = await runSql(db, `select ${sqlString(hostile)} as ${ident(hostile)}`, { timeoutSeconds: 10, maxRows: 10, maxBytes: 1e6 });
    expect(result.columns.map((c) => c.name)).toEqual([hostile]);
    expect(result.rows).toEqual([[hostile]]);
  });

  it('export.ts: a Parquet file at a path with the characters, with a column named by them', async () => {
    const file = path.join(dir, `export ${hostile}.parquet`);
    const cursor = await openSql(db, `select ${sqlString(hostile)} as ${ident(hostile)}`, { timeoutSeconds: 10 });
    try {
      expect(await writeParquet(cursor, file, { maxBytes: 1e6, wallSeconds: 10 })).toBe(1);
    } finally {
      await cursor.close();
    }
    // read back by an instance of its own (the warehouse's file access is confined to the inbox)
    const reader = await DuckDBInstance.create(':memory:');
    const conn = await reader.connect();
    try {
      const read = await conn.runAndReadAll(`select * from read_parquet(${sqlString(file)})`);
      expect(read.columnNames()).toEqual([hostile]);
      expect(read.getRowsJS()).toEqual([[hostile]]);
    } finally {
      conn.closeSync();
      reader.closeSync();
    }
  });
});
