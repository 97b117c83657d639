// Annotations on time charts: a dashed rule at the period holding each annotation's date and a marker
// whose tooltip is the date and the note. One mark for every chart: pass where a date falls on the
// chart's time scale (`atPeriod` for dated buckets, or your own for a band of labels) and spread the
// result into the chart's marks, e.g. `...annotationMarks(opts.annotations, { x: atPeriod(dates, grain) })`.
import * as Plot from '@observablehq/plot';
import { nextPeriodStart } from '../../queries/shared/calendar.ts';
import { palette } from '../styles/palette.ts';
import type { ChartAnnotation, TimeGrain } from './frame.ts';

/** Where a date (YYYY-MM-DD) sits on the chart's scale; null when the chart does not show it. */
export type Placement<V> = (date: string) => V | null;

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The start of the chart's period (day, week or month starting at one of `starts`) that holds the date. */
export function atPeriod(starts: readonly Date[], grain: TimeGrain): Placement<Date> {
  const sorted = [...new Set(starts.map((d) => d.getTime()))].sort((a, b) => a - b).map((n) => new Date(n));
  return (date) => {
    const t = Date.parse(`${date}T00:00:00Z`);
    for (let i = sorted.length - 1; i >= 0; i--) {
      if (sorted[i]!.getTime() <= t) return date < nextPeriodStart(grain, iso(sorted[i]!)) ? sorted[i]! : null;
    }
    return null;
  };
}

/** On a continuous time axis (instants, not periods): the date's midnight (UTC), when it falls between the first and last instant shown. */
export function onTimeAxis(instants: readonly Date[]): Placement<Date> {
  const times = instants.map((d) => d.getTime());
  const [first, last] = [Math.min(...times), Math.max(...times)];
  return (date) => {
    const t = Date.parse(`${date}T00:00:00Z`);
    return t >= first && t <= last ? new Date(t) : null;
  };
}

export function annotationTitle(a: ChartAnnotation): string {
  return `${a.date} · ${a.note}${a.author ? ` (${a.author})` : ''}`;
}

/**
 * Plot marks for the annotations the chart shows: with `x`, a vertical dashed rule and a marker at the
 * top; with `y` (a band of periods down the side), a marker pointing at the row from the left. Several on one
 * period share the marker, its tooltip listing each.
 */
export function annotationMarks<V>(list: readonly ChartAnnotation[] | undefined, at: { x: Placement<V> } | { y: Placement<V>; /** px from the plot's left edge to the marker (into the left margin, before the row's label) */ dx?: number }): Plot.Markish[] {
  if (!list?.length) return [];
  const place = 'x' in at ? at.x : at.y;
  const groups = new Map<string, { at: V; title: string[] }>();
  for (const a of list) {
    const v = place(a.date);
    if (v === null) continue;
    const key = String(v instanceof Date ? v.getTime() : v);
    const g = groups.get(key) ?? { at: v, title: [] };
    g.title.push(annotationTitle(a));
    groups.set(key, g);
  }
  const rows = [...groups.values()].map((g) => ({ at: g.at, title: g.title.join('\n') }));
  if (!rows.length) return [];
  const style = { stroke: palette.ink, className: 'annotation' };
  if ('x' in at) {
    return [
      Plot.ruleX(rows, { x: 'at', ...style, strokeWidth: 1.5, strokeDasharray: '4 3', strokeOpacity: 0.8 }),
      Plot.dot(rows, { x: 'at', frameAnchor: 'top', symbol: 'triangle2', rotate: 180, r: 5, fill: style.stroke, stroke: 'white', className: 'annotation-marker', title: 'title' }),
    ];
  }
  return [
    Plot.dot(rows, { y: 'at', frameAnchor: 'left', dx: at.dx ?? -8, symbol: 'triangle2', rotate: 90, r: 6, fill: style.stroke, stroke: 'white', className: 'annotation-marker', title: 'title' }),
  ];
}
