// Browser end-to-end for the property filter and breakdown (issue 15 item 5) in real Chromium against the
// real server, on the Segment messages of test/fixtures/property-shop.ts loaded by the real pipeline: the
// filter bar suggests the data's keys and a key's values, adding plan=pro (then free, then experiment=A)
// puts property:<key>=<value> in the URL and changes the funnel to the hand-derived counts, a chip removes
// a filter, and the breakdown selector offers "Property: plan". Screenshots at 1440 and 390 px in English
// and 简体 go to test-output/e2e-screenshots/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { ingestFile } from '../../ingest/pipeline.ts';
import { openDb } from '../../queries/db/open.ts';
import { inboxDir } from '../../queries/db/paths.ts';
import { startServer, type Listening } from '../../server/main.ts';
import { period, propertyShopNdjson } from '../fixtures/property-shop.ts';
import { axeFindings, buildWeb, launchChromium, pageKit, screenshotDir as shots, until, watchedPage, type Watched } from './browser.ts';
import type { Browser } from 'playwright-core';

let dir: string;
let server: Listening;
let browser: Browser;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-e2e-props-'));
  const dbFile = path.join(dir, 'aida.duckdb');
  const webDir = path.join(dir, 'web');
  const config = resolveConfig({});
  browser = await launchChromium();
  const load = async () => {
    const db = await openDb(dbFile);
    const file = path.join(dir, 'segment.json');
    fs.writeFileSync(file, propertyShopNdjson);
    const inbox = inboxDir(config, dbFile);
    fs.mkdirSync(inbox, { recursive: true });
    expect(await ingestFile(db, file, { config, inboxDir: inbox })).toMatchObject({ status: 'loaded', rowsLoaded: 12 });
    await db.close();
  };
  await Promise.all([buildWeb(webDir), load()]);
  server = await startServer({ host: '127.0.0.1', port: 0, db: dbFile, config, webDir });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close().catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const inPeriod = `from=${period.from}&to=${period.to}`;
const { open, finish } = pageKit(() => ({ browser, url: server.url }));

/** axe-core's serious and critical findings on the page as it is (the filter bar open). */
const seriousAxe = async (w: Watched) => (await axeFindings(w.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${v.example}`);

/** The funnel table's counts, Attention to Action. */
const counts = (w: Watched) => () =>
  Promise.all(['attention', 'interest', 'desire', 'action'].map(async (k) => (await w.page.locator(`aida-funnel-page tr[data-step="${k}"] td[data-count]`).textContent())?.trim()));
const propertyParams = (w: Watched) => [...new URL(w.page.url()).searchParams].filter(([k]) => k.startsWith('property:'));

async function addProperty(w: Watched, key: string, value: string): Promise<void> {
  const controls = w.page.locator('aida-funnel-page aida-controls');
  await controls.locator('input[name="property-key"]').fill(key);
  await controls.locator('input[name="property-value"]').fill(value);
  await controls.locator('button[name="add-property"]').click();
}

describe('property filter and breakdown on the Funnel page', () => {
  it('suggests keys and values, filters the funnel to the hand counts, removes a filter by its chip', async () => {
    const w = await open(`/funnel?${inPeriod}&lang=en`);
    const controls = w.page.locator('aida-funnel-page aida-controls');
    // everyone: 5 visits, 3 engaged (u1, anon-2, anon-5), 2 intent (u1, anon-5), 1 order (u1)
    await until(counts(w)).toEqual(['5', '3', '2', '1']);
    await controls.locator('summary').click();
    // the keys of the data, by persons (test/api/properties.test.ts has their counts)
    await until(() => controls.locator('#list-property-keys option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['context', 'title', 'plan', 'event', 'experiment', 'currency', 'order_id', 'total']);
    expect(await controls.locator('#list-property-keys option[value="plan"]').getAttribute('label')).toBe('4 people');
    await controls.locator('input[name="property-key"]').fill('plan');
    await until(() => controls.locator('#list-property-values option').evaluateAll((os) => os.map((o) => `${(o as HTMLOptionElement).value} ${(o as HTMLOptionElement).label}`))).toEqual(['pro 2 people', 'free 2 people']);
    await controls.locator('input[name="property-value"]').fill('pro');
    await controls.locator('button[name="add-property"]').click();
    await until(() => propertyParams(w)).toEqual([['property:plan', 'pro']]);
    // plan=pro: u1 (all four steps) and anon-3 (a visit)
    await until(counts(w)).toEqual(['2', '1', '1', '1']);
    await until(() => controls.locator('li.chip').allTextContents()).toEqual(['Property: plan = pro×']);
    // a second value of the same key is an alternative: pro or free adds anon-2 (visit, engaged) and anon-5 (visit, engaged, intent)
    await addProperty(w, 'plan', 'free');
    await until(() => propertyParams(w)).toEqual([['property:plan', 'pro,free']]);
    await until(counts(w)).toEqual(['4', '3', '2', '1']);
    // a second key is one more filter: of those, experiment A is anon-2's alone (visit, engaged)
    await addProperty(w, 'experiment', 'A');
    await until(() => propertyParams(w)).toEqual([['property:experiment', 'A'], ['property:plan', 'pro,free']]);
    await until(counts(w)).toEqual(['1', '1', '0', '0']);
    expect(await controls.locator('summary').textContent()).toContain('(2 active)');
    await finish(w, 'property-filter-1440-en');

    // the link reproduces the view; the chip removes experiment=A again
    const again = await open(`/funnel?${inPeriod}&lang=en&property:plan=pro,free&property:experiment=A`);
    await until(counts(again)).toEqual(['1', '1', '0', '0']);
    await again.page.locator('aida-funnel-page aida-controls li.chip[data-filter="property:experiment=A"] button').click();
    await until(() => propertyParams(again)).toEqual([['property:plan', 'pro,free']]);
    await until(counts(again)).toEqual(['4', '3', '2', '1']);
    // and removing free leaves pro
    await again.page.locator('aida-funnel-page aida-controls li.chip[data-filter="property:plan=free"] button').click();
    await until(() => propertyParams(again)).toEqual([['property:plan', 'pro']]);
    await until(counts(again)).toEqual(['2', '1', '1', '1']);
    await finish(again, 'property-filter-removed-1440-en');
  });

  it('asks the server for the keys once per page and for a key\'s values only when the key is whole', async () => {
    const w = await watchedPage(browser, { width: 1440, height: 900 });
    const asked: string[] = [];
    w.page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/properties') asked.push(u.searchParams.get('key') ?? '(keys)');
    });
    await w.page.goto(`${server.url}/funnel?${inPeriod}&lang=en`);
    await until(counts(w)).toEqual(['5', '3', '2', '1']);
    const controls = w.page.locator('aida-funnel-page aida-controls');
    await controls.locator('summary').click();
    await until(() => controls.locator('#list-property-keys option').count()).toBe(8);
    // the filter bar and the breakdown selector share one answer
    expect(asked).toEqual(['(keys)']);
    // typed a letter at a time: p, pl, pla are no listed key (no request), plan is
    const key = controls.locator('input[name="property-key"]');
    await key.pressSequentially('plan', { delay: 30 });
    await until(() => controls.locator('#list-property-values option').count()).toBe(2);
    expect(asked).toEqual(['(keys)', 'plan']);
    // a key past the list (nobody has plans) is asked for once written and committed, not letter by letter
    await key.pressSequentially('s', { delay: 30 });
    await key.press('Enter');
    await until(() => asked.length).toBe(3);
    expect(asked).toEqual(['(keys)', 'plan', 'plans']);
    await finish(w, 'property-requests-1440-en');
  });

  it('offers "Property: plan" as a breakdown and draws its groups with the hand counts', async () => {
    const w = await open(`/funnel?${inPeriod}&lang=en`);
    const select = w.page.locator('aida-funnel-page select[name="breakdown"]');
    await until(() => select.locator('option[value="property:plan"]').textContent()).toBe('Property: plan');
    await select.selectOption('property:plan');
    await until(() => new URL(w.page.url()).searchParams.get('breakdown')).toBe('property:plan');
    // one bar per step per group; a bar's title is "value · step: count"
    // free: anon-2, anon-5 → 2, 2, 1, 0; pro: u1, anon-3 → 2, 1, 1, 1; (none): anon-4 → 1, 0, 0, 0
    await until(() => w.page.locator('aida-funnel-page g.funnel-breakdown rect').count()).toBe(12);
    const titles = await w.page.locator('aida-funnel-page g.funnel-breakdown rect title').allTextContents();
    const firstLines = titles.map((x) => x.split('\n')[0]).sort();
    expect(firstLines).toEqual([
      '(none) · Action: 0', '(none) · Attention (visits): 1', '(none) · Desire: 0', '(none) · Interest: 0',
      'free · Action: 0', 'free · Attention (visits): 2', 'free · Desire: 1', 'free · Interest: 2',
      'pro · Action: 1', 'pro · Attention (visits): 2', 'pro · Desire: 1', 'pro · Interest: 1',
    ]);
    // the chart's title names the breakdown in the interface language
    expect(await w.page.locator('aida-funnel-page aida-chart[name="funnel-by-property:plan"]').getByText('Funnel by Property: plan:', { exact: false }).count()).toBeGreaterThan(0);
    await finish(w, 'property-breakdown-1440-en');
  });

  it('Efficiency: "Property: plan" as a breakdown, its table headed so, Q2 per value by hand; the filter follows to Paths', async () => {
    const w = await open(`/efficiency?${inPeriod}&lang=en`);
    const select = w.page.locator('aida-efficiency-page select[name="breakdown"]');
    await until(() => select.locator('option[value="property:plan"]').textContent()).toBe('Property: plan');
    await select.selectOption('property:plan');
    const table = w.page.locator('aida-efficiency-page table[aria-label="Efficiency chain · Property: plan"]');
    await until(() => table.locator('thead th').first().textContent()).toBe('Property: plan');
    // Q2 (visitors; the third level, after Q0 and Q1): free anon-2, anon-5 → 2; pro u1, anon-3 → 2; (none) anon-4 → 1
    const q2 = async () => Object.fromEntries(await Promise.all((await table.locator('tbody tr').all()).map(async (r) => [await r.locator('th').textContent(), await r.locator('td').nth(2).textContent()])));
    await until(q2).toEqual({ free: '2', pro: '2', '(none)': '1' });
    await finish(w, 'property-breakdown-efficiency-1440-en');
    // a property filter is one of the parameters that stay when moving between pages
    const f = await open(`/funnel?${inPeriod}&lang=en&property:plan=pro`);
    await until(counts(f)).toEqual(['2', '1', '1', '1']);
    await f.page.locator('aida-app').getByRole('link', { name: 'Paths' }).click();
    await until(() => new URL(f.page.url()).pathname).toBe('/paths');
    expect(propertyParams(f)).toEqual([['property:plan', 'pro']]);
    await until(() => f.page.locator('aida-paths-page aida-controls li.chip').allTextContents()).toEqual(['Property: plan = pro×']);
    await finish(f, 'property-filter-paths-1440-en');
  });

  it.each([
    [390, 'en'],
    [390, 'zh-Hans'],
    [1440, 'zh-Hans'],
  ] as const)('at %i px in %s: the filter bar with a property chip and the breakdown fit the page, no serious axe finding', async (width, lang) => {
    const w = await open(`/funnel?${inPeriod}&lang=${lang}&property:plan=pro&breakdown=property:plan`, width);
    await until(counts(w)).toEqual(['2', '1', '1', '1']);
    const controls = w.page.locator('aida-funnel-page aida-controls');
    const chip = controls.locator('li.chip');
    await until(() => chip.count()).toBe(1);
    expect(await chip.textContent()).toBe(lang === 'en' ? 'Property: plan = pro×' : '属性：plan = pro×');
    expect(await w.page.locator('aida-funnel-page select[name="breakdown"] option[value="property:plan"]').textContent()).toBe(lang === 'en' ? 'Property: plan' : '属性：plan');
    await controls.locator('input[name="property-key"]').fill('plan');
    // no horizontal overflow
    expect(await w.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await controls.screenshot({ path: path.join(shots, `property-filter-${width}-${lang}-controls.png`) });
    expect(await seriousAxe(w)).toEqual([]);
    await finish(w, `property-filter-${width}-${lang}`);
  });
});
