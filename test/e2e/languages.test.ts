// The Funnel, Efficiency and Weekly pages and the weekly snapshot file in 简体 and 繁體 (real Chromium, the
// real server on demo data, `aida snapshot --lang`): no note, footnote, label, table heading or chart text
// is left in English. And the Weekly page and the file word the weekly change the same way, figure by
// figure, on a small hand-made warehouse with a rising, a falling, an unchanged figure and a week
// without a previous one.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { JSDOM } from 'jsdom';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { startServer, type Listening } from '../../server/main.ts';
import type { SnapshotResult } from '../../web/api.ts';
import type { Locale } from '../../web/i18n/index.ts';
import { renderSnapshot } from '../../web/snapshot/render.ts';
import { tempWarehouse } from '../support/temp-warehouse.ts';
import { startHarness, watchedPage, type Harness, type Watched } from './browser.ts';

let h: Harness;
let w: Watched | undefined;

beforeAll(async () => {
  h = await startHarness();
}, 240_000);
afterAll(async () => h?.close());
afterEach(async () => {
  const problems = w?.problems ?? [];
  await w?.page.close();
  w = undefined;
  expect(problems, 'console errors or failed requests').toEqual([]);
});

async function api<T>(base: string, pathAndQuery: string): Promise<T> {
  const res = await fetch(`${base}/api/${pathAndQuery}`);
  if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function open(base: string, pathAndQuery: string): Promise<Page> {
  w = await watchedPage(h.browser);
  await w.page.goto(`${base}${pathAndQuery}`);
  return w.page;
}

/**
 * The text a reader sees in a page's own content: notes and footnotes (ul.notes, ul.notable), table
 * headings and cells, muted and empty-state lines, headings, every chart's text (titles, legends, axes,
 * bar labels) and the tooltips of the weekly figures (title attributes). The shared date/filter controls
 * (<aida-controls>) are not part of these pages' metric text and are left out.
 */
async function visibleText(page: Page, tag: string): Promise<string[]> {
  const selectors = ['ul.notes li', 'ul.notable li', 'th', 'td', 'p.muted', 'p.empty', 'h1', 'h2'];
  const texts: string[] = [];
  // rendered text (innerText): a sparkline's <style> is not text anyone reads; SVG text has textContent only
  for (const s of selectors) texts.push(...(await page.locator(`${tag} ${s}`).allInnerTexts()));
  texts.push(...(await page.locator(`${tag} svg text`).allTextContents()));
  for (const s of ['tr[title]', 'td[title]']) {
    for (const el of await page.locator(`${tag} ${s}`).all()) texts.push((await el.getAttribute('title')) ?? '');
  }
  return texts.map((x) => x.trim()).filter(Boolean);
}

/**
 * English left in a Chinese text: a run of 4 or more Latin letters, after removing what is allowed to
 * stay Latin — the data's own names (channel, campaign, source and medium values the API returned), the
 * config and CLI names the notes quote (aida.config.json, `audience`, `aida ingest`, utm_campaign,
 * q4_mode nested), the product's name aida (the file's footer), the model's name AIDA, ROAS and ISO. Shorter runs (UTC, GBP, pt, W47) pass.
 */
function english(texts: string[], dataNames: string[]): string[] {
  const allowed = [
    ...dataNames.filter((n) => n.length >= 4).sort((a, b) => b.length - a.length),
    'aida.config.json', 'aida ingest', 'aida demo --load', 'aida', 'AIDA', 'audience', 'utm_campaign', 'q4_mode nested', 'ROAS', 'ISO',
  ];
  const found: string[] = [];
  for (const text of texts) {
    let rest = text.replace(/`[^`]*`/g, ' '); // a command in backticks is typed as it is, in every language
    for (const a of allowed) rest = rest.split(a).join(' ');
    const hit = rest.match(/[A-Za-z]{4,}/g);
    if (hit) found.push(`${hit.join(',')} in "${text}"`);
  }
  return found;
}

interface Named {
  value: string;
}

describe('the Funnel, Efficiency and Weekly pages leave nothing in English in 简体 and 繁體', () => {
  for (const lang of ['zh-Hans', 'zh-Hant'] as const) {
    it(`${lang}: the funnel (with a channel breakdown, any order) and its trend`, async () => {
      const q = 'breakdown=channel&mode=any-order';
      const r = await api<{ breakdown: { values: Named[] }; notes: { code: string }[] }>(h.server.url, `funnel?${q}`);
      // the notes the test must see worded: the late window and the any-order mode
      expect(r.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['funnel_window_past_data', 'funnel_any_order']));
      // the correlation table under the funnel names pages, events and touch values: data, not interface text
      const c = await api<{ raising: Named[]; lowering: Named[] }>(h.server.url, 'funnel/correlation');
      const page = await open(h.server.url, `/funnel?${q}&lang=${lang}`);
      await expect.poll(() => page.locator('aida-funnel-page ul.notes li').count()).toBe(r.notes.length);
      await expect.poll(() => page.locator('aida-funnel-page aida-chart svg').count()).toBe(3);
      await expect.poll(() => page.locator('aida-funnel-correlation tr[data-item]').count(), { timeout: 30_000 }).toBe(c.raising.length + c.lowering.length);
      const texts = await visibleText(page, 'aida-funnel-page');
      expect(texts.length).toBeGreaterThan(20);
      expect(english(texts, [...r.breakdown.values, ...c.raising, ...c.lowering].map((v) => v.value))).toEqual([]);
    }, 60_000);

    it(`${lang}: the efficiency chain with a campaign breakdown`, async () => {
      const q = 'breakdown=campaign';
      const r = await api<{ breakdown: { values: Named[] }; notes: unknown[] }>(h.server.url, `efficiency?${q}`);
      const page = await open(h.server.url, `/efficiency?${q}&lang=${lang}`);
      await expect.poll(() => page.locator('aida-efficiency-page tr[data-level]').count()).toBe(6);
      await expect.poll(() => page.locator('aida-efficiency-page ul.notes li').count()).toBe(r.notes.length);
      const texts = await visibleText(page, 'aida-efficiency-page');
      expect(english(texts, r.breakdown.values.map((v) => v.value))).toEqual([]);
    }, 60_000);

    it(`${lang}: the weekly snapshot, its notable movements and footnotes`, async () => {
      const r = await api<SnapshotResult>(h.server.url, 'snapshot');
      expect(r.notable.length).toBeGreaterThan(0);
      const page = await open(h.server.url, `/weekly?lang=${lang}`);
      await expect.poll(() => page.locator('aida-weekly-page ul.notable li').count()).toBe(r.notable.length);
      await expect.poll(() => page.locator('aida-weekly-page ul.notes li').count()).toBe(r.notes.length);
      const texts = await visibleText(page, 'aida-weekly-page');
      const names = [...r.topCampaigns.byPurchasers, ...r.topCampaigns.byRoas].flatMap((c) => [c.campaign, c.source, c.medium]);
      expect(english(texts, names)).toEqual([]);
    }, 60_000);
  }

  it('the snapshot file of `aida snapshot --lang zh-Hans`', async () => {
    // the server holds the warehouse: close it first (the harness closes it again harmlessly)
    await h.server.close();
    const out = path.join(h.dir, 'weekly-zh.html');
    await promisify(execFile)(process.execPath, ['bin/aida.js', 'snapshot', '--db', h.db, '--lang', 'zh-Hans', '--out', out], { maxBuffer: 1 << 24 });
    const doc = new JSDOM(fs.readFileSync(out, 'utf8')).window.document;
    expect(doc.documentElement.lang).toBe('zh-Hans');
    expect(doc.title).toBe('每周简报 2026-W47');
    // the charts' inline <style> is not text anyone reads
    for (const style of doc.querySelectorAll('body style')) style.remove();
    const texts = [...doc.querySelectorAll('h1, h2, th, td, li, p, .sub, svg text')].map((e) => e.textContent!.trim()).filter(Boolean);
    const titles = [...doc.querySelectorAll('td[title]')].map((e) => e.getAttribute('title')!);
    const names = [...doc.querySelectorAll('table.campaigns td:first-child')].flatMap((td) => [td.firstChild?.textContent?.trim() ?? '', ...(td.querySelector('.key')?.textContent ?? '').split(' / ')]);
    expect(doc.querySelectorAll('ul.notes li').length).toBeGreaterThan(0);
    expect(english([...texts, ...titles], names.map((n) => n.trim()).filter(Boolean))).toEqual([]);
  }, 120_000);
});

// Orders only, Wednesdays and Thursdays 10:00 UTC; ISO weeks W44 (no data), W45 11-02, W46 11-09:
//   W45: o1 c1 100, o2 c2 50          → orders 2, revenue 150, new customers 2 (c1, c2)
//   W46: o3 c1 300, o4 c3 50          → orders 2, revenue 350, new customers 1 (c3), returning 1 (c1)
// W46 vs W45: revenue 350/150 − 1 = +133.3% (rising), new customers 1/2 − 1 = −50.0% (falling), orders
// 2/2 − 1 = 0.0% (unchanged); W45 has no previous week (W44 is before the data): its change is "–".
const orders = `order_id,ts,customer_id,amount,status
o1,2026-11-04T10:00:00Z,c1,100.00,paid
o2,2026-11-05T10:00:00Z,c2,50.00,paid
o3,2026-11-11T10:00:00Z,c1,300.00,paid
o4,2026-11-12T10:00:00Z,c3,50.00,paid
`;

describe('the Weekly page and the snapshot file show the same weekly change', () => {
  let server: Listening;
  let dir: string;
  beforeAll(async () => {
    const wh = await tempWarehouse();
    dir = wh.dir;
    const s = await wh.ingest(wh.file('orders.csv', orders));
    expect(s.rowsRejected).toBe(0);
    // the warehouse file stays in dir; the server opens it once the loader has closed it
    const db = path.join(dir, 'aida.duckdb');
    await wh.db.close();
    server = await startServer({ host: '127.0.0.1', port: 0, db, config: resolveConfig({}), webDir: h.webDir });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Each figure's row as the page shows it: name, this week, previous, average, change. */
  async function pageRows(week: string, lang: Locale): Promise<string[][]> {
    const page = await open(server.url, `/weekly?week=${week}&lang=${lang}`);
    await expect.poll(() => page.locator('aida-weekly-page [data-week]').first().textContent()).toBe(week);
    await expect.poll(() => page.locator('aida-weekly-page tr[data-metric]').count()).toBe(15);
    const rows: string[][] = [];
    for (const tr of await page.locator('aida-weekly-page tr[data-metric]').all()) {
      rows.push([await tr.locator('th').textContent(), ...(await tr.locator('td[data-value], td[data-previous], td[data-trailing], td[data-change]').allTextContents())].map((x) => x!.trim()));
    }
    await w!.page.close();
    expect(w!.problems).toEqual([]);
    w = undefined;
    return rows;
  }

  /** The same rows in the file rendered from the same snapshot. */
  async function fileRows(week: string, lang: Locale): Promise<string[][]> {
    const r = await api<SnapshotResult>(server.url, `snapshot?week=${week}`);
    const { document } = new JSDOM('<!doctype html><html><head></head><body></body></html>').window;
    const doc = new JSDOM(renderSnapshot(r, { document, locale: lang })).window.document;
    return [...doc.querySelectorAll('table.figures tbody tr')].map((tr) => [...tr.querySelectorAll('td')].slice(0, 5).map((td, i) => (i === 0 ? td.textContent!.replace('*', '') : td.textContent!).trim()));
  }

  for (const lang of ['en', 'zh-Hans'] as const) {
    it(`${lang}: every figure's value and change read the same on the page and in the file`, async () => {
      const w46 = await pageRows('2026-W46', lang);
      const w45 = await pageRows('2026-W45', lang);
      // the file shows the figures this sales-only data has (web/snapshot/rows.ts); the page's other rows are all "–"
      for (const [rows, week] of [[w46, '2026-W46'], [w45, '2026-W45']] as const) {
        const file = await fileRows(week, lang);
        const inFile = (r: string[]) => file.some((x) => x[0] === r[0]);
        expect(rows.filter(inFile)).toEqual(file);
        expect(file).toHaveLength(8); // purchasers, orders, revenue, AOV, new, returning, repurchase rate, at risk
        expect(rows.filter((r) => !inFile(r)).flatMap((r) => r.slice(1))).toEqual(Array(7 * 4).fill('–'));
      }
      const row = (rows: string[][], i: number) => rows[i]!;
      // metric order: visitors, active visitors, purchasers, orders (3), revenue (4), AOV, I1–I5, new customers (11)
      expect(row(w46, 4).slice(1, 3)).toEqual(['£350.00', '£150.00']); // this week, previous (GBP in both locales)
      expect(row(w46, 4)[4]).toBe('▲\u00a0+133.3%'); // rising
      expect(row(w46, 11)[4]).toBe('▼\u00a0-50.0%'); // falling
      expect(row(w46, 3)[4]).toBe('0.0%'); // unchanged
      expect(row(w45, 4)[4]).toBe('–'); // no previous week
      expect(row(w45, 4)[2]).toBe('–');
    }, 60_000);
  }
});
