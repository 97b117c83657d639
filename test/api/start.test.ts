// `aida start` (what `npm start` runs) on a fresh database: creates demo data, builds the web app if
// needed, and serves a page and a real /api/health on a real port.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-start-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('aida start', () => {
  it('serves the demo data on first run', async () => {
    const db = path.join(dir, 'data', 'aida.duckdb');
    const child = spawn(process.execPath, ['bin/aida.js', 'start', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (d) => (output += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        output += d;
        const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`aida start exited ${code}:\n${output}`)));
    });
    try {
      const health = await (await fetch(`${url}/api/health`)).json();
      expect(health.status).toBe('ok');
      // the demo manifest counts minus its malformed and duplicate rows are what got loaded
      const manifest = fs.readdirSync(path.join(dir, 'data', 'demo'));
      expect(manifest.sort()).toEqual(['campaigns.csv', 'complaints.csv', 'orders.csv', 'web-events.csv']);
      const lines = (f: string) => fs.readFileSync(path.join(dir, 'data', 'demo', f), 'utf8').trimEnd().split('\n').length - 1;
      expect(health.counts.orders).toBe(lines('orders.csv') - 2); // 2 orders with amount 'abc' are rejected
      expect(health.counts.campaigns).toBe(lines('campaigns.csv'));
      expect(health.counts.complaints).toBe(lines('complaints.csv'));
      expect(health.counts.events).toBe(lines('web-events.csv') - 5 - 4); // 5 malformed rows, 4 duplicates
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<aida-app>');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
