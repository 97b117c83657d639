// GET /api/schema (tables, analyst views, table macros, with types and comments; bookkeeping hidden),
// GET /api/openapi.json (from the same zod schemas the routes validate with) and the /api/docs page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAnalystViews } from '../../queries/analyst-views.ts';
import { parameterNames, metricQueries } from '../../server/routes/metrics.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';
import { sql } from 'kysely';

let f: ServerFixture;
beforeAll(async () => {
  f = await serverFixture({ sql: { max_rows: 500 } });
  expect((await f.ingest('orders.csv', 'order_id,ts,customer_id,amount\no1,2026-10-01T10:00:00Z,c1,10.00\n')).status).toBe('loaded');
  await installAnalystViews(f.db, f.config);
  await sql`comment on column orders.amount is 'order total in the order''s currency'`.execute(f.db.kysely);
});
afterAll(async () => f.close());

interface SchemaObject {
  name: string;
  kind: string;
  description: string | null;
  parameters?: string[];
  columns: { name: string; type: string; description: string | null }[];
}

describe('GET /api/schema', () => {
  it('lists views, tables and macros with columns, types and comments, and hides bookkeeping', async () => {
    const res = await f.app.request('/api/schema');
    expect(res.status).toBe(200);
    const { objects } = (await res.json()) as { objects: SchemaObject[] };
    const byName = new Map(objects.map((o) => [o.name, o]));
    for (const view of ['v_events', 'v_sessions', 'v_orders', 'v_campaigns', 'v_complaints']) {
      expect(byName.get(view)?.kind, view).toBe('view');
      expect(byName.get(view)?.description, view).toBeTruthy();
    }
    for (const table of ['events', 'orders', 'campaigns', 'complaints', 'identities', 'ingests', 'rejects', 'sessions']) expect(byName.get(table)?.kind, table).toBe('table');
    expect(byName.has('meta')).toBe(false);
    expect(byName.has('aida_migrations')).toBe(false);
    expect(objects.filter((o) => o.name.startsWith('_'))).toEqual([]);
    // views come first (what analysts should start from), then tables, then macros
    expect(objects.findIndex((o) => o.kind === 'table')).toBeGreaterThan(objects.findLastIndex((o) => o.kind === 'view'));
    const amount = byName.get('orders')!.columns.find((c) => c.name === 'amount');
    expect(amount).toEqual({ name: 'amount', type: 'DECIMAL(18,2)', description: "order total in the order's currency" });
    expect(byName.get('v_orders')!.columns.find((c) => c.name === 'is_valid')).toEqual({ name: 'is_valid', type: 'BOOLEAN', description: 'counted by metrics: paid-like status and amount > 0' });
    const funnel = byName.get('funnel')!;
    expect(funnel).toMatchObject({ kind: 'macro', parameters: ['from_date', 'to_date'] });
    expect(funnel.description).toBe('The AIDA funnel for [from_date, to_date) in the reporting time zone: one row per step (as GET /api/funnel).');
    expect(funnel.columns.map((c) => c.name)).toContain('step');
  });
});

/** server/routes/kept.ts: saved views, Dashboard pins, annotations */
const keptPaths = ['/api/views', '/api/views/{id}', '/api/pins', '/api/pins/order', '/api/pins/{id}', '/api/annotations', '/api/annotations/{id}'];

describe('GET /api/openapi.json and /api/docs', () => {
  it('documents every route with the parameters its zod schema accepts', async () => {
    const doc = await (await f.app.request('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    expect(paths.sort()).toEqual([...Object.keys(metricQueries).map((p) => `/api${p}`), '/api/health', '/api/ingest', '/api/ingest/follow-offsets', '/api/schema', '/api/sql', ...keptPaths].sort());
    for (const [path, query] of Object.entries(metricQueries)) {
      const names = doc.paths[`/api${path}`].get.parameters.map((p: { name: string }) => p.name);
      // a module with a list also takes the route's paging parameters (queries/shared/page.ts)
      expect(names, path).toEqual([...parameterNames(query.params), ...('list' in query && query.list ? ['limit', 'offset'] : []), 'format']);
    }
    const funnel = doc.paths['/api/funnel'].get;
    const breakdown = funnel.parameters.find((p: { name: string }) => p.name === 'breakdown');
    expect(breakdown.schema.anyOf[0].enum).toContain('channel');
    expect(breakdown.schema.anyOf[1]).toMatchObject({ type: 'string', pattern: '^property:[\\s\\S]{1,}$' });
    expect(funnel.parameters.find((p: { name: string }) => p.name === 'from')).toMatchObject({ in: 'query', required: false, schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } });
    expect(funnel['x-aida-role']).toBe('viewer');
    const sqlBody = doc.paths['/api/sql'].post.requestBody.content['application/json'].schema;
    expect(sqlBody.required).toEqual(['sql']);
    expect(sqlBody.properties.limit).toMatchObject({ type: 'integer', maximum: 500 }); // sql.max_rows of this config
    expect(doc.paths['/api/ingest'].post.parameters.map((p: { name: string }) => p.name)).toEqual(['name', 'kind', 'format', 'profile', 'encoding', 'logFormat', 'excludePath', 'dryRun', 'slice']);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('renders a self-contained docs page', async () => {
    const res = await f.app.request('/api/docs');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    for (const path of Object.keys(metricQueries)) expect(html).toContain(`<code>/api${path}</code>`);
    expect(html).toContain('id="problem-invalid-parameters"');
    expect(html).not.toMatch(/<script|<link|src="http/); // no CDN, no script
  });
});
