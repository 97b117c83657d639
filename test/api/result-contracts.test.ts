// Every metric endpoint's real JSON answers parse with that metric's own `result` schema (strict objects:
// a field too many or too few fails), for a default request, a breakdown/mode, and an empty period, on a
// demo warehouse loaded by the real pipeline and served by the real app (app.request). The OpenAPI
// document shows the same schemas, and every note code a response carries has its text.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { writeDemo } from '../../ingest/demo/index.ts';
import { metricQueries } from '../../server/routes/metrics.ts';
import { noteKey } from '../../web/i18n/notes.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

type Path = keyof typeof metricQueries;

/** Endpoints whose `result` schema is still to come: none (every metric declares one). */
const pendingSchemas: Path[] = [];

/** The demo's window: 60 days ending 2026-03-02 (exclusive). */
const end = '2026-03-02';
/** A period with no data at all (years before the demo). */
const emptyPeriod = { from: '2020-01-01', to: '2020-01-29' };

/** 2–3 requests per endpoint: the default, a breakdown or mode, and an empty period. */
const requests: Record<Path, Record<string, string>[]> = {
  '/funnel': [{}, { breakdown: 'channel', mode: 'any-order' }, { compare: 'previous', mode: 'strict' }, { mode: 'unordered', compare: 'year' }, emptyPeriod],
  '/funnel/trends': [{}, { grain: 'day', steps: 'visit,engaged,purchase' }, { compare: 'previous' }, emptyPeriod],
  '/funnel/time-to-convert': [{}, { steps: '["visit","event:add_to_cart","purchase"]', window: '7d' }, emptyPeriod],
  '/funnel/correlation': [{}, { from_step: 'interest', to_step: 'action', min_cell: '1', attribution: 'last' }, emptyPeriod],
  '/paths': [{}, { end: 'action', scope: 'person', nodes: 'pages', top: '3' }, { dropped_after: 'interest' }, { start: 'attention' }, emptyPeriod],
  '/efficiency': [{}, { breakdown: 'campaign' }, { compare: 'year' }, { breakdown: 'channel', ...emptyPeriod }],
  '/retention': [{}, { grain: 'week' }, emptyPeriod],
  '/repurchase': [{}, emptyPeriod],
  '/customers/tiers': [{}, emptyPeriod],
  '/customers/lifecycle': [{}, { as_of: '2020-01-01' }],
  '/customers/at-risk': [{}, { as_of: '2020-01-01' }],
  '/campaigns': [{}, emptyPeriod],
  '/complaints': [{}, emptyPeriod],
  '/products': [{}, { limit: '5' }, emptyPeriod],
  '/countries': [{}, emptyPeriod],
  // a week in the middle of the demo, and one years before it
  '/snapshot': [{}, { week: '2026-W05' }, { week: '2020-W02' }],
  '/properties': [{}, { key: 'plan', channel: 'Direct' }, emptyPeriod],
};

/** Every `{ code, params? }` inside a response (notes, reasons), found by shape. */
function noteCodes(x: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(x)) for (const v of x) noteCodes(v, out);
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (typeof o['code'] === 'string' && Object.keys(o).every((k) => k === 'code' || k === 'params')) out.add(o['code']);
    else for (const v of Object.values(o)) noteCodes(v, out);
  }
  return out;
}

let f: ServerFixture;
const answers = new Map<string, unknown>();

beforeAll(async () => {
  f = await serverFixture();
  const manifest = await writeDemo({ outDir: path.join(f.dir, 'demo'), seed: 5, visitors: 500, days: 60, end, malformed: false });
  for (const file of manifest.files) {
    const s = await f.ingest(path.basename(file.path), fs.readFileSync(file.path, 'utf8'));
    expect(s.rowsRejected, `${file.kind} rows rejected`).toBe(0);
  }
}, 240_000);
afterAll(async () => f?.close());

async function get(p: Path, query: Record<string, string>): Promise<unknown> {
  const url = `/api${p}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`;
  const res = await f.app.request(url);
  expect(res.status, `${url}: ${res.status} ${res.status === 200 ? '' : await res.clone().text()}`).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await res.json();
  answers.set(url, body);
  return body;
}

describe('every metric endpoint answers what its result schema says', () => {
  it('lists a parameter set for every endpoint the API serves', () => {
    expect(Object.keys(requests).sort()).toEqual(Object.keys(metricQueries).sort());
  });

  for (const [p, query] of Object.entries(metricQueries) as [Path, (typeof metricQueries)[Path]][]) {
    it(`${p}: ${requests[p].length} requests`, async () => {
      const schema = query.result as z.ZodType | undefined;
      if (!schema) expect(pendingSchemas, `${p} has no result schema (defineQuery({ result }))`).toContain(p);
      for (const params of requests[p]) {
        const body = await get(p, params);
        if (!schema) continue;
        const parsed = schema.safeParse(body);
        expect(parsed.success, `${p}?${new URLSearchParams(params)}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
      }
    }, 120_000);
  }

  it('the schemas are strict: a field too many or too few fails', async () => {
    const body = (await get('/funnel', {})) as Record<string, unknown> & { steps: Record<string, unknown>[] };
    const schema = metricQueries['/funnel'].result!;
    expect(schema.safeParse(body).success).toBe(true);
    expect(schema.safeParse({ ...body, extra: 1 }).success).toBe(false);
    const { notes: _, ...withoutNotes } = body;
    expect(schema.safeParse(withoutNotes).success).toBe(false);
    // deep inside: a step with one more field
    expect(schema.safeParse({ ...body, steps: [{ ...body.steps[0], extra: 1 }, ...body.steps.slice(1)] }).success).toBe(false);
    const snap = (await get('/snapshot', {})) as { metrics: Record<string, unknown>[] };
    const { label: __, ...unlabelled } = snap.metrics[0]!;
    expect(metricQueries['/snapshot'].result!.safeParse({ ...snap, metrics: [unlabelled, ...snap.metrics.slice(1)] }).success).toBe(false);
  });

  it('sends notes as codes the web has a text for, never as sentences', async () => {
    const mine: Path[] = ['/funnel', '/funnel/trends', '/efficiency', '/snapshot', '/paths', '/funnel/correlation'];
    const codes = new Set<string>();
    for (const p of mine) for (const params of requests[p]) noteCodes(await get(p, params), codes);
    // the demo's default periods and the empty ones say at least these
    for (const code of ['funnel_window_past_data', 'funnel_any_order', 'funnel_attention_visits', 'efficiency_nothing_before', 'snapshot_method', 'snapshot_week_outside_data']) {
      expect([...codes], code).toContain(code);
    }
    for (const code of codes) expect(noteKey(code), `note.${code} in web/i18n/en.ts`).not.toBeNull();
  });

  it('has a text for every note code these metrics can send, also those the demo never triggers', () => {
    // every noteOf('<code>', …) in the modules (zh-hans.ts and zh-hant.ts are typed to hold every key of en.ts)
    const files = ['queries/funnel/steps.ts', 'queries/efficiency.ts', 'queries/snapshot.ts', 'queries/paths.ts', 'queries/funnel/correlation.ts'];
    const codes = files.flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/noteOf\('([a-z0-9_]+)'/g)].map((m) => m[1]!));
    // 3 funnel, 13 efficiency and decomposition, 18 snapshot codes, 2 paths, 2 correlation
    expect(codes).toHaveLength(38);
    for (const code of codes) expect(noteKey(code), `note.${code} in web/i18n/en.ts`).not.toBeNull();
  });
});

describe('the OpenAPI document describes each response with the same schema', () => {
  it('documents the JSON of every metric that has a result schema, strict, and the others as any object', async () => {
    const doc = await (await f.app.request('/api/openapi.json')).json();
    for (const [p, query] of Object.entries(metricQueries)) {
      const json = doc.paths[`/api${p}`].get.responses['200'].content['application/json'].schema;
      if (!query.result) {
        expect(json, p).toEqual({ type: 'object' });
        continue;
      }
      expect(json.type, p).toBe('object');
      expect(json.additionalProperties, p).toBe(false);
      expect(Object.keys(json.properties).sort(), p).toEqual(Object.keys((query.result as unknown as z.ZodObject).shape).sort());
    }
    const funnel = doc.paths['/api/funnel'].get.responses['200'].content['application/json'].schema;
    expect(funnel.required).toEqual(['funnel', 'label', 'mode', 'windowDays', 'period', 'attribution', 'attentionStage', 'steps', 'notes']);
    expect(funnel.properties.steps.items.properties.ci).toMatchObject({ anyOf: [{ type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] }, { type: 'null' }] });
    expect(doc.components.schemas.Schema.properties.objects.items.properties.kind).toEqual({ type: 'string', enum: ['table', 'view', 'macro'] });
  });
});
