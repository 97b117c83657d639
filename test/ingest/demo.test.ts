// The demo generator (SPEC §4 `aida demo`): deterministic files with the shape the rest of aida and its
// oracle rely on — channels, campaigns, purchases matching orders, repeat buyers, complaints, and
// exactly the documented bad rows.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  writeDemo, demoVisitors, demoCampaigns, demoMalformed, demoColumns, defaultDemoEnd, visitorsForEvents,
  type DemoManifest, type DemoKind,
} from '../../ingest/demo/index.ts';

const END = '2026-11-02'; // a Monday
const START = '2026-08-04'; // 90 days before

/** RFC 4180 reader, so the test does not share the generator's idea of quoting. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

type Row = Record<string, string>;
function readTable(file: string, columns: readonly string[]): Row[] {
  const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
  expect(header).toEqual([...columns]);
  return rows.map((r) => {
    expect(r.length).toBe(columns.length);
    return Object.fromEntries(columns.map((c, i) => [c, r[i]!]));
  });
}

const made: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-demo-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
const fileOf = (m: DemoManifest, kind: DemoKind) => m.files.find((f) => f.kind === kind)!;
const searchEngines = ['google', 'bing', 'baidu', 'yahoo', 'duckduckgo', 'yandex'];
const socialSites = ['facebook', 'instagram', 'x.com', 'twitter', 'linkedin', 'reddit', 'youtube', 'weibo', 'tiktok'];

/** SPEC §4's default channel rules, written out independently for the landing pageviews. */
function channelOf(e: Row): string {
  const medium = e.utm_medium!;
  if (['cpc', 'display', 'video', 'paid_social'].includes(medium)) return 'Advertising';
  if (['coupon', 'affiliate'].includes(medium)) return 'Sales promotion';
  if (['email', 'newsletter'].includes(medium)) return 'Direct marketing';
  if (medium === 'pr') return 'Public relations';
  if (!e.referrer) return 'Direct';
  const host = new URL(e.referrer).hostname;
  if (searchEngines.some((s) => host.includes(s))) return 'Organic search';
  if (socialSites.some((s) => host.includes(s))) return 'Social';
  return 'Referral';
}

describe('demo logs at the defaults (6000 people, 90 days, seed 1)', () => {
  let dir: string;
  let manifest: DemoManifest;
  let web: Row[], orders: Row[], campaigns: Row[], complaints: Row[];
  const inWindow = (ts: string) => ts >= `${START}T00:00:00Z` && ts < `${END}T00:00:00Z`;
  /** the events without the injected bad rows (ids `<id>x<n>`) and with each duplicated line once */
  const cleanEvents = () => [...new Map(web.filter((e) => !e.event_id!.includes('x')).map((e) => [e.event_id, e])).values()];

  beforeAll(async () => {
    dir = tmp();
    manifest = await writeDemo({ outDir: dir, end: END });
    web = readTable(fileOf(manifest, 'web').path, demoColumns.web);
    orders = readTable(fileOf(manifest, 'sales').path, demoColumns.sales);
    campaigns = readTable(fileOf(manifest, 'campaigns').path, demoColumns.campaigns);
    complaints = readTable(fileOf(manifest, 'complaints').path, demoColumns.complaints);
  });

  it('says what it wrote: the window, and row counts equal to each file’s lines minus the header', () => {
    expect(manifest.start).toBe(START);
    expect(manifest.end).toBe(END);
    expect(manifest.seed).toBe(1);
    expect(manifest.files.map((f) => f.kind)).toEqual(['web', 'sales', 'campaigns', 'complaints']);
    for (const f of manifest.files) {
      const text = fs.readFileSync(f.path, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text.includes('\r')).toBe(false);
      expect(text.split('\n').length - 2).toBe(f.rows); // header and the empty string after the last \n
    }
    expect(fileOf(manifest, 'web').rows).toBe(web.length);
    expect(fileOf(manifest, 'sales').rows).toBe(orders.length);
    // the default-size demo is big enough for every chart and small enough to load in a blink
    expect(web.length).toBeGreaterThan(40_000);
    expect(web.length).toBeLessThan(70_000);
    expect(orders.length).toBeGreaterThan(500);
    expect(campaigns.length).toBeGreaterThan(500);
    expect(complaints.length).toBeGreaterThan(10);
  });

  it('has exactly the documented bad rows: 3 unparseable ts, 2 empty visitor_id, 4 duplicate lines, 2 orders with amount abc', () => {
    expect(fileOf(manifest, 'web')).toMatchObject({ malformed: 5, duplicates: 4 });
    expect(fileOf(manifest, 'sales')).toMatchObject({ malformed: 2, duplicates: 0 });
    expect(web.filter((e) => e.ts === 'not-a-date')).toHaveLength(demoMalformed.webBadTs);
    expect(web.filter((e) => e.visitor_id === '')).toHaveLength(demoMalformed.webNoVisitor);
    const seen = new Map<string, string>();
    let duplicates = 0;
    for (const e of web) {
      const line = JSON.stringify(e);
      if (seen.has(e.event_id!)) {
        expect(seen.get(e.event_id!)).toBe(line); // an exact copy, not a clash of ids
        duplicates++;
      } else seen.set(e.event_id!, line);
    }
    expect(duplicates).toBe(demoMalformed.webDuplicates);
    expect(orders.filter((o) => o.amount === 'abc')).toHaveLength(demoMalformed.ordersBadAmount);
    expect(orders.filter((o) => o.amount !== 'abc' && !/^\d+\.\d\d$/.test(o.amount!))).toEqual([]);
    expect(new Set(orders.map((o) => o.order_id)).size).toBe(orders.length);
  });

  it('keeps every timestamp inside [start, end) in all four files', () => {
    expect(web.filter((e) => e.ts !== 'not-a-date' && !inWindow(e.ts!))).toEqual([]);
    expect(orders.filter((o) => !inWindow(o.ts!))).toEqual([]);
    expect(campaigns.filter((c) => c.date! < START || c.date! >= END)).toEqual([]);
    for (const c of complaints) {
      expect(inWindow(c.ts!)).toBe(true);
      if (c.responded_at) expect(inWindow(c.responded_at) && c.responded_at > c.ts!).toBe(true);
      if (c.resolved_at) expect(inWindow(c.resolved_at) && c.resolved_at > c.responded_at!).toBe(true);
    }
  });

  it('orders each visitor’s events strictly in time, and keeps the customer_id once it is set', () => {
    const last = new Map<string, { ts: string; customer: string }>();
    for (const e of cleanEvents()) {
      const prev = last.get(e.visitor_id!);
      if (prev) {
        expect(e.ts! > prev.ts, `${e.event_id} after ${prev.ts}`).toBe(true);
        if (prev.customer) expect(e.customer_id).toBe(prev.customer);
      }
      last.set(e.visitor_id!, { ts: e.ts!, customer: e.customer_id! });
    }
    expect(last.size).toBeGreaterThan(5000);
  });

  it('covers at least 5 channels and 8 campaigns, brand and direct-response alike', () => {
    const channels = new Set(web.filter((e) => e.event === 'pageview').map(channelOf));
    expect([...channels].sort()).toEqual(['Advertising', 'Direct', 'Direct marketing', 'Organic search', 'Public relations', 'Referral', 'Sales promotion', 'Social']);
    const names = new Set(campaigns.map((c) => c.campaign));
    expect(names.size).toBeGreaterThanOrEqual(8);
    expect([...names].filter((n) => n!.includes('brand')).sort()).toEqual(['brand-awareness', 'brand-video-q4']);
    expect([...names].filter((n) => !n!.includes('brand')).length).toBeGreaterThanOrEqual(6);
    expect(new Set(campaigns.map((c) => c.medium))).toEqual(new Set(['cpc', 'display', 'video', 'paid_social', 'email', 'affiliate', 'coupon', 'pr']));
    // every campaign in campaigns.csv brings visitors tagged with its utm values
    const tagged = new Set(web.filter((e) => e.event === 'pageview' && e.utm_campaign).map((e) => `${e.utm_source}/${e.utm_medium}/${e.utm_campaign}`));
    for (const c of new Set(campaigns.map((c) => `${c.source}/${c.medium}/${c.campaign}`))) expect(tagged).toContain(c);
  });

  it('puts utm values in both the landing url and the utm columns, and a referrer on organic, social and referral landings', () => {
    const campaignLandings = web.filter((e) => e.event === 'pageview' && e.utm_campaign);
    expect(campaignLandings.length).toBeGreaterThan(500);
    for (const e of campaignLandings) {
      const q = new URL(e.url!).searchParams;
      expect([q.get('utm_source'), q.get('utm_medium'), q.get('utm_campaign')]).toEqual([e.utm_source, e.utm_medium, e.utm_campaign]);
    }
    const impressions = web.filter((e) => e.event === 'impression');
    expect(impressions.every((e) => e.utm_campaign && !e.url && !e.referrer)).toBe(true);
    expect(web.some((e) => e.event === 'pageview' && !e.utm_campaign && e.referrer!.includes('google'))).toBe(true);
    expect(web.some((e) => e.event === 'pageview' && !e.utm_campaign && e.referrer!.includes('facebook'))).toBe(true);
    expect(web.some((e) => e.event === 'pageview' && !e.utm_campaign && e.referrer!.includes('news.example.org'))).toBe(true);
    // ad campaigns show far more impressions than they bring visits
    for (const name of ['brand-awareness', 'brand-video-q4', 'social-prospecting']) {
      const shown = impressions.filter((e) => e.utm_campaign === name).length;
      const visits = campaignLandings.filter((e) => e.utm_campaign === name).length;
      expect(shown).toBeGreaterThan(20 * visits);
    }
  });

  it('has all eight event types and a few crawlers that only view pages', () => {
    expect(new Set(web.map((e) => e.event))).toEqual(new Set(['impression', 'pageview', 'product_view', 'search', 'signup', 'add_to_cart', 'begin_checkout', 'purchase']));
    const bots = web.filter((e) => /Googlebot|bingbot|AhrefsBot/.test(e.user_agent!));
    const botVisitors = new Set(bots.map((e) => e.visitor_id));
    expect(botVisitors.size).toBeGreaterThanOrEqual(3);
    expect(botVisitors.size).toBeLessThan(60);
    expect(bots.every((e) => e.event === 'pageview' && !e.customer_id)).toBe(true);
    expect(web.some((e) => e.user_agent!.includes(','))).toBe(true); // quoted on disk, read back whole
  });

  it('matches every purchase event to its order: same id, amount = value, ts a few seconds later', () => {
    const byId = new Map(orders.map((o) => [o.order_id!, o]));
    const purchases = web.filter((e) => e.event === 'purchase');
    expect(purchases.length).toBeGreaterThan(300);
    for (const p of purchases) {
      const o = byId.get(p.order_id!);
      expect(o, p.order_id).toBeDefined();
      expect(o!.amount).toBe(p.value);
      expect(o!.visitor_id).toBe(p.visitor_id);
      expect(o!.customer_id).toBe(p.customer_id);
      const lag = (Date.parse(o!.ts!) - Date.parse(p.ts!)) / 1000;
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThanOrEqual(5);
    }
    const clean = orders.filter((o) => o.amount !== 'abc');
    expect(clean.filter((o) => !o.visitor_id).length).toBeGreaterThan(50); // phone orders and offline-only buyers
    expect(new Set(clean.map((o) => o.currency))).toEqual(new Set(['GBP']));
    expect(new Set(clean.map((o) => o.status))).toEqual(new Set(['paid', 'refunded', 'cancelled']));
    expect(clean.filter((o) => o.status === 'paid').length / clean.length).toBeGreaterThan(0.8);
    expect(new Set(clean.map((o) => o.coupon).filter(Boolean))).toEqual(new Set(['WELCOME10', 'SPRING20', 'DEALS15', 'FREESHIP']));
  });

  it('has repeat buyers: about a third of customers with 2+ paid orders, some within 3, 7 and 15 days', () => {
    const paid = new Map<string, number[]>();
    for (const o of orders) if (o.status === 'paid' && o.amount !== 'abc') paid.set(o.customer_id!, [...(paid.get(o.customer_id!) ?? []), Date.parse(o.ts!)]);
    const repeaters = [...paid.values()].filter((ts) => ts.length >= 2);
    const share = repeaters.length / paid.size;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    const gaps = repeaters.map((ts) => ts.sort((a, b) => a - b)).map((ts) => (ts[1]! - ts[0]!) / 86_400_000);
    for (const days of [3, 7, 15]) expect(gaps.filter((g) => g <= days).length).toBeGreaterThan(0);
    expect(gaps.some((g) => g > 30)).toBe(true);
  });

  it('has complaints on about 3% of orders with every severity, some in Chinese, and resolution times in every bucket', () => {
    const clean = orders.filter((o) => o.amount !== 'abc');
    expect(complaints.length / clean.length).toBeGreaterThan(0.015);
    expect(complaints.length / clean.length).toBeLessThan(0.05);
    const orderIds = new Set(clean.map((o) => o.order_id));
    for (const c of complaints) {
      expect(orderIds.has(c.order_id)).toBe(true);
      expect(['O1', 'R1', 'W1', 'W2', 'W3', 'W4', 'W5', 'T1', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'L1', 'S1']).toContain(c.category);
      expect(c.status).toBe(c.resolved_at ? 'resolved' : 'open');
    }
    const severities = new Set(complaints.map((c) => c.severity));
    for (const s of ['minor', 'general', 'serious']) expect(severities).toContain(s);
    expect(complaints.some((c) => ['轻微', '一般', '严重'].includes(c.severity!))).toBe(true);
  });

  it('derives campaigns.csv from the events: impressions equal, reach ≤ impressions, clicks ≥ landings, cost > 0', () => {
    const count = (rows: Row[]) => {
      const m = new Map<string, number>();
      for (const e of rows) m.set(`${e.ts!.slice(0, 10)}/${e.utm_campaign}`, (m.get(`${e.ts!.slice(0, 10)}/${e.utm_campaign}`) ?? 0) + 1);
      return m;
    };
    const unique = cleanEvents();
    const shown = count(unique.filter((e) => e.event === 'impression'));
    const landed = count(unique.filter((e) => e.event === 'pageview' && e.utm_campaign));
    const audience = new Map<string, string>();
    for (const c of campaigns) {
      const key = `${c.date}/${c.campaign}`;
      expect(Number(c.impressions), key).toBe(shown.get(key) ?? 0);
      expect(Number(c.reach)).toBeLessThanOrEqual(Number(c.impressions));
      expect(Number(c.clicks)).toBeGreaterThanOrEqual(landed.get(key) ?? 0);
      expect(Number(c.clicks)).toBeLessThanOrEqual(Math.ceil((landed.get(key) ?? 0) * 1.08));
      expect(Number(c.cost)).toBeGreaterThan(0);
      expect(c.currency).toBe('GBP');
      if (audience.has(c.campaign!)) expect(c.audience).toBe(audience.get(c.campaign!));
      audience.set(c.campaign!, c.audience!);
    }
    const total = [...shown.values()].reduce((a, b) => a + b, 0);
    expect(campaigns.reduce((a, c) => a + Number(c.impressions), 0)).toBe(total);
  });

  it('yields through demoVisitors exactly the clean rows it writes', () => {
    const gen = demoVisitors({ end: END });
    const events: string[] = [];
    let orderCount = 0;
    for (;;) {
      const r = gen.next();
      if (r.done) {
        expect(r.value.length).toBe(campaigns.length);
        break;
      }
      for (const e of r.value.events) events.push(`${e.event_id}|${e.ts}|${e.visitor_id}|${e.event}|${e.value === null ? '' : e.value.toFixed(2)}`);
      orderCount += r.value.orders.length;
    }
    const unique = cleanEvents();
    expect(unique.length).toBe(web.length - 9);
    expect(events).toEqual(unique.map((e) => `${e.event_id}|${e.ts}|${e.visitor_id}|${e.event}|${e.value}`));
    expect(orderCount).toBe(orders.length - demoMalformed.ordersBadAmount);
    expect(demoCampaigns({ end: END }).map((c) => c.impressions)).toEqual(campaigns.map((c) => Number(c.impressions)));
  });
});

describe('determinism and options', () => {
  const read = (m: DemoManifest) => m.files.map((f) => fs.readFileSync(f.path));

  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    const opts = { visitors: 1500, days: 30, end: END };
    const a = read(await writeDemo({ ...opts, outDir: tmp() }));
    const b = read(await writeDemo({ ...opts, outDir: tmp() }));
    const c = read(await writeDemo({ ...opts, seed: 2, outDir: tmp() }));
    a.forEach((buf, i) => expect(buf.equals(b[i]!)).toBe(true));
    a.forEach((buf, i) => expect(buf.equals(c[i]!)).toBe(false));
  });

  it('writes only the kinds asked for, with the same data, and no bad rows when malformed is false', async () => {
    const opts = { visitors: 1500, days: 30, end: END };
    const all = await writeDemo({ ...opts, outDir: tmp() });
    const some = await writeDemo({ ...opts, kinds: ['web', 'sales'], outDir: tmp() });
    expect(some.files.map((f) => f.kind)).toEqual(['web', 'sales']);
    expect(fs.readdirSync(path.dirname(some.files[0]!.path)).sort()).toEqual(['orders.csv', 'web-events.csv']);
    expect(fs.readFileSync(some.files[0]!.path).equals(fs.readFileSync(all.files[0]!.path))).toBe(true);

    const clean = await writeDemo({ ...opts, malformed: false, currency: 'EUR', outDir: tmp() });
    expect(clean.files.map((f) => [f.malformed, f.duplicates])).toEqual([[0, 0], [0, 0], [0, 0], [0, 0]]);
    expect(all.files.map((f) => [f.malformed, f.duplicates])).toEqual([[5, 4], [2, 0], [0, 0], [0, 0]]);
    expect(clean.files[0]!.rows).toBe(all.files[0]!.rows - 9);
    expect(clean.files[1]!.rows).toBe(all.files[1]!.rows - 2);
    const ordersText = fs.readFileSync(clean.files[1]!.path, 'utf8');
    expect(ordersText).not.toContain(',abc,');
    expect(ordersText).toContain(',EUR,');
  });

  it('defaults the end to the most recent Monday on or before today (UTC)', () => {
    expect(defaultDemoEnd(new Date('2026-11-05T12:00:00Z'))).toBe('2026-11-02'); // a Thursday
    expect(defaultDemoEnd(new Date('2026-11-02T00:00:00Z'))).toBe('2026-11-02'); // a Monday
    expect(defaultDemoEnd(new Date('2026-11-08T23:59:59Z'))).toBe('2026-11-02'); // a Sunday
    expect(new Date(`${defaultDemoEnd()}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it('sizes a run by events: visitorsForEvents(n) gives n web rows within 5%', () => {
    for (const [n, days] of [[50_000, 90], [30_000, 28]] as const) {
      let events = 0;
      for (const p of demoVisitors({ visitors: visitorsForEvents(n, days), days, end: END, seed: 7 })) events += p.events.length;
      expect(Math.abs(events - n) / n).toBeLessThan(0.05);
    }
  });

  it('refuses an end that is not a date, with a message saying what is expected', () => {
    expect(() => demoVisitors({ end: '02/11/2026' }).next()).toThrow("demo: end '02/11/2026' is not a date; expected YYYY-MM-DD");
  });
});

describe('pinned output: a change to the demo data is a deliberate one', () => {
  // sha256 of every file, recorded with the single-file generator (ingest/demo.ts at e2fd894) before it
  // was split into ingest/demo/. If one changes, the demo's data changed: say so in the commit, and check
  // that the oracle tests (test/oracle) and the tests above still agree with the new data.
  const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const lineCount = (file: string) => fs.readFileSync(file, 'utf8').split('\n').length - 2; // header and the final newline
  const written = async (opts: Omit<Parameters<typeof writeDemo>[0], 'outDir'>) => {
    const m = await writeDemo({ ...opts, outDir: tmp() });
    return Object.fromEntries(m.files.map((f) => [path.basename(f.path), { rows: lineCount(f.path), sha256: sha256(f.path) }]));
  };

  it('writes the recorded files for --seed 7 --days 30 --visitors 500 (all four kinds, with the bad rows)', async () => {
    expect(await written({ seed: 7, days: 30, visitors: 500, end: END })).toEqual({
      'web-events.csv': { rows: 2549, sha256: 'bdde9c074892e9b778d67870d730c932a505f9aa9952b146ca10b895168fe4f3' },
      'orders.csv': { rows: 31, sha256: '79f89ce286157c3d45dc13397c1fd21d982eee6bff681a66067fea2581aaabf7' },
      'campaigns.csv': { rows: 213, sha256: '402414d454938bcd5ede336b9d4cb0c1a0c379e1a1a08df60a6accae79df5afd' },
      'complaints.csv': { rows: 1, sha256: 'fb6761323335d3d18c95ec125e3f6c5091dec6e8332b56203945083be471b3df' },
    });
  });

  it('writes the recorded files for seed 5, 90 days, 1500 people and a currency that needs quoting', async () => {
    const currency = 'zł,"€"';
    const opts = { seed: 5, days: 90, visitors: 1500, currency, end: END };
    expect(await written(opts)).toEqual({
      'web-events.csv': { rows: 12473, sha256: 'ffdf9f128dded456cefebb9d66a753f213ecd4bb32ac2055bf156fd952999227' },
      'orders.csv': { rows: 181, sha256: '87a7742f9d762dfdc26a536f8fec23caed994619d233388d0ec7f0c6ede2e1ac' },
      'campaigns.csv': { rows: 635, sha256: '5107048ff749863a7d0680f6685a20e728137f2e8700a8303307d4308f310a5b' },
      'complaints.csv': { rows: 6, sha256: '579fd3228202745feadae74c4678497827b39f47025981bb9dbe75d3c80ab198' },
    });
    // what this set pins beyond the first: the UTF-8 writing path, RFC 4180 quoting of the currency, and
    // a complaint with a Chinese severity word (every eighth from the fourth, so K50004 here)
    const dir = tmp();
    await writeDemo({ ...opts, outDir: dir });
    expect(readTable(path.join(dir, 'orders.csv'), demoColumns.sales).every((o) => o.currency === currency)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'campaigns.csv'), 'utf8')).toContain(',"zł,""€"""\n');
    const severities = readTable(path.join(dir, 'complaints.csv'), demoColumns.complaints).map((c) => [c.complaint_id, c.severity]);
    expect(severities.filter(([, s]) => !['minor', 'general', 'serious'].includes(s!))).toEqual([['K50004', '轻微']]);
  });
});
