// Drift test for the filter dimensions (issue 14 item 2): the API's own document says which filters each
// endpoint accepts; the one owner list (queries/shared/dimensions.ts) must know each, and every page must
// offer exactly the filters its endpoints accept — in its <aida-controls> or its own toolbar — and pass them on;
// the values suggested before any data are ingest's own default channels and device classes.
import { sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultChannels } from '../../ingest/config.ts';
import { deviceSql, fallbackChannel } from '../../ingest/classify.ts';
import { filterDimensions } from '../../queries/shared/dimensions.ts';
import { defaultSuggestions } from '../../web/filter-suggestions.ts';
import { firstRequests, pageFilters } from '../../web/page-queries.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

interface Parameter { name: string; description?: string }
type Doc = { paths: Record<string, { get?: { parameters: Parameter[] } }> };

/** What the API documents as a filter: a parameter taking "one value or a comma(-separated) list". */
const isFilter = (p: Parameter) => /one value or a comma/.test(p.description ?? '');

/** Parameters a page deliberately leaves out of its requests (besides `format`, which only downloads set). */
const paging = ['limit', 'offset'];
// (`property:<key>=` filters are passed on as the key list's `property`, the name the API documents them under)
const notFromPages: Record<string, string[]> = {
  // a link with steps= shows that ad-hoc funnel; the repeated step= form is for the API and CSV (a URL state keeps one value per key)
  funnel: ['step'],
  'funnel/trends': ['step', 'breakdown'], // the trend chart is the whole funnel per period
  'customers/tiers': ['as_of'], // the page compares the tiers of its period with the period before
};

describe('filter dimensions: one list, offered by the pages exactly as the API accepts them', () => {
  let f: ServerFixture;
  let doc: Doc;
  beforeAll(async () => {
    f = await serverFixture();
    doc = (await (await f.app.request('/api/openapi.json')).json()) as Doc;
  });
  afterAll(async () => f?.close());
  const parameters = (apiPath: string) => doc.paths[`/api/${apiPath}`]?.get?.parameters ?? [];

  it('every filter any endpoint accepts is in the owner list', () => {
    const accepted = new Set(Object.values(doc.paths).flatMap((p) => (p.get?.parameters ?? []).filter(isFilter).map((x) => x.name)));
    // the touch dimensions (SPEC §5), the first-order filters (§5.3) and the products' order country
    expect([...accepted].sort()).toEqual(['campaign', 'channel', 'country', 'coupon', 'device', 'first_product', 'landing_path', 'medium', 'source']);
    expect([...filterDimensions].sort()).toEqual([...accepted].sort());
  });

  it('each page offers exactly the filters its endpoints accept (together), and passes each on to each endpoint accepting it', () => {
    for (const [page, requests] of Object.entries(firstRequests)) {
      const offered = pageFilters[page as keyof typeof pageFilters];
      const shown = [...(offered?.controls ?? []), ...(offered?.own ?? [])].sort();
      const accepted = new Set<string>();
      for (const r of requests) {
        const filters = parameters(r.path).filter(isFilter).map((p) => p.name);
        filters.forEach((d) => accepted.add(d));
        expect(filters.filter((d) => !r.keys.includes(d)), `${page} page does not pass on to /api/${r.path}`).toEqual([]);
      }
      expect(shown, `${page} page vs the filters of ${requests.map((r) => `/api/${r.path}`).join(', ') || 'no endpoint'}`).toEqual([...accepted].sort());
    }
    // the drift this caught: the API's first-order coupon filter had no field on the cohorts page
    expect(pageFilters.cohorts.controls).toEqual(['channel', 'campaign', 'coupon']);
  });

  it('every parameter an endpoint accepts is passed by the page that reads it, or named here as left out', () => {
    for (const [page, requests] of Object.entries(firstRequests)) {
      for (const r of requests) {
        const names = parameters(r.path).map((p) => p.name);
        expect(names.length, r.path).toBeGreaterThan(0);
        // a list's limit/offset are sent by its "Show more", not by the page's first request
        const missing = names.filter((n) => n !== 'format' && !paging.includes(n) && !r.keys.includes(n));
        expect(missing, `${page} page → /api/${r.path}`).toEqual(notFromPages[r.path] ?? []);
        expect(r.keys.filter((k) => !names.includes(k)), `${page} page sends what /api/${r.path} does not accept`).toEqual([]);
      }
    }
  });

  it("the values offered before any data are ingest's default channels and device classes", async () => {
    expect(defaultSuggestions.channel).toEqual([...defaultChannels.map((c) => c.channel), fallbackChannel]);
    // one agent of each kind through ingest's own device rule
    const agents = [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148',
      'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) Mobile/15E148',
      'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/125.0 Safari/537.36',
    ];
    const { rows } = await sql<{ device: string }>`select distinct ${sql.raw(deviceSql('ua'))} as device from (values ${sql.join(agents.map((a) => sql`(${sql.lit(a)})`))}) t(ua) order by 1`.execute(f.db.kysely);
    expect(rows.map((r) => r.device)).toEqual([...defaultSuggestions.device!].sort());
  });

  it('the lists the web bundles are leaves: no imports but of each other, and the only runtime imports of queries/ in web/', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    // the filter dimensions; the pages and pinnable charts, the date presets and the calendar (issue 19 item 9)
    const leaves = ['queries/shared/app-pages.ts', 'queries/shared/calendar.ts', 'queries/shared/dimensions.ts', 'queries/shared/presets.ts'];
    for (const leaf of leaves) {
      const imported = [...fs.readFileSync(path.join(root, leaf), 'utf8').matchAll(/^\s*import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => path.join(path.dirname(leaf), m[1]!));
      expect(imported.filter((i) => !leaves.includes(i)), leaf).toEqual([]);
    }
    const runtime: string[] = [];
    for (const entry of fs.readdirSync(path.join(root, 'web'), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
      for (const m of text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)) {
        const target = path.relative(root, path.resolve(entry.parentPath, m[1]!));
        if (target.startsWith('queries/') || target.startsWith('server/') || target.startsWith('ingest/')) runtime.push(target);
      }
    }
    expect([...new Set(runtime)].sort()).toEqual(leaves);
    // and web/filter-suggestions.ts takes only its type
    expect(fs.readFileSync(path.join(root, 'web/filter-suggestions.ts'), 'utf8')).toMatch(/^import type \{ FilterDimension \}/m);
  });
});
