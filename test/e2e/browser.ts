// The browser end-to-end harness: the web app built by Vite into a temp folder, demo data loaded by the
// real `aida demo --load`, the real server (startServer) on a free port, and Debian's Chromium driven by
// playwright-core. Every page's console errors, page errors and failed requests are collected so a test
// can assert there were none. A missing Chromium fails (never skips) the suite. Also what the page tests
// share: opening a watched page, finishing it (screenshot, no problems), polling, the API, axe-core.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { expect } from 'vitest';
import { resolveConfig, type AidaConfig as Config } from '../../bin/config.ts';
import { startServer, type Listening } from '../../server/main.ts';

export const chromiumPath = process.env.AIDA_CHROMIUM ?? '/usr/bin/chromium';

export interface Harness {
  dir: string;
  db: string;
  webDir: string;
  server: Listening;
  browser: Browser;
  close(): Promise<void>;
}

/** The fixed demo window, so the same data (and the same numbers) every run. */
export const demoEnd = '2026-11-23';

export async function buildWeb(outDir: string): Promise<void> {
  await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

export async function loadDemo(dir: string, db: string): Promise<void> {
  await promisify(execFile)(process.execPath, ['bin/aida.js', 'demo', '--load', '--db', db, '--out', path.join(dir, 'demo'), '--end', demoEnd], { maxBuffer: 1 << 24 });
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}: install Debian's chromium (apt-get install chromium) or set AIDA_CHROMIUM; browser tests never skip`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

export async function startHarness(): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-e2e-'));
  const db = path.join(dir, 'aida.duckdb');
  const webDir = path.join(dir, 'web');
  // the browser first, so a missing Chromium fails before the slower steps
  const browser = await launchChromium();
  await Promise.all([buildWeb(webDir), loadDemo(dir, db)]);
  const server = await startServer({ host: '127.0.0.1', port: 0, db, config: resolveConfig({}), webDir });
  return {
    dir,
    db,
    webDir,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Serves the same database with API tokens configured (after the open server has closed it). */
export async function startWithTokens(h: Harness, tokens: Config['auth']['tokens']): Promise<Listening> {
  return startServer({ host: '127.0.0.1', port: 0, db: h.db, config: resolveConfig({ auth: { tokens } }), webDir: h.webDir });
}

export interface Watched {
  page: Page;
  /** console errors, uncaught exceptions, failed requests and HTTP errors seen so far */
  problems: string[];
  /** responses with these statuses on these paths are expected (a refusal the test provokes) */
  allow(status: number, pathPart: string): void;
}

export async function watchedPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<Watched> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  const allowed: { status: number; pathPart: string }[] = [];
  const isAllowed = (status: number, url: string) => allowed.some((a) => a.status === status && new URL(url).pathname.includes(a.pathPart));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium also logs each HTTP error response; an expected one is not a problem
    const status = /status of (\d{3})/.exec(m.text())?.[1];
    if (status && m.location().url && isAllowed(Number(status), m.location().url)) return;
    problems.push(`console error: ${m.text()} ${m.location().url ?? ''}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (r.status() >= 400 && !isAllowed(r.status(), r.url())) {
      problems.push(`HTTP ${r.status()}: ${r.request().method()} ${url.pathname}${url.search}`);
    }
  });
  return {
    page,
    problems,
    allow: (status, pathPart) => {
      allowed.push({ status, pathPart });
    },
  };
}

/** Where the end-to-end screenshots go. */
export const screenshotDir = path.resolve('test-output/e2e-screenshots');

/** expect.poll with room for a busy machine (its default gives up after 1 s). */
export const until = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

export interface PageKit {
  /** a page of the app at `width` px, watched for console errors and failed requests */
  open(url: string, width?: number): Promise<Watched>;
  /** takes the full-page screenshot `name`, closes the page, and fails on anything it saw go wrong */
  finish(w: Watched, name: string): Promise<void>;
  /** GET /api/<pathAndQuery> from the test, asserting a 200 */
  get<T>(pathAndQuery: string): Promise<T>;
}

/** The page helpers of one test file; `target` is read at each call (its server starts in beforeAll). */
export function pageKit(target: () => { browser: Browser; url: string }): PageKit {
  fs.mkdirSync(screenshotDir, { recursive: true });
  return {
    async open(url, width = 1440) {
      const w = await watchedPage(target().browser, { width, height: 900 });
      await w.page.goto(`${target().url}${url}`);
      return w;
    },
    async finish(w, name) {
      await w.page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
      const problems = [...w.problems];
      await w.page.close();
      expect(problems, `${name}: console errors or failed requests`).toEqual([]);
    },
    async get<T>(pathAndQuery: string) {
      const res = await fetch(`${target().url}/api/${pathAndQuery}`);
      expect(res.status, pathAndQuery).toBe(200);
      return (await res.json()) as T;
    },
  };
}

export interface AxeFinding {
  id: string;
  impact: string;
  nodes: number;
  example: string;
}

/** axe-core's violations on the page as it is (axe injected from node_modules). */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  await page.addScriptTag({ path: path.resolve('node_modules/axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown[] }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, example: JSON.stringify(v.nodes[0]?.target) }));
  });
}
