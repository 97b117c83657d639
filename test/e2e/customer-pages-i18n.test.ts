// Browser end-to-end: Cohorts, Customers, Campaigns, Complaints and Products in 简体 and 繁體 on demo data
// show no untranslated English — notes, footnotes, reasons, cadences, buckets, labels, tooltips, chart
// text. What may stay in Latin letters is only what the data or the config names (campaign names,
// sources and media, SKUs, product descriptions, countries, customer and order ids, complaint category
// labels of the configured taxonomy, the time zone), the abbreviations, file formats, config keys and
// column names listed in `allowedWords`, and single letters (p of p90, k of period k); the app shell
// around the page (navigation, language switch) is outside this check.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, watchedPage, type Harness } from './browser.ts';

let h: Harness;
let values: string[];
beforeAll(async () => {
  h = await startHarness();
  values = await dataValues();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

async function api<T = any>(pathAndQuery: string): Promise<T> {
  const res = await fetch(`${h.server.url}/api/${pathAndQuery}`);
  if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Abbreviations, units, formats and config keys a translated page keeps in Latin letters. */
const allowedWords = new Set([
  'CTR', 'CPC', 'CPA', 'ROAS', 'SKU', 'ID', // the Chinese texts use these abbreviations too (客户 ID)
  'CSV', 'SVG', 'PNG', // the download buttons name the file format
  'active_days', 'lapsed_days', 'churn_k', 'utm', 'utm_campaign', 'utm_source', 'utm_medium', // config keys and fields the notes cite
  'sku', 'quantity', 'unit_price', 'online-retail', 'Shopify', // the column and export names the empty-products note asks for
]);

/** The data and config values the pages show as they are. */
async function dataValues(): Promise<string[]> {
  // one at a time: the server admits only a few dashboard queries at once (a burst is answered 503)
  const campaigns = await api<{ campaigns: { campaign: string; source: string; medium: string; currency: string | null }[] }>('campaigns');
  const products = await api<{ products: { sku: string | null; description: string | null }[] }>('products?limit=10');
  const countries = await api<{ countries: { country: string }[] }>('countries');
  const complaints = await api<{ categories: { category: string; label: string | null }[] }>('complaints');
  const tiers = await api<{ pareto: { customerId: string }[] }>('customers/tiers');
  const life = await api<{ due: { customerId: string; lastOrderId: string | null }[]; notes: { params?: Record<string, unknown> }[] }>('customers/lifecycle');
  const risk = await api<{ customers: { customerId: string }[] }>('customers/at-risk');
  const config = await api<{ notes: { params?: Record<string, unknown> }[] }>('retention');
  const timezones = [...life.notes, ...config.notes].map((n) => n.params?.timezone).filter((z): z is string => typeof z === 'string');
  return [
    ...campaigns.campaigns.flatMap((c) => [c.campaign, c.source, c.medium, c.currency ?? '']),
    ...products.products.flatMap((p) => [p.sku ?? '', p.description ?? '']),
    ...countries.countries.map((c) => c.country),
    ...complaints.categories.flatMap((c) => [c.category, c.label ?? '', c.label ? `${c.category} ${c.label}` : '']),
    ...tiers.pareto.map((p) => p.customerId),
    ...life.due.flatMap((d) => [d.customerId, d.lastOrderId ?? '']),
    ...risk.customers.map((c) => c.customerId),
    ...timezones,
  ].filter((s) => s.length > 0).sort((a, b) => b.length - a.length); // longest first: a description before a word in it
}

/** Every text node, title and aria-label under the page element, through every shadow root. */
async function shownText(page: Page, tag: string): Promise<string[]> {
  return page.evaluate((tag) => {
    const out: string[] = [];
    const walk = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        const s = node.textContent?.trim();
        if (s) out.push(s);
        return;
      }
      if (node instanceof Element) {
        // a command shown as code (`aida ingest --kind sales orders.csv`) is typed as it is, in every language
        if (['STYLE', 'SCRIPT', 'CODE'].includes(node.tagName.toUpperCase())) return;
        for (const a of ['title', 'aria-label', 'placeholder']) {
          const v = node.getAttribute(a);
          if (v?.trim()) out.push(v.trim());
        }
        if (node.shadowRoot) walk(node.shadowRoot);
      }
      for (const c of node.childNodes) walk(c);
    };
    const root = document.querySelector('aida-app')?.shadowRoot?.querySelector(tag) ?? document.querySelector(tag);
    if (root) walk(root);
    return out;
  }, tag);
}

/** The English words left once data values and allowed words are taken out (Plot's own axis aria-labels aside). */
function untranslated(texts: string[], values: string[]): string[] {
  const left = new Set<string>();
  for (let text of texts) {
    if (/^(x|y|fx|fy)-axis (tick|label)|^(x|y)-grid$|^(tip|bar|dot|line|rule|text|area|cell|frame|rect)$/.test(text)) continue; // Plot's ARIA names for its marks
    // a chart clips a long name (a description, "<code> <taxonomy label>") with an ellipsis
    if (text.endsWith('…') && values.some((v) => v.startsWith(text.slice(0, -1).replace(/^\d+\.\s*/, '').trim()))) continue;
    for (const v of values) text = text.split(v).join(' ');
    text = text.replace(/`[^`]*`/g, ' '); // a command in backticks (`aida ingest --kind sales orders.csv`) is typed as it is
    for (const word of text.match(/[A-Za-z][A-Za-z_-]*[A-Za-z]|[A-Za-z]/g) ?? []) {
      if (word.length < 2 || allowedWords.has(word)) continue;
      if (/^[QI][0-5]$|^W\d+$|^[A-E]$/.test(word)) continue; // levels, ratios, ISO weeks, tiers and stage letters
      left.add(word);
    }
  }
  return [...left].sort();
}

const pages = [
  { path: '/cohorts', tag: 'aida-cohorts-page', ready: 'g.cohort-cell rect' },
  { path: '/customers', tag: 'aida-customers-page', ready: 'tr[data-customer]' },
  { path: '/campaigns', tag: 'aida-campaigns-page', ready: 'tr[data-campaign]' },
  { path: '/complaints', tag: 'aida-complaints-page', ready: 'tr[data-category]' },
  { path: '/products', tag: 'aida-products-page', ready: 'tr[data-country]' },
] as const;

describe('the customer-side pages in Chinese', () => {
  for (const lang of ['zh-Hans', 'zh-Hant'] as const) {
    for (const p of pages) {
      it(`${p.path} in ${lang}: no untranslated note, footnote, bucket or label`, async () => {
        const w = await watchedPage(h.browser);
        try {
          await w.page.goto(`${h.server.url}${p.path}?lang=${lang}`);
          await expect.poll(() => w.page.locator(`${p.tag} ${p.ready}`).count(), { timeout: 30_000 }).toBeGreaterThan(0);
          await expect.poll(() => w.page.locator(`${p.tag} .skeleton`).count(), { timeout: 30_000 }).toBe(0);
          await expect.poll(() => w.page.locator(`${p.tag} ul.notes li`).count()).toBeGreaterThan(0);
          // polled: a section still loading shows its text a moment later
          await expect.poll(async () => untranslated(await shownText(w.page, p.tag), values).join(' '), { timeout: 20_000 }).toBe('');
          // the notes are there, in Chinese (a CJK character in each)
          const notes = await w.page.locator(`${p.tag} ul.notes li`).allTextContents();
          for (const n of notes) expect(n, n).toMatch(/[\u4e00-\u9fff]/);
          expect(w.problems, 'console errors or failed requests').toEqual([]);
        } finally {
          await w.page.close();
        }
      }, 60_000);
    }
  }
});
