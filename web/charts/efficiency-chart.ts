// The I1–I5 efficiency chain: the Q0–Q5 ladder (log scale, since Q0 can be thousands of times Q5) with
// each ratio beside the level it leads to, and the decomposition of a change in purchases by factor.
import * as Plot from '@observablehq/plot';
import { translateKey } from '../i18n/index.ts';
import { palette } from '../styles/palette.ts';
import { categoryAxis, context, draw, emptyChart, labelRoom, sideMargin, textWidth, type ChartOptions } from './frame.ts';
import { changeLabel, type ComparisonOption } from './funnel-chart.ts';

export interface Level {
  key: string;
  label: string;
  value: number | null;
  estimate?: boolean;
  complete?: boolean;
  reason?: string | null;
  source?: string | null;
}

export interface Ratio {
  key: string;
  label?: string;
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  ci?: [number, number] | null;
  small?: boolean;
}

/**
 * The Q0–Q5 ladder with each ratio beside its level. With `comparison`: the comparison period's levels
 * as dashed ghost bars, and each ratio's change (in points) after it.
 */
export function efficiencyLadder(levels: Level[], ratios: Ratio[], opts: ChartOptions & { comparison?: ComparisonOption<{ levels: Pick<Level, 'key' | 'value'>[]; ratios: Pick<Ratio, 'key' | 'value'>[] }> } = {}): SVGSVGElement {
  const { t, f, width } = context(opts);
  const before = opts.comparison;
  const frame = {
    title: t('efficiency.ladderTitle'),
    legend: [
      { label: t('efficiency.value'), color: palette.primary },
      { label: `${t('unit.estimate')} / ${t('unit.incomplete')}`, color: palette.primary, opacity: 0.4 },
      ...(before ? [{ label: t('funnel.compare.legend', { from: before.from, to: before.to }), color: palette.ink, opacity: 0.25 }] : []),
    ],
  };
  const thenOf = (key: string) => before?.values.levels.find((l) => l.key === key)?.value ?? null;
  const thenRatio = (key: string) => before?.values.ratios.find((r) => r.key === key)?.value ?? null;
  const rows = levels.map((l) => ({ ...l, name: translateKey(t, l.key, l.label), then: thenOf(l.key) }));
  const known = rows.filter((l) => l.value !== null && l.value > 0);
  if (!known.length) return emptyChart(frame, t('state.noData'), opts);
  // Ik = Qk / Q(k-1): written on the row of Qk
  const ratioRows = ratios
    .map((r) => ({ ...r, level: `Q${r.key.slice(1)}`, name: translateKey(t, r.key, r.label ?? r.key) }))
    .filter((r) => rows.some((l) => l.key === r.level));
  const levelName = (key: string) => rows.find((l) => l.key === key)!.name;
  const faded = (l: Level) => l.estimate || l.complete === false;
  // wide: each ratio in a column at the right of its level; narrow: above its level's bar, between the
  // two levels it relates (the bars are thinner to leave the room)
  const narrow = width < 600;
  const axis = categoryAxis(width, 150);
  const marginRight = narrow ? sideMargin(width, 64) : 230;
  const ratioText = narrow ? { frameAnchor: 'right' as const, dx: marginRight - 2, dy: -20 } : { frameAnchor: 'right' as const, dx: 224 };
  return draw(
    {
      height: rows.length * 42 + 60,
      marginLeft: axis.margin,
      marginRight,
      y: { domain: rows.map((l) => l.name), label: null, padding: narrow ? 0.45 : 0.1 },
      x: { type: 'log', domain: [1, labelRoom(known.map((l) => ({ value: l.value!, label: `${f.int(l.value)}${l.estimate ? '*' : ''}` })), width - axis.margin - marginRight, narrow ? marginRight : 0, 'log')], label: t('efficiency.value'), grid: true, tickFormat: f.compact, ticks: narrow ? 3 : 5 },
      marks: [
        axis.mark,
        Plot.barX(known, {
          y: 'name',
          x1: 1,
          x2: 'value',
          fill: palette.primary,
          fillOpacity: (l: Level) => (faded(l) ? 0.4 : 1),
          className: 'efficiency-level',
          title: (l) =>
            [`${l.name}: ${f.int(l.value)}`, l.source ? `${t('efficiency.source')}: ${l.source}` : null, l.estimate ? t('unit.estimate') : null, l.complete === false ? t('unit.incomplete') : null]
              .filter(Boolean)
              .join('\n'),
        }),
        ...(before
          ? [Plot.barX(rows.filter((l) => l.then !== null && l.then > 0), {
              y: 'name', x1: 1, x2: 'then', fill: palette.ink, fillOpacity: 0.05, stroke: palette.ink, strokeOpacity: 0.55, strokeDasharray: '4 3', inset: 3, className: 'efficiency-ghost',
              title: (l) => t('funnel.compare.tip', { count: f.int(l.then), change: changeLabel(f, l.value === null || !l.then ? null : (l.value - l.then) / l.then) }),
            })]
          : []),
        Plot.text(known, { y: 'name', x: 'value', text: (l: Level) => `${f.int(l.value)}${l.estimate ? '*' : ''}`, textAnchor: 'start', dx: 4, fill: palette.ink }),
        Plot.text(
          rows.filter((l) => l.value === null || l.value <= 0),
          { y: 'name', frameAnchor: 'left', dx: 6, text: (l) => `${t('efficiency.missing')}${l.reason ? `: ${l.reason}` : ''}`, fill: palette.muted, textAnchor: 'start', lineWidth: Math.max(12, (width - axis.margin - marginRight) / 7.5), textOverflow: 'ellipsis' },
        ),
        Plot.text(
          ratioRows.filter((r) => r.value !== null),
          {
            y: (r) => levelName(r.level),
            ...ratioText,
            textAnchor: 'end',
            text: (r) => {
              const then = thenRatio(r.key);
              const points = then === null || r.value === null ? null : (r.value - then) * 100;
              return `${r.name} ${f.pctSig(r.value)}${before ? ` (${points === null ? '–' : t('funnel.compare.points', { value: `${points > 0 ? '+' : points < 0 ? '−' : '±'}${f.num(Math.abs(points), Math.abs(points) < 0.1 ? 3 : 1)}` })})` : ''}`;
            },
            fill: palette.ink,
            fontWeight: 600,
            className: 'efficiency-ratio',
            title: (r) => `${r.name}: ${f.pctSig(r.value)} = ${f.int(r.numerator)} / ${f.int(r.denominator)}${r.ci ? `\n${t('unit.ci', { lo: f.pct(r.ci[0]), hi: f.pct(r.ci[1]) })}` : ''}${r.small ? `\n${t('unit.small')}` : ''}`,
          },
        ),
        Plot.text(
          ratioRows.filter((r) => r.value === null),
          { y: (r) => levelName(r.level), ...ratioText, textAnchor: 'end', text: (r) => `${r.name} –`, fill: palette.muted },
        ),
      ],
    },
    frame,
    opts,
  );
}

export interface Factor {
  key: string;
  label: string;
  logChange: number | null;
  share: number | null;
  /** contribution to the change in purchases, in purchases */
  purchases: number | null;
  /** the same as a fraction of the previous purchases (percentage points of the % change) */
  points: number | null;
  /** rests on an estimated level: drawn faded, below the measured factors, never ranked among them */
  estimate: boolean;
}

/**
 * Each factor's contribution to the change in purchases, in purchases and percentage points: a bar to
 * the right raised purchases, to the left lowered them; the measured factors ranked by size, the
 * estimated ones after them, faded and marked.
 */
export function decompositionChart(factors: Factor[], opts: ChartOptions & { title?: string } = {}): SVGSVGElement {
  const { t, f, width } = context(opts);
  const frame = {
    title: opts.title ?? t('efficiency.decompositionTitle'),
    legend: [
      { label: t('efficiency.raised'), color: palette.gain },
      { label: t('efficiency.lowered'), color: palette.loss },
      ...(factors.some((x) => x.estimate && x.purchases !== null) ? [{ label: t('efficiency.estimateFactor'), color: palette.muted, opacity: 0.4 }] : []),
    ],
  };
  const size = (x: Factor) => Math.abs(x.purchases!);
  const known = factors.filter((x) => x.purchases !== null);
  const ranked = [...known.filter((x) => !x.estimate).sort((a, b) => size(b) - size(a)), ...known.filter((x) => x.estimate)];
  const rows = ranked.map((x) => ({ ...x, name: translateKey(t, x.key, x.label) }));
  if (!rows.length) return emptyChart(frame, t('efficiency.noDecomposition'), opts);
  const signed = (n: number, digits: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${f.num(Math.abs(n), digits)}`;
  const inPurchases = (n: number) => signed(n, Math.abs(n) >= 10 ? 0 : 1);
  const inPoints = (n: number | null) => (n === null ? '' : t('weekly.points', { n: signed(n * 100, 1) }));
  const axis = categoryAxis(width, 150);
  const valueText = (r: Factor) => `${inPurchases(r.purchases!)}${r.estimate ? '*' : ''}\n${inPoints(r.points)}`;
  // the value column is as wide as its longest line (bold: a little wider than the estimate), at most 40% of the chart
  const valueWidth = Math.round(Math.min(width * 0.4, Math.max(...rows.flatMap((r) => valueText(r).split('\n').map((l) => textWidth(l) * 1.1))) + 10));
  return draw(
    {
      height: rows.length * 40 + 70,
      marginLeft: axis.margin,
      marginRight: valueWidth,
      y: { domain: rows.map((r) => r.name), label: null },
      x: { label: t('efficiency.contribution'), grid: true, nice: true, tickFormat: (v: number) => inPurchases(v), ticks: Math.max(3, Math.floor(width / 110)) },
      marks: [
        axis.mark,
        Plot.barX(rows, {
          y: 'name',
          x: 'purchases',
          fill: (r) => (r.purchases! >= 0 ? palette.gain : palette.loss),
          fillOpacity: (r) => (r.estimate ? 0.4 : 1),
          className: 'decomposition-factor',
          title: (r) =>
            [r.name, `${t('efficiency.contribution')}: ${inPurchases(r.purchases!)} (${inPoints(r.points)})`, `${t('efficiency.logChange')}: ${f.num(r.logChange, 3)}`, r.estimate ? t('efficiency.estimateFactor') : null]
              .filter(Boolean)
              .join('\n'),
        }),
        // the contribution in purchases and in points, in a column at the right
        Plot.text(rows, { y: 'name', frameAnchor: 'right', dx: valueWidth - 4, textAnchor: 'end', text: valueText, fill: palette.ink, fontWeight: 600, lineHeight: 1.15, className: 'decomposition-value' }),
        Plot.ruleX([0]),
      ],
    },
    frame,
    opts,
  );
}
