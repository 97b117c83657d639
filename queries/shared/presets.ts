// Date presets (today, last week, quarter to date, ... all data): a period named relative to the last
// day with data, and the comparison periods' names, so a shared link or a saved view moves with the data. It imports only calendar.ts (a
// leaf), so the web offers the same list in its period control; the server resolves it (data-range.ts).
import { addDays, monthStart, weekStartOf } from './calendar.ts';

export const periodPresets = [
  'today',
  'yesterday',
  'this-week',
  'last-week',
  'this-month',
  'last-month',
  'quarter-to-date',
  'year-to-date',
  'last-7-days',
  'last-28-days',
  'last-90-days',
  'all',
] as const;
export type PeriodPreset = (typeof periodPresets)[number];

/** The periods a metric can be compared with (`compare=`): the same length just before, or a year earlier (shared/compare.ts). */
export const compareKinds = ['previous', 'year'] as const;
export type CompareKind = (typeof compareKinds)[number];


/**
 * from (inclusive) and to (exclusive) of a preset whose "today" is `anchor` (the last day with data, in
 * the reporting time zone). "This" periods run to the anchor day included; "last" periods are the whole
 * previous week or month; `all` starts on `firstDay`. Weeks start on `weekStart`.
 */
export function presetRange(preset: PeriodPreset, anchor: string, firstDay: string, weekStart: 'monday' | 'sunday'): { from: string; to: string } {
  const end = addDays(anchor, 1);
  const week = weekStartOf(anchor, weekStart);
  switch (preset) {
    case 'today':
      return { from: anchor, to: end };
    case 'yesterday':
      return { from: addDays(anchor, -1), to: anchor };
    case 'this-week':
      return { from: week, to: end };
    case 'last-week':
      return { from: addDays(week, -7), to: week };
    case 'this-month':
      return { from: monthStart(anchor), to: end };
    case 'last-month':
      return { from: monthStart(anchor, 1), to: monthStart(anchor) };
    case 'quarter-to-date': {
      const month = Number(anchor.slice(5, 7));
      return { from: monthStart(anchor, (month - 1) % 3), to: end };
    }
    case 'year-to-date':
      return { from: `${anchor.slice(0, 4)}-01-01`, to: end };
    case 'last-7-days':
      return { from: addDays(end, -7), to: end };
    case 'last-28-days':
      return { from: addDays(end, -28), to: end };
    case 'last-90-days':
      return { from: addDays(end, -90), to: end };
    case 'all':
      return { from: firstDay < end ? firstDay : anchor, to: end };
  }
}
