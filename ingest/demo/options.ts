// The options of a demo run: their defaults and checks, and how many people give about a wanted
// number of web rows.
import { DAY, defaultDemoEnd, parseDay } from './clock.ts';
import type { DemoKind } from './rows.ts';

export interface DemoOptions {
  outDir: string;
  /** length of the window in days; default 90 */
  days?: number;
  /** people to generate (ad-exposed, visitors, a few crawlers and offline buyers); default 6000 */
  visitors?: number;
  /** default 1 */
  seed?: number;
  /** 'YYYY-MM-DD', exclusive end in UTC; default the most recent Monday on or before today (UTC) */
  end?: string;
  /** default 'GBP' */
  currency?: string;
  /** files to write; default all four. The data is the same whichever are written. */
  kinds?: DemoKind[];
  /** add the documented malformed and duplicate rows; default true */
  malformed?: boolean;
}

/** The options with their defaults applied; `start` and `end` in seconds. */
export interface ResolvedOptions {
  days: number;
  visitors: number;
  seed: number;
  currency: string;
  start: number;
  end: number;
}

export function resolveOptions(opts: Omit<DemoOptions, 'outDir'>): ResolvedOptions {
  const days = opts.days ?? 90;
  const visitors = opts.visitors ?? 6000;
  if (!Number.isInteger(days) || days < 1) throw new Error(`demo: days must be a whole number ≥ 1, got ${days}`);
  if (!Number.isInteger(visitors) || visitors < 0) throw new Error(`demo: visitors must be a whole number ≥ 0, got ${visitors}`);
  const end = parseDay(opts.end ?? defaultDemoEnd());
  return { days, visitors, seed: opts.seed ?? 1, currency: opts.currency ?? 'GBP', start: end - days * DAY, end };
}

/**
 * Web rows per generated person (impressions, crawlers and offline buyers included), measured at 100k
 * people: it grows with the window because people come back, and short windows lose more of the people
 * simulated in the warm-up before them. 8.07 at the default 90 days.
 */
const eventsPerVisitorByDays: [number, number][] = [[1, 2.34], [7, 3.95], [14, 4.73], [28, 5.46], [60, 7.23], [90, 8.07], [180, 9.2], [365, 10.25], [730, 11.38]];

/** Expected web rows per person for a window of `days` (interpolated in log days between measurements). */
function eventsPerVisitor(days = 90): number {
  const table = eventsPerVisitorByDays;
  if (days <= table[0]![0]) return table[0]![1];
  for (let i = 1; i < table.length; i++) {
    const [d1, r1] = table[i]!, [d0, r0] = table[i - 1]!;
    if (days <= d1) return r0 + ((r1 - r0) * Math.log(days / d0)) / Math.log(d1 / d0);
  }
  return table[table.length - 1]![1];
}

/** The `visitors` option that gives about `events` web rows over a window of `days`. */
export function visitorsForEvents(events: number, days = 90): number {
  return Math.max(1, Math.round(events / eventsPerVisitor(days)));
}
