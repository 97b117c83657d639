// The customer-side metrics keep their result contracts: every endpoint's real JSON (the Hono app on a
// demo warehouse, several parameter sets each) parses with its module's zod `result` schema, and every
// note, reason and cadence it carries is a code the web has a text for in en / 简体 / 繁體.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { writeDemo } from '../../ingest/demo/index.ts';
import { ingestFile } from '../../ingest/pipeline.ts';
import { campaigns } from '../../queries/campaigns.ts';
import { complaints } from '../../queries/complaints.ts';
import { resolveConfig } from '../../bin/config.ts';
import { revenueByCountry } from '../../queries/countries.ts';
import { customerLifecycle, customersAtRisk, customerTiers } from '../../queries/customers.ts';
import { openDb, type Db } from '../../queries/db/open.ts';
import { topProducts } from '../../queries/products.ts';
import { repurchase } from '../../queries/repurchase.ts';
import { retention } from '../../queries/retention.ts';
import { createApp } from '../../server/app.ts';
import { en } from '../../web/i18n/en.ts';
import { formats } from '../../web/i18n/format.ts';
import { locales, translator } from '../../web/i18n/index.ts';
import { noteText, type Note } from '../../web/i18n/notes.ts';

const end = '2026-11-23';
const empty = 'from=2020-01-01&to=2020-02-01';

/** Each endpoint with its schema and the parameter sets asked: default, a filter or mode, an empty period. */
const cases: { path: string; result: z.ZodType; queries: string[] }[] = [
  { path: 'retention', result: retention.result!, queries: ['', 'grain=week&mode=rolling', 'mode=first-repeat&channel=Advertising', empty] },
  { path: 'repurchase', result: repurchase.result!, queries: ['', 'windows=1,7,30,365&from=2026-09-01', empty] },
  { path: 'customers/tiers', result: customerTiers.result!, queries: ['', `as_of=${end}`, 'from=2026-09-01&to=2026-11-01', empty] },
  { path: 'customers/lifecycle', result: customerLifecycle.result!, queries: ['', 'as_of=2026-10-15', 'as_of=2020-01-01'] },
  { path: 'customers/at-risk', result: customersAtRisk.result!, queries: ['', 'as_of=2026-10-15', 'as_of=2020-01-01'] },
  { path: 'campaigns', result: campaigns.result!, queries: ['', 'from=2026-09-01&to=2026-11-01', empty] },
  { path: 'complaints', result: complaints.result!, queries: ['', 'from=2026-09-01&to=2026-11-01', empty] },
  { path: 'products', result: topProducts.result!, queries: ['', 'limit=3&country=(none)', empty] },
  { path: 'countries', result: revenueByCountry.result!, queries: ['', 'from=2026-09-01&to=2026-11-01', empty] },
];

let dir: string;
let db: Db;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-contracts-'));
  const config = resolveConfig({});
  db = await openDb(path.join(dir, 'aida.duckdb'));
  const manifest = await writeDemo({ outDir: path.join(dir, 'demo'), visitors: 800, days: 120, seed: 14, end, malformed: false });
  for (const f of manifest.files) await ingestFile(db, f.path, { config, inboxDir: path.join(dir, 'demo') });
  app = createApp({ db, config, webDir: path.join(dir, 'no-web') });
}, 180_000);

afterAll(async () => {
  await db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every object in the JSON that is a note ({ code, params? }): notes, reasons, cadences. */
function notesIn(value: unknown, out: Note[] = []): Note[] {
  if (Array.isArray(value)) for (const v of value) notesIn(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.code === 'string' && Object.keys(o).every((k) => k === 'code' || k === 'params')) out.push(o as unknown as Note);
    else for (const v of Object.values(o)) notesIn(v, out);
  }
  return out;
}

describe('result contracts of the customer-side metrics', () => {
  const seen = new Set<string>();
  let chains = 0;

  for (const c of cases) {
    for (const q of c.queries) {
      it(`GET /api/${c.path}?${q} parses with its result schema`, async () => {
        const res = await app.request(`/api/${c.path}${q ? `?${q}` : ''}`);
        expect(res.status).toBe(200);
        const json: unknown = await res.json();
        const parsed = c.result.safeParse(json);
        expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
        // the schema drops nothing the server sent (strict objects: an unknown key is an issue above)
        expect(parsed.data).toEqual(json);
        if (c.path === 'campaigns') chains += (json as { campaigns: { iChain: unknown }[] }).campaigns.filter((x) => x.iChain !== null).length;
        for (const n of notesIn(json)) {
          seen.add(n.code);
          expect(Object.keys(en), `note.${n.code} in web/i18n/en.ts`).toContain(`note.${n.code}`);
          const texts = locales.map((l) => noteText(translator(l), formats(l), n));
          // every parameter is filled in, and 简体 / 繁體 are not the English text
          for (const t of texts) expect(t).not.toMatch(/\{\w+\}/);
          expect(texts[1]).not.toBe(texts[0]);
          expect(texts[2]).not.toBe(texts[0]);
        }
      });
    }
  }

  it('the demo data reaches the notes a reader sees most (so the checks above ran on them)', () => {
    // one per metric family: a cohort definition, a repurchase window rule, a lifecycle cadence and due
    // reason, a campaign matching note, the complaints definition, product revenue, country revenue, and
    // an empty period's note
    for (const code of ['retention_cohort_month', 'retention_cohort_week_monday', 'repurchase_windows', 'cadence_active', 'lifecycle_days', 'campaign_matching', 'complaints_definitions', 'product_revenue', 'country_revenue', 'retention_no_customers', 'no_order_lines']) {
      expect([...seen], code).toContain(code);
    }
    // campaigns with an I-chain were parsed too (its schema is not only ever checked against null)
    expect(chains).toBeGreaterThan(0);
  });
});
