// One demo run: the window, the seeded PRNG and what all its people share — id counters, campaign
// calendars, newsletter sends and the campaign tallies.
import { CampaignReport } from './campaign-report.ts';
import { Clock, DAY, HOUR } from './clock.ts';
import type { ResolvedOptions } from './options.ts';
import { createRng, mix32, type Rng } from './random.ts';
import { Seasonality } from './season.ts';
import { campaigns } from './world.ts';

export interface Run {
  readonly start: number;
  readonly end: number;
  readonly days: number;
  /** days simulated before the window (see createRun) */
  readonly warm: number;
  readonly visitors: number;
  readonly currency: string;
  /** a visit starts two hours before the end at the latest, and lasts under 70 minutes */
  readonly lastStart: number;
  readonly rng: Rng;
  readonly clock: Clock;
  readonly season: Seasonality;
  /** per campaign, the first day it reaches people (negative: in the warm-up) and the day after its last */
  readonly runFrom: number[];
  readonly activeTo: number[];
  /** the weekly newsletter's send instants in the window */
  readonly sends: number[];
  /** mixed into person numbers to make visitor ids */
  readonly salt: number;
  /** ids handed out so far, per kind: ids are sequential in generation order */
  readonly issued: { events: number; customers: number; orders: number; complaints: number };
  readonly report: CampaignReport;
}

export function createRun(o: ResolvedOptions): Run {
  const { start, end, days } = o;
  // People are simulated from `warm` days before the window, so the first weeks already have returning
  // visitors and repeat buyers; anything before the start is dropped, as a log export would cut it.
  const warm = Math.min(28, days);
  const activeFrom = campaigns.map((c) => Math.min(days - 1, Math.floor(c.active[0] * days)));
  const activeTo = campaigns.map((c, i) => Math.max(activeFrom[i]! + 1, Math.min(days, Math.ceil(c.active[1] * days))));
  const runFrom = campaigns.map((c, i) => (c.active[0] === 0 ? -warm : activeFrom[i]!)); // always-on campaigns ran before the window too
  const sends: number[] = []; // the weekly newsletter goes out on Thursdays at 08:00 UTC
  for (let d = 0; d < days; d++) if (new Date((start + d * DAY) * 1000).getUTCDay() === 4) sends.push(start + d * DAY + 8 * HOUR);
  return {
    start, end, days, warm, visitors: o.visitors, currency: o.currency, lastStart: end - 2 * HOUR,
    rng: createRng(o.seed), clock: new Clock(start), season: new Seasonality(start, days, warm),
    runFrom, activeTo, sends, salt: mix32(o.seed ^ 0x5bd1e995),
    issued: { events: 0, customers: 0, orders: 0, complaints: 0 },
    report: new CampaignReport(start, days, activeFrom, activeTo),
  };
}
