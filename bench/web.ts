// Web part of `npm run bench` (SPEC §9): builds the app, serves demo data, and measures in headless
// Chromium (a fresh browser context per run, so nothing is cached) the JavaScript loaded before the
// first chart (gzip bytes; target ≤ 150 KB) and the time from navigation to the first chart drawn (the
// app's `aida:first-chart` performance mark; target ≤ 1 s), median of the runs.
//   node --import tsx bench/web.ts [--runs 5] [--page /funnel]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { resolveConfig } from '../bin/config.ts';
import { startServer } from '../server/main.ts';
import { buildWeb, launchChromium, loadDemo } from '../test/e2e/browser.ts';

export interface WebBench {
  page: string;
  runs: number;
  /** gzip bytes of the JavaScript fetched before the first chart was drawn (median over runs) */
  initialJsGzipBytes: number;
  /** the same, as files: name → gzip bytes (from the last run) */
  initialJsFiles: Record<string, number>;
  /** ms from navigation start to the first chart drawn: each run, and the median */
  firstChartMs: number[];
  firstChartMedianMs: number;
  targets: { initialJsGzipBytes: number; firstChartMs: number };
  pass: boolean;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function runWebBench(opts: { runs?: number; page?: string } = {}): Promise<WebBench> {
  const runs = opts.runs ?? 5;
  const page = opts.page ?? '/funnel';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-web-bench-'));
  const webDir = path.join(dir, 'web');
  const db = path.join(dir, 'aida.duckdb');
  const browser = await launchChromium();
  await Promise.all([buildWeb(webDir), loadDemo(dir, db)]);
  const server = await startServer({ host: '127.0.0.1', port: 0, db, config: resolveConfig({}), webDir });
  const gz = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
  const times: number[] = [];
  const sizes: number[] = [];
  let files: Record<string, number> = {};
  try {
    // one warm-up so the server's metric cache state is the same for every measured run
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      const scripts: string[] = [];
      let drawn = false;
      tab.on('response', (r) => {
        const url = new URL(r.url());
        if (!drawn && url.pathname.endsWith('.js')) scripts.push(url.pathname);
      });
      await tab.goto(`${server.url}${page}`);
      // expressions as strings: tsx's transform would add helpers the page does not have
      await tab.waitForFunction("performance.getEntriesByName('aida:first-chart', 'mark').length > 0", null, { timeout: 30_000 });
      const ms = (await tab.evaluate("performance.getEntriesByName('aida:first-chart', 'mark')[0].startTime")) as number;
      drawn = true;
      await context.close();
      if (i === 0) continue;
      times.push(ms);
      files = Object.fromEntries([...new Set(scripts)].map((p) => [path.basename(p), gz(path.join(webDir, p))]));
      sizes.push(Object.values(files).reduce((s, n) => s + n, 0));
    }
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const targets = { initialJsGzipBytes: 150 * 1024, firstChartMs: 1000 };
  const result: WebBench = {
    page,
    runs,
    initialJsGzipBytes: median(sizes),
    initialJsFiles: files,
    firstChartMs: times.map((t) => Math.round(t)),
    firstChartMedianMs: Math.round(median(times)),
    targets,
    pass: median(sizes) <= targets.initialJsGzipBytes && median(times) <= targets.firstChartMs,
  };
  return result;
}

export function webBenchTable(r: WebBench): string {
  const rows = [
    ['web step', 'median', 'target', 'ok'],
    [`initial JS (gzip, ${r.page})`, `${(r.initialJsGzipBytes / 1024).toFixed(1)} KB`, `≤ ${r.targets.initialJsGzipBytes / 1024} KB`, r.initialJsGzipBytes <= r.targets.initialJsGzipBytes ? 'yes' : 'NO'],
    [`first chart drawn (${r.runs} runs: ${r.firstChartMs.join(', ')} ms)`, `${r.firstChartMedianMs} ms`, `≤ ${r.targets.firstChartMs} ms`, r.firstChartMedianMs <= r.targets.firstChartMs ? 'yes' : 'NO'],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, page: { type: 'string', default: '/funnel' }, json: { type: 'boolean' } } });
  const r = await runWebBench({ runs: Number(values.runs), page: values.page! });
  console.log(values.json ? JSON.stringify(r, null, 2) : webBenchTable(r));
  process.exitCode = r.pass ? 0 : 1;
}
