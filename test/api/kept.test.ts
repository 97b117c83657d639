// Saved views, Dashboard pins and annotations (issue 19 item 9) through the real app: create, list,
// delete; a viewer reads but may not write; cross-site writes refused; bad fields named in a 400; the
// migration on a database made by schema version 10; what `aida rebuild` carries over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../queries/db/migrate.ts';
import { openDb } from '../../queries/db/open.ts';
import { annotationsResult, listAnnotations, listPins, listViews, pinsResult, readKept, restoreKept, savedViewsResult } from '../../queries/kept.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

const tokens = { viewer: 'viewer-token-0123456789', analyst: 'analyst-token-0123456789' };
const as = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });

let f: ServerFixture;
beforeAll(async () => {
  f = await serverFixture({ auth: { tokens: [{ token: tokens.viewer, role: 'viewer' }, { token: tokens.analyst, role: 'analyst' }] } });
});
afterAll(async () => f.close());

type Problem = { status: number; detail: string; errors?: { parameter: string; message: string; expected?: string }[] };
const send = (method: string, url: string, body?: unknown, headers: Record<string, string> = as('analyst')) =>
  f.app.request(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const json = async <T,>(res: Response | Promise<Response>) => (await (await res).json()) as T;

describe('saved views', () => {
  it('an analyst saves a view; the query is kept sorted without lang; everyone with a token lists it', async () => {
    const res = await send('POST', '/api/views', { name: '  Email, last week ', page: 'funnel', query: '?preset=last-week&lang=zh-Hans&channel=email' });
    expect(res.status).toBe(201);
    const view = await json<{ id: number; name: string; page: string; query: string; createdAt: string }>(res);
    expect(view).toMatchObject({ name: 'Email, last week', page: 'funnel', query: 'channel=email&preset=last-week' });
    expect(Date.parse(view.createdAt)).toBeGreaterThan(Date.parse('2026-01-01'));
    const listed = await json<{ views: { id: number; name: string }[] }>(send('GET', '/api/views', undefined, as('viewer')));
    expect(listed.views).toEqual([view]);
  });

  it('lists by name (case-insensitive), and a deleted view is gone; deleting it again is a 404', async () => {
    const b = await json<{ id: number }>(send('POST', '/api/views', { name: 'b cohorts', page: 'cohorts' }));
    await send('POST', '/api/views', { name: 'A weekly', page: 'weekly', query: 'week=2026-W45' });
    const names = (await json<{ views: { name: string }[] }>(send('GET', '/api/views'))).views.map((v) => v.name);
    expect(names).toEqual(['A weekly', 'b cohorts', 'Email, last week']);
    expect((await send('DELETE', `/api/views/${b.id}`)).status).toBe(204);
    expect((await json<{ views: { name: string }[] }>(send('GET', '/api/views'))).views.map((v) => v.name)).toEqual(['A weekly', 'Email, last week']);
    const again = await send('DELETE', `/api/views/${b.id}`);
    expect(again.status).toBe(404);
    expect((await json<Problem>(again)).detail).toBe(`no saved view ${b.id}`);
  });

  it('a 400 names each bad field: an empty name, an unknown page, an unknown field', async () => {
    const res = await send('POST', '/api/views', { name: ' ', page: 'nowhere', colour: 'red' });
    expect(res.status).toBe(400);
    const problem = await json<Problem>(res);
    expect(problem.errors!.map((e) => e.parameter).sort()).toEqual(['colour', 'name', 'page']);
    expect(problem.errors!.find((e) => e.parameter === 'page')!.expected).toContain('funnel');
    expect((await send('DELETE', '/api/views/abc')).status).toBe(400);
  });
});

describe('who may change what', () => {
  it('a viewer lists but may not create or delete (403); no token is a 401', async () => {
    expect((await send('GET', '/api/annotations', undefined, as('viewer'))).status).toBe(200);
    const create = await send('POST', '/api/annotations', { date: '2026-11-02', note: 'x' }, as('viewer'));
    expect(create.status).toBe(403);
    expect((await json<Problem>(create)).detail).toContain('needs the analyst role');
    const mine = await json<{ id: number }>(send('POST', '/api/annotations', { date: '2026-11-02', note: 'kept' }));
    expect((await send('DELETE', `/api/annotations/${mine.id}`, undefined, as('viewer'))).status).toBe(403);
    expect((await send('POST', '/api/pins', { chart: 'funnel' }, as('viewer'))).status).toBe(403);
    expect((await send('POST', '/api/views', { name: 'n', page: 'funnel' }, as('viewer'))).status).toBe(403);
    expect((await send('GET', '/api/views', undefined, {})).status).toBe(401);
    expect((await send('DELETE', `/api/annotations/${mine.id}`)).status).toBe(204);
  });
});

describe('cross-site writes', () => {
  let open: ServerFixture;
  beforeAll(async () => {
    open = await serverFixture();
  });
  afterAll(async () => open.close());

  it('without tokens, a POST without X-Aida-Request or from another Origin is refused and nothing is kept', async () => {
    const body = JSON.stringify({ date: '2026-11-02', note: 'from evil.example' });
    const bare = await open.app.request('/api/annotations', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(bare.status).toBe(403);
    expect((await json<Problem>(bare)).detail).toContain("'x-aida-request: 1'");
    const foreign = await open.app.request('/api/annotations', { method: 'POST', headers: { 'content-type': 'application/json', 'x-aida-request': '1', origin: 'https://evil.example' }, body });
    expect(foreign.status).toBe(403);
    const del = await open.app.request('/api/views/1', { method: 'DELETE' });
    expect(del.status).toBe(403);
    expect(await listAnnotations(open.db)).toEqual([]);
    // the same request from the app itself is kept
    const ok = await open.app.request('/api/annotations', { method: 'POST', headers: { 'content-type': 'application/json', 'x-aida-request': '1' }, body });
    expect(ok.status).toBe(201);
  });
});

describe('annotations', () => {
  it('kept with date, note and author; listed by date; from/to pick the days [from, to)', async () => {
    const a = await json<{ id: number; date: string; note: string; author: string | null }>(send('POST', '/api/annotations', { date: '2026-11-27', note: 'Black Friday email', author: 'ana' }));
    expect(a).toMatchObject({ date: '2026-11-27', note: 'Black Friday email', author: 'ana' });
    await send('POST', '/api/annotations', { date: '2026-11-02', note: 'Price change' });
    await send('POST', '/api/annotations', { date: '2026-12-01', note: 'Cyber Monday' });
    const all = await json<{ annotations: { date: string; note: string; author: string | null }[] }>(send('GET', '/api/annotations'));
    expect(all.annotations.map((x) => [x.date, x.note, x.author])).toEqual([
      ['2026-11-02', 'Price change', null],
      ['2026-11-27', 'Black Friday email', 'ana'],
      ['2026-12-01', 'Cyber Monday', null],
    ]);
    // to is exclusive: 2026-12-01 is left out
    const nov = await json<{ annotations: { note: string }[] }>(send('GET', '/api/annotations?from=2026-11-03&to=2026-12-01'));
    expect(nov.annotations.map((x) => x.note)).toEqual(['Black Friday email']);
  });

  it('a bad date is a 400 naming date; a note too long names note; an unknown list parameter names it', async () => {
    const bad = await json<Problem>(send('POST', '/api/annotations', { date: '2026-02-30', note: 'x' }));
    expect(bad.status).toBe(400);
    expect(bad.errors).toEqual([expect.objectContaining({ parameter: 'date', message: 'expected a real calendar date' })]);
    const long = await json<Problem>(send('POST', '/api/annotations', { date: '2026-02-03', note: 'x'.repeat(501) }));
    expect(long.errors).toEqual([expect.objectContaining({ parameter: 'note', expected: 'length <= 500' })]);
    const list = await json<Problem>(send('GET', '/api/annotations?since=2026-01-01'));
    expect(list.status).toBe(400);
    expect(list.errors![0]!.parameter).toBe('since');
    const notJson = await f.app.request('/api/annotations', { method: 'POST', headers: { ...as('analyst'), 'content-type': 'application/json' }, body: '{"date":' });
    expect(notJson.status).toBe(400);
  });
});

describe('Dashboard pins', () => {
  it('pins go to the end; each carries its page; reorder; delete renumbers 1..n', async () => {
    const p1 = await json<{ id: number; page: string; position: number }>(send('POST', '/api/pins', { chart: 'funnel-trend', query: 'grain=month&preset=year-to-date' }));
    const p2 = await json<{ id: number; position: number }>(send('POST', '/api/pins', { chart: 'retention' }));
    const p3 = await json<{ id: number; position: number }>(send('POST', '/api/pins', { chart: 'complaints', query: 'preset=last-month' }));
    expect([p1.position, p2.position, p3.position]).toEqual([1, 2, 3]);
    expect(p1.page).toBe('funnel');
    const ordered = await json<{ pins: { id: number; position: number; page: string }[] }>(send('POST', '/api/pins/order', { ids: [p3.id, p1.id, p2.id] }));
    expect(ordered.pins.map((p) => [p.id, p.position])).toEqual([[p3.id, 1], [p1.id, 2], [p2.id, 3]]);
    expect((await send('DELETE', `/api/pins/${p3.id}`)).status).toBe(204);
    const left = await json<{ pins: { id: number; position: number; chart: string; page: string }[] }>(send('GET', '/api/pins', undefined, as('viewer')));
    expect(left.pins.map((p) => [p.chart, p.page, p.position])).toEqual([['funnel-trend', 'funnel', 1], ['retention', 'cohorts', 2]]);
  });

  it('an order that leaves a pin out, or names one twice, is a 400 naming ids; an unknown chart names chart', async () => {
    const { pins } = await json<{ pins: { id: number }[] }>(send('GET', '/api/pins'));
    const short = await json<Problem>(send('POST', '/api/pins/order', { ids: [pins[0]!.id] }));
    expect(short.status).toBe(400);
    expect(short.errors![0]).toMatchObject({ parameter: 'ids', message: expect.stringContaining('every pin id once') });
    expect((await json<Problem>(send('POST', '/api/pins/order', { ids: [pins[0]!.id, pins[0]!.id] }))).errors![0]!.parameter).toBe('ids');
    const chart = await json<Problem>(send('POST', '/api/pins', { chart: 'pie' }));
    expect(chart.errors![0]).toMatchObject({ parameter: 'chart', expected: expect.stringContaining('funnel-trend') });
  });
});

describe('result schemas', () => {
  it('every list the API answers parses with the schema OpenAPI documents, and the document names each route and role', async () => {
    savedViewsResult.parse(await json(send('GET', '/api/views')));
    pinsResult.parse(await json(send('GET', '/api/pins')));
    annotationsResult.parse(await json(send('GET', '/api/annotations')));
    const doc = await json<{ paths: Record<string, Record<string, { 'x-aida-role': string }>> }>(f.app.request('/api/openapi.json'));
    expect(doc.paths['/api/views']!.get!['x-aida-role']).toBe('viewer');
    expect(doc.paths['/api/views']!.post!['x-aida-role']).toBe('analyst');
    expect(doc.paths['/api/annotations/{id}']!.delete!['x-aida-role']).toBe('analyst');
  });
});

describe('migration 011 and aida rebuild', () => {
  it('applies on a database at schema version 10 (its rows stay), and the copy for a rebuild keeps ids, order and the sequences', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-kept-'));
    const old = await openDb(path.join(dir, 'v10.duckdb'), { migrate: false });
    await migrate(old, 10);
    await sql`insert into snapshot_mails values ('2026-W45', now(), 'a@example.com')`.execute(old.kysely);
    await migrate(old, 11);
    expect(await schemaVersion(old)).toBe(11);
    expect((await sql<{ n: number }>`select count(*)::integer as n from snapshot_mails`.execute(old.kysely)).rows[0]!.n).toBe(1);
    await sql`insert into saved_views (name, page, query, created_at) values ('v', 'funnel', 'preset=today', now())`.execute(old.kysely);
    await sql`insert into dashboard_pins (chart, query, position, created_at) values ('funnel', '', 2, now()), ('retention', '', 1, now())`.execute(old.kysely);
    await sql`insert into annotations (date, note, author, created_at) values ('2026-11-02', 'n', null, now())`.execute(old.kysely);
    const fresh = await openDb(path.join(dir, 'fresh.duckdb'));
    await restoreKept(fresh, await readKept(old));
    expect(await listViews(fresh)).toEqual(await listViews(old));
    expect((await listPins(fresh)).map((p) => p.chart)).toEqual(['retention', 'funnel']);
    expect(await listAnnotations(fresh)).toEqual(await listAnnotations(old));
    // a new row after the copy takes the next id, not one already used
    const { rows } = await sql<{ id: number }>`insert into dashboard_pins (chart, query, position, created_at) values ('complaints', '', 3, now()) returning id`.execute(fresh.kysely);
    expect(rows[0]!.id).toBe(3);
    await old.close();
    await fresh.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
