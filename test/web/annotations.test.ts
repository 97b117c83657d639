// The annotation mark (web/charts/annotations.ts) in Node on a jsdom document: where a date lands on a
// chart of dated periods (the period holding it, none past the last one), one marker per period with
// every note of it in the tooltip, on the cohort heatmap the row of the cohort the date falls in, and on
// the funnel trend the week of entry.
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { annotationMarks, atPeriod } from '../../web/charts/annotations.ts';
import { cohortHeatmap } from '../../web/charts/cohort-chart.ts';
import { funnelTrendChart } from '../../web/charts/funnel-chart.ts';
import { quickChart } from '../../web/charts/quick-chart.ts';

const { document } = new JSDOM('<!doctype html><html><body></body></html>').window;
const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('atPeriod', () => {
  // weeks starting Monday 2, 9 and 16 Nov 2026: the last one runs to Sunday 22 Nov
  const weeks = atPeriod([d('2026-11-16'), d('2026-11-02'), d('2026-11-09')], 'week');
  it.each([
    ['2026-11-02', '2026-11-02'], // the first day of the first week
    ['2026-11-08', '2026-11-02'], // its Sunday
    ['2026-11-11', '2026-11-09'],
    ['2026-11-22', '2026-11-16'], // the last day of the last week
  ])('%s is in the week of %s', (date, start) => {
    expect(weeks(date)).toEqual(d(start));
  });
  it('a date before the first week or after the last one is not on the chart', () => {
    expect(weeks('2026-11-01')).toBeNull();
    expect(weeks('2026-11-23')).toBeNull();
  });
  it('months end on their last day (February 2026 has 28)', () => {
    const months = atPeriod([d('2026-01-01'), d('2026-02-01')], 'month');
    expect(months('2026-02-28')).toEqual(d('2026-02-01'));
    expect(months('2026-03-01')).toBeNull();
  });
});

describe('annotationMarks', () => {
  const notes = [
    { date: '2026-11-03', note: 'Price change' },
    { date: '2026-11-05', note: 'Black Friday email', author: 'ana' },
    { date: '2026-12-01', note: 'Cyber Monday' },
  ];
  it('one rule and one marker per week shown, the notes of that week in its tooltip; none without annotations', () => {
    const at = atPeriod([d('2026-11-02'), d('2026-11-09')], 'week');
    const svg = Plot.plot({ document, x: { type: 'utc' }, marks: [Plot.ruleY([0]), Plot.dot([{ x: d('2026-11-02') }, { x: d('2026-11-09') }], { x: 'x' }), ...annotationMarks(notes, { x: at })] }) as unknown as SVGSVGElement;
    expect(svg.querySelectorAll('g.annotation line')).toHaveLength(1); // 3 and 5 Nov share the week of 2 Nov; 1 Dec is off the chart
    expect([...svg.querySelectorAll('g.annotation-marker title')].map((t) => t.textContent)).toEqual(['2026-11-03 · Price change\n2026-11-05 · Black Friday email (ana)']);
    expect(annotationMarks([], { x: at })).toEqual([]);
    expect(annotationMarks(undefined, { x: at })).toEqual([]);
  });

  it('on the cohort heatmap, a marker at the row of the month (or ISO week) holding the date', () => {
    const cohort = (c: string) => ({ cohort: c, size: 10, periods: [{ k: 0, customers: 10, rate: 1, revenue: 100, complete: true }] });
    const months = cohortHeatmap([cohort('2026-10'), cohort('2026-11')], { document, width: 640, annotations: notes });
    // 3 and 5 Nov are in cohort 2026-11; 1 Dec has no row
    expect([...months.querySelectorAll('g.annotation-marker title')].map((t) => t.textContent)).toEqual(['2026-11-03 · Price change\n2026-11-05 · Black Friday email (ana)']);
    // 2026-12-01 is a Tuesday of ISO week 49; 3 and 5 Nov are in week 45
    const weeks = cohortHeatmap([cohort('2026-W45'), cohort('2026-W49')], { document, width: 640, annotations: notes });
    expect([...weeks.querySelectorAll('g.annotation-marker title')].map((t) => t.textContent).sort()).toEqual(['2026-11-03 · Price change\n2026-11-05 · Black Friday email (ana)', '2026-12-01 · Cyber Monday']);
    expect(cohortHeatmap([cohort('2026-10')], { document, width: 640, annotations: notes }).querySelectorAll('g.annotation-marker')).toHaveLength(0);
  });

  it("on the SQL console's line over dates: at the day holding the date; between instants at the date's midnight", () => {
    const columns = [{ name: 'day', type: 'DATE' }, { name: 'n', type: 'INTEGER' }];
    const days = quickChart(columns, [['2026-11-02', 5], ['2026-11-03', 7], ['2026-11-04', 6], ['2026-11-05', 9]], {}, { document, width: 640, annotations: notes });
    // 3 and 5 Nov are days on the chart (two markers); 1 Dec is after its last day
    expect([...days.querySelectorAll('g.annotation-marker title')].map((t) => t.textContent)).toEqual(['2026-11-03 · Price change', '2026-11-05 · Black Friday email (ana)']);
    const stamps = [{ name: 'at', type: 'TIMESTAMP' }, { name: 'n', type: 'INTEGER' }];
    const instants = quickChart(stamps, [['2026-11-02 10:17:00', 5], ['2026-11-04 08:05:00', 7], ['2026-11-04 19:40:00', 6]], {}, { document, width: 640, annotations: notes });
    // only 3 Nov 00:00 lies between 2 Nov 10:17 and 4 Nov 19:40
    expect([...instants.querySelectorAll('g.annotation-marker title')].map((t) => t.textContent)).toEqual(['2026-11-03 · Price change']);
  });

  it('on the funnel trend, a rule at the week of entry holding the date', () => {
    const week = (start: string, entered: number, reached: number) => ({ period: start, start, steps: [{ key: 'attention', count: entered, rateFromFirst: 1 }, { key: 'action', count: reached, rateFromFirst: reached / entered }] });
    const svg = funnelTrendChart([week('2026-11-02', 100, 5), week('2026-11-09', 80, 4)], { action: 'Action' }, { document, width: 640, grain: 'week', annotations: notes });
    // 3 and 5 Nov share the week of 2 Nov; 1 Dec is after the last week (9–15 Nov)
    expect(svg.querySelectorAll('g.annotation line')).toHaveLength(1);
    expect([...svg.querySelectorAll('g.annotation-marker title')].map((t) => t.textContent)).toEqual(['2026-11-03 · Price change\n2026-11-05 · Black Friday email (ana)']);
  });
});
