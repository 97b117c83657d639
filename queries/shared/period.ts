// Periods (SPEC §5): `from` inclusive and `to` exclusive as dates in the reporting time zone, their
// UTC instants, and day/week/month buckets with their labels (the default period: data-range.ts).
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { isoWeek, monthStart, weekStartOf } from './calendar.ts';
import { periodPresets } from './presets.ts';

export { addDays, daysBetween, isoWeek, isoWeekMonday } from './calendar.ts';

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'expected a real calendar date');

export const periodParams = z.object({
  from: isoDate.optional().describe('first day (inclusive, reporting time zone); default: 28 days before `to`'),
  to: isoDate.optional().describe('day after the last day (exclusive); default: the day after the last day of the data the metric reads (its kinds: web, sales, campaigns, complaints)'),
  preset: z.enum(periodPresets).optional().describe("instead of from/to: a period counted back from the last day of the data the metric reads (that day is 'today'; weeks start on week_start): this-/last-week and -month are calendar periods, last-N-days end on that day, all = from the first day"),
});
export type PeriodInput = z.infer<typeof periodParams>;

/** Rejects from >= to with the parameter named (used by every metric's params). */
export function checkPeriod(p: PeriodInput, ctx: z.RefinementCtx): void {
  if (p.from && p.to && p.from >= p.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `expected a date after from (${p.from})` });
  if (p.preset && (p.from || p.to)) ctx.addIssue({ code: 'custom', path: ['preset'], message: `give either preset or from/to, not both (got preset=${p.preset} with ${p.from ? `from=${p.from}` : `to=${p.to}`})` });
}

export const grainParam = z.enum(['day', 'week', 'month']);
export type Grain = z.infer<typeof grainParam>;

export interface Period {
  from: string;
  to: string;
  /** instants of local midnight at `from` and `to` */
  start: Date;
  end: Date;
  days: number;
}

/** The instant at which `date` (YYYY-MM-DD) begins in `zone`. */
export function zonedMidnight(date: string, zone: string): Date {
  return zonedTime(date, '00:00', zone);
}

/** The instant of the wall-clock time `hhmm` (HH:MM) on `date` in `zone`. */
export function zonedTime(date: string, hhmm: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let t = wall;
  for (let i = 0; i < 3; i++) t = wall - offsetMs(t, zone);
  return new Date(t);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function offsetMs(t: number, zone: string): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - Math.floor(t / 1000) * 1000;
}

/** The local date (YYYY-MM-DD) of an instant in `zone`. */
export function localDate(t: Date, zone: string): string {
  return new Date(t.getTime() + offsetMs(t.getTime(), zone)).toISOString().slice(0, 10);
}

/** SQL: the local start date of the day/week/month bucket holding the instant `ts`. */
export function bucketSql(grain: Grain, ts: RawBuilder<unknown>, config: Config): RawBuilder<string> {
  // in UTC the wall time is plain arithmetic: ICU's per-row conversion costs four times more
  const local = utcZones.has(config.timezone) ? sql`make_timestamp(epoch_us(${ts}))` : sql`timezone(${sql.lit(config.timezone)}, ${ts})`;
  return localBucketSql(grain, local, config);
}

/** SQL: the start date of the day/week/month bucket holding a local date or wall-clock timestamp. */
export function localBucketSql(grain: Grain, local: RawBuilder<unknown>, config: Config): RawBuilder<string> {
  if (grain === 'day') return sql`cast(${local} as date)`;
  if (grain === 'month') return sql`cast(date_trunc('month', ${local}) as date)`;
  return config.week_start === 'sunday'
    ? sql`cast(date_trunc('week', ${local} + interval 1 day) - interval 1 day as date)`
    : sql`cast(date_trunc('week', ${local}) as date)`;
}

const utcZones = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);

/** Label of a bucket starting on `start`: YYYY-MM-DD, ISO YYYY-Www (of the week's Monday), YYYY-MM. */
export function bucketLabel(grain: Grain, start: string): string {
  if (grain === 'day') return start;
  if (grain === 'month') return start.slice(0, 7);
  const d = new Date(`${start}T00:00:00Z`);
  if (d.getUTCDay() === 0) d.setUTCDate(d.getUTCDate() + 1); // a Sunday-start week takes its Monday's ISO week
  return isoWeek(d.toISOString().slice(0, 10));
}

/** SQL: the label of a bucket starting on the date `start` (the rule of `bucketLabel`, for labels made in SQL). */
export function bucketLabelSql(grain: Grain, start: RawBuilder<unknown>): RawBuilder<string> {
  if (grain === 'day') return sql`strftime(${start}, '%Y-%m-%d')`;
  if (grain === 'month') return sql`strftime(${start}, '%Y-%m')`;
  return sql`strftime(${start} + (isodow(${start}) = 7)::integer, '%G-W%V')`;
}

/** The start of the day/week/month bucket holding a local date (the rule of `localBucketSql`). */
export function bucketStart(grain: Grain, date: string, weekStart: Config['week_start']): string {
  if (grain === 'day') return date;
  if (grain === 'month') return monthStart(date);
  return weekStartOf(date, weekStart);
}
