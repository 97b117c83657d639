// The product's funnel, I1–I5 chain, retention and repurchase (and the per-person stage spans in
// person_stages they rest on) against an independent oracle (test/oracle/oracle.ts: plain TypeScript
// over the raw CSV rows, no shared SQL or code), on demo logs of several seeds and on the hand-checked
// edge fixture, each loaded through the real ingest pipeline. Counts must agree exactly, money within a
// cent. Expected numbers are the oracle's; the oracle's own are derived by hand in oracle.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoFileNames, writeDemo } from '../../ingest/demo/index.ts';
import { resolveConfig } from '../../bin/config.ts';
import type { QueryContext } from '../../queries/define.ts';
import { efficiency } from '../../queries/efficiency.ts';
import { funnel } from '../../queries/funnel/funnel.ts';
import { repurchase } from '../../queries/repurchase.ts';
import { retention } from '../../queries/retention.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';
import { edgeFixture, edgeFixtureCsv } from './fixture.ts';
import { buildModel, formatCsv, oracleEfficiency, oracleFunnel, oracleRepurchase, oracleRetention, parseCsv, readRaw, stageSpans, type Model, type RetentionMode } from './oracle.ts';

// 1500 people over 120 days is ~10k web rows per seed: a couple of seconds to generate and load, and
// enough buyers for repeat orders, several monthly cohorts and every repurchase window.
const days = 120;
const visitors = 1500;
const end = '2026-03-02';
const seeds = [1, 2, 3];

/** Periods compared per seed: the last 28 days, 14 days in the middle, the whole window, one odd span. */
const periods = [
  { name: 'last 28 days', from: '2026-02-02', to: '2026-03-02' },
  { name: '14 days in the middle', from: '2025-12-15', to: '2025-12-29' },
  { name: 'the whole window', from: '2025-11-02', to: '2026-03-02' },
  { name: 'a span cut mid-month, ending before the data does', from: '2025-11-20', to: '2026-01-09' },
];

interface Loaded {
  wh: TempWarehouse;
  ctx: QueryContext;
  model: Model;
}

async function load(seed: number, { withoutImpressions = false } = {}): Promise<Loaded> {
  const wh = await tempWarehouse();
  const dir = path.join(wh.dir, 'demo');
  const manifest = await writeDemo({ outDir: dir, seed, visitors, days, end, malformed: false });
  const webFile = path.join(dir, demoFileNames.web);
  if (withoutImpressions) {
    // drop every impression row: the funnel must fall back to visits and Q1 to the campaigns' reach
    const [header, ...rows] = parseCsv(fs.readFileSync(webFile, 'utf8'));
    const event = header!.indexOf('event');
    fs.writeFileSync(webFile, formatCsv([header!, ...rows.filter((r) => r[event] !== 'impression')]));
  }
  for (const f of manifest.files) {
    const s = await wh.ingest(f.path);
    expect(s.rowsRejected, `${f.kind} rows rejected`).toBe(0);
  }
  const model = buildModel(readRaw(dir), { botUserAgents: [] });
  return { wh, ctx: { db: wh.db, config: resolveConfig({}) }, model };
}

/** Money agrees within a cent (the oracle sums JS floats, the product DECIMAL(18,2)). */
function expectMoney(got: number, want: number, what: string) {
  expect(Math.abs(got - want), `${what}: product ${got}, oracle ${want}`).toBeLessThanOrEqual(0.01);
}

/** Every (person, stage) of the product's person_stages with its first and last hit, as the oracle has them. */
function compareStages(l: Loaded) {
  return async () => {
    const rows = await l.wh.rows<{ person_id: string; stage: string; first: number; last: number }>(
      `select person_id, stage, epoch_ms(first_ts)::double as first, epoch_ms(last_ts)::double as last
       from person_stages where stage in ('exposed', 'visit', 'engaged', 'intent', 'purchase')`,
    );
    const got = new Map(rows.map((r) => [`${r.person_id}|${r.stage}`, { first: r.first, last: r.last }]));
    const want = stageSpans(l.model);
    const iso = (m: Map<string, { first: number; last: number }>) =>
      [...m].map(([k, v]) => `${k} ${new Date(v.first).toISOString()} ${new Date(v.last).toISOString()}`).sort();
    const wanted = new Set(iso(want));
    // only the differences, so a failure names the persons
    expect(iso(got).filter((x) => !wanted.has(x)), 'in the product, not in the oracle').toEqual([]);
    const gotten = new Set(iso(got));
    expect(iso(want).filter((x) => !gotten.has(x)), 'in the oracle, not in the product').toEqual([]);
  };
}

function compareFunnel(l: Loaded, period: { from: string; to: string }, nonTrivial = true) {
  return async () => {
    const want = oracleFunnel(l.model, period);
    const got = await funnel.execute(l.ctx, { from: period.from, to: period.to });
    expect(got.steps.map((s) => s.key)).toEqual(['attention', 'interest', 'desire', 'action']);
    expect(got.steps.map((s) => s.count), `persons per step (oracle's attention stage: ${want.attention})`).toEqual(want.steps.map((s) => s.count));
    expect(got.steps.map((s) => s.medianSecondsFromPrevious), 'median seconds from the previous step').toEqual(want.steps.map((s) => s.medianSecondsFromPrevious));
    expect(got.notes.some((n) => n.code === 'funnel_attention_visits'), 'the fallback to visits is said').toBe(want.attention === 'visit');
    if (nonTrivial) expect(want.steps[3]!.count, 'a period in which someone completes the funnel').toBeGreaterThan(0);
  };
}

function compareEfficiency(l: Loaded, period: { from: string; to: string }, nonTrivial = true) {
  return async () => {
    const want = oracleEfficiency(l.model, period);
    const got = await efficiency.execute(l.ctx, { from: period.from, to: period.to });
    expect(Object.fromEntries(got.levels.map((q) => [q.key, q.value])), 'Q0–Q5').toEqual(want.levels);
    // Q0 comes from the campaigns log; Q1 only when nobody was exposed in the period
    expect(got.levels.map((q) => q.estimate), 'levels flagged as estimates').toEqual([want.levels.Q0 !== null, want.members.Q1.length === 0 && want.levels.Q1 !== null, false, false, false, false]);
    for (const r of got.ratios) {
      const w = want.ratios[r.key];
      if (w === null) expect(r.value, r.key).toBeNull();
      else expect(r.value, r.key).toBeCloseTo(w, 12);
    }
    if (want.overallIndex === null) expect(got.overallIndex).toBeNull();
    else expect(got.overallIndex, 'overall index').toBeCloseTo(want.overallIndex, 12);
    if (want.chainProduct === null) expect(got.chainProduct).toBeNull();
    else expect(got.chainProduct! / want.chainProduct, 'chain product Q5/Q0').toBeCloseTo(1, 12);
    if (nonTrivial) expect(want.levels.Q5, 'a period with repurchasers').toBeGreaterThan(0);
  };
}

function compareRetention(l: Loaded, mode: RetentionMode, nonTrivial = true) {
  return async () => {
    const want = oracleRetention(l.model, mode);
    const got = await retention.execute(l.ctx, { grain: 'month', mode });
    const grid = (cs: { cohort: string; size: number; periods: { k: number; customers: number; complete: boolean }[] }[]) =>
      cs.map((c) => ({ cohort: c.cohort, size: c.size, cells: c.periods.map((p) => ({ k: p.k, customers: p.customers, complete: p.complete })) }));
    expect(grid(got.cohorts), 'cohorts, sizes, customers and completeness per cell').toEqual(grid(want));
    want.forEach((c, i) =>
      c.periods.forEach((p, k) => {
        const g = got.cohorts[i]!.periods[k]!;
        expect(g.rate, `${c.cohort} k=${p.k} rate`).toBeCloseTo(p.rate, 12);
        expectMoney(g.revenue, p.revenue, `${c.cohort} k=${p.k} revenue`);
        expectMoney(g.cumulativeRevenuePerCustomer, p.cumulativeRevenuePerCustomer, `${c.cohort} k=${p.k} cumulative revenue per customer`);
      }),
    );
    if (nonTrivial) expect(want.length, 'several monthly cohorts').toBeGreaterThanOrEqual(4);
  };
}

function compareRepurchase(l: Loaded, nonTrivial = true) {
  return async () => {
    const want = oracleRepurchase(l.model);
    const got = await repurchase.execute(l.ctx, {});
    expect(got.windows.map((w) => ({ days: w.days, eligible: w.eligible, repurchased: w.repurchased })), 'eligible and repurchased per window').toEqual(want.windows);
    if (want.medianDaysToSecond === null) expect(got.daysToSecond.median).toBeNull();
    else expect(got.daysToSecond.median, 'median days to the second order').toBeCloseTo(want.medianDaysToSecond, 9);
    expect(got.daysToSecond.histogram, 'days to the second order').toEqual(want.daysToSecond);
    expect(got.ordersPerCustomer, 'orders per customer').toEqual(want.ordersPerCustomer);
    expectMoney(got.repeatRevenue.repeat, want.repeatRevenue, 'repeat revenue');
    expectMoney(got.repeatRevenue.total, want.totalRevenue, 'total revenue');
    if (nonTrivial) expect(want.windows.every((w) => w.eligible > 0 && w.repurchased > 0), 'every window has eligible customers and repurchasers').toBe(true);
  };
}

for (const seed of seeds) {
  describe(`demo seed ${seed}: ${visitors} people over ${days} days`, () => {
    const l = {} as Loaded;
    beforeAll(async () => Object.assign(l, await load(seed)));
    afterAll(() => l.wh?.close());

    test('every person\'s first and last hit of each stage agrees with the oracle (person_stages)', compareStages(l));
    for (const p of periods) {
      test(`funnel counts and median step times agree with the oracle: ${p.name} (${p.from} to ${p.to})`, compareFunnel(l, p));
      test(`I1–I5 levels and ratios agree with the oracle: ${p.name}`, compareEfficiency(l, p));
    }
    for (const mode of ['standard', 'rolling', 'first-repeat'] as const) {
      test(`monthly retention cohorts (${mode}) agree with the oracle, cell for cell`, compareRetention(l, mode));
    }
    test('repurchase within 3, 7, 15, 30 and 90 days agrees with the oracle', compareRepurchase(l));
  });
}

describe('demo seed 4 without impression events', () => {
  const l = {} as Loaded;
  beforeAll(async () => Object.assign(l, await load(4, { withoutImpressions: true })));
  afterAll(() => l.wh?.close());

  test('the oracle sees no exposure: Attention falls back to visits, Q1 to the summed reach', () => {
    expect(oracleFunnel(l.model, periods[0]!).attention).toBe('visit');
    const e = oracleEfficiency(l.model, periods[0]!);
    expect(e.members.Q1).toEqual([]);
    expect(e.levels.Q1).toBeGreaterThan(0);
  });
  for (const p of periods.slice(0, 2)) {
    test(`funnel with Attention = visits agrees with the oracle: ${p.name}`, compareFunnel(l, p));
    test(`Q1 from the campaigns' summed reach agrees with the oracle: ${p.name}`, compareEfficiency(l, p));
  }
});

describe('the hand-checked edge fixture (test/oracle/fixture.ts) through the real ingest', () => {
  // bots that claim a customer id, 'C10' < 'C2' labels, session rules, a step exactly at t1 + 30 days,
  // equal timestamps, a cancelled order as the last data instant (numbers derived in oracle.test.ts)
  const l = {} as Loaded;
  beforeAll(async () => {
    const wh = await tempWarehouse();
    const csv = edgeFixtureCsv();
    for (const [name, text] of [['web.csv', csv.web], ['orders.csv', csv.orders], ['campaigns.csv', csv.campaigns]] as const) {
      const s = await wh.ingest(wh.file(name, text));
      expect(s.rowsRejected, `${name} rows rejected`).toBe(0);
    }
    Object.assign(l, { wh, ctx: { db: wh.db, config: resolveConfig({}) }, model: buildModel(edgeFixture, { botUserAgents: [] }) });
  });
  afterAll(() => l.wh?.close());

  test('every person\'s first and last hit of each stage agrees with the oracle (person_stages)', compareStages(l));
  for (const p of [{ name: 'the first week', from: '2026-01-05', to: '2026-01-12' }, { name: 'a period without exposure or campaigns', from: '2026-02-20', to: '2026-03-01' }]) {
    test(`funnel agrees with the oracle: ${p.name}`, compareFunnel(l, p, false));
    test(`I1–I5 agree with the oracle: ${p.name}`, compareEfficiency(l, p, false));
  }
  for (const mode of ['standard', 'rolling', 'first-repeat'] as const) {
    test(`monthly retention (${mode}) agrees with the oracle`, compareRetention(l, mode, false));
  }
  test('repurchase agrees with the oracle', compareRepurchase(l, false));
});
