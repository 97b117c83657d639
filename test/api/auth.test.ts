// Auth (SPEC §6): no token / wrong token / viewer / analyst / admin × dashboard, SQL, schema, ingest;
// what stays public; open mode on loopback; and the refusal to listen beyond loopback without tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { roleOfToken } from '../../server/auth.ts';
import { startServer } from '../../server/main.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

const tokens = {
  viewer: 'viewer-token-0123456789',
  analyst: 'analyst-token-0123456789',
  admin: 'admin-token-0123456789ab',
};
const campaignsCsv = 'date,source,medium,campaign,impressions,clicks,cost\n2026-10-01,google,cpc,autumn,1000,50,25.00\n';

let f: ServerFixture;
beforeAll(async () => {
  f = await serverFixture({ auth: { tokens: Object.entries(tokens).map(([role, token]) => ({ token, role: role as 'viewer' | 'analyst' | 'admin' })) } });
  expect((await f.ingest('campaigns.csv', campaignsCsv)).status).toBe('loaded');
});
afterAll(async () => f.close());

const endpoints = {
  dashboard: (h: Record<string, string>) => f.app.request('/api/funnel', { headers: h }),
  schema: (h: Record<string, string>) => f.app.request('/api/schema', { headers: h }),
  sql: (h: Record<string, string>) => f.app.request('/api/sql', { method: 'POST', headers: { 'x-aida-request': '1', ...h, 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'select 1' }) }),
  ingest: (h: Record<string, string>) => f.app.request('/api/ingest?name=campaigns.csv', { method: 'POST', headers: { 'x-aida-request': '1', ...h }, body: campaignsCsv }),
};

const callers: Record<string, Record<string, string>> = {
  'no token': {},
  'a wrong token': { authorization: 'Bearer not-a-token-of-this-server' },
  'a token cut short': { authorization: `Bearer ${tokens.admin.slice(0, -1)}` },
  'another scheme': { authorization: `Basic ${tokens.admin}` },
  viewer: { authorization: `Bearer ${tokens.viewer}` },
  analyst: { authorization: `Bearer ${tokens.analyst}` },
  admin: { authorization: `bearer ${tokens.admin}` }, // the scheme is case-insensitive
};

const expected: Record<string, Record<keyof typeof endpoints, number>> = {
  'no token': { dashboard: 401, schema: 401, sql: 401, ingest: 401 },
  'a wrong token': { dashboard: 401, schema: 401, sql: 401, ingest: 401 },
  'a token cut short': { dashboard: 401, schema: 401, sql: 401, ingest: 401 },
  'another scheme': { dashboard: 401, schema: 401, sql: 401, ingest: 401 },
  viewer: { dashboard: 200, schema: 403, sql: 403, ingest: 403 },
  analyst: { dashboard: 200, schema: 200, sql: 200, ingest: 403 },
  admin: { dashboard: 200, schema: 200, sql: 200, ingest: 200 },
};

describe('with tokens configured', () => {
  it('answers each caller on each endpoint with 200, 401 or 403', async () => {
    const got: Record<string, Record<string, number>> = {};
    for (const [who, headers] of Object.entries(callers)) {
      got[who] = {};
      for (const [name, call] of Object.entries(endpoints)) {
        const res = await call(headers);
        got[who]![name] = res.status;
        if (res.status === 401) {
          expect(res.headers.get('www-authenticate')).toBe(headers.authorization?.startsWith('Bearer ') ? 'Bearer realm="aida", error="invalid_token"' : 'Bearer realm="aida"');
          expect((await res.json()).type).toBe('/api/docs#problem-unauthorized');
        } else if (res.status === 403) {
          const role = name === 'ingest' ? 'admin' : 'analyst';
          expect((await res.json()).detail).toBe(`this endpoint needs the ${role} role; the token has ${who}`);
        } else await res.arrayBuffer();
      }
    }
    expect(got).toEqual(expected);
  });

  it('keeps health public without counts for anonymous callers; docs and the web page are public', async () => {
    const anonymous = await (await f.app.request('/api/health')).json();
    expect(Object.keys(anonymous).sort()).toEqual(['status', 'version']);
    const viewer = await (await f.app.request('/api/health', { headers: callers.viewer })).json();
    expect(viewer.counts).toEqual({ events: 0, orders: 0, campaigns: 1, complaints: 0 });
    expect((await f.app.request('/api/openapi.json')).status).toBe(200);
    expect((await f.app.request('/api/docs')).status).toBe(200);
    expect((await f.app.request('/')).status).toBe(503); // the static handler answers (no web build in this fixture), no 401
  });

  it('matches tokens exactly', () => {
    const list = Object.entries(tokens).map(([role, token]) => ({ token, role: role as 'viewer' }));
    expect(roleOfToken(list, tokens.analyst)).toBe('analyst');
    expect(roleOfToken(list, `${tokens.analyst}x`)).toBeNull();
    expect(roleOfToken(list, tokens.analyst.toUpperCase())).toBeNull();
    expect(roleOfToken(list, '')).toBeNull();
  });
});

describe('without tokens', () => {
  let open: ServerFixture;
  beforeAll(async () => {
    open = await serverFixture();
  });
  afterAll(async () => open.close());

  it('is open on loopback: every endpoint answers without a token', async () => {
    expect((await open.app.request('/api/funnel')).status).toBe(200);
    expect((await open.app.request('/api/schema')).status).toBe(200);
    expect((await open.app.request('/api/sql', { method: 'POST', headers: { 'x-aida-request': '1', 'content-type': 'application/json' }, body: '{"sql":"select 1"}' })).status).toBe(200);
    expect((await (await open.app.request('/api/health')).json()).counts).toEqual({ events: 0, orders: 0, campaigns: 0, complaints: 0 });
  });

  it('refuses to listen beyond loopback', async () => {
    await expect(startServer({ host: '0.0.0.0', port: 0, db: open.dbFile, config: resolveConfig({}) })).rejects.toThrow(
      'refusing to listen on 0.0.0.0 without API tokens: add "auth": { "tokens": [...] } to the config or set AIDA_TOKENS, or bind to 127.0.0.1',
    );
  });
});
