// Demo time: whole seconds since the epoch, days as `YYYY-MM-DD`, and instants formatted as ISO text
// without Date on the hot path.
import { isoDate } from '../../queries/shared/period.ts';

export const DAY = 86400;
export const HOUR = 3600;

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

export function parseDay(day: string): number {
  if (!isoDate.safeParse(day).success) {
    throw new Error(`demo: end '${day}' is not a date; expected YYYY-MM-DD`);
  }
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}
export function isoDay(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 10);
}

/** The default end: the most recent Monday on or before today (UTC), so the last full ISO week is in. */
export function defaultDemoEnd(today: Date = new Date()): string {
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const back = (today.getUTCDay() + 6) % 7;
  return new Date(midnight - back * DAY * 1000).toISOString().slice(0, 10);
}

/** `HH:MM:SSZ` for every second of a day, made once (join makes flat strings) */
const times = Array.from({ length: DAY }, (_, r) => [TWO[Math.floor(r / HOUR)], TWO[Math.floor((r % HOUR) / 60)], `${TWO[r % 60]}Z`].join(':'));

export class Clock {
  private readonly firstDay: number;
  private readonly prefixes: string[] = [];
  constructor(start: number) {
    this.firstDay = Math.floor(start / DAY) - 1;
  }
  /** `2026-10-03T14:05:09Z` */
  iso(sec: number): string {
    const day = Math.floor(sec / DAY);
    const k = day - this.firstDay;
    let prefix = this.prefixes[k];
    if (prefix === undefined) prefix = this.prefixes[k] = `${isoDay(day * DAY)}T`;
    return prefix + times[sec - day * DAY]!; // two flat pieces: cheap to copy out (see EventLines in csv-lines.ts)
  }
}
