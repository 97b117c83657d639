// Calendar arithmetic on dates (YYYY-MM-DD): days, week and month starts, ISO-8601 weeks. A leaf module
// (no imports), so the web (its charts, the period presets) counts days and weeks by the same rules as the
// queries; period.ts adds time zones, SQL and parameters on top.

const dayMs = 86_400_000;

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

/** The first day of the week holding `date`, weeks starting on `weekStart`. */
export function weekStartOf(date: string, weekStart: 'monday' | 'sunday'): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -(weekStart === 'sunday' ? weekday : (weekday + 6) % 7));
}

/** The first day of the month holding `date`, or of the month `back` months before it. */
export function monthStart(date: string, back = 0): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 - back, 1)).toISOString().slice(0, 10);
}

/** The start of the day, week or month after the one starting on `start`. */
export function nextPeriodStart(grain: 'day' | 'week' | 'month', start: string): string {
  if (grain === 'day') return addDays(start, 1);
  if (grain === 'week') return addDays(start, 7);
  return monthStart(start, -1);
}

/** ISO-8601 week label (YYYY-Www) of a date. */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / dayMs / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday (YYYY-MM-DD) of an ISO week label YYYY-Www. */
export function isoWeekMonday(label: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) throw new Error(`expected an ISO week as YYYY-Www, got ${label}`);
  const jan4 = new Date(Date.UTC(+m[1]!, 0, 4));
  const monday1 = Date.UTC(+m[1]!, 0, 4 - ((jan4.getUTCDay() + 6) % 7));
  return new Date(monday1 + (+m[2]! - 1) * 7 * dayMs).toISOString().slice(0, 10);
}
