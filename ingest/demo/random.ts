// The demo's only source of randomness: sfc32 seeded through splitmix32, and the samplers drawn from it.
// Every draw comes from one Rng in a fixed order, so the same seed always gives the same files.

export type Rng = () => number;

export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** A bijection on 32-bit integers (murmur3's finaliser): unique, random-looking visitor ids. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Running shares of `weights`, ending at 1: the table `pickIndex` searches. */
export function cumulative(weights: number[]): Float64Array {
  const cum = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) cum[i] = s += weights[i]!;
  for (let i = 0; i < cum.length; i++) cum[i]! /= s;
  return cum;
}
export function pickIndex(cum: Float64Array, r: number): number {
  let i = 0;
  while (i < cum.length - 1 && r >= cum[i]!) i++;
  return i;
}
export function weighted<T>(pairs: [T, number][]): (rng: Rng) => T {
  const cum = cumulative(pairs.map((p) => p[1]));
  const values = pairs.map((p) => p[0]);
  return (rng) => values[pickIndex(cum, rng())]!;
}
export const pickOf = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
export const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();
export const logBetween = (rng: Rng, lo: number, hi: number) => lo * Math.pow(hi / lo, rng());
/** failures before the first success, success chance p */
export function geometric(rng: Rng, p: number, cap = 50): number {
  let n = 0;
  while (n < cap && rng() >= p) n++;
  return n;
}
