// When people are about: the hour-of-day and day-of-week traffic shape with a mild upward trend, and the
// sampler that draws instants from it.
import { DAY, HOUR } from './clock.ts';
import type { Rng } from './random.ts';

/** Hour-of-day (UTC, a UK shop) and day-of-week (0 = Sunday) traffic shape, plus a mild upward trend. */
const hourShape = [0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.3, 0.55, 0.8, 0.95, 1, 1.05, 1.15, 1.1, 1, 0.98, 1, 1.05, 1.15, 1.3, 1.4, 1.3, 1, 0.6];
const weekShape = [0.92, 1.05, 1.04, 1.02, 1, 0.95, 0.85];
const TREND = 0.2;

/**
 * Samples seconds by hour bins weighted with the seasonality, over the window and `warm` days before it
 * (days are counted from the window's start, so the warm-up days are negative).
 */
export class Seasonality {
  private readonly cum: Float64Array;
  constructor(private readonly start: number, readonly days: number, readonly warm: number) {
    const bins = (warm + days) * 24;
    this.cum = new Float64Array(bins + 1);
    for (let i = 0; i < bins; i++) {
      const d = Math.floor(i / 24) - warm;
      const dow = new Date((start + d * DAY) * 1000).getUTCDay();
      const w = hourShape[i % 24]! * weekShape[dow]! * (1 + (TREND * d) / days);
      this.cum[i + 1] = this.cum[i]! + w;
    }
  }
  /** a time within days [fromDay, toDay) */
  sample(rng: Rng, fromDay = -this.warm, toDay = this.days): number {
    const first = (fromDay + this.warm) * 24, last = (toDay + this.warm) * 24;
    const lo = this.cum[first]!, hi = this.cum[last]!;
    const u = lo + (hi - lo) * rng();
    let a = first, b = last; // find bin i with cum[i] <= u < cum[i+1]
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (this.cum[mid]! <= u) a = mid;
      else b = mid;
    }
    return this.start + (a - this.warm * 24) * HOUR + Math.floor(rng() * HOUR);
  }
  /** `t` moved to a busy hour of its own day, unless that would be before `notBefore` */
  realign(rng: Rng, t: number, notBefore: number): number {
    const day = Math.floor((t - this.start) / DAY);
    if (day < -this.warm || day >= this.days) return t;
    const at = this.sample(rng, day, day + 1);
    return at > notBefore ? at : t;
  }
}
