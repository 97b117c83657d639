// Funnel charts: step bars with conversion and drop-off, the funnel per breakdown value, and the
// conversion trend per day/week/month of entry.
import * as Plot from '@observablehq/plot';
import type { FunnelResult } from '../api.ts';
import { translateKey } from '../i18n/index.ts';
import { categorical, palette } from '../styles/palette.ts';
import { context, draw, emptyChart, timeScale, type ChartOptions, type TimeGrain } from './frame.ts';

type ApiStep = FunnelResult['steps'][number];
/** A step as GET /api/funnel gives it; the chart needs only the counts and rates. */
export type FunnelStep = Pick<ApiStep, 'key' | 'label' | 'count' | 'rateFromPrevious' | 'rateFromFirst'> & Partial<ApiStep>;

/** Bars of people per step; above each bar (after the first) the part that dropped off since the previous step. */
export function funnelChart(steps: FunnelStep[], opts: ChartOptions = {}): SVGSVGElement {
  const { t, f } = context(opts);
  const frame = {
    title: t('funnel.chartTitle'),
    legend: [
      { label: t('funnel.reached'), color: palette.primary },
      { label: t('funnel.dropped'), color: palette.loss, opacity: 0.35 },
    ],
  };
  if (!steps.length || !steps[0]!.count) return emptyChart(frame, t('state.noData'), opts);
  const rows = steps.map((s, i) => {
    const previous = i > 0 ? steps[i - 1]!.count : null;
    const drop = s.dropOff ?? (previous === null ? null : previous - s.count);
    return { ...s, name: translateKey(t, `step.${s.key}`, s.label), previous, drop };
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
    ]
      .filter(Boolean)
      .join('\n');
  const label = (r: (typeof rows)[number]) => (r.previous === null ? f.int(r.count) : `${f.int(r.count)}\n${f.pct(r.rateFromPrevious)}`);
  return draw(
    {
      height: 320,
      marginLeft: 56,
      x: { domain: order, label: null, padding: 0.25 },
      // head room for the two-line labels above the tallest bar
      y: { grid: true, label: t('funnel.count'), tickFormat: f.compact, domain: [0, Math.max(...rows.map((r) => r.count + Math.max(0, r.drop ?? 0))) * 1.18], nice: true },
      marks: [
        Plot.barY(rows, { x: 'name', y: 'count', fill: palette.primary, title: tip, className: 'funnel-step', ariaLabel: (r) => `${r.name} ${f.int(r.count)}` }),
        Plot.barY(
          rows.filter((r) => r.drop !== null && r.drop > 0),
          { x: 'name', y1: 'count', y2: (r) => r.count + r.drop!, fill: palette.loss, fillOpacity: 0.35, title: tip, className: 'funnel-drop' },
        ),
        Plot.text(rows, { x: 'name', y: (r) => r.count + Math.max(0, r.drop ?? 0), text: label, lineAnchor: 'bottom', dy: -4, fontSize: 12, fill: palette.ink, className: 'funnel-label' }),
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

/** Conversion from the first step to each later step, per period of entry. */
export function funnelTrendChart(series: FunnelTrendPeriod[], labels: Record<string, string>, opts: ChartOptions & { grain?: TimeGrain } = {}): SVGSVGElement {
  const { t, f, width, locale } = context(opts);
  const keys = series[0]?.steps.slice(1).map((s) => s.key) ?? [];
  const name = (k: string) => translateKey(t, `step.${k}`, labels[k] ?? k);
  const colour = (k: string) => categorical[Math.max(0, keys.indexOf(k)) % categorical.length]!;
  const frame = { title: t('funnel.trendTitle'), legend: keys.map((k) => ({ label: name(k), color: colour(k) })) };
  const points = series.flatMap((p) =>
    p.steps.slice(1).filter((s) => s.rateFromFirst !== null).map((s) => ({ date: new Date(`${p.start}T00:00:00Z`), period: p.period, key: s.key, name: name(s.key), rate: s.rateFromFirst!, count: s.count, entered: p.steps[0]!.count })),
  );
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
      ],
    },
    frame,
    opts,
  );
}
