// `aida ingest` as a user runs it: summary table, --json, exit codes 0/1/2, no stack traces.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../queries/db/open.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-cli-'));
const db = path.join(dir, 'aida.duckdb');
const aida = (...args: string[]) => spawnSync(process.execPath, ['bin/aida.js', ...args, '--db', db], { encoding: 'utf8' });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('aida config check', () => {
  it('accepts the empty config and explains each problem by its path', () => {
    const ok = path.join(dir, 'ok.json');
    fs.writeFileSync(ok, '{}');
    const good = spawnSync(process.execPath, ['bin/aida.js', 'config', 'check', '--config', ok], { encoding: 'utf8' });
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/ok \(timezone UTC, week starts monday, 6 stages, 9 channel rules, 0 tokens\)/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ timezone: 'Mars/Base', tiers: { a: 0.9, b: 0.5 }, sql: { timeout_seconds: '2' }, colour: 'red' }));
    const r = spawnSync(process.execPath, ['bin/aida.js', 'config', 'check', '--config', bad], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').slice(1).map((l) => l.trim()).filter(Boolean).sort()).toEqual([
      '- (top level): unknown key "colour"',
      '- sql.timeout_seconds: Invalid input: expected number, received string',
      '- tiers.b: tiers.a must be below tiers.b',
      '- timezone: expected an IANA time zone such as "Europe/London" or "UTC"',
    ]);
  });
});

describe('aida ingest', () => {
  it('loads a file, prints the summary table and exits 0 (rejected rows are warnings)', () => {
    const file = path.join(dir, 'orders.csv');
    fs.writeFileSync(file, 'order_id,ts,customer_id,amount\n1,2026-10-01 10:00:00,c1,10.00\n2,2026-10-02 10:00:00,c2,abc\n');
    const r = aida('ingest', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/orders\.csv\s+loaded\s+sales\s+1\s+0\s+1/);
    expect(r.stdout).toMatch(/rejected rows are in the rejects table/);
  });

  it('--json prints the machine-readable summary; the same file again is skipped', () => {
    const r = aida('ingest', '--json', path.join(dir, 'orders.csv'));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.files[0]).toMatchObject({ status: 'skipped', rowsIn: 0 });
    expect(out.files[0].message).toMatch(/already loaded as file 1/);
  });

  it('exits 1 with a one-line error naming a truncated gzip, and no stack trace', () => {
    const gz = zlib.gzipSync(Buffer.from('order_id,ts,amount\n' + '1,2026-10-01,5\n'.repeat(20000)));
    const file = path.join(dir, 'cut.csv.gz');
    fs.writeFileSync(file, gz.subarray(0, gz.length - 40));
    const r = aida('ingest', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/error: .*cut\.csv\.gz: the gzip stream is truncated or damaged/);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 naming the missing column for a file of the wrong kind, and for an empty file', () => {
    const wrong = path.join(dir, 'wrong.csv');
    fs.writeFileSync(wrong, 'order_id,paid_on,total\n1,2026-10-01,5\n');
    const r = aida('ingest', '--kind', 'sales', wrong);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/error: .*wrong\.csv: is not a sales file: missing column 'ts'/);
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    const e = aida('ingest', empty);
    expect(e.status).toBe(1);
    expect(e.stdout).toMatch(/error: .*empty\.csv: is empty \(0 bytes\)/);
  });

  it('while another process holds the database, says so plainly instead of a DuckDB lock error', async () => {
    const held = await openDb(db);
    try {
      const r = aida('ingest', path.join(dir, 'orders.csv'));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/aida\.duckdb is in use by another aida process \(pid \d+\)/);
      expect(r.stderr).not.toMatch(/IO Error|Conflicting lock/);
    } finally {
      await held.close();
    }
  });

  it('exits 2 on usage errors', () => {
    expect(aida('ingest').status).toBe(2);
    const r = aida('ingest', '--kind', 'weird', path.join(dir, 'orders.csv'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--kind must be one of web, sales, campaigns, complaints/);
  });

  it('aida sql reads what was loaded, and cannot write', () => {
    const out = execFileSync(process.execPath, ['bin/aida.js', 'sql', '--db', db, '--format', 'csv', 'select order_id, amount from orders'], { encoding: 'utf8' });
    expect(out.trim()).toBe('order_id,amount\n1,10');
    const write = aida('sql', 'delete from orders');
    expect(write.status).toBe(1);
    expect(write.stderr).toMatch(/read-only/i);
  });
});
