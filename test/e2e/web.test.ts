// Browser end-to-end: real Chromium against the real server on demo data. Each page draws its charts
// with one mark per datum and shows the numbers the API returns (funnel step counts also against a
// direct SQL count); the date range, breakdown and language live in the URL and survive a reload; the
// SQL console runs a query and words a refusal; a token is asked for on 401. No page logs a console
// error or a failed request. Screenshots of every page go to test-output/e2e-screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, startWithTokens, watchedPage, type Harness, type Watched } from './browser.ts';

const shots = path.resolve('test-output/e2e-screenshots');
let h: Harness;
let w: Watched | undefined;

beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  h = await startHarness();
}, 180_000);

afterAll(async () => {
  await h?.close();
});

afterEach(async () => {
  const problems = w?.problems ?? [];
  await w?.page.close();
  w = undefined;
  expect(problems, 'console errors or failed requests').toEqual([]);
});

const int = (n: number) => n.toLocaleString('en-GB');
const pct = (x: number) => new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);

async function api<T = any>(pathAndQuery: string): Promise<T> {
  const res = await fetch(`${h.server.url}/api/${pathAndQuery}`);
  if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function sql(query: string): Promise<{ rows: unknown[][]; rowCount: number }> {
  const res = await fetch(`${h.server.url}/api/sql`, { method: 'POST', headers: { 'x-aida-request': '1', 'content-type': 'application/json' }, body: JSON.stringify({ sql: query }) });
  if (!res.ok) throw new Error(`sql: ${res.status} ${await res.text()}`);
  return (await res.json()) as { rows: unknown[][]; rowCount: number };
}

/** Opens a page of the app; `allow` lists the HTTP errors the test provokes on purpose. */
async function open(path: string, allow: [number, string][] = []): Promise<Page> {
  w = await watchedPage(h.browser);
  for (const [status, part] of allow) w.allow(status, part);
  await w.page.goto(`${h.server.url}${path}`);
  return w.page;
}

const count = (page: Page, selector: string) => () => page.locator(selector).count();
const textOf = (page: Page, selector: string) => () => page.locator(selector).first().textContent();
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

/** Persons reaching each AIDA step, counted straight from stage_hits (ordered, 30-day window from step 1). */
function funnelSql(from: string, to: string): string {
  const next = (k: number, stage: string) => `s${k} as (
      select s.person_id, s.t1, min(h.ts) as t${k}
      from s${k - 1} s join stage_hits h on h.person_id = s.person_id and h.stage = '${stage}'
        and h.ts >= s.t${k - 1} and h.ts <= s.t1 + interval 30 day
      group by all)`;
  return `with s1 as (select person_id, ts as t1 from stage_hits where stage = 'exposed'
        and ts >= timestamptz '${from} 00:00:00+00' and ts < timestamptz '${to} 00:00:00+00'),
    ${next(2, 'engaged')}, ${next(3, 'intent')}, ${next(4, 'purchase')}
    select (select count(distinct person_id) from s1)::integer, (select count(distinct person_id) from s2)::integer,
      (select count(distinct person_id) from s3)::integer, (select count(distinct person_id) from s4)::integer`;
}

interface Step {
  key: string;
  count: number;
}

async function expectFunnel(page: Page, steps: Step[]): Promise<void> {
  await expect.poll(count(page, 'aida-funnel-page g.funnel-step rect')).toBe(steps.length);
  for (const s of steps) await expect.poll(textOf(page, `aida-funnel-page tr[data-step="${s.key}"] td[data-count]`)).toBe(int(s.count));
}

describe('web app in Chromium on demo data', () => {
  it('Funnel: four step bars with the API counts, which equal a direct SQL count', async () => {
    const page = await open('/funnel');
    const r = await api<{ steps: Step[]; period: { from: string; to: string } }>('funnel');
    expect(r.steps.map((s) => s.key)).toEqual(['attention', 'interest', 'desire', 'action']);
    await expectFunnel(page, r.steps);
    const direct = (await sql(funnelSql(r.period.from, r.period.to))).rows[0];
    expect(r.steps.map((s) => s.count)).toEqual(direct);
    // drop-off bars for the three later steps, the trend has a line per later step
    expect(await page.locator('aida-funnel-page g.funnel-drop rect').count()).toBe(3);
    await expect.poll(count(page, 'aida-funnel-page g.funnel-trend path')).toBe(3);
    expect(await page.locator('aida-funnel-page input[name="from"]').inputValue()).toBe(r.period.from);
    await shot(page, 'funnel');
  });

  it('Funnel: a new date range and breakdown go into the URL, redraw the chart, and survive a reload', async () => {
    const page = await open('/funnel');
    await page.locator('aida-funnel-page g.funnel-step rect').first().waitFor();
    await page.locator('aida-funnel-page input[name="from"]').fill('2026-10-01');
    await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('2026-10-01');
    const to = new URL(page.url()).searchParams.get('to')!;
    const r = await api<{ steps: Step[] }>(`funnel?from=2026-10-01&to=${to}`);
    await expectFunnel(page, r.steps);
    expect((await sql(funnelSql('2026-10-01', to))).rows[0]).toEqual(r.steps.map((s) => s.count));

    await page.locator('aida-funnel-page select[name="breakdown"]').selectOption('channel');
    await expect.poll(() => new URL(page.url()).searchParams.get('breakdown')).toBe('channel');
    const b = await api<{ breakdown: { values: { value: string; steps: Step[] }[] } }>(`funnel?from=2026-10-01&to=${to}&breakdown=channel`);
    const rows = b.breakdown.values.filter((v) => v.steps[0]!.count > 0);
    expect(rows.length).toBeGreaterThan(3);
    await expect.poll(count(page, 'aida-funnel-page g.funnel-breakdown rect')).toBe(rows.length * 4);

    await page.reload();
    expect(await page.locator('aida-funnel-page input[name="from"]').inputValue()).toBe('2026-10-01');
    expect(await page.locator('aida-funnel-page select[name="breakdown"]').inputValue()).toBe('channel');
    await expectFunnel(page, r.steps);
    await expect.poll(count(page, 'aida-funnel-page g.funnel-breakdown rect')).toBe(rows.length * 4);
    await shot(page, 'funnel-breakdown');
  });

  it('Efficiency: a ladder bar per known level, the I-ratios, the overall index and the decomposition', async () => {
    const page = await open('/efficiency');
    const r = await api<{ levels: { key: string; value: number | null }[]; ratios: { key: string; value: number | null }[]; overallIndex: number; decomposition: { factors: { logChange: number | null }[] } | null }>('efficiency');
    await expect.poll(count(page, 'aida-efficiency-page g.efficiency-level rect')).toBe(r.levels.filter((l) => l.value).length);
    expect(await page.locator('aida-efficiency-page g.efficiency-ratio text').count()).toBe(r.ratios.filter((x) => x.value !== null).length);
    expect(await page.locator('aida-efficiency-page [data-kpi="overall-index"]').textContent()).toBe(pct(r.overallIndex));
    const q2 = r.levels.find((l) => l.key === 'Q2')!.value!;
    expect(await page.locator('aida-efficiency-page tr[data-level="Q2"] td').first().textContent()).toBe(int(q2));
    expect(r.decomposition).not.toBeNull();
    await expect.poll(count(page, 'aida-efficiency-page g.decomposition-factor rect')).toBe(r.decomposition!.factors.filter((f) => f.logChange !== null).length);
    await shot(page, 'efficiency');
  });

  it('Cohorts: a heatmap cell per cohort period, the repurchase curve and the days-to-second-order bins', async () => {
    const page = await open('/cohorts');
    const ret = await api<{ cohorts: { periods: unknown[] }[] }>('retention');
    const rep = await api<{ windows: { rate: number | null }[]; daysToSecond: { histogram: unknown[] }; repeatRevenue: { share: number } }>('repurchase');
    const cells = ret.cohorts.reduce((s, c) => s + c.periods.length, 0);
    expect(cells).toBeGreaterThan(4);
    await expect.poll(count(page, 'aida-cohorts-page g.cohort-cell rect')).toBe(cells);
    await expect.poll(count(page, 'aida-cohorts-page g.repurchase-point circle')).toBe(rep.windows.filter((x) => x.rate !== null).length);
    expect(await page.locator('aida-cohorts-page g.second-order-bin rect').count()).toBe(rep.daysToSecond.histogram.length);
    expect(await page.locator('aida-cohorts-page [data-kpi="repeat-share"]').textContent()).toBe(pct(rep.repeatRevenue.share));
    // the revenue view and week grain are URL state too
    await page.locator('aida-cohorts-page select[name="view"]').selectOption('revenue');
    await page.locator('aida-cohorts-page select[name="grain"]').selectOption('week');
    await expect.poll(() => new URL(page.url()).search).toBe('?grain=week&view=revenue');
    const weeks = await api<{ cohorts: { periods: unknown[] }[] }>('retention?grain=week');
    await expect.poll(count(page, 'aida-cohorts-page g.cohort-cell rect')).toBe(weeks.cohorts.reduce((s, c) => s + c.periods.length, 0));
    await expect.poll(textOf(page, 'aida-cohorts-page .aida-chart-title')).toBe('Cumulative revenue per customer by cohort');
    await shot(page, 'cohorts');
  });

  it('Customers: tiers on the Pareto chart, lifecycle bars and the at-risk list', async () => {
    const page = await open('/customers');
    const tiers = await api<{ customers: number; tiers: { tier: string; customers: number }[] }>('customers/tiers');
    const life = await api<{ stages: unknown[] }>('customers/lifecycle');
    const risk = await api<{ summary: { atRisk: number }; customers: unknown[] }>('customers/at-risk');
    await expect.poll(count(page, 'aida-customers-page g.pareto-tier circle')).toBe(3);
    expect(await page.locator('aida-customers-page g.pareto-rule circle').count()).toBe(3);
    expect(await page.locator('aida-customers-page [data-kpi="customers"]').textContent()).toBe(int(tiers.customers));
    for (const t of tiers.tiers) expect(await page.locator(`aida-customers-page tr[data-tier="${t.tier}"] td`).first().textContent()).toBe(int(t.customers));
    await expect.poll(count(page, 'aida-customers-page g.lifecycle-stage rect')).toBe(life.stages.length);
    await expect.poll(textOf(page, 'aida-customers-page [data-kpi="at-risk"]')).toBe(int(risk.summary.atRisk));
    expect(await page.locator('aida-customers-page tr[data-customer]').count()).toBe(Math.min(200, risk.customers.length));
    await shot(page, 'customers');
  });

  it('Campaigns: a dot per costed campaign with purchasers and the economics table', async () => {
    const page = await open('/campaigns');
    const r = await api<{ campaigns: { inLog: boolean; cpa: number | null; roas: number | null; campaign: string; purchasers: number }[]; totals: { roas: number } }>('campaigns');
    const dots = r.campaigns.filter((c) => c.inLog && c.cpa !== null && c.roas !== null).length;
    expect(dots).toBeGreaterThan(2);
    await expect.poll(count(page, 'aida-campaigns-page g.campaign-dot circle')).toBe(dots);
    expect(await page.locator('aida-campaigns-page tr[data-campaign]').count()).toBe(r.campaigns.length);
    for (const c of r.campaigns) expect(await page.locator(`aida-campaigns-page tr[data-campaign="${c.campaign}"] td[data-purchasers]`).textContent()).toBe(int(c.purchasers));
    await shot(page, 'campaigns');
  });

  it('Complaints: stacked bars per category and severity, with the totals', async () => {
    const page = await open('/complaints');
    const r = await api<{ complaints: number; cells: { complaints: number }[]; categories: unknown[] }>('complaints');
    expect(r.complaints).toBeGreaterThan(0);
    await expect.poll(count(page, 'aida-complaints-page g.complaint-bar rect')).toBe(r.cells.filter((c) => c.complaints > 0).length);
    expect(await page.locator('aida-complaints-page [data-kpi="complaints"]').textContent()).toBe(int(r.complaints));
    expect(await page.locator('aida-complaints-page tr[data-category]').count()).toBe(r.categories.length);
    await shot(page, 'complaints');
  });

  it('Weekly: the last complete week with its sparklines and decomposition, print-ready', async () => {
    const page = await open('/weekly');
    // demo data ends 2026-11-23 (a Monday), so the last complete week is 2026-W47 (Nov 16–22)
    await expect.poll(textOf(page, 'aida-weekly-page [data-week]')).toBe('2026-W47');
    const r = await api<{ week: string; metrics: { key: string; value: number | null; series: { value: number | null }[] }[]; decomposition: { factors: { logChange: number | null }[] } }>('snapshot');
    expect(r.week).toBe('2026-W47');
    await expect.poll(count(page, 'aida-weekly-page g.sparkline path')).toBe(r.metrics.filter((m) => m.series.some((s) => s.value !== null)).length);
    for (const key of ['visitors', 'purchasers', 'orders']) {
      expect(await page.locator(`aida-weekly-page tr[data-metric="${key}"] td[data-value]`).textContent()).toBe(int(r.metrics.find((m) => m.key === key)!.value!));
    }
    await expect.poll(count(page, 'aida-weekly-page g.decomposition-factor rect')).toBe(r.decomposition.factors.filter((f) => f.logChange !== null).length);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('aida-app header').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await shot(page, 'weekly');
  });

  it('SQL: runs a query with Ctrl+Enter, shows its row count and a quick chart, and words a refusal', async () => {
    const page = await open('/sql');
    const editor = page.locator('aida-sql-page .cm-content');
    await editor.waitFor();
    await editor.click();
    await page.keyboard.type('select channel, count(*) as sessions from v_sessions group by channel order by sessions desc');
    await page.keyboard.press('Control+Enter');
    const expected = await sql('select channel, count(*) as sessions from v_sessions group by channel order by sessions desc');
    await expect.poll(() => page.locator('aida-sql-page [data-rows]').getAttribute('data-rows')).toBe(String(expected.rowCount));
    expect(await page.locator('aida-sql-page aida-data-grid tbody tr[aria-rowindex]').count()).toBe(expected.rowCount);
    await expect.poll(count(page, 'aida-sql-page g.quick-mark rect')).toBe(expected.rowCount);
    expect(new URL(page.url()).searchParams.get('q')).toContain('from v_sessions');
    await shot(page, 'sql');

    // a large result stays virtualised: 10,000 rows, a few dozen in the DOM
    await page.goto(`${h.server.url}/sql?q=${encodeURIComponent('select range as n, range * 2 as twice from range(10000)')}`);
    await expect.poll(() => page.locator('aida-sql-page [data-rows]').getAttribute('data-rows')).toBe('10000');
    expect(await page.locator('aida-sql-page aida-data-grid tbody tr[aria-rowindex]').count()).toBeLessThan(100);
    await page.locator('aida-sql-page aida-data-grid .viewport').evaluate((el) => (el.scrollTop = 26 * 9000));
    await expect.poll(textOf(page, 'aida-sql-page aida-data-grid tbody tr[aria-rowindex] td.rownum')).not.toBe('1');

    // a statement that is not a SELECT: the server's reason, as worded, and the orders untouched
    const ordersBefore = (await sql('select count(*)::integer from orders')).rows[0]![0];
    expect(ordersBefore).toBeGreaterThan(0);
    const refused = await fetch(`${h.server.url}/api/sql`, { method: 'POST', headers: { 'x-aida-request': '1', 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'drop table orders' }) });
    expect(refused.status).toBe(400);
    const { detail } = (await refused.json()) as { detail: string };
    w!.allow(400, '/api/sql');
    await page.goto(`${h.server.url}/sql`);
    await page.locator('aida-sql-page .cm-content').click();
    await page.keyboard.type('drop table orders');
    await page.locator('aida-sql-page button.primary').click();
    await expect.poll(textOf(page, 'aida-sql-page [data-refusal]')).toBe(`Refused: ${detail}`);
    // the history keeps the queries that ran
    expect(await page.locator('aida-sql-page ul.history li').count()).toBe(2);
    await shot(page, 'sql-refused');
    expect((await sql('select count(*)::integer from orders')).rows[0]![0]).toBe(ordersBefore);
  });

  it('switches the interface language, keeps it in the URL and across a reload', async () => {
    const page = await open('/funnel');
    await page.locator('aida-funnel-page g.funnel-step rect').first().waitFor();
    await page.locator('aida-app select[name="lang"]').selectOption('zh-Hans');
    await expect.poll(() => new URL(page.url()).searchParams.get('lang')).toBe('zh-Hans');
    await expect.poll(textOf(page, 'aida-app nav a[aria-current="page"]')).toBe('漏斗');
    await expect.poll(textOf(page, 'aida-funnel-page .aida-chart-title')).toBe('到达各步骤的人数');
    expect(await page.locator('aida-funnel-page tr[data-step="attention"] th').textContent()).toBe('注意');
    await page.locator('aida-app nav a', { hasText: '效率' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/efficiency');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('zh-Hans');
    await page.locator('aida-efficiency-page g.efficiency-level rect').first().waitFor();
    await page.reload();
    await expect.poll(textOf(page, 'aida-efficiency-page h1')).toBe('效率链');
    await page.locator('aida-app select[name="lang"]').selectOption('zh-Hant');
    await expect.poll(textOf(page, 'aida-efficiency-page h1')).toBe('效率鏈');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-Hant');
    await shot(page, 'efficiency-zh-hant');
  });

  it('is keyboard navigable: skip link, page links and labelled controls', async () => {
    const page = await open('/funnel');
    await page.locator('aida-funnel-page g.funnel-step rect').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.querySelector('aida-app')!.shadowRoot!.activeElement?.textContent)).toBe('Skip to content');
    // every form control on the page has an accessible name
    const unnamed = await page.evaluate(() => {
      const all: Element[] = [];
      const walk = (root: Document | ShadowRoot) => root.querySelectorAll('*').forEach((el) => { all.push(el); if (el.shadowRoot) walk(el.shadowRoot); });
      walk(document);
      return all.filter((el) => ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(el.tagName) && !(el.closest('label') || el.getAttribute('aria-label') || el.textContent?.trim())).map((el) => el.outerHTML);
    });
    expect(unnamed).toEqual([]);
    // Enter on a page link navigates
    await page.locator('aida-app nav a', { hasText: 'Cohorts' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/cohorts');
    await page.locator('aida-cohorts-page g.cohort-cell rect').first().waitFor();
  });

  it('Products: the empty state, then after a line-item upload the top products and revenue by country a person reads', async () => {
    // the demo has no line items: the page says what to load (demo orders carry no country: "(none)")
    let page = await open('/products');
    await expect.poll(textOf(page, 'aida-products-page p.empty')).toContain('No order lines in this period');
    await page.close();
    // an online-retail export (UCI layout) inside the default window (the last 28 days to 2026-11-23):
    //   900001 Germany (12680): 22423 2 × 12.75 = 25.50, 85123A 6 × 2.55 = 15.30 → 40.80
    //   900002 France (12681): 85123A 4 × 2.55 = 10.20; C900003 cancels 2 × 85123A (2 × 2.55 = 5.10)
    const lines = [
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
      '900001,22423,REGENCY CAKESTAND 3 TIER,2,2026-11-20 10:00:00,12.75,12680.0,Germany',
      '900001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2026-11-20 10:00:00,2.55,12680.0,Germany',
      '900002,85123A,WHITE HANGING HEART T-LIGHT HOLDER,4,2026-11-21 10:00:00,2.55,12681.0,France',
      'C900003,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-2,2026-11-21 11:00:00,2.55,12681.0,France',
    ].join('\n');
    const up = await fetch(`${h.server.url}/api/ingest?name=online-retail-e2e.csv`, { method: 'POST', headers: { 'x-aida-request': '1' }, body: lines });
    expect((await up.text()).trim().split('\n').map((l) => JSON.parse(l)).at(-1)).toMatchObject({ type: 'summary' });
    page = await open('/products');
    // 22423 £25.50 first, then 85123A: 15.30 + 10.20 = £25.50 as well — equal revenue is ordered by SKU ('22423' < '85123A')
    await expect.poll(count(page, 'aida-products-page g.product-bar rect')).toBe(2);
    expect(await page.locator('aida-products-page g.product-cancelled-bar rect').count()).toBe(1);
    const row = (sku: string) => page.locator(`aida-products-page tr[data-sku="${sku}"] td`).allTextContents();
    // rank, description, revenue, share (25.50 / 51.00), quantity, orders, customers, cancelled quantity, cancelled value
    expect(await row('22423')).toEqual(['1', 'REGENCY CAKESTAND 3 TIER', '£25.50', '50.0%', '2', '1', '1', '0', '£0.00']);
    expect(await row('85123A')).toEqual(['2', 'WHITE HANGING HEART T-LIGHT HOLDER', '£25.50', '50.0%', '10', '2', '2', '2', '£5.10']);
    expect(await page.locator('aida-products-page table[aria-labelledby="top-products"] [data-total-revenue]').textContent()).toBe('£51.00');
    // countries: Germany 40.80 and France 10.20 next to the demo orders, which have no country
    const c = await api<{ countries: { country: string; revenue: number; orders: number; share: number }[] }>('countries');
    expect(c.countries.filter((x) => x.country !== '(none)').map((x) => [x.country, x.revenue, x.orders])).toEqual([['Germany', 40.8, 1], ['France', 10.2, 1]]);
    await expect.poll(count(page, 'aida-products-page tr[data-country]')).toBe(c.countries.length);
    for (const x of c.countries) {
      expect(await page.locator(`aida-products-page tr[data-country="${x.country}"] td`).nth(1).textContent()).toBe(pct(x.share));
    }
    await expect.poll(count(page, 'aida-products-page g.country-bar rect')).toBe(Math.min(c.countries.length, 13));
    // the limit is URL state and survives a reload
    await page.locator('aida-products-page select[name="limit"]').selectOption('20');
    await expect.poll(() => new URL(page.url()).searchParams.get('limit')).toBe('20');
    await page.reload();
    expect(await page.locator('aida-products-page select[name="limit"]').inputValue()).toBe('20');
    await expect.poll(count(page, 'aida-products-page g.product-bar rect')).toBe(2);
    await shot(page, 'products');
    await page.close();
    // Cohorts: the first-product filter goes into the URL; 85123A's first buyers are 12680 and 12681, both November 2026
    const cohorts = await open('/cohorts');
    await cohorts.locator('aida-cohorts-page input[name="first_product"]').fill('85123A');
    await cohorts.locator('aida-cohorts-page input[name="first_product"]').press('Enter');
    await expect.poll(() => new URL(cohorts.url()).searchParams.get('first_product')).toBe('85123A');
    const r = await api<{ cohorts: { cohort: string; size: number; periods: unknown[] }[] }>('retention?first_product=85123A');
    expect(r.cohorts.map((x) => [x.cohort, x.size])).toEqual([['2026-11', 2]]);
    await expect.poll(count(cohorts, 'aida-cohorts-page g.cohort-cell rect')).toBe(r.cohorts[0]!.periods.length);
    // the first order's coupon, which the API accepts, is offered by the filters too: no first order had NOPE
    await cohorts.waitForLoadState('networkidle'); // the repurchase request of the first filter finishes first
    await cohorts.locator('aida-cohorts-page aida-controls summary').click();
    await cohorts.locator('aida-cohorts-page aida-controls input[name="coupon"]').fill('NOPE');
    await cohorts.locator('aida-cohorts-page aida-controls input[name="coupon"]').press('Enter');
    await expect.poll(() => new URL(cohorts.url()).searchParams.get('coupon')).toBe('NOPE');
    expect((await api<{ cohorts: unknown[] }>('retention?first_product=85123A&coupon=NOPE')).cohorts).toEqual([]);
    await expect.poll(count(cohorts, 'aida-cohorts-page g.cohort-cell rect')).toBe(0);
  });

  it('asks for a token when the API answers 401, then shows the data', async () => {
    await h.server.close();
    const token = 'e2e-viewer-token-0123456789';
    h.server = await startWithTokens(h, [{ token, role: 'viewer' }]);
    const page = await open('/funnel', [[401, '/api/']]);
    const dialog = page.locator('aida-token-dialog dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.locator('aida-token-dialog input[name="token"]').fill(token);
    await page.locator('aida-token-dialog button[type="submit"]').click();
    await expect.poll(count(page, 'aida-funnel-page g.funnel-step rect')).toBe(4);
    expect(await page.evaluate(() => sessionStorage.getItem('aida.token'))).toBe(token);
    await shot(page, 'token-accepted');
  });
});
