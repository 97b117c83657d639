// Browser end-to-end for the Paths page and the correlation table under the funnel (issue 16 items 7, 8):
// real Chromium against the real server on demo data. The Sankey draws a bar per step the API returns and
// a band per move; the tables show the API's numbers; the "dropped after Interest" preset goes into the URL
// and counts the funnel's own drop-off; the correlation table shows each item's 2×2 counts. Screenshots in
// English and 简体 at 1440 and 390 px go to test-output/e2e-screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageKit, startHarness, until, type Harness } from './browser.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 240_000);
afterAll(() => h?.close());

const { open, finish, get } = pageKit(() => ({ browser: h.browser, url: h.server.url }));

const int = (n: number) => n.toLocaleString('en-GB');

interface Paths {
  persons: number;
  hops: { hop: number; persons: number; stopped: number }[];
  steps: { hop: number; name: string; persons: number }[];
  links: unknown[];
}

describe('Paths page and funnel correlation in Chromium on demo data', () => {
  it('Paths after Interest: a bar per step and a band per move, the tables show the API numbers', async () => {
    const w = await open('/paths?start=interest');
    const page = w.page;
    const r = await get<Paths>('paths?start=interest');
    expect(r.persons).toBeGreaterThan(100);
    // the anchor's bar plus one per step the API returns; a band per move
    await until(() => page.locator('aida-paths-page g.paths-node rect').count()).toBe(r.steps.length + 1);
    expect(await page.locator('aida-paths-page g.paths-link path').count()).toBe(r.links.length);
    for (const hop of r.hops) {
      expect(await page.locator(`aida-paths-page table[data-table="hops"] tr[data-hop="${hop.hop}"] td[data-persons]`).textContent()).toBe(int(hop.persons));
    }
    const first = r.steps[0]!;
    expect(await page.locator(`aida-paths-page table[data-table="steps"] tr[data-hop="1"][data-name="${first.name}"] td[data-persons]`).textContent()).toBe(int(first.persons));
    await finish(w, 'paths-en-1440');
  });

  it('the preset "dropped after Interest" goes into the URL and counts the funnel\'s own drop-off', async () => {
    const w = await open('/paths');
    const page = w.page;
    await page.locator('aida-paths-page g.paths-node rect').first().waitFor();
    await page.locator('aida-paths-page button[name="preset"]').click();
    await until(() => new URL(page.url()).searchParams.get('dropped_after')).toBe('interest');
    const f = await get<{ steps: { count: number }[] }>('funnel');
    const dropped = f.steps[1]!.count - f.steps[2]!.count;
    expect((await get<Paths>('paths?dropped_after=interest')).persons).toBe(dropped);
    await until(() => page.locator('aida-paths-page table[data-table="hops"] tr[data-hop="0"] td[data-persons]').textContent()).toBe(int(dropped));
    await page.reload();
    await until(() => page.locator('aida-paths-page table[data-table="hops"] tr[data-hop="0"] td[data-persons]').textContent()).toBe(int(dropped));
    await finish(w, 'paths-dropped-en-1440');
  });

  it('in 简体 and on a 390 px phone, the page reads in its language', async () => {
    for (const [lang, width] of [['zh-Hans', 1440], ['zh-Hans', 390], ['en', 390]] as const) {
      const w = await open(`/paths?start=interest&lang=${lang}`, width);
      const page = w.page;
      await page.locator('aida-paths-page g.paths-node rect').first().waitFor();
      const title = await page.locator('aida-paths-page h1').textContent();
      expect(title).toBe(lang === 'en' ? 'User paths' : '用户路径');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${lang} ${width}: horizontal scroll`).toBeLessThanOrEqual(0);
      await finish(w, `paths-${lang.toLowerCase()}-${width}`);
    }
  });

  it('Funnel: the correlation table under it shows each item\'s 2×2 counts and odds ratio from the API', async () => {
    const r = await get<{ raising: { kind: string; value: string; converted: { did: number; didNot: number }; oddsRatio: number }[]; lowering: unknown[] }>(
      'funnel/correlation?from_step=interest&to_step=action',
    );
    expect(r.raising.length + r.lowering.length).toBeGreaterThan(0);
    for (const [lang, width] of [['en', 1440], ['zh-Hans', 390]] as const) {
      const w = await open(`/funnel?from_step=interest&to_step=action&lang=${lang}`, width);
      const page = w.page;
      await until(() => page.locator('aida-funnel-correlation table[data-table="raising"] tbody tr').count()).toBe(r.raising.length);
      expect(await page.locator('aida-funnel-correlation table[data-table="lowering"] tbody tr').count()).toBe(r.lowering.length);
      const top = r.raising[0]!;
      const row = page.locator(`aida-funnel-correlation tr[data-item="${top.kind}:${top.value}"]`);
      const cells = await row.locator('td').allTextContents();
      expect(cells[1]).toBe(int(top.converted.did));
      expect(cells[2]).toBe(int(top.converted.didNot));
      expect(await row.locator('td[data-odds]').textContent()).toBe(top.oddsRatio.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-Hans', { maximumFractionDigits: 2 }));
      await page.locator('aida-funnel-correlation').scrollIntoViewIfNeeded();
      if (lang === 'en') {
        // choosing another step pair goes into the URL
        await page.locator('aida-funnel-correlation select[name="from_step"]').selectOption('desire');
        await until(() => new URL(page.url()).searchParams.get('from_step')).toBe('desire');
        await until(() => page.locator('aida-funnel-correlation h2').textContent()).toBe('What converters did differently: Desire → Action');
        await page.locator('aida-funnel-correlation select[name="from_step"]').selectOption('interest');
        await until(() => page.locator('aida-funnel-correlation table[data-table="raising"] tbody tr').count()).toBe(r.raising.length);
      }
      await finish(w, `funnel-correlation-${lang.toLowerCase()}-${width}`);
    }
  });
});
