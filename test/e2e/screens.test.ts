// Every page on a phone (390×844) and a laptop (1440×900) in en, 简体 and 繁體, in one Chromium against the
// real server on demo data: no horizontal page scroll, every table column inside the card or inside a
// labelled, keyboard-focusable scroll region, no chart text outside its chart, and axe-core (injected
// here, looking through the open shadow roots) finds no serious or critical violation. Screenshots of
// en and 简体 go to test-output/screens/, and the page × width × language table to test-output/screens.md.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pages } from '../../web/url-state.ts';
import { axeFindings as axe, startHarness, watchedPage, type AxeFinding, type Harness } from './browser.ts';

const out = path.resolve('test-output/screens');
const widths = [
  { name: '1440', viewport: { width: 1440, height: 900 } },
  { name: '390', viewport: { width: 390, height: 844 } },
] as const;
const langs = ['en', 'zh-Hans', 'zh-Hant'] as const;
/** screenshots for one Latin and one CJK script (繁體 lays out as 简体 does) */
const shotLangs = new Set<string>(['en', 'zh-Hans']);

let h: Harness;
beforeAll(async () => {
  fs.mkdirSync(out, { recursive: true });
  h = await startHarness();
}, 240_000);
afterAll(async () => h?.close());

interface Layout {
  pageWidth: number;
  innerWidth: number;
  /** tables (with a column) that stick out of their card and are not inside a labelled, focusable scroll region */
  unreachableTables: string[];
  /** chart <text> drawn outside its <svg> (cut by the card, or overprinting a neighbour) */
  clippedText: string[];
  /** scroll regions (content wider than the box) a keyboard cannot reach or a screen reader cannot name */
  unnamedScrollers: string[];
}

/** Measures the layout in the page, walking every open shadow root. */
async function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const all: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        all.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    const parentOf = (el: Element): Element | null => el.parentElement ?? ((el.getRootNode() as ShadowRoot).host ?? null);
    const scroller = (el: Element): HTMLElement | null => {
      for (let p = parentOf(el); p; p = parentOf(p)) {
        const s = getComputedStyle(p);
        if (/(auto|scroll)/.test(s.overflowX)) return p as HTMLElement;
      }
      return null;
    };
    const card = (el: Element): Element | null => {
      for (let p = parentOf(el); p; p = parentOf(p)) if (p.classList.contains('card') || p.tagName === 'MAIN') return p;
      return null;
    };
    const named = (el: HTMLElement) => el.tabIndex >= 0 && !!(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'));
    const describe = (el: Element) => `${(el.getRootNode() as ShadowRoot).host?.tagName.toLowerCase() ?? 'document'} ${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''}${el.className && typeof el.className === 'string' ? `.${el.className}` : ''}`;
    const unreachableTables: string[] = [];
    const clippedText: string[] = [];
    const unnamedScrollers: string[] = [];
    for (const el of all) {
      if (el.tagName === 'TABLE') {
        const r = el.getBoundingClientRect();
        if (!r.width) continue;
        const s = scroller(el);
        const box = (s ?? card(el))?.getBoundingClientRect();
        const fits = box ? r.right <= box.right + 1 && r.left >= box.left - 1 : r.right <= innerWidth;
        if (!fits && !(s && named(s) && s.getBoundingClientRect().right <= innerWidth + 1)) unreachableTables.push(describe(el));
      }
      if (el.tagName.toLowerCase() === 'text' && el.closest('svg') && el.textContent?.trim()) {
        const svg = el.closest('svg')!.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        if (r.width && (r.left < svg.left - 2 || r.right > svg.right + 2)) clippedText.push(`${describe(el.closest('svg')!)}: "${el.textContent.trim().slice(0, 40)}" ${Math.round(r.left - svg.left)}..${Math.round(r.right - svg.left)} of ${Math.round(svg.width)}`);
      }
      if (el instanceof HTMLElement && el.scrollWidth > el.clientWidth + 1 && /(auto|scroll)/.test(getComputedStyle(el).overflowX) && !named(el)) unnamedScrollers.push(describe(el));
    }
    return { pageWidth: document.documentElement.scrollWidth, innerWidth, unreachableTables, clippedText, unnamedScrollers };
  });
}

/** Waits for the page's data and charts: no skeleton, no busy region, network quiet. */
async function settled(page: Page, tag: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator(`${tag}`).waitFor();
  await expect
    .poll(() => page.evaluate((t) => {
      const root = document.querySelector('aida-app')?.shadowRoot?.querySelector(t)?.shadowRoot;
      return !!root && !root.querySelector('.skeleton, [aria-busy="true"]') && root.children.length > 0;
    }, tag), { timeout: 30_000 })
    .toBe(true);
  await page.waitForTimeout(150); // a ResizeObserver redraw after the first paint
}

interface Row {
  page: string;
  width: string;
  lang: string;
  serious: number;
  overflow: boolean;
  findings: string[];
}
const rows: Row[] = [];

async function api<T>(pathAndQuery: string): Promise<T> {
  const res = await fetch(`${h.server.url}/api/${pathAndQuery}`);
  if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status}`);
  return (await res.json()) as T;
}

/** Text of every element matching `selector` inside the page element's shadow root. */
async function texts(page: Page, tag: string, selector: string): Promise<string[]> {
  return page.locator(`${tag} ${selector}`).allTextContents();
}

describe('numbers a person reads right, empty states true for the data (demo data, en)', () => {
  it('What moved purchases: each factor in purchases and points, measured ones by size, estimates last and marked', async () => {
    type F = { key: string; purchases: number | null; points: number | null; estimate: boolean; logChange: number | null };
    const r = await api<{ decomposition: { purchases: { previous: number; current: number }; factors: F[] } }>('efficiency');
    const d = r.decomposition;
    // the contributions add up to the change in purchases (the log-mean split)
    const known = d.factors.filter((x) => x.purchases !== null);
    expect(known.reduce((s, x) => s + x.purchases!, 0)).toBeCloseTo(d.purchases.current - d.purchases.previous, 9);
    // the same split computed here from the log-changes: L = (Q4' − Q4) / ln(Q4'/Q4)
    const L = (d.purchases.current - d.purchases.previous) / Math.log(d.purchases.current / d.purchases.previous);
    for (const x of known) expect(x.purchases).toBeCloseTo(L * x.logChange!, 9);
    const sign = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '');
    const num = (n: number, digits: number) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits }).format(n);
    const expected = [...known.filter((x) => !x.estimate).sort((a, b) => Math.abs(b.purchases!) - Math.abs(a.purchases!)), ...known.filter((x) => x.estimate)].map(
      (x) => `${sign(x.purchases!)}${num(Math.abs(x.purchases!), Math.abs(x.purchases!) >= 10 ? 0 : 1)}${x.estimate ? '*' : ''}${sign(x.points!)}${num(Math.abs(x.points! * 100), 1)} pt`,
    );
    const w = await watchedPage(h.browser);
    await w.page.goto(`${h.server.url}/efficiency`);
    await expect.poll(() => texts(w.page, 'aida-efficiency-page', 'g.decomposition-value text')).toEqual(expected);
    if (known.some((x) => x.estimate)) expect(await texts(w.page, 'aida-efficiency-page', 'aida-chart[name="efficiency-decomposition"] .aida-legend-item text')).toContain('* estimate: not ranked');
    expect(w.problems).toEqual([]);
    await w.page.close();
  });

  it('Campaigns: those the chart cannot place are listed under it; the table keeps them all', async () => {
    type C = { campaign: string; inLog: boolean; cpa: number | null; roas: number | null };
    const r = await api<{ campaigns: C[] }>('campaigns');
    const placed = r.campaigns.filter((c) => c.inLog && c.cpa !== null && c.roas !== null);
    const left = r.campaigns.filter((c) => c.inLog && !(c.cpa !== null && c.roas !== null)).map((c) => c.campaign);
    const w = await watchedPage(h.browser);
    await w.page.goto(`${h.server.url}/campaigns`);
    await expect.poll(() => w.page.locator('aida-campaigns-page g.campaign-dot circle').count()).toBe(placed.length);
    expect(await w.page.locator('aida-campaigns-page tr[data-campaign]').count()).toBe(r.campaigns.length);
    if (left.length) {
      expect(await w.page.locator('aida-campaigns-page [data-left-out]').textContent()).toBe(`Not in the chart (no purchasers or no cost in this period): ${new Intl.ListFormat('en-GB', { type: 'unit' }).format(left)}.`);
    } else {
      expect(await w.page.locator('aida-campaigns-page [data-left-out]').count()).toBe(0);
    }
    expect(await w.page.locator('aida-campaigns-page p.empty').count()).toBe(0); // no "no campaign data" above a table of campaigns
    expect(w.problems).toEqual([]);
    await w.page.close();
  });

  it('Complaints: a repurchase group nobody can be judged in says why in its row, never "– 0/0"', async () => {
    type G = { customers: number; denominator: number | null; numerator: number | null };
    const r = await api<{ repurchase: { windowDays: number; complained: G; notComplained: G } }>('complaints');
    const w = await watchedPage(h.browser);
    await w.page.goto(`${h.server.url}/complaints`);
    const rows = w.page.locator('aida-complaints-page table[aria-labelledby="after"] tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    for (const [i, g] of [r.repurchase.complained, r.repurchase.notComplained].entries()) {
      const cells = await rows.nth(i).locator('td').allTextContents();
      if (g.denominator) expect(cells[2]).toBe(`${g.numerator!.toLocaleString('en-GB')} / ${g.denominator.toLocaleString('en-GB')}`);
      else expect(cells[1]).toBe(g.customers ? `all ${g.customers.toLocaleString('en-GB')} too recent: none has ${r.repurchase.windowDays} days of orders after it yet` : 'none in this period');
    }
    expect(await rows.allTextContents()).not.toContainEqual(expect.stringContaining('0 / 0'));
    const judged = [r.repurchase.complained, r.repurchase.notComplained].some((g) => (g.denominator ?? 0) > 0);
    expect(await w.page.locator('aida-complaints-page p.empty').count()).toBe(judged ? 0 : 1);
    expect(w.problems).toEqual([]);
    await w.page.close();
  });

  it('Weekly: counts of people and orders are whole numbers, the 4-week average too (rounded from the API value)', async () => {
    type M = { key: string; unit: string; trailing4: number | null };
    const r = await api<{ week: string; metrics: M[] }>('snapshot');
    const w = await watchedPage(h.browser);
    await w.page.goto(`${h.server.url}/weekly`);
    await expect.poll(() => w.page.locator('aida-weekly-page tr[data-metric]').count()).toBe(r.metrics.length);
    for (const m of r.metrics.filter((x) => x.unit === 'count' && x.trailing4 !== null)) {
      expect(await w.page.locator(`aida-weekly-page tr[data-metric="${m.key}"] td[data-trailing]`).textContent()).toBe(Math.round(m.trailing4!).toLocaleString('en-GB'));
    }
    expect(w.problems).toEqual([]);
    await w.page.close();
  });
});

describe('every page at 390 and 1440 px in three languages', () => {
  it('has no page overflow, reachable tables, uncut chart text and no serious axe violation', async () => {
    for (const { name, viewport } of widths) {
      const w = await watchedPage(h.browser, viewport);
      for (const lang of langs) {
        for (const p of pages) {
          const before = w.problems.length;
          await w.page.goto(`${h.server.url}/${p}?lang=${lang}`);
          await settled(w.page, `aida-${p}-page`);
          const l = await layout(w.page);
          const violations = (await axe(w.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
          const findings = [
            ...violations.map((v) => `axe ${v.impact} ${v.id} ×${v.nodes} e.g. ${v.example}`),
            ...l.unreachableTables.map((x) => `table out of reach: ${x}`),
            ...l.clippedText.map((x) => `text outside chart: ${x}`),
            ...l.unnamedScrollers.map((x) => `scroll region without focus or name: ${x}`),
            ...w.problems.slice(before).map((x) => `browser: ${x}`),
          ];
          rows.push({ page: p, width: name, lang, serious: violations.reduce((s, v) => s + v.nodes, 0), overflow: l.pageWidth > l.innerWidth, findings });
          if (shotLangs.has(lang)) await w.page.screenshot({ path: path.join(out, `${p}-${name}-${lang}.png`), fullPage: true });
        }
      }
      await w.page.close();
    }
    const table = [
      '| page | width | lang | axe serious+critical | overflow |',
      '|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.page} | ${r.width} | ${r.lang} | ${r.serious} | ${r.overflow ? 'yes' : 'no'} |`),
      '',
      ...rows.filter((r) => r.findings.length).flatMap((r) => [`${r.page} ${r.width} ${r.lang}:`, ...r.findings.map((f) => `  - ${f}`)]),
    ].join('\n');
    fs.writeFileSync(path.resolve('test-output/screens.md'), `${table}\n`);
    expect(rows.filter((r) => r.overflow || r.findings.length).map((r) => `${r.page} ${r.width} ${r.lang}: ${r.overflow ? 'page overflow; ' : ''}${r.findings.join('; ')}`)).toEqual([]);
  }, 600_000);
});
