// In Chromium against the real server on the demo warehouse: the SQL console shows DuckDB's own error and
// hint for a misspelt table (not "Refused"), closes the completion popup when Ctrl+Enter runs, sorts the
// grid by a column (mouse and keyboard) and groups numbers the locale's way; the at-risk list shows
// "200 of N" and loads the rest with "Show more".
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, watchedPage, type Harness, type Watched } from './browser.ts';

const shots = path.resolve('test-output/e2e-screenshots');
let h: Harness;
let w: Watched | undefined;

beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  h = await startHarness();
}, 240_000);
afterAll(async () => h?.close());
afterEach(() => {
  if (w) expect(w.problems).toEqual([]);
  w = undefined;
});

async function open(route: string, viewport?: { width: number; height: number }): Promise<Page> {
  w = await watchedPage(h.browser, viewport);
  await w.page.goto(`${h.server.url}${route}`);
  return w.page;
}

const texts = (page: Page, selector: string) => () => page.locator(selector).allTextContents();

describe('SQL console', () => {
  it('a misspelt table: DuckDB’s message and "Did you mean" as an error, not a refusal', async () => {
    const page = await open('/sql');
    w!.allow(400, '/api/sql');
    await page.locator('aida-sql-page .cm-content').click();
    await page.keyboard.type('select * from ordrs');
    await page.keyboard.press('Control+Enter');
    const error = page.locator('aida-sql-page [data-sql-error]');
    await error.waitFor();
    expect(await error.textContent()).toBe('Error: Catalog Error: Table with name ordrs does not exist!Hint: Did you mean "orders"?');
    expect(await page.locator('aida-sql-page [data-refusal]').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'sql-error-hint.png') });
  }, 60_000);

  it('Ctrl+Enter runs the query and closes the completion popup', async () => {
    const page = await open('/sql');
    await page.locator('aida-sql-page .cm-content').click();
    // typing the view's name opens the completion (v_orders, v_order_items ...), still open at the last letter
    await page.keyboard.type('select count(*) as n from v_orders');
    const popup = page.locator('aida-sql-page .cm-tooltip-autocomplete');
    await popup.waitFor();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => popup.count()).toBe(0);
    await expect.poll(() => page.locator('aida-sql-page [data-rows]').getAttribute('data-rows')).toBe('1');
  }, 60_000);

  for (const [lang, expected] of [['en', ['1,234,567.5', '-2.25', '1,000']], ['zh-Hans', ['1,234,567.5', '-2.25', '1,000']]] as const) {
    it(`${lang}: sorts by a column (click, then the keyboard) and groups numbers by locale, every digit kept`, async () => {
      const q = "select * from (values (3, 'c', 1234567.5::double), (1, 'a', -2.25::double), (2, 'b', 1000::double)) t(n, s, x)";
      const page = await open(`/sql?lang=${lang}&q=${encodeURIComponent(q)}`);
      const cells = (col: number) => texts(page, `aida-sql-page aida-data-grid tbody tr[aria-rowindex] td:nth-child(${col + 2})`);
      await expect.poll(cells(0)).toEqual(['3', '1', '2']);
      expect(await cells(2)()).toEqual([...expected]);
      const header = (name: string) => page.locator('aida-sql-page aida-data-grid th', { hasText: name });
      await header('n').locator('button').click();
      await expect.poll(cells(0)).toEqual(['1', '2', '3']);
      expect(await header('n').getAttribute('aria-sort')).toBe('ascending');
      await header('n').locator('button').click();
      await expect.poll(cells(0)).toEqual(['3', '2', '1']);
      expect(await header('n').getAttribute('aria-sort')).toBe('descending');
      // the keyboard: Tab to the x header's button and press Enter → ascending by x (numbers, not text)
      await header('x').locator('button').focus();
      await page.keyboard.press('Enter');
      await expect.poll(cells(2)).toEqual([expected[1], expected[2], expected[0]]);
      // the row number stays the query's own
      expect(await texts(page, 'aida-sql-page aida-data-grid tbody tr[aria-rowindex] td.rownum')()).toEqual(['2', '3', '1']);
      if (lang === 'en') await page.screenshot({ path: path.join(shots, 'sql-sorted.png') });
    }, 60_000);
  }
});

describe('lists: "200 of N", Show more, Download all', () => {
  it('at-risk customers as of 2028: 200 of every customer, then the rest with Show more', async () => {
    const api = (await (await fetch(`${h.server.url}/api/customers/at-risk?as_of=2028-01-01`)).json()) as { page: { total: number }; customers: unknown[] };
    const total = api.page.total;
    expect(total).toBeGreaterThan(200); // by 2028 every demo customer is long overdue
    expect(api.customers).toHaveLength(200);
    const page = await open('/customers?as_of=2028-01-01');
    const rows = () => page.locator('aida-customers-page tr[data-customer]').count();
    await expect.poll(rows).toBe(200);
    const footer = page.locator(`aida-customers-page .list-footer[data-list-total="${total}"]`);
    // each click adds the next 200 (the API's next page), the last one the remainder
    for (let shown = 200; shown < total; shown = Math.min(shown + 200, total)) {
      expect(await footer.locator('[role="status"]').textContent()).toBe(`${shown.toLocaleString('en')} of ${total.toLocaleString('en')}`);
      expect(await footer.locator('[data-more]').textContent()).toBe(`Show ${Math.min(200, total - shown)} more`);
      await footer.locator('[data-more]').click();
      await expect.poll(rows).toBe(Math.min(shown + 200, total));
    }
    expect(await footer.count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'customers-at-risk-all.png') });
  }, 60_000);
});
