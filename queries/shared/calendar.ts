// ISO-8601 weeks (YYYY-Www): a leaf module (no imports), so the web's charts place dates on week
// cohorts by the same rule as the queries.

/** ISO-8601 week label (YYYY-Www) of a date. */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday (YYYY-MM-DD) of an ISO week label YYYY-Www. */
export function isoWeekMonday(label: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) throw new Error(`expected an ISO week as YYYY-Www, got ${label}`);
  const jan4 = new Date(Date.UTC(+m[1]!, 0, 4));
  const monday1 = Date.UTC(+m[1]!, 0, 4 - ((jan4.getUTCDay() + 6) % 7));
  return new Date(monday1 + (+m[2]! - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
}
