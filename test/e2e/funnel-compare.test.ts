// Browser end-to-end for the funnel's comparison and time to convert (issue 16 items 4, 6): real Chromium
// against the real server on demo data. With compare=previous the Funnel page draws a ghost bar per step
// the comparison period reached, the table shows its people and the change, the trend a dashed line; the
// time-to-convert chart draws a bar per bin the API returns with its median; the compare toggle goes into
// the URL; the Efficiency page shows its ghost ladder. Screenshots in English and 简体 at 1440 and 390 px
// go to test-output/e2e-screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageKit, startHarness, until, type Harness } from './browser.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 240_000);
afterAll(() => h?.close());

const { open, finish, get } = pageKit(() => ({ browser: h.browser, url: h.server.url }));

interface Funnel {
  steps: { key: string; count: number }[];
  comparison?: { period: { from: string; to: string }; steps: { count: number }[]; change: { count: { relative: number | null } }[] };
}
interface Ttc {
  pairs: { from: string; to: string; count: number; medianSeconds: number | null; bins: { count: number }[] }[];
}

describe('Funnel comparison and time to convert in Chromium on demo data', () => {
  it('compare=previous: ghost bars, the comparison column and a dashed trend; time to convert per bin', async () => {
    const f = await get<Funnel>('funnel?compare=previous');
    expect(f.comparison!.steps[0]!.count).toBeGreaterThan(0);
    const ttc = await get<Ttc>('funnel/time-to-convert');
    const shown = ttc.pairs.at(-1)!; // the first step to the last
    expect(shown.count).toBe(f.steps.at(-1)!.count);
    const w = await open('/funnel?compare=previous');
    const page = w.page;
    await until(() => page.locator('aida-funnel-page g.funnel-ghost rect').count()).toBe(f.comparison!.steps.filter((s) => s.count > 0).length);
    const change = await page.locator('aida-funnel-page tr[data-step="attention"] td[data-change]').textContent();
    expect(change).toContain(f.comparison!.steps[0]!.count.toLocaleString('en-GB'));
    await until(() => page.locator('aida-funnel-page g.ttc-bin rect').count()).toBe(shown.bins.length);
    expect(await page.locator('aida-funnel-page [data-ttc-stats]').textContent()).toContain(`${shown.count.toLocaleString('en-GB')} people`);
    // one dashed line per step after the first that the comparison period's trend has a rate for
    const trends = await get<{ comparison?: { series: { steps: { key: string; rateFromFirst: number | null }[] }[] } }>('funnel/trends?compare=previous');
    const ghostLines = new Set(trends.comparison!.series.flatMap((b) => b.steps.slice(1).filter((st) => st.rateFromFirst !== null).map((st) => st.key))).size;
    expect(ghostLines).toBeGreaterThan(0);
    await until(() => page.locator('aida-funnel-page g.funnel-trend-ghost path').count()).toBe(ghostLines);
    // another pair: Interest → Desire
    await page.locator('aida-funnel-page select[name="ttc"]').selectOption('1');
    await until(() => page.locator('aida-funnel-page g.ttc-bin rect').count()).toBe(ttc.pairs[1]!.bins.length);
    await page.locator('aida-funnel-page select[name="ttc"]').selectOption(String(ttc.pairs.length - 1));
    await finish(w, 'funnel-compare-en-1440');
  });

  it('the compare toggle goes into the URL; any-order says time to convert needs ordered steps', async () => {
    const w = await open('/funnel');
    const page = w.page;
    await page.locator('aida-funnel-page g.ttc-bin rect').first().waitFor();
    expect(await page.locator('aida-funnel-page g.funnel-ghost rect').count()).toBe(0);
    await page.locator('aida-funnel-page select[name="compare"]').selectOption('year');
    await until(() => new URL(page.url()).searchParams.get('compare')).toBe('year');
    // a year before the demo there is nothing: the column is there, with 0 people and no change
    await until(() => page.locator('aida-funnel-page tr[data-step="attention"] td[data-change]').textContent()).toBe('0 (–)');
    await until(() => page.locator('aida-funnel-page g.funnel-trend').count()).toBeGreaterThan(0);
    await page.locator('aida-funnel-page select[name="mode"]').selectOption('unordered');
    await until(() => new URL(page.url()).searchParams.get('mode')).toBe('unordered');
    await until(() => page.locator('aida-funnel-page').evaluate((el) => el.shadowRoot?.textContent ?? '')).toContain('Time to convert needs an ordered or strict funnel.');
    await finish(w, 'funnel-unordered-en-1440');
  });

  it('in 简体 and on a 390 px phone, with the comparison and the time-to-convert chart', async () => {
    for (const [lang, width] of [['zh-Hans', 1440], ['zh-Hans', 390], ['en', 390]] as const) {
      const w = await open(`/funnel?compare=previous&lang=${lang}`, width);
      const page = w.page;
      await page.locator('aida-funnel-page g.funnel-ghost rect').first().waitFor();
      await page.locator('aida-funnel-page g.ttc-bin rect').first().waitFor();
      expect(await page.locator('aida-funnel-page #ttc-title').textContent()).toBe(lang === 'en' ? 'Time to convert' : '转化用时');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${lang} ${width}: horizontal scroll`).toBeLessThanOrEqual(0);
      await finish(w, `funnel-compare-${lang.toLowerCase()}-${width}`);
    }
  });

  it('Efficiency with compare=previous draws the comparison ladder as ghost bars', async () => {
    const e = await get<{ comparison?: { levels: { value: number | null }[] } }>('efficiency?compare=previous');
    const ghosts = e.comparison!.levels.filter((l) => l.value !== null && l.value > 0).length;
    expect(ghosts).toBeGreaterThan(0);
    for (const [lang, width] of [['en', 1440], ['zh-Hans', 390]] as const) {
      const w = await open(`/efficiency?compare=previous&lang=${lang}`, width);
      await until(() => w.page.locator('aida-efficiency-page g.efficiency-ghost rect').count()).toBe(ghosts);
      await finish(w, `efficiency-compare-${lang.toLowerCase()}-${width}`);
    }
  });
});
