// Drift tests for rules with one owner (issue 14 item 2): every user of a rule gives the same answer for the
// same rows. The person of a row (queries/shared/persons.ts) as ingest's stage hits, the funnel, the touches,
// the campaigns and the analyst views see it; a path glob (queries/shared/patterns.ts) as ingest's stage
// rule and the funnel's `path:` step match it; the last data instant (queries/shared/data-range.ts) as the
// default periods (TypeScript) and the SQL of retention, repurchase and v_customers read it; the Attention
// stage (queries/funnel/definition.ts) over the stage hits and over the kept funnel days; a bucket's label
// (queries/shared/period.ts) as the trends (TypeScript) and the retention cohorts (SQL) write it; CSV
// quoting (queries/shared/csv.ts) as the exports and the demo's files write it; a cancelled order
// (queries/shared/orders.ts) as the analyst views and the drop candidates' returns see it; a date
// parameter (queries/shared/period.ts isoDate) as the API and the demo read it.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../../bin/config.ts';
import { campaigns } from '../../queries/campaigns.ts';
import { customerLifecycle } from '../../queries/customers.ts';
import { installAnalystViews } from '../../queries/analyst-views.ts';
import { compileLiteral } from '../../queries/db/compile.ts';
import { demoVisitors, writeDemo } from '../../ingest/demo/index.ts';
import { csvLine, csvQuoted } from '../../queries/shared/csv.ts';
import { records } from '../support/csv-records.ts';
import type { QueryContext } from '../../queries/define.ts';
import { attentionStageSql } from '../../queries/funnel/definition.ts';
import { funnel } from '../../queries/funnel/funnel.ts';
import { dataEndSql, dataKinds, dataRange, metricKinds, type DataKind } from '../../queries/shared/data-range.ts';
import { addDays, bucketLabel, bucketLabelSql, bucketStart, zonedMidnight } from '../../queries/shared/period.ts';
import { touchesSql } from '../../queries/shared/touches.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const october = { from: '2026-10-01', to: '2026-10-08' };

/** A fresh warehouse for one test, closed after it. */
async function withWarehouse(config: ConfigInput, use: (w: TempWarehouse) => Promise<void>): Promise<void> {
  const w = await tempWarehouse(config);
  try {
    await use(w);
  } finally {
    await w.close();
  }
}
const browser = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0';

describe('the person of a row: one answer for ingest, metrics and views', () => {
  let w: TempWarehouse;
  let ctx: QueryContext;
  const config = resolveConfig({});
  beforeAll(async () => {
    w = await tempWarehouse();
    ctx = { db: w.db, config };
    // v1 and v2 share customer c9, v2 also logs in as c3: one person {v1, v2, c9, c3}, labelled by its
    // smallest customer id, c3. v3 stays anonymous. c5 never visits; v4 is only a guest order's visitor.
    const web = [
      'event_id,ts,visitor_id,customer_id,event,url,utm_source,utm_medium,utm_campaign,user_agent',
      `e1,2026-10-01T10:00:00Z,v1,,pageview,/,google,cpc,spring,${browser}`,
      `e2,2026-10-01T10:05:00Z,v1,c9,login,/account,,,,${browser}`,
      `e3,2026-10-02T09:00:00Z,v2,c9,pageview,/,google,cpc,spring,${browser}`,
      `e4,2026-10-02T09:10:00Z,v2,c3,login,/account,,,,${browser}`,
      `e5,2026-10-03T12:00:00Z,v3,,pageview,/,,,,${browser}`,
    ].join('\n') + '\n';
    const sales = [
      'order_id,ts,customer_id,visitor_id,amount,status,utm_source,utm_medium,utm_campaign',
      'O1,2026-10-02T10:00:00Z,c9,,100,paid,google,cpc,spring', // c9's person: c3
      'O2,2026-10-03T13:00:00Z,,v3,40,paid,,,', //                  a guest order: the visitor's person, v3
      'O3,2026-10-04T10:00:00Z,c5,,60,paid,,,', //                  a customer never seen on the site: c5
      'O4,2026-10-04T11:00:00Z,,v4,20,paid,,,', //                  a guest never seen on the site: v4
    ].join('\n') + '\n';
    // orders first: O1 is c9's until the web file links c9 into c3's person, so derive must move it
    for (const [name, content] of [['sales.csv', sales], ['web.csv', web]] as const) expect((await w.ingest(w.file(name, content))).rowsRejected).toBe(0);
    await installAnalystViews(w.db, config);
  });
  afterAll(async () => w?.close());

  it('the analyst views name the same persons: events, sessions, orders', async () => {
    expect(await w.rows('select event_id, person_id from v_events order by event_id')).toEqual([
      { event_id: 'e1', person_id: 'c3' }, { event_id: 'e2', person_id: 'c3' }, { event_id: 'e3', person_id: 'c3' }, { event_id: 'e4', person_id: 'c3' }, { event_id: 'e5', person_id: 'v3' },
    ]);
    expect(await w.rows('select visitor_id, person_id from v_sessions order by visitor_id')).toEqual([
      { visitor_id: 'v1', person_id: 'c3' }, { visitor_id: 'v2', person_id: 'c3' }, { visitor_id: 'v3', person_id: 'v3' },
    ]);
    expect(await w.rows('select order_id, person_id from v_orders order by order_id')).toEqual([
      { order_id: 'O1', person_id: 'c3' }, { order_id: 'O2', person_id: 'v3' }, { order_id: 'O3', person_id: 'c5' }, { order_id: 'O4', person_id: 'v4' },
    ]);
  });

  it("ingest's stage hits are kept per the same persons", async () => {
    const of = async (stage: string) => (await w.rows<{ p: string }>(`select person_id as p from person_stages where stage = '${stage}' order by 1`)).map((r) => r.p);
    expect(await of('visit')).toEqual(['c3', 'v3']); // e1, e3 → c3; e5 → v3
    expect(await of('purchase')).toEqual(['c3', 'c5', 'v3', 'v4']); // O1..O4
  });

  it("the funnel's event step and its touches count persons, not visitors", async () => {
    // pageview events e1, e3 (c3) and e5 (v3): 2 persons, though 3 visitors; both bought after it (O1, O2)
    const r = await funnel.execute(ctx, { ...october, steps: 'event:pageview,purchase' });
    expect(r.steps.map((s) => s.count)).toEqual([2, 2]);
    // c3's first touch is v1's session (spring); v3's has no campaign
    const by = await funnel.execute(ctx, { ...october, steps: 'event:pageview,purchase', breakdown: 'campaign' });
    expect(Object.fromEntries(by.breakdown!.values.map((v) => [v.value, v.steps.map((s) => s.count)]))).toEqual({ spring: [1, 1], '(none)': [1, 1] });
    const touched = await w.rows<{ p: string }>(`select distinct person_id as p from (${compileLiteral(sql`${touchesSql()}`)}) order by 1`);
    expect(touched.map((t) => t.p)).toEqual(['c3', 'v3']); // sessions of c3 and v3; O1 (tagged) is c3's too
  });

  it('campaigns count the visits of one person once as a visitor', async () => {
    const r = await campaigns.execute(ctx, october);
    const spring = r.campaigns.find((c) => c.campaign === 'spring')!;
    // sessions of v1 and v2 (both c3) and O1 (c3)
    expect([spring.visits, spring.visitors, spring.orders, spring.purchasers, spring.revenue]).toEqual([2, 1, 1, 1, 100]);
  });
});

describe('a path glob: one matching for ingest stage rules and funnel path steps', () => {
  let w: TempWarehouse;
  let ctx: QueryContext;
  // `_`, `%` and `\` are literal in a glob; only `*` matches any run of characters
  const docs = '/a_b%c\\d*';
  const trailing = '/x\\';
  const config = resolveConfig({ stages: { docs: { label: 'Docs', paths: [docs] }, trail: { label: 'Trail', paths: [trailing] } } });
  beforeAll(async () => {
    w = await tempWarehouse({ stages: { docs: { label: 'Docs', paths: [docs] }, trail: { label: 'Trail', paths: [trailing] } } });
    ctx = { db: w.db, config };
    const paths = [
      '/a_b%c\\d/x', //  v1: docs
      '/a_b%c\\d', //    v2: docs (* is empty)
      '/aXbYc\\d/x', //  v3: no: _ and % are not wildcards
      '/a_b%cd/x', //   v4: no: the backslash is literal (ingest used to read "\d" as "d" here)
      '/x\\', //         v5: trail (ingest used to fail on a pattern ending in a backslash)
      '/x', //                    v6: no
    ];
    const web = ['event_id,ts,visitor_id,event,url,user_agent', ...paths.map((p, i) => `q${i + 1},2026-10-01T1${i}:00:00Z,v${i + 1},pageview,"${p}",${browser}`)].join('\n') + '\n';
    expect((await w.ingest(w.file('web.csv', web))).rowsRejected).toBe(0);
  });
  afterAll(async () => w?.close());

  const stagePersons = async (stage: string) => (await w.rows<{ p: string }>(`select person_id as p from person_stages where stage = '${stage}' order by 1`)).map((r) => r.p);

  it('ingest keeps the stage hits of exactly the matching paths', async () => {
    expect(await stagePersons('docs')).toEqual(['v1', 'v2']);
    expect(await stagePersons('trail')).toEqual(['v5']);
  });

  it('the funnel path step matches the same paths as the stage rule', async () => {
    // the glob as the first step (one pageview each: the visit after it would need a second event, since
    // one event fills at most one step — 0 either way); the stage and the path step must reach the same persons
    for (const [stage, glob, expected] of [['docs', docs, 2], ['trail', trailing, 1]] as const) {
      const byPath = await funnel.execute(ctx, { ...october, steps: `path:${glob},visit` });
      const byStage = await funnel.execute(ctx, { ...october, steps: `${stage},visit` });
      expect(byPath.steps.map((s) => s.count), glob).toEqual([expected, 0]);
      expect(byStage.steps.map((s) => s.count), stage).toEqual([expected, 0]);
    }
  });
});

describe('the last data instant: one answer for default periods (TypeScript) and metric SQL', () => {
  const shanghai = { timezone: 'Asia/Shanghai' };
  const sqlEnd = async (w: TempWarehouse, kinds: readonly DataKind[]) =>
    (await w.rows<{ last_ts: Date | null }>(compileLiteral(dataEndSql(resolveConfig(shanghai), kinds))))[0]!.last_ts;
  const kindSets = (): (readonly DataKind[])[] => [...Object.values(metricKinds), ...dataKinds.map((k) => [k])];

  it('per kind and per metric, with crawlers left out and a campaigns day as its local midnight', async () => {
    await withWarehouse(shanghai, async (w) => {
      const files: Record<string, string> = {
        'web.csv': `event_id,ts,visitor_id,event,url,user_agent\nw1,2026-10-05T20:00:00Z,v1,pageview,/,${browser}\nw2,2026-10-06T09:00:00Z,b1,pageview,/,Googlebot/2.1\n`,
        'sales.csv': 'order_id,ts,customer_id,amount,status\nO1,2026-10-04T10:00:00Z,c1,10,paid\n',
        'complaints.csv': 'complaint_id,ts,customer_id,category\nK1,2026-10-07T00:00:00Z,c1,O1\n',
        'campaigns.csv': 'date,campaign,cost\n2026-10-09,spring,5\n',
      };
      for (const [name, content] of Object.entries(files)) expect((await w.ingest(w.file(name, content))).rowsRejected, name).toBe(0);
      const ctx = { db: w.db, config: resolveConfig(shanghai) };
      const last = { web: '2026-10-05T20:00:00.000Z', sales: '2026-10-04T10:00:00.000Z', complaints: '2026-10-07T00:00:00.000Z', campaigns: '2026-10-08T16:00:00.000Z' }; // the bot at 10-06 09:00 is no data; 2026-10-09 00:00 in Shanghai (UTC+8)
      expect(zonedMidnight('2026-10-09', 'Asia/Shanghai').toISOString()).toBe(last.campaigns);
      for (const kinds of kindSets()) {
        const expected = new Date(Math.max(...kinds.map((k) => Date.parse(last[k]))));
        expect((await dataRange(ctx, kinds)).last, kinds.join('+')).toEqual(expected);
        expect(await sqlEnd(w, kinds), kinds.join('+')).toEqual(expected);
      }
    });
  });

  it('kinds without data fall back to all the data, alike in both', async () => {
    await withWarehouse(shanghai, async (w) => {
      expect((await w.ingest(w.file('web.csv', `event_id,ts,visitor_id,event,url,user_agent\nw1,2026-10-05T20:00:00Z,v1,pageview,/,${browser}\n`))).rowsRejected).toBe(0);
      const ctx = { db: w.db, config: resolveConfig(shanghai) };
      for (const kinds of kindSets()) {
        // only web data: every kind set ends where the web data ends
        expect((await dataRange(ctx, kinds)).last, kinds.join('+')).toEqual(new Date('2026-10-05T20:00:00Z'));
        expect(await sqlEnd(w, kinds), kinds.join('+')).toEqual(new Date('2026-10-05T20:00:00Z'));
      }
    });
  });
});

describe('the Attention stage: one answer over the stage hits and over the kept funnel days', () => {
  it('exposed where the period has an impression, else visit, in a non-UTC zone', async () => {
    const config = { timezone: 'America/New_York' };
    await withWarehouse(config, async (w) => {
      // an impression at 2026-10-02 02:00 UTC is 1 October 22:00 in New York (UTC-4)
      const web = [
        'event_id,ts,visitor_id,event,url,user_agent',
        `a1,2026-10-02T02:00:00Z,v1,impression,,${browser}`,
        `a2,2026-10-02T03:00:00Z,v1,pageview,/,${browser}`,
        `a3,2026-10-05T15:00:00Z,v2,pageview,/,${browser}`,
      ].join('\n') + '\n';
      expect((await w.ingest(w.file('web.csv', web))).rowsRejected).toBe(0);
      const tz = resolveConfig(config).timezone;
      const stageOf = async (from: string, to: string) => {
        const live = attentionStageSql({ start: sql`${zonedMidnight(from, tz)}`, end: sql`${zonedMidnight(to, tz)}` });
        const kept = attentionStageSql({ keptFrom: sql`${from}`, keptTo: sql`${to}` });
        const [r] = await w.rows<{ live: string; kept: string }>(compileLiteral(sql`select ${live} as live, ${kept} as kept`));
        return [r!.live, r!.kept];
      };
      expect(await stageOf('2026-10-01', '2026-10-02')).toEqual(['exposed', 'exposed']); // the impression's local day
      expect(await stageOf('2026-10-02', '2026-10-08')).toEqual(['visit', 'visit']); // no impression in these days
      expect(await stageOf('2026-09-24', '2026-10-01')).toEqual(['visit', 'visit']);
      // and the local day of an instant (period.ts) is the same in the kept funnel days and the views
      await installAnalystViews(w.db, resolveConfig(config));
      expect(await w.rows("select visitor_id, strftime(day, '%Y-%m-%d') as day from v_sessions order by 1")).toEqual([
        { visitor_id: 'v1', day: '2026-10-01' }, // 03:00 UTC on 2 October is 23:00 on 1 October in New York
        { visitor_id: 'v2', day: '2026-10-05' },
      ]);
      expect(await w.rows("select variant, strftime(day, '%Y-%m-%d') as day from funnel_days where person_id = 'v1' order by 1")).toEqual([
        { variant: 'exposed', day: '2026-10-01' }, { variant: 'visit', day: '2026-10-01' },
      ]);
    });
  });
});

describe("a bucket's label: one answer in TypeScript (trends) and SQL (retention cohorts)", () => {
  it('weeks starting Monday or Sunday across ISO year ends, months and days', async () => {
    await withWarehouse({}, async (w) => {
      const days = [...Array.from({ length: 22 }, (_, i) => addDays('2020-12-20', i)), ...Array.from({ length: 12 }, (_, i) => addDays('2026-12-25', i))];
      const starts = new Map<string, ['week' | 'month' | 'day', string]>();
      for (const d of days) {
        for (const ws of ['monday', 'sunday'] as const) starts.set(`week ${bucketStart('week', d, ws)}`, ['week', bucketStart('week', d, ws)]);
        starts.set(`month ${bucketStart('month', d, 'monday')}`, ['month', bucketStart('month', d, 'monday')]);
        starts.set(`day ${d}`, ['day', d]);
      }
      for (const [grain, start] of starts.values()) {
        const [r] = await w.rows<{ label: string }>(compileLiteral(sql`select ${bucketLabelSql(grain, sql`cast(${start} as date)`)} as label`));
        expect(r!.label, `${grain} ${start}`).toBe(bucketLabel(grain, start));
      }
      // by hand: Sunday 2020-12-27 starts the week of Monday 2020-12-28, ISO 2020-W53; Monday 2021-01-04 is 2021-W01
      expect(bucketLabel('week', '2020-12-27')).toBe('2020-W53');
      expect(bucketLabel('week', '2021-01-04')).toBe('2021-W01');
      expect(starts.size).toBeGreaterThan(40);
    });
  });
});

describe('CSV quoting: one RFC 4180 rule for the exports and the demo files', () => {
  const tricky = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', '', ' spaced '];

  it('what csvQuoted and csvLine write, an independent RFC 4180 reader reads back', () => {
    expect(tricky.map(csvQuoted)).toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\rhere"', '', ' spaced ']);
    expect([...records(csvLine(tricky))]).toEqual([tricky]);
    // exports alone neutralise formulas (OWASP); the demo's input files keep their text
    expect([...records(csvLine(['=1+2', '-3', '@x']))]).toEqual([["'=1+2", '-3', "'@x"]]);
  });

  it("the demo's files quote a currency that needs it, and read back exactly", async () => {
    await withWarehouse({}, async (w) => {
      const currency = 'X,"Y"';
      const manifest = await writeDemo({ outDir: path.join(w.dir, 'demo'), seed: 3, visitors: 40, days: 7, end: '2026-11-02', malformed: false, currency, kinds: ['sales', 'campaigns'] });
      for (const f of manifest.files) {
        const [header, ...rows] = [...records(fs.readFileSync(f.path, 'utf8'))].filter((r) => r.length > 1);
        const at = header!.indexOf('currency');
        expect(at, f.path).toBeGreaterThanOrEqual(0);
        expect(rows.length, f.path).toBeGreaterThan(0);
        expect(new Set(rows.map((r) => r[at])), f.path).toEqual(new Set([currency]));
      }
    });
  });
});

describe('a cancelled order: one list of statuses for the views and for the drop candidates', () => {
  it('a voided order is a cancellation in v_order_items and a return for the lifecycle', async () => {
    await withWarehouse({}, async (w) => {
      const sales = [
        'order_id,ts,customer_id,sku,quantity,unit_price,status',
        'B1,2026-10-01T10:00:00Z,big,K1,10,100,paid',
        'S1,2026-10-02T10:00:00Z,small,K2,1,5,paid',
        'S2,2026-10-03T10:00:00Z,small,K2,4,5,voided', // Shopify's word for a cancelled payment
        'S3,2026-10-04T10:00:00Z,small,K2,4,5,voided',
      ].join('\n') + '\n';
      expect((await w.ingest(w.file('sales.csv', sales))).rowsRejected).toBe(0);
      await installAnalystViews(w.db, resolveConfig({}));
      expect(await w.rows('select order_id, line_kind, is_cancelled from v_order_items order by 1')).toEqual([
        { order_id: 'B1', line_kind: 'sold', is_cancelled: false },
        { order_id: 'S1', line_kind: 'sold', is_cancelled: false },
        { order_id: 'S2', line_kind: 'cancelled', is_cancelled: true },
        { order_id: 'S3', line_kind: 'cancelled', is_cancelled: true },
      ]);
      const r = await customerLifecycle.execute({ db: w.db, config: resolveConfig({}) }, { as_of: '2026-10-10' });
      // revenue 1000 + 5: big is A (0 before it); small has 1000 of 1005 before it (99.5% ≥ 80%): C,
      // and two cancelled orders (the voided S2, S3) make a tier-C customer a drop candidate
      expect(r.stages.filter((s) => s.customers > 0).map((s) => [s.stage, s.customers])).toEqual([['A', 1], ['E', 1]]);
    });
  });
});

describe('a date parameter: one reading for the API and the demo', () => {
  it('2026-02-30 is refused by both (JavaScript alone would read it as 2 March)', () => {
    expect(new Date('2026-02-30T00:00:00Z').toISOString()).toBe('2026-03-02T00:00:00.000Z'); // why the rule exists
    // the API's period parameters (every metric's) refuse it before any query runs
    expect(funnel.params.safeParse({ from: '2026-02-01', to: '2026-02-30' }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['to', 'expected a real calendar date']]);
    expect(() => demoVisitors({ end: '2026-02-30' }).next()).toThrow("demo: end '2026-02-30' is not a date; expected YYYY-MM-DD");
    expect(demoVisitors({ end: '2026-02-28', days: 1, visitors: 1 }).next().done).toBe(false);
  });
});
