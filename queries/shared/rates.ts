// Rates as SPEC §5 reports them: value with its numerator and denominator, a 95% Wilson score
// interval, and a `small` flag when the denominator is under 30.
import { z } from 'zod';

export const rateResult = z
  .object({
    value: z.number().nonnegative().nullable().describe("numerator / denominator; null when either is unknown or the denominator is 0"),
    numerator: z.number().nonnegative().nullable(),
    denominator: z.number().nonnegative().nullable(),
    ci: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).nullable().describe('95% Wilson score interval'),
    small: z.boolean().describe('denominator under 30 (or unknown)'),
  })
  .strict();
export type Rate = z.infer<typeof rateResult>;

const z95 = 1.959963984540054;

/** Wilson score interval for k successes out of n; null when it does not apply (n = 0 or k outside 0..n). */
export function wilson(k: number, n: number, z = z95): [number, number] | null {
  if (!(n > 0) || k < 0 || k > n) return null;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** k/n with its interval; null value when either side is unknown or n is 0. */
export function rate(k: number | null, n: number | null): Rate {
  if (k === null || n === null) return { value: null, numerator: k, denominator: n, ci: null, small: true };
  return { value: n > 0 ? k / n : null, numerator: k, denominator: n, ci: wilson(k, n), small: n < 30 };
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
