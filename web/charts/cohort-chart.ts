// Cohort charts: the retention heatmap (rate or cumulative revenue per customer), the repurchase
// curve over 3/7/15/30/90-day windows, and the histogram of days to the second order.
import * as Plot from '@observablehq/plot';
import { palette } from '../styles/palette.ts';
import { isoWeek } from '../../queries/shared/calendar.ts';
import { annotationMarks } from './annotations.ts';
import { context, draw, emptyChart, type ChartOptions } from './frame.ts';

export interface CohortPeriod {
  k: number;
  customers: number;
  rate: number | null;
  revenue: number | null;
  complete: boolean;
  cumulativeRevenuePerCustomer?: number | null;
}

export interface Cohort {
  cohort: string;
  size: number;
  periods: CohortPeriod[];
}

/** Cohorts down, periods since the first order across; incomplete cells are faded and dashed. */
export function cohortHeatmap(cohorts: Cohort[], opts: ChartOptions & { view?: 'rate' | 'revenue' } = {}): SVGSVGElement {
  const { t, f, width } = context(opts);
  const view = opts.view ?? 'rate';
  const frame = {
    title: view === 'rate' ? t('cohorts.heatmapTitle') : t('cohorts.revenueTitle'),
    legend: [{ label: t('unit.incomplete'), color: palette.muted, opacity: 0.45 }],
  };
  const cells = cohorts.flatMap((c) =>
    c.periods.map((p) => ({
      cohort: c.cohort,
      size: c.size,
      k: p.k,
      customers: p.customers,
      complete: p.complete,
      revenue: p.revenue,
      value: view === 'rate' ? p.rate : (p.cumulativeRevenuePerCustomer ?? (p.revenue !== null && c.size ? p.revenue / c.size : null)),
    })),
  );
  if (!cells.length) return emptyChart(frame, t('state.noOrders'), opts);
  const ks = [...new Set(cells.map((c) => c.k))].sort((a, b) => a - b);
  // period 0 is 100% by definition in the standard view: scale colours on later periods so they show
  const later = cells.filter((c) => c.k > 0 && c.value !== null).map((c) => c.value!);
  const max = Math.max(1e-9, ...(view === 'rate' && later.length ? later : cells.filter((c) => c.value !== null).map((c) => c.value!)));
  const cellWidth = (width - 150) / Math.max(1, ks.length);
  const fmt = (v: number | null) => (view === 'rate' ? f.pct(v, cellWidth < 44 ? 0 : 1) : f.money(v, opts.currency));
  const showText = cellWidth >= 34;
  // an annotation marks the row of the cohort (month YYYY-MM or ISO week) its date falls in
  const labels = new Set(cohorts.map((c) => c.cohort));
  const weekly = cohorts.some((c) => c.cohort.includes('-W'));
  const notes = annotationMarks(opts.annotations, { y: (date) => { const c = weekly ? isoWeek(date) : date.slice(0, 7); return labels.has(c) ? c : null; }, dx: -122 });
  return draw(
    {
      height: cohorts.length * 24 + 50,
      marginLeft: 130,
      marginBottom: 8,
      padding: 0.04,
      x: { domain: ks, label: t('cohorts.k'), axis: 'top', tickSize: 0 },
      y: { domain: cohorts.map((c) => c.cohort), label: null, tickFormat: (c: string) => `${c} (${f.int(cohorts.find((x) => x.cohort === c)?.size)})`, tickSize: 0 },
      color: { type: 'linear', scheme: palette.sequential, domain: [0, max], clamp: true },
      marks: [
        Plot.cell(cells, {
          x: 'k',
          y: 'cohort',
          fill: (c) => c.value ?? 0,
          fillOpacity: (c: { complete: boolean }) => (c.complete ? 1 : 0.45),
          className: 'cohort-cell',
          title: (c) =>
            `${c.cohort} +${c.k}: ${fmt(c.value)}\n${f.int(c.customers)} / ${f.int(c.size)} ${t('unit.customers')}${c.revenue !== null ? `\n${t('customers.revenue')}: ${f.money(c.revenue, opts.currency)}` : ''}${c.complete ? '' : `\n${t('unit.incomplete')}`}`,
        } as Plot.CellOptions),
        // incomplete periods: a dashed outline over the faded cell
        Plot.cell(
          cells.filter((c) => !c.complete),
          { x: 'k', y: 'cohort', fill: 'none', stroke: palette.muted, strokeDasharray: '3 2', inset: 1, ariaHidden: 'true' },
        ),
        ...(showText
          ? [
              Plot.text(cells, {
                x: 'k',
                y: 'cohort',
                text: (c) => fmt(c.value),
                fill: (c) => (c.complete && (c.value ?? 0) / max > 0.55 ? 'white' : palette.ink),
                fontSize: 11,
              }),
            ]
          : []),
        ...notes,
      ],
    },
    frame,
    opts,
  );
}

export interface RepurchaseWindow {
  days: number;
  eligible: number;
  repurchased: number;
  rate: number | null;
  ci?: [number, number] | null;
  small?: boolean;
}

export function repurchaseCurve(windows: RepurchaseWindow[], opts: ChartOptions = {}): SVGSVGElement {
  const { t, f } = context(opts);
  const frame = { title: t('cohorts.repurchaseTitle') };
  const rows = windows.filter((w) => w.rate !== null);
  if (!rows.length) return emptyChart(frame, t('state.noOrders'), opts);
  return draw(
    {
      height: 260,
      marginLeft: 56,
      x: { type: 'point', domain: windows.map((w) => w.days), label: t('cohorts.days') },
      y: { grid: true, label: t('cohorts.rate'), tickFormat: (v: number) => f.pct(v, 0), nice: true, zero: true },
      marks: [
        Plot.ruleX(rows.filter((w) => w.ci), { x: 'days', y1: (w) => w.ci![0], y2: (w) => w.ci![1], stroke: palette.primary, strokeOpacity: 0.4, strokeWidth: 6 }),
        Plot.lineY(rows, { x: 'days', y: 'rate', stroke: palette.primary, strokeWidth: 2 }),
        Plot.dot(rows, {
          x: 'days',
          y: 'rate',
          fill: (w) => (w.small ? 'white' : palette.primary),
          stroke: palette.primary,
          r: 4,
          className: 'repurchase-point',
          title: (w) =>
            `${f.int(w.days)} ${t('unit.days')}: ${f.pct(w.rate)} (${f.int(w.repurchased)} / ${f.int(w.eligible)})${w.ci ? `\n${t('unit.ci', { lo: f.pct(w.ci[0]), hi: f.pct(w.ci[1]) })}` : ''}${w.small ? `\n${t('unit.small')}` : ''}`,
        }),
        Plot.text(rows, { x: 'days', y: 'rate', text: (w) => f.pct(w.rate), dx: 8, dy: -8, textAnchor: 'start', fill: palette.ink }),
        Plot.ruleY([0]),
      ],
    },
    frame,
    opts,
  );
}

export interface HistogramBin {
  /** exclusive lower bound in days (0 inclusive) */
  from: number;
  /** inclusive upper bound; null for the open last bin */
  to: number | null;
  customers: number;
}

/** Customers by days from their first to their second order, in the API's (uneven) bins, drawn as
 * equal-width labelled bars; the bin holding the median is outlined. */
export function secondOrderHistogram(bins: HistogramBin[], summary: { median: number | null; customers: number }, opts: ChartOptions = {}): SVGSVGElement {
  const { t, f } = context(opts);
  const { median } = summary;
  const frame = {
    title: t('cohorts.histogramTitle'),
    legend: median !== null ? [{ label: t('cohorts.median', { days: f.num(median, 1), customers: f.int(summary.customers) }), color: palette.loss, dashed: true }] : [],
  };
  if (!bins.some((b) => b.customers > 0)) return emptyChart(frame, t('state.noOrders'), opts);
  const rows = bins.map((b) => ({ ...b, name: b.to === null ? `>${f.int(b.from)}` : `${f.int(b.from)}–${f.int(b.to)}`, holdsMedian: median !== null && (median > b.from || (b.from === 0 && median === 0)) && (b.to === null || median <= b.to) }));
  return draw(
    {
      height: 260,
      marginLeft: 56,
      x: { domain: rows.map((r) => r.name), label: t('cohorts.daysToSecond'), padding: 0.1 },
      y: { grid: true, label: t('cohorts.size'), nice: true, tickFormat: f.compact },
      marks: [
        Plot.barY(rows, {
          x: 'name',
          y: 'customers',
          fill: palette.primary,
          className: 'second-order-bin',
          title: (r) => `${r.name} ${t('unit.days')}: ${f.int(r.customers)} ${t('unit.customers')}`,
        }),
        Plot.barY(
          rows.filter((r) => r.holdsMedian),
          { x: 'name', y: 'customers', fill: 'none', stroke: palette.loss, strokeWidth: 2, strokeDasharray: '5 3', ariaHidden: 'true' },
        ),
        Plot.text(rows, { x: 'name', y: 'customers', text: (r) => f.int(r.customers), dy: -7, fill: palette.ink }),
        Plot.ruleY([0]),
      ],
    },
    frame,
    opts,
  );
}
