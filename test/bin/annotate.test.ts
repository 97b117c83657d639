// `aida annotate` (issue 19 item 9): add, list (table and JSON), delete, the errors a person makes (a
// bad date, no note, an unknown id), and the same through a running `aida serve` that holds the file.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { startServer } from '../../server/main.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-annotate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const { AIDA_DB: _, AIDA_TOKEN: _t, ...env } = process.env;

/** Runs the built CLI without blocking this process (which may be the server the CLI hands off to). */
async function aida(db: string, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(repo, 'bin/aida.js'), 'annotate', ...args, '--db', db], { cwd: dir, env });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('aida annotate on the warehouse file', () => {
  const db = path.join(dir, 'file.duckdb');

  it('adds two, lists them by date, deletes one', async () => {
    const first = await aida(db, '2026-11-27', 'Black Friday email', '--author', 'ana');
    expect(first).toMatchObject({ status: 0, stdout: 'added annotation 1: 2026-11-27 Black Friday email (ana)\n' });
    expect((await aida(db, '2026-11-02', 'Price change')).stdout).toBe('added annotation 2: 2026-11-02 Price change\n');
    const table = await aida(db, '--list');
    // by date: the 2 Nov note (id 2) before the 27 Nov one (id 1)
    expect(table.stdout.split('\n').slice(2, 4).map((l) => l.split('|').map((c) => c.trim()))).toEqual([
      ['2', '2026-11-02', 'Price change', 'NULL'],
      ['1', '2026-11-27', 'Black Friday email', 'ana'],
    ]);
    expect(table.stdout).toContain('(2 rows)');
    expect((await aida(db, '--delete', '2')).stdout).toBe('deleted annotation 2\n');
    const json = JSON.parse((await aida(db, '--list', '--json')).stdout) as { id: number; date: string; note: string; author: string | null }[];
    expect(json.map((a) => [a.id, a.date, a.note, a.author])).toEqual([[1, '2026-11-27', 'Black Friday email', 'ana']]);
  });

  it('a date that is not a calendar date, a missing note or a bad id is exit 2 naming it; an unknown id is exit 1', async () => {
    const feb = await aida(db, '2026-02-30', 'x');
    expect(feb.status).toBe(2);
    expect(feb.stderr).toBe("aida annotate: date '2026-02-30': expected a real calendar date\n");
    const noNote = await aida(db, '2026-11-02');
    expect(noNote.status).toBe(2);
    expect(noNote.stderr).toContain('expected a date and a note');
    const blank = await aida(db, '2026-11-02', '  ');
    expect(blank.stderr).toBe("aida annotate: note '  ': expected a note\n");
    expect((await aida(db, '--delete', 'two')).status).toBe(2);
    const gone = await aida(db, '--delete', '99');
    expect(gone).toMatchObject({ status: 1, stderr: 'aida annotate: no annotation 99\n' });
  });
});

describe('aida annotate while aida serve holds the file', () => {
  it('sends the note to the server, which keeps it; list and delete go there too', async () => {
    const db = path.join(dir, 'served.duckdb');
    const server = await startServer({ host: '127.0.0.1', port: 0, db, config: resolveConfig({}), webDir: path.join(dir, 'no-web') });
    try {
      expect((await aida(db, '2026-11-27', 'Black Friday email')).stdout).toBe('added annotation 1: 2026-11-27 Black Friday email\n');
      const kept = (await (await fetch(`${server.url}/api/annotations`)).json()) as { annotations: { note: string }[] };
      expect(kept.annotations.map((a) => a.note)).toEqual(['Black Friday email']);
      expect((await aida(db, '--list')).stdout).toContain('| Black Friday email |');
      expect((await aida(db, '--delete', '1')).stdout).toBe('deleted annotation 1\n');
      const gone = await aida(db, '--delete', '1');
      expect(gone.status).toBe(1);
      expect(gone.stderr).toContain('answered 404: no annotation 1');
    } finally {
      await server.close();
    }
  });
});
