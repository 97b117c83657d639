// Browser end-to-end for presets, saved views, the Dashboard and annotations (issue 19 item 9): real
// Chromium against the real server on demo data. A preset goes into the URL by name and the funnel
// reads the week it names; a saved view reopens from the header menu and from its /view/<id> link; a
// pinned heatmap is drawn on the Dashboard with the cohorts its page has; an annotation added there is
// drawn on the heatmap, there and on the Cohorts page. Screenshots at 1440 and 390 px in English and
// 简体 go to test-output/e2e-screenshots/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageKit, screenshotDir as shots, startHarness, until, type Harness } from './browser.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 240_000);
afterAll(() => h?.close());

const { open, finish, get } = pageKit(() => ({ browser: h.browser, url: h.server.url }));

const day = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('presets, saved views, the Dashboard and annotations in Chromium', () => {
  it('last week by name in the URL, saved as a view and reopened from the menu and from its link', async () => {
    const w = await open('/funnel?lang=en');
    const page = w.page;
    // the page's answers first: a preset chosen sooner would abort the correlation it asked for (a failed request)
    await until(() => page.locator('aida-funnel-correlation #correlation-title').count()).toBe(1);
    await page.locator('aida-controls select[name="preset"]').selectOption('last-week');
    await until(() => new URL(page.url()).searchParams.get('preset')).toBe('last-week');
    expect(new URL(page.url()).searchParams.has('from')).toBe(false);
    // the funnel reads web and sales: "today" is the later of their last days (UTC); last week is the
    // Monday-to-Monday week before the one holding it
    const { ranges } = await get<{ ranges: Record<'web' | 'sales', { last: string } | null> }>('health');
    const last = Date.parse(`${[ranges.web!.last, ranges.sales!.last].sort().at(-1)!.slice(0, 10)}T00:00:00Z`);
    const monday = last - ((new Date(last).getUTCDay() + 6) % 7) * day;
    const [from, to] = [iso(monday - 7 * day), iso(monday)];
    await until(() => page.locator('aida-controls input[name="from"]').inputValue()).toBe(from);
    expect(await page.locator('aida-controls input[name="to"]').inputValue()).toBe(to);
    await until(() => page.locator('aida-funnel-page p.muted').first().textContent()).toContain(`${from} – ${to}`);

    await page.locator('aida-views-menu summary').click();
    await page.locator('aida-views-menu input[name="view-name"]').fill('Funnel, last week');
    await page.locator('aida-views-menu button[type="submit"]').click();
    await until(() => page.locator('aida-views-menu p.status').textContent()).toContain('/view/1');
    await page.screenshot({ path: path.join(shots, 'views-menu-1440-en.png') });
    const views = await get<{ views: { id: number; page: string; query: string }[] }>('views');
    expect(views.views).toEqual([expect.objectContaining({ id: 1, page: 'funnel', query: 'preset=last-week' })]);

    // Escape closes the menu; elsewhere, then back through the menu: the page and its preset, in the language of the tab
    await page.keyboard.press('Escape');
    await until(() => page.locator('aida-views-menu .panel').isVisible()).toBe(false);
    // the correlation under the funnel is the page's last answer: leaving before it comes would abort it
    await until(() => page.locator('aida-funnel-correlation #correlation-title').count()).toBe(1);
    await page.locator('nav a', { hasText: 'Weekly' }).click();
    await until(() => new URL(page.url()).pathname).toBe('/weekly');
    await page.locator('aida-views-menu summary').click();
    await page.locator('aida-views-menu a', { hasText: 'Funnel, last week' }).click();
    await until(() => `${new URL(page.url()).pathname}?${new URL(page.url()).searchParams}`).toBe('/funnel?lang=en&preset=last-week');
    await until(() => page.locator('aida-controls input[name="from"]').inputValue()).toBe(from);
    await finish(w, 'views-reopened-1440-en');

    // the shared link, opened in a new tab in 简体
    const link = await open('/view/1?lang=zh-Hans');
    await until(() => new URL(link.page.url()).pathname).toBe('/funnel');
    expect(new URL(link.page.url()).searchParams.get('preset')).toBe('last-week');
    await until(() => link.page.locator('aida-controls select[name="preset"]').inputValue()).toBe('last-week');
    expect(await link.page.locator('aida-controls select[name="preset"] option:checked').textContent()).toBe('上周');
    await finish(link, 'views-link-1440-zh-Hans');
  });

  it('a heatmap pinned from Cohorts is drawn on the Dashboard; an annotation added there is drawn on it', async () => {
    const w = await open('/cohorts?lang=en');
    const page = w.page;
    const retention = await get<{ cohorts: { cohort: string; periods: unknown[] }[] }>('retention');
    const cells = retention.cohorts.reduce((n, c) => n + c.periods.length, 0);
    await until(() => page.locator('aida-cohorts-page .cohort-cell rect').count()).toBe(cells);
    const pin = page.locator('aida-cohorts-page aida-chart[pin="retention"] button.pin');
    await pin.click();
    await until(() => pin.textContent()).toBe('Pinned');
    expect((await get<{ pins: { chart: string; page: string }[] }>('pins')).pins).toEqual([expect.objectContaining({ chart: 'retention', page: 'cohorts', position: 1 })]);

    await page.locator('nav a', { hasText: 'Dashboard' }).click();
    const card = page.locator('aida-dashboard-page section[data-pin="retention"]');
    await until(() => card.locator('.cohort-cell rect').count()).toBe(cells);
    expect(await card.locator('a', { hasText: 'Open on Cohorts' }).getAttribute('href')).toBe('/cohorts');

    // an annotation in the middle of the newest cohort's month
    const newest = retention.cohorts.at(-1)!.cohort; // YYYY-MM
    const form = page.locator('aida-dashboard-page form.annotate');
    await form.locator('input[name="date"]').fill(`${newest}-15`);
    await form.locator('input[name="note"]').fill('Black Friday email');
    await form.locator('input[name="author"]').fill('ana');
    await form.locator('button[type="submit"]').click();
    await until(() => page.locator('aida-dashboard-page ul.annotations li').textContent()).toContain('Black Friday email');
    await until(() => card.locator('g.annotation-marker title').textContent()).toBe(`${newest}-15 · Black Friday email (ana)`);
    await finish(w, 'dashboard-1440-en');

    // the Cohorts page draws it on the row of that cohort
    const cohorts = await open('/cohorts?lang=en');
    await until(() => cohorts.page.locator('aida-cohorts-page g.annotation-marker title').textContent()).toBe(`${newest}-15 · Black Friday email (ana)`);
    await finish(cohorts, 'cohorts-annotated-1440-en');
  });

  it('the Dashboard on a phone and in 简体', async () => {
    for (const [width, lang] of [[390, 'en'], [390, 'zh-Hans'], [1440, 'zh-Hans']] as const) {
      const w = await open(`/dashboard?lang=${lang}`, width);
      await until(() => w.page.locator('aida-dashboard-page .cohort-cell rect').count()).toBeGreaterThan(0);
      const wide = await w.page.evaluate(() => document.documentElement.scrollWidth);
      expect(wide, `${width} ${lang}: no horizontal page scroll`).toBeLessThanOrEqual(width);
      await finish(w, `dashboard-${width}-${lang}`);
    }
  });
});
