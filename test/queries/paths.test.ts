// User paths (issue 16 item 7) on a fixture small enough to follow by hand: repeats collapsed, drop-off
// at each hop, top N with (other), paths into an end step, across sessions, and the preset "where did
// people go who dropped after Interest" checked against the funnel's own drop-off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { funnel } from '../../queries/funnel/funnel.ts';
import { paths } from '../../queries/paths.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
// Period [2026-10-01, 2026-10-08) UTC; no impressions, so Attention = visits. Sessions split after 30 min.
// Interest (`engaged`) = a product_view/search event, a session's 2nd pageview, or the first event ≥ 60 s in.
//  v1: 10-01 10:00 /  · 10:01 product_view (Interest) · 10:02 /p/1 · 10:03 /p/1 (a reload) · 10:04 add_to_cart (Desire) · 10:05 /cart · 10:06 /checkout
//  v2: 10-02 09:00 /  · 09:00:30 search (Interest) · 09:02 /p/2 — then a 2nd session 15:00 /p/3
//  v3: 10-03 12:00 /  · 12:00:20 /about (2nd pageview: Interest), nothing after
//  v4: 10-04 08:00 /  · 08:01 product_view (Interest) · 08:02 add_to_cart (Desire) · 08:03 /cart
//  v5: a crawler doing what v4 does: left out everywhere
const row = (id: string, ts: string, v: string, event: string, path: string, agent = ua) => `${id},${ts},${v},${event},https://shop.example${path},${agent}`;
const web = [
  'event_id,ts,visitor_id,event,url,user_agent',
  row('e1', '2026-10-01T10:00:00Z', 'v1', 'pageview', '/'),
  row('e2', '2026-10-01T10:01:00Z', 'v1', 'product_view', '/p/1'),
  row('e3', '2026-10-01T10:02:00Z', 'v1', 'pageview', '/p/1'),
  row('e4', '2026-10-01T10:03:00Z', 'v1', 'pageview', '/p/1'),
  row('e5', '2026-10-01T10:04:00Z', 'v1', 'add_to_cart', '/p/1'),
  row('e6', '2026-10-01T10:05:00Z', 'v1', 'pageview', '/cart'),
  row('e7', '2026-10-01T10:06:00Z', 'v1', 'pageview', '/checkout'),
  row('e8', '2026-10-02T09:00:00Z', 'v2', 'pageview', '/'),
  row('e9', '2026-10-02T09:00:30Z', 'v2', 'search', '/search?q=tea'),
  row('e10', '2026-10-02T09:02:00Z', 'v2', 'pageview', '/p/2'),
  row('e11', '2026-10-02T15:00:00Z', 'v2', 'pageview', '/p/3'),
  row('e12', '2026-10-03T12:00:00Z', 'v3', 'pageview', '/'),
  row('e13', '2026-10-03T12:00:20Z', 'v3', 'pageview', '/about'),
  row('e14', '2026-10-04T08:00:00Z', 'v4', 'pageview', '/'),
  row('e15', '2026-10-04T08:01:00Z', 'v4', 'product_view', '/p/4'),
  row('e16', '2026-10-04T08:02:00Z', 'v4', 'add_to_cart', '/p/4'),
  row('e17', '2026-10-04T08:03:00Z', 'v4', 'pageview', '/cart'),
  row('e18', '2026-10-05T10:00:00Z', 'v5', 'pageview', '/', 'Googlebot/2.1 (+http://www.google.com/bot.html)'),
  row('e19', '2026-10-05T10:01:00Z', 'v5', 'product_view', '/p/4', 'Googlebot/2.1 (+http://www.google.com/bot.html)'),
  row('e20', '2026-10-05T10:02:00Z', 'v5', 'add_to_cart', '/p/4', 'Googlebot/2.1 (+http://www.google.com/bot.html)'),
].join('\n');
const period = { from: '2026-10-01', to: '2026-10-08' };

describe('paths on the hand-checked fixture', () => {
  let w: TempWarehouse;
  const config = resolveConfig({});
  const ctx = () => ({ db: w.db, config });
  beforeAll(async () => {
    w = await tempWarehouse();
    await w.ingest(w.file('web.csv', web));
  });
  afterAll(async () => w?.close());

  it('after Interest, in the session: repeats collapsed, people and drop-off at each hop', async () => {
    const r = await paths.execute(ctx(), { ...period, start: 'interest' });
    // walks after each Interest moment (in its session, consecutive repeats collapsed, 3 hops + 1 to see who went on):
    //  v1: /p/1 (10:02; the 10:03 reload collapsed), add_to_cart, /cart, [/checkout: beyond the depth]
    //  v2: /p/2 (the 15:00 visit is another session)
    //  v3: nothing;   v4: add_to_cart, /cart
    expect(r.persons).toBe(4);
    expect(r.hops).toEqual([
      { hop: 0, persons: 4, stopped: 1, stoppedRate: 1 / 4 }, // v3 has no next step
      { hop: 1, persons: 3, stopped: 1, stoppedRate: 1 / 3 }, // v2 stops at /p/2
      { hop: 2, persons: 2, stopped: 1, stoppedRate: 1 / 2 }, // v4 stops at /cart
      { hop: 3, persons: 1, stopped: 0, stoppedRate: 0 }, // v1 goes on to /checkout
    ]);
    // hop 1 by people, then name ('/' sorts before letters)
    expect(r.steps).toEqual([
      { hop: 1, name: '/p/1', persons: 1, stopped: 0, folded: 1 },
      { hop: 1, name: '/p/2', persons: 1, stopped: 1, folded: 1 },
      { hop: 1, name: 'add_to_cart', persons: 1, stopped: 0, folded: 1 },
      { hop: 2, name: '/cart', persons: 1, stopped: 1, folded: 1 },
      { hop: 2, name: 'add_to_cart', persons: 1, stopped: 0, folded: 1 },
      { hop: 3, name: '/cart', persons: 1, stopped: 0, folded: 1 },
    ]);
    expect(r.links).toEqual([
      { hop: 1, from: 'interest', to: '/p/1', persons: 1 },
      { hop: 1, from: 'interest', to: '/p/2', persons: 1 },
      { hop: 1, from: 'interest', to: 'add_to_cart', persons: 1 },
      { hop: 2, from: '/p/1', to: 'add_to_cart', persons: 1 },
      { hop: 2, from: 'add_to_cart', to: '/cart', persons: 1 },
      { hop: 3, from: 'add_to_cart', to: '/cart', persons: 1 },
    ]);
    expect(r.sequences).toEqual([
      { steps: ['/p/1', 'add_to_cart', '/cart'], persons: 1 },
      { steps: ['/p/2'], persons: 1 },
      { steps: ['add_to_cart', '/cart'], persons: 1 },
    ]);
    expect(r.otherSequences).toBe(1); // v3, with no step
    expect(r.notes).toEqual([]);
  });

  it('top 1 per hop sums the rest as (other)', async () => {
    const r = await paths.execute(ctx(), { ...period, start: 'interest', top: '1' });
    // hop 1: three steps of 1 person; '/p/1' first by name, '/p/2' and add_to_cart folded (2 people, 2 names)
    // hop 2: '/cart' (v4) kept, add_to_cart (v1) folded
    expect(r.steps.filter((s) => s.hop <= 2)).toEqual([
      { hop: 1, name: '/p/1', persons: 1, stopped: 0, folded: 1 },
      { hop: 1, name: '(other)', persons: 2, stopped: 1, folded: 2 },
      { hop: 2, name: '/cart', persons: 1, stopped: 1, folded: 1 },
      { hop: 2, name: '(other)', persons: 1, stopped: 0, folded: 1 },
    ]);
    expect(r.links.filter((l) => l.hop === 2)).toEqual([
      { hop: 2, from: '(other)', to: '/cart', persons: 1 },
      { hop: 2, from: '/p/1', to: '(other)', persons: 1 },
    ]);
  });

  it('pages only, and across sessions', async () => {
    const pages = await paths.execute(ctx(), { ...period, start: 'interest', nodes: 'pages' });
    // v1: /p/1, /cart, /checkout (add_to_cart is not a page); v2: /p/2; v4: /cart
    expect(pages.sequences).toEqual([
      { steps: ['/cart'], persons: 1 },
      { steps: ['/p/1', '/cart', '/checkout'], persons: 1 },
      { steps: ['/p/2'], persons: 1 },
    ]);
    const across = await paths.execute(ctx(), { ...period, start: 'interest', scope: 'person' });
    // v2 goes on to its afternoon visit: /p/2 → /p/3
    expect(across.sequences.find((s) => s.steps[0] === '/p/2')).toEqual({ steps: ['/p/2', '/p/3'], persons: 1 });
  });

  it('into an end step: the steps before it, read in time order', async () => {
    const r = await paths.execute(ctx(), { ...period, end: 'event:add_to_cart' });
    // v1 before 10:04: /p/1 (10:03, 10:02 collapsed), product_view, /;  v4 before 08:02: product_view, /
    expect(r.direction).toBe('before');
    expect(r.persons).toBe(2);
    expect(r.sequences).toEqual([
      { steps: ['/', 'product_view'], persons: 1 }, // equal counts: by the steps' text, a prefix first
      { steps: ['/', 'product_view', '/p/1'], persons: 1 },
    ]);
    // hop 1 is the step just before: /p/1 (v1) and product_view (v4); hop 3: '/' for v1, who has nothing earlier
    expect(r.hops.map((h) => [h.persons, h.stopped])).toEqual([[2, 0], [2, 0], [2, 1], [1, 1]]);
  });

  it('where did people go who dropped after Interest: the funnel\'s own drop-off', async () => {
    const f = await funnel.execute(ctx(), period);
    // Attention (visits) 4 → Interest 4 → Desire 2 (v1, v4): 2 dropped after Interest (v2, v3)
    expect(f.steps.map((s) => s.count)).toEqual([4, 4, 2, 0]);
    const r = await paths.execute(ctx(), { ...period, dropped_after: 'interest' });
    expect(r.persons).toBe(f.steps[1]!.count - f.steps[2]!.count);
    expect(r.anchor.key).toBe('interest');
    expect(r.droppedBefore).toBe('desire');
    // v2 went on to /p/2 and left; v3 left at once
    expect(r.hops.slice(0, 2)).toEqual([{ hop: 0, persons: 2, stopped: 1, stoppedRate: 0.5 }, { hop: 1, persons: 1, stopped: 1, stoppedRate: 1 }]);
    expect(r.sequences).toEqual([{ steps: ['/p/2'], persons: 1 }]);
  });

  it('filters pick people by their touch: all four came direct, none from social', async () => {
    // no referrer and no utm on any visit: every session's channel is Direct
    expect((await paths.execute(ctx(), { ...period, start: 'interest', channel: 'Direct' })).persons).toBe(4);
    expect((await paths.execute(ctx(), { ...period, start: 'interest', channel: 'Social' })).persons).toBe(0);
    expect((await paths.execute(ctx(), { ...period, dropped_after: 'interest', channel: 'Direct', attribution: 'last' })).persons).toBe(2);
  });

  it('refuses two anchors and unknown stages, naming the parameter', async () => {
    expect(() => paths.params.parse({ start: 'interest', end: 'desire' })).toThrow(/give one of start, end or dropped_after/);
    await expect(paths.execute(ctx(), { start: 'nosuch' })).rejects.toMatchObject({ parameter: 'start' });
    expect(() => paths.params.parse({ depth: '6' })).toThrow();
  });
});
