// A 2×2 table's statistics for "what converters did differently": the odds ratio with its 95% (Woolf)
// interval, Fisher's exact two-sided p-value, and Benjamini–Hochberg q-values over many tables at once.

/** Counts of a 2×2 table: a = converted & did, b = converted & didn't, c = not converted & did, d = not converted & didn't. */
export interface Table2x2 {
  a: number;
  b: number;
  c: number;
  d: number;
}

const z95 = 1.959963984540054;

/** The sample odds ratio (a·d)/(b·c); null when a cell in the denominator is empty. */
export function oddsRatio({ a, b, c, d }: Table2x2): number | null {
  return b * c === 0 ? null : (a * d) / (b * c);
}

/** Woolf's 95% interval: exp(ln OR ± z·√(1/a + 1/b + 1/c + 1/d)); null when any cell is empty. */
export function oddsRatioCi(t: Table2x2): [number, number] | null {
  if (t.a === 0 || t.b === 0 || t.c === 0 || t.d === 0) return null;
  const log = Math.log((t.a * t.d) / (t.b * t.c));
  const se = Math.sqrt(1 / t.a + 1 / t.b + 1 / t.c + 1 / t.d);
  return [Math.exp(log - z95 * se), Math.exp(log + z95 * se)];
}

/**
 * Fisher's exact test, two-sided: the probability, with the table's margins fixed, of a table at most as
 * likely as the one observed (R's fisher.test rule, with its relative tolerance 1e-7). The hypergeometric
 * terms are walked outward from the mode by the ratio of neighbours, in logs, so no factorial is formed
 * and the walk stops once the terms can no longer change a double.
 */
export function fisherExact({ a, b, c, d }: Table2x2): number {
  const r1 = a + b; // converted
  const r2 = c + d;
  const c1 = a + c; // did
  const n = r1 + r2;
  if (n === 0) return 1;
  const lo = Math.max(0, c1 - r2);
  const hi = Math.min(r1, c1);
  // log p(x+1) − log p(x) for the number x of converted people who did it
  const up = (x: number) => Math.log(((r1 - x) * (c1 - x)) / ((x + 1) * (r2 - c1 + x + 1)));
  const mode = Math.min(hi, Math.max(lo, Math.floor(((r1 + 1) * (c1 + 1)) / (n + 2))));
  // log of the observed term relative to the mode's
  let observed = 0;
  if (a > mode) for (let x = mode; x < a; x++) observed += up(x);
  else for (let x = mode; x > a; x--) observed -= up(x - 1);
  const tolerance = Math.log1p(1e-7);
  const floor = Math.min(0, observed) - 60; // e^-60 ≈ 1e-26: smaller terms cannot move the sums
  let total = 0; // Σ p(x)/p(mode)
  let tail = 0; // Σ over terms at most as likely as the observed, as p(x)/p(observed)
  const add = (rel: number) => {
    total += Math.exp(rel);
    if (rel <= observed + tolerance) tail += Math.exp(rel - observed);
  };
  add(0);
  for (let x = mode, rel = 0; x < hi; x++) {
    rel += up(x);
    if (rel < floor) break;
    add(rel);
  }
  for (let x = mode, rel = 0; x > lo; x--) {
    rel -= up(x - 1);
    if (rel < floor) break;
    add(rel);
  }
  return Math.min(1, Math.exp(Math.log(tail) + observed - Math.log(total)));
}

/** Benjamini–Hochberg q-values (the false discovery rate at which each test would be called significant), in input order. */
export function benjaminiHochberg(ps: number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const q = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [p, i] = order[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    q[i] = running;
  }
  return q;
}
