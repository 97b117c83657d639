// Funnel charts: step bars with conversion and drop-off (and a comparison period as dashed ghost bars),
// the funnel per breakdown value, the conversion trend per day/week/month of entry (the comparison as
// dashed lines, annotations as dated rules), and the time to convert between two steps.
import * as Plot from '@observablehq/plot';
import type { FunnelResult } from '../api.ts';
import type { Formats } from '../i18n/format.ts';
import { translateKey } from '../i18n/index.ts';
import { categorical, palette } from '../styles/palette.ts';
import { annotationMarks, atPeriod } from './annotations.ts';
import { context, draw, emptyChart, timeScale, type ChartOptions, type TimeGrain } from './frame.ts';

type ApiStep = FunnelResult['steps'][number];
/** A step as GET /api/funnel gives it; the chart needs only the counts and rates. */
export type FunnelStep = Pick<ApiStep, 'key' | 'label' | 'count' | 'rateFromPrevious' | 'rateFromFirst'> & Partial<ApiStep>;

/** A relative change as a signed percentage (+12%, −3%), or – when unknown. */
export function changeLabel(f: Formats, relative: number | null | undefined): string {
  if (relative == null || !Number.isFinite(relative)) return '–';
  return `${relative > 0 ? '+' : relative < 0 ? '−' : '±'}${f.pct(Math.abs(relative))}`;
}

/** The comparison period a chart shows beside the current one (compare=previous|year). */
export interface ComparisonOption<T> {
  from: string;
  to: string;
  values: T;
}

/**
 * Bars of people per step; above each bar (after the first) the part that dropped off since the previous
 * step. With `comparison`: the comparison period's people as a dashed ghost bar on each step, and the
 * change in people under the labels.
 */
export function funnelChart(steps: FunnelStep[], opts: ChartOptions & { comparison?: ComparisonOption<FunnelStep[]> } = {}): SVGSVGElement {
  const { t, f } = context(opts);
  const before = opts.comparison;
  const frame = {
    title: t('funnel.chartTitle'),
    legend: [
      { label: t('funnel.reached'), color: palette.primary },
      { label: t('funnel.dropped'), color: palette.loss, opacity: 0.35 },
      ...(before ? [{ label: t('funnel.compare.legend', { from: before.from, to: before.to }), color: palette.ink, opacity: 0.25 }] : []),
    ],
  };
  if (!steps.length || !steps[0]!.count) return emptyChart(frame, t('state.noData'), opts);
  const rows = steps.map((s, i) => {
    const previous = i > 0 ? steps[i - 1]!.count : null;
    const drop = s.dropOff ?? (previous === null ? null : previous - s.count);
    const then = before?.values[i]?.count ?? null;
    const change = then === null || then === 0 ? null : (s.count - then) / then;
    return { ...s, name: translateKey(t, `step.${s.key}`, s.label), previous, drop, then, change };
  });
  const order = rows.map((r) => r.name);
  const tip = (r: (typeof rows)[number]) =>
    [
      `${r.name}: ${f.int(r.count)} ${t('unit.people')}`,
      r.previous !== null ? `${t('funnel.fromPrevious')}: ${f.pct(r.rateFromPrevious)}${r.ci ? ` (${t('unit.ci', { lo: f.pct(r.ci[0]), hi: f.pct(r.ci[1]) })})` : ''}` : null,
      `${t('funnel.fromFirst')}: ${f.pct(r.rateFromFirst)}`,
      r.drop !== null ? `${t('funnel.dropOff')}: ${f.int(r.drop)} (${f.pct(r.dropOffRate ?? (r.previous ? r.drop / r.previous : null))})` : null,
      r.medianSecondsFromPrevious != null ? `${t('funnel.median')}: ${f.duration(r.medianSecondsFromPrevious)}` : null,
      r.small ? t('unit.small') : null,
      r.then !== null ? t('funnel.compare.tip', { count: f.int(r.then), change: changeLabel(f, r.change) }) : null,
    ]
      .filter(Boolean)
      .join('\n');
  const label = (r: (typeof rows)[number]) =>
    [f.int(r.count), r.previous === null ? null : f.pct(r.rateFromPrevious), before ? changeLabel(f, r.change) : null].filter((x) => x !== null).join('\n');
  const top = (r: (typeof rows)[number]) => Math.max(r.count + Math.max(0, r.drop ?? 0), r.then ?? 0);
  return draw(
    {
      height: 320,
      marginLeft: 56,
      x: { domain: order, label: null, padding: 0.25 },
      // head room for the two-line labels above the tallest bar
      y: { grid: true, label: t('funnel.count'), tickFormat: f.compact, domain: [0, Math.max(...rows.map(top)) * (before ? 1.3 : 1.18)], nice: true },
      marks: [
        Plot.barY(rows, { x: 'name', y: 'count', fill: palette.primary, title: tip, className: 'funnel-step', ariaLabel: (r) => `${r.name} ${f.int(r.count)}` }),
        Plot.barY(
          rows.filter((r) => r.drop !== null && r.drop > 0),
          { x: 'name', y1: 'count', y2: (r) => r.count + r.drop!, fill: palette.loss, fillOpacity: 0.35, title: tip, className: 'funnel-drop' },
        ),
        ...(before
          ? [Plot.barY(rows.filter((r) => r.then !== null), { x: 'name', y: 'then', fill: palette.ink, fillOpacity: 0.06, stroke: palette.ink, strokeOpacity: 0.55, strokeDasharray: '4 3', inset: 6, title: tip, className: 'funnel-ghost' })]
          : []),
        Plot.text(rows, { x: 'name', y: top, text: label, lineAnchor: 'bottom', dy: -4, fontSize: 12, fill: palette.ink, className: 'funnel-label' }),
        Plot.ruleY([0]),
      ],
    },
    frame,
    opts,
  );
}

export interface FunnelBreakdownRow {
  value: string;
  steps: FunnelStep[];
}

/** One row per breakdown value: the steps as nested bars (each step inside the previous), and the
 * conversion from the first step to the last at the end of the row. */
export function funnelBreakdownChart(rows: FunnelBreakdownRow[], dimensionLabel: string, opts: ChartOptions = {}): SVGSVGElement {
  const { t, f } = context(opts);
  const first = rows[0]?.steps ?? [];
  const names = first.map((s) => translateKey(t, `step.${s.key}`, s.label));
  const shade = (i: number) => (names.length > 1 ? 0.22 + (0.78 * i) / (names.length - 1) : 1);
  const legend = names.map((label, i) => ({ label, color: palette.primary, opacity: shade(i) }));
  const frame = { title: t('funnel.breakdownTitle', { dimension: dimensionLabel }), legend };
  const usable = rows.filter((r) => r.steps[0]?.count);
  if (!usable.length) return emptyChart(frame, t('state.noBreakdown'), opts);
  const sorted = [...usable].sort((a, b) => b.steps[0]!.count - a.steps[0]!.count || a.value.localeCompare(b.value));
  const cells = sorted.flatMap((r) => r.steps.map((s, i) => ({ value: r.value, step: i, name: names[i] ?? s.label, count: s.count, rateFromFirst: s.rateFromFirst, rateFromPrevious: s.rateFromPrevious })));
  const last = sorted.map((r) => ({ value: r.value, count: r.steps[0]!.count, rate: r.steps[r.steps.length - 1]!.rateFromFirst }));
  return draw(
    {
      height: Math.max(120, sorted.length * 28 + 70),
      marginLeft: 130,
      marginRight: 70,
      y: { domain: sorted.map((r) => r.value), label: null, tickFormat: (v: string) => (v.length > 20 ? `${v.slice(0, 19)}…` : v) },
      x: { grid: true, label: t('funnel.count'), tickFormat: f.compact, nice: true },
      marks: [
        // one mark per step, each inset a little more, so later steps sit inside earlier ones
        ...names.map((_, i) =>
          Plot.barX(
            cells.filter((c) => c.step === i),
            {
              y: 'value',
              x: 'count',
              fill: palette.primary,
              fillOpacity: shade(i),
              insetTop: 2 + i * 2,
              insetBottom: 2 + i * 2,
              title: (c) => `${c.value} · ${c.name}: ${f.int(c.count)}\n${t('funnel.fromPrevious')}: ${f.pct(c.rateFromPrevious)}\n${t('funnel.fromFirst')}: ${f.pct(c.rateFromFirst)}`,
              className: 'funnel-breakdown',
            },
          ),
        ),
        Plot.text(last, { y: 'value', frameAnchor: 'right', dx: 64, textAnchor: 'end', text: (d) => f.pct(d.rate), fill: palette.ink }),
        Plot.ruleX([0]),
      ],
    },
    frame,
    opts,
  );
}

export interface FunnelTrendPeriod {
  period: string;
  start: string;
  steps: { key: string; count: number; rateFromFirst: number | null }[];
}

/**
 * Conversion from the first step to each later step, per period of entry. With `comparison`: the
 * comparison period's buckets as dashed lines, bucket i drawn at the current series' bucket i.
 */
export function funnelTrendChart(series: FunnelTrendPeriod[], labels: Record<string, string>, opts: ChartOptions & { grain?: TimeGrain; comparison?: ComparisonOption<FunnelTrendPeriod[]> } = {}): SVGSVGElement {
  const { t, f, width, locale } = context(opts);
  const keys = series[0]?.steps.slice(1).map((s) => s.key) ?? [];
  const name = (k: string) => translateKey(t, `step.${k}`, labels[k] ?? k);
  const colour = (k: string) => categorical[Math.max(0, keys.indexOf(k)) % categorical.length]!;
  const before = opts.comparison;
  const frame = {
    title: t('funnel.trendTitle'),
    legend: [...keys.map((k) => ({ label: name(k), color: colour(k) })), ...(before ? [{ label: `- - ${t('funnel.compare.legend', { from: before.from, to: before.to })}`, color: palette.muted }] : [])],
  };
  const pointsOf = (list: FunnelTrendPeriod[], at: (i: number) => FunnelTrendPeriod | undefined) => list.flatMap((p, i) => {
    const x = at(i);
    return x ? p.steps.slice(1).filter((s) => s.rateFromFirst !== null).map((s) => ({ date: new Date(`${x.start}T00:00:00Z`), period: p.period, key: s.key, name: name(s.key), rate: s.rateFromFirst!, count: s.count, entered: p.steps[0]!.count })) : [];
  });
  const points = pointsOf(series, (i) => series[i]);
  const ghosts = before ? pointsOf(before.values, (i) => series[i]) : [];
  if (series.length < 2 || !points.length) return emptyChart(frame, t('state.noTrend'), opts);
  return draw(
    {
      height: 280,
      marginLeft: 56,
      marginRight: 36, // half of the last date label
      x: timeScale(points.map((p) => p.date), opts.grain ?? 'week', locale, width - 56 - 36),
      y: { grid: true, label: t('funnel.fromFirst'), tickFormat: (v: number) => f.pct(v, 0), nice: true, zero: true },
      color: { domain: keys.map(name), range: keys.map(colour) },
      marks: [
        ...(ghosts.length
          ? [
              Plot.lineY(ghosts, { x: 'date', y: 'rate', stroke: 'name', strokeWidth: 1.5, strokeDasharray: '5 4', strokeOpacity: 0.7, className: 'funnel-trend-ghost' }),
              Plot.dot(ghosts, { x: 'date', y: 'rate', stroke: 'name', r: 2.5, fill: 'white', title: (p) => `${p.period} · ${p.name}\n${f.pct(p.rate)} (${f.int(p.count)} / ${f.int(p.entered)})` }),
            ]
          : []),
        Plot.lineY(points, { x: 'date', y: 'rate', stroke: 'name', strokeWidth: 2, className: 'funnel-trend' }),
        Plot.dot(points, {
          x: 'date',
          y: 'rate',
          fill: 'name',
          r: 3,
          className: 'funnel-trend-point',
          title: (p) => `${p.period} · ${p.name}\n${f.pct(p.rate)} (${f.int(p.count)} / ${f.int(p.entered)})`,
        }),
        Plot.ruleY([0]),
        ...annotationMarks(opts.annotations, { x: atPeriod(points.map((p) => p.date), opts.grain ?? 'week') }),
      ],
    },
    frame,
    opts,
  );
}

export interface TimeToConvertPair {
  bins: { fromSeconds: number; toSeconds: number | null; count: number }[];
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/**
 * People by how long they took from one step to the next: a bar per bin (10 s … 30 days), the bins
 * holding the median and the 90th percentile marked. Narrow: horizontal bars, so every bin's name reads.
 */
export function timeToConvertChart(pair: TimeToConvertPair, opts: ChartOptions & { title?: string } = {}): SVGSVGElement {
  const { t, f, width } = context(opts);
  const frame = { title: opts.title ?? t('funnel.ttc.title'), legend: [{ label: t('funnel.count'), color: palette.primary }] };
  if (!pair.bins.some((b) => b.count > 0)) return emptyChart(frame, t('funnel.ttc.none'), opts);
  const binName = (b: TimeToConvertPair['bins'][number]) =>
    b.toSeconds === null ? t('funnel.ttc.binOpen', { from: f.duration(b.fromSeconds) }) : t('funnel.ttc.bin', { from: f.duration(b.fromSeconds), to: f.duration(b.toSeconds) });
  const holding = (s: number | null) => (s === null ? -1 : pair.bins.findIndex((b) => s >= b.fromSeconds && (b.toSeconds === null || s < b.toSeconds)));
  const [median, p90] = [holding(pair.medianSeconds), holding(pair.p90Seconds)];
  const rows = pair.bins.map((b, i) => ({
    ...b,
    name: binName(b),
    marker: [i === median ? t('funnel.ttc.medianMark', { value: f.duration(pair.medianSeconds) }) : null, i === p90 ? t('funnel.ttc.p90Mark', { value: f.duration(pair.p90Seconds) }) : null].filter(Boolean).join(' · '),
  }));
  const total = rows.reduce((s, b) => s + b.count, 0);
  const max = Math.max(...rows.map((b) => b.count));
  const tip = (b: (typeof rows)[number]) => `${b.name}: ${f.int(b.count)} ${t('unit.people')} (${f.pct(b.count / total)})${b.marker ? `\n${b.marker}` : ''}`;
  const fill = (b: (typeof rows)[number]) => (b.marker ? palette.reference : palette.primary);
  const legend = [...frame.legend, { label: `${t('funnel.ttc.medianMark', { value: f.duration(pair.medianSeconds) })} · ${t('funnel.ttc.p90Mark', { value: f.duration(pair.p90Seconds) })}`, color: palette.reference }];
  if (width < 600) {
    return draw(
      {
        height: rows.length * 26 + 60,
        marginLeft: 120,
        marginRight: 36,
        y: { domain: rows.map((b) => b.name), label: null, padding: 0.15 },
        x: { grid: true, label: t('funnel.count'), tickFormat: f.compact, domain: [0, max * 1.15], nice: true, ticks: 3 },
        marks: [
          Plot.barX(rows, { y: 'name', x: 'count', fill, className: 'ttc-bin', title: tip }),
          Plot.text(rows.filter((b) => b.count > 0), { y: 'name', x: 'count', text: (b) => f.int(b.count), textAnchor: 'start', dx: 3, fontSize: 11, fill: palette.ink }),
          Plot.ruleX([0]),
        ],
      },
      { ...frame, legend },
      opts,
    );
  }
  return draw(
    {
      height: 280,
      marginLeft: 48,
      marginBottom: 64,
      x: { domain: rows.map((b) => b.name), label: null, tickRotate: rows.length > 6 ? -30 : 0, padding: 0.15 },
      y: { grid: true, label: t('funnel.count'), tickFormat: f.compact, domain: [0, max * 1.25], nice: true },
      marks: [
        Plot.barY(rows, { x: 'name', y: 'count', fill, className: 'ttc-bin', title: tip }),
        Plot.text(rows.filter((b) => b.count > 0), { x: 'name', y: 'count', text: (b) => f.int(b.count), lineAnchor: 'bottom', dy: -3, fontSize: 11, fill: palette.ink }),
        Plot.ruleY([0]),
      ],
    },
    { ...frame, legend },
    opts,
  );
}
