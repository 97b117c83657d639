// Drift test for the default database path (one owner: queries/db/paths.ts): every command that opens the
// warehouse without --db opens the same file, AIDA_DB moves it for all, and the help texts name it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databasePath, defaultDatabase } from '../../queries/db/paths.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-paths-'));
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));
const { AIDA_DB: _, ...env } = process.env;
const aida = (args: string[], extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, [path.join(repo, 'bin/aida.js'), ...args], { cwd, encoding: 'utf8', env: { ...env, ...extra } });

describe('the default database path', () => {
  it('is data/aida.duckdb, under AIDA_DB, under --db', () => {
    const outer = process.env.AIDA_DB;
    try {
      delete process.env.AIDA_DB;
      expect(defaultDatabase).toBe('data/aida.duckdb');
      expect(databasePath()).toBe('data/aida.duckdb');
      process.env.AIDA_DB = 'elsewhere.duckdb';
      expect(databasePath()).toBe('elsewhere.duckdb');
      expect(databasePath('flag.duckdb')).toBe('flag.duckdb');
    } finally {
      if (outer === undefined) delete process.env.AIDA_DB;
      else process.env.AIDA_DB = outer;
    }
  });

  it('ingest and sql without --db use the same file; AIDA_DB moves both', () => {
    fs.writeFileSync(path.join(cwd, 'orders.csv'), 'order_id,ts,customer_id,amount\n1,2026-10-01 10:00:00,c1,10.00\n2,2026-10-02 10:00:00,c2,5.00\n');
    expect(aida(['ingest', 'orders.csv']).status).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'data', 'aida.duckdb'))).toBe(true);
    const count = (extra?: Record<string, string>) => aida(['sql', 'select count(*)::integer as n from orders', '--format', 'csv'], extra);
    expect(count().stdout.trim().split(/\r?\n/)).toEqual(['n', '2']); // both rows, in the default file
    expect(aida(['ingest', 'orders.csv'], { AIDA_DB: 'moved.duckdb' }).status).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'moved.duckdb'))).toBe(true);
    expect(count({ AIDA_DB: 'moved.duckdb' }).stdout.trim().split(/\r?\n/)).toEqual(['n', '2']);
  });

  it('the help texts name the default the commands use', () => {
    for (const args of [['--help'], ['ingest', '--help'], ['snapshot', '--help']]) {
      const r = aida(args);
      expect(r.stdout + r.stderr, args.join(' ')).toContain(`default ${defaultDatabase}, env AIDA_DB`);
    }
  });
});
