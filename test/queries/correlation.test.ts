// "What converters did differently" (issue 16 item 8): the 2×2 counts, odds ratios and Fisher p-values of
// GET /api/funnel/correlation on a fixture derived by hand, and the statistics themselves against exact
// rational arithmetic (BigInt binomials, sharing no code with queries/shared/odds.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { funnelCorrelation } from '../../queries/funnel/correlation.ts';
import { funnel } from '../../queries/funnel/funnel.ts';
import { benjaminiHochberg, fisherExact, oddsRatio, oddsRatioCi } from '../../queries/shared/odds.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

/** C(n, k) exactly. */
function choose(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** Two-sided Fisher p as the exact fraction Σ{P(x) ≤ P(a)} / C(n, a+c), from the definition. */
function fisherByDefinition(a: number, b: number, c: number, d: number): number {
  const r1 = a + b, r2 = c + d, c1 = a + c;
  const term = (x: number) => choose(r1, x) * choose(r2, c1 - x);
  const observed = term(a);
  let num = 0n;
  for (let x = Math.max(0, c1 - r2); x <= Math.min(r1, c1); x++) if (term(x) <= observed) num += term(x);
  const den = choose(r1 + r2, c1);
  return Number((num * 10n ** 18n) / den) / 1e18;
}

describe('odds ratio and Fisher exact test', () => {
  it('the tea-tasting table [[3,1],[1,3]]: p = (1 + 16 + 16 + 1) / C(8,4) = 34/70', () => {
    // terms C(4,x)·C(4,4−x) for x = 0..4: 1, 16, 36, 16, 1; the observed x = 3 has 16; at most as likely: 1+16+16+1
    expect(fisherExact({ a: 3, b: 1, c: 1, d: 3 })).toBeCloseTo(34 / 70, 14);
    expect(oddsRatio({ a: 3, b: 1, c: 1, d: 3 })).toBe(9);
  });

  it('matches the exact fraction on tables small and large, balanced and lopsided', () => {
    const tables: [number, number, number, number][] = [
      [4, 2, 1, 5], [1, 9, 11, 3], [0, 5, 5, 0], [10, 0, 3, 7], [12, 5, 7, 30], [40, 60, 70, 30], [200, 180, 150, 220], [7, 1000, 1, 2000], [5, 5, 5, 5],
    ];
    for (const [a, b, c, d] of tables) {
      const exact = fisherByDefinition(a, b, c, d);
      const got = fisherExact({ a, b, c, d });
      expect(Math.abs(got - exact), `[[${a},${b}],[${c},${d}]]`).toBeLessThanOrEqual(1e-12 + 1e-9 * exact);
    }
  });

  it('Woolf interval of [[4,2],[1,5]]: exp(ln 10 ± 1.959964 × √(1/4 + 1/2 + 1 + 1/5))', () => {
    // √1.95 = 1.396424; × 1.959964 = 2.736938; ln 10 = 2.302585 → exp(−0.434353) = 0.64770, exp(5.039523) = 154.39
    const ci = oddsRatioCi({ a: 4, b: 2, c: 1, d: 5 })!;
    expect(ci[0]).toBeCloseTo(0.6477, 4);
    expect(ci[1]).toBeCloseTo(154.39, 1);
    expect(oddsRatioCi({ a: 0, b: 2, c: 1, d: 5 })).toBeNull();
  });

  it('Benjamini–Hochberg: q(k) = min over j ≥ k of p(j)·m/j', () => {
    // sorted 0.01, 0.03, 0.04, 0.2 (m = 4): 0.04, 0.06, 0.0533, 0.2 → running minimum from the top: 0.04, 0.0533, 0.0533, 0.2
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.2]);
    expect(q[0]).toBeCloseTo(0.04, 12);
    expect(q[1]).toBeCloseTo(0.16 / 3, 12);
    expect(q[2]).toBeCloseTo(0.16 / 3, 12);
    expect(q[3]).toBeCloseTo(0.2, 12);
  });
});

const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
// 12 people, person k's visit starting 2026-10-01 at k:00 UTC: / at +0, product_view at +1 min (Interest).
// p01–p06 add to cart at +3 min (Desire: converted); p07–p12 do not.
//   /promo at +2 min: p01 p02 p03 p04 (converted) and p07 (not)
//   /help  at +2.5 min: p05 (converted) and p08 p09 p10 p11 (not)
//   p06 sees /promo at +4 min, after its cart: not before converting, so not counted
//   p12 sees /promo 31 days later: past the 30-day window from its first step, not counted
function fixture(): string {
  const lines = ['event_id,ts,visitor_id,event,url,user_agent'];
  let n = 0;
  const at = (k: number, minutes: number) => new Date(Date.UTC(2026, 9, 1, k, 0, 0) + minutes * 60_000).toISOString();
  const add = (k: number, minutes: number, event: string, path: string) =>
    lines.push(`e${++n},${at(k, minutes)},p${String(k).padStart(2, '0')},${event},https://shop.example${path},${ua}`);
  for (let k = 1; k <= 12; k++) {
    add(k, 0, 'pageview', '/');
    add(k, 1, 'product_view', `/p/${k}`);
    if (k <= 6) add(k, 3, 'add_to_cart', `/p/${k}`);
  }
  for (const k of [1, 2, 3, 4, 7]) add(k, 2, 'pageview', '/promo');
  for (const k of [5, 8, 9, 10, 11]) add(k, 2.5, 'pageview', '/help');
  add(6, 4, 'pageview', '/promo');
  add(12, 31 * 24 * 60, 'pageview', '/promo');
  return lines.join('\n');
}

describe('funnel correlation on the hand-checked fixture', () => {
  let w: TempWarehouse;
  const config = resolveConfig({});
  const ctx = () => ({ db: w.db, config });
  const period = { from: '2026-10-01', to: '2026-10-08' };
  beforeAll(async () => {
    w = await tempWarehouse();
    await w.ingest(w.file('web.csv', fixture()));
  });
  afterAll(async () => w?.close());

  it('Interest → Desire: /promo raises the odds, /help lowers them, with the 2×2 counts by hand', async () => {
    const r = await funnelCorrelation.execute(ctx(), { ...period, from_step: 'interest', to_step: 'desire', min_cell: '1' });
    const f = await funnel.execute(ctx(), period);
    expect([r.reached, r.converted]).toEqual([f.steps[1]!.count, f.steps[2]!.count]);
    expect([r.reached, r.converted]).toEqual([12, 6]);
    // every touch value (Direct, desktop, landing /, no campaign...) is shared by all 12: a zero cell, not tested.
    // '/' and product_view come at or before Interest; add_to_cart is the Desire step itself. Left: /promo and /help.
    expect(r.tested).toBe(2);
    // /promo: converted did 4, didn't 2; not converted did 1, didn't 5 → OR = (4·5)/(2·1) = 10
    // Fisher: margins 6 converted, 5 did, n = 12; C(6,x)·C(6,5−x) for x = 0..5 = 6, 90, 300, 300, 90, 6 (Σ 792);
    // observed x = 4 (90); at most as likely: 6 + 90 + 90 + 6 = 192 → p = 192/792
    expect(r.raising).toHaveLength(1);
    expect(r.raising[0]).toMatchObject({ kind: 'page', value: '/promo', converted: { did: 4, didNot: 2 }, notConverted: { did: 1, didNot: 5 }, oddsRatio: 10, significant: false });
    expect(r.raising[0]!.p).toBeCloseTo(192 / 792, 12);
    // /help: converted did 1, didn't 5; not converted did 4, didn't 2 → OR = (1·2)/(5·4) = 0.1; the mirror table: same p
    expect(r.lowering).toHaveLength(1);
    expect(r.lowering[0]).toMatchObject({ kind: 'page', value: '/help', converted: { did: 1, didNot: 5 }, notConverted: { did: 4, didNot: 2 } });
    expect(r.lowering[0]!.oddsRatio).toBeCloseTo(0.1, 12);
    expect(r.lowering[0]!.p).toBeCloseTo(192 / 792, 12);
    // two tests with the same p: q = p·2/2 = p
    expect(r.lowering[0]!.q).toBeCloseTo(192 / 792, 12);
  });

  it('the default minimum of 5 people per cell tests nothing here, and says so', async () => {
    const r = await funnelCorrelation.execute(ctx(), { ...period, from_step: 'interest', to_step: 'desire' });
    expect(r.tested).toBe(0);
    expect(r.notes).toContainEqual({ code: 'correlation_none_tested', params: { minCell: 5 } });
  });

  it('names a bad step', async () => {
    await expect(funnelCorrelation.execute(ctx(), { from_step: 'desire', to_step: 'interest' })).rejects.toMatchObject({ parameter: 'to_step' });
    await expect(funnelCorrelation.execute(ctx(), { from_step: 'nosuch' })).rejects.toMatchObject({ parameter: 'from_step' });
  });
});
