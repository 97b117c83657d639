// Comparing a metric with an earlier period (issue 16 item 6): which period (`compare=previous|year`),
// and the change between two values — one owner for the funnel, its trends and the efficiency chain (the
// kinds' names are in the leaf presets.ts, for the web's controls).
import { z } from 'zod';
import { addDays, daysBetween, zonedMidnight, type Period } from './period.ts';
import { compareKinds, type CompareKind } from './presets.ts';

export const compareParam = z.enum(compareKinds).describe('also compute the same metric over the period of the same length just before (previous) or the same dates a year earlier (year), side by side with the change');

/** The same date a year earlier; 29 February becomes the 28th. */
function yearEarlier(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The period a comparison reads: the same number of days just before `period`, or its dates a year earlier. */
export function comparisonPeriod(period: Pick<Period, 'from' | 'to' | 'days'>, kind: CompareKind, zone: string): Period {
  const from = kind === 'previous' ? addDays(period.from, -period.days) : yearEarlier(period.from);
  const to = kind === 'previous' ? period.from : yearEarlier(period.to);
  return { from, to, start: zonedMidnight(from, zone), end: zonedMidnight(to, zone), days: daysBetween(from, to) };
}

export const change = z.strictObject({
  absolute: z.number().nullable().describe('current − comparison (for a rate: in points of the rate, 0.05 = 5 points)'),
  relative: z.number().nullable().describe('(current − comparison) / comparison; null when the comparison is 0 or unknown'),
});
export type Change = z.infer<typeof change>;

/** The change from `before` to `now` (null parts when either is unknown, relative also when `before` is 0). */
export function changeOf(now: number | null | undefined, before: number | null | undefined): Change {
  if (now == null || before == null) return { absolute: null, relative: null };
  return { absolute: now - before, relative: before === 0 ? null : (now - before) / before };
}
