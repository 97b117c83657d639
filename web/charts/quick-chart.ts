// The SQL console's quick chart: picks a sensible chart for a result (a line over a date column, bars
// over a text column, dots for two numbers), using the chosen or the first suitable columns; a line over
// dates draws the annotations.
import * as Plot from '@observablehq/plot';
import { palette } from '../styles/palette.ts';
import { annotationMarks, atPeriod, onTimeAxis } from './annotations.ts';
import { context, dateGrain, draw, emptyChart, timeScale, type ChartOptions } from './frame.ts';

export interface ResultColumn {
  name: string;
  type: string;
}

export type ColumnKind = 'number' | 'time' | 'text';

export function columnKind(type: string): ColumnKind {
  const t = type.toUpperCase();
  if (/^(DATE|TIMESTAMP|TIME)/.test(t)) return 'time';
  if (/INT|DOUBLE|DECIMAL|FLOAT|REAL|NUMERIC/.test(t)) return 'number';
  return 'text';
}

export interface QuickChoice {
  x: string | null;
  y: string | null;
}

/** The columns the quick chart uses: the requested ones when valid, else the first text/time column
 * for x and the first other numeric column for y. */
export function chooseColumns(columns: ResultColumn[], want: Partial<QuickChoice> = {}): QuickChoice {
  const numeric = columns.filter((c) => columnKind(c.type) === 'number').map((c) => c.name);
  const names = columns.map((c) => c.name);
  const x = want.x && names.includes(want.x) ? want.x : (columns.find((c) => columnKind(c.type) !== 'number')?.name ?? (numeric.length > 1 ? numeric[0]! : null));
  const y = want.y && numeric.includes(want.y) ? want.y : (numeric.find((n) => n !== x) ?? null);
  return { x, y };
}

const maxBars = 40;

export function quickChart(columns: ResultColumn[], rows: unknown[][], choice: Partial<QuickChoice>, opts: ChartOptions = {}): SVGSVGElement {
  const { t, f, width, locale } = context(opts);
  const { x, y } = chooseColumns(columns, choice);
  const frame = { title: y ? (x ? `${y} × ${x}` : y) : t('sql.quickChart') };
  if (!y || !rows.length) return emptyChart(frame, t('sql.noChart'), opts);
  const yi = columns.findIndex((c) => c.name === y);
  const xi = x ? columns.findIndex((c) => c.name === x) : -1;
  const kind = xi >= 0 ? columnKind(columns[xi]!.type) : 'number';
  const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
  const data = rows
    .map((r, i) => ({ x: xi >= 0 ? r[xi] : i, y: num(r[yi]) }))
    .filter((d) => d.y !== null && Number.isFinite(d.y) && d.x !== null && d.x !== undefined);
  if (!data.length) return emptyChart(frame, t('sql.noChart'), opts);
  const title = (d: { x: unknown; y: number | null }) => `${x ?? '#'}: ${String(d.x)}\n${y}: ${f.num(d.y, 4)}`;
  if (kind === 'time') {
    const points = data.map((d) => ({ ...d, x: new Date(String(d.x)) })).filter((d) => !Number.isNaN(d.x.getTime())).sort((a, b) => +a.x - +b.x);
    const grain = dateGrain(points.map((p) => p.x));
    return draw(
      {
        height: 280,
        marginLeft: 60,
        marginRight: 36, // half of the last date label
        x: grain ? { ...timeScale(points.map((p) => p.x), grain, locale, width - 60 - 36), label: x } : { type: 'utc', label: x },
        y: { grid: true, label: y, tickFormat: f.compact },
        marks: [
          Plot.lineY(points, { x: 'x', y: 'y', stroke: palette.primary, strokeWidth: 2 }),
          Plot.dot(points, { x: 'x', y: 'y', r: 2.5, fill: palette.primary, className: 'quick-mark', title }),
          ...annotationMarks(opts.annotations, { x: grain ? atPeriod(points.map((p) => p.x), grain) : onTimeAxis(points.map((p) => p.x)) }),
        ],
      },
      frame,
      opts,
    );
  }
  if (kind === 'number') {
    const points = data.map((d) => ({ ...d, x: Number(d.x) }));
    return draw(
      {
        height: 280,
        marginLeft: 60,
        x: { label: x ?? '#', grid: true, tickFormat: f.compact },
        y: { grid: true, label: y, tickFormat: f.compact },
        marks: [Plot.dot(points, { x: 'x', y: 'y', r: 3, fill: palette.primary, fillOpacity: 0.7, className: 'quick-mark', title })],
      },
      frame,
      opts,
    );
  }
  const bars = data.slice(0, maxBars).map((d) => ({ ...d, x: String(d.x) }));
  const domain = [...new Set(bars.map((d) => d.x))];
  return draw(
    {
      height: domain.length * 22 + 70,
      marginLeft: 160,
      marginRight: 60,
      y: { domain, label: null, tickFormat: (v: string) => (v.length > 24 ? `${v.slice(0, 23)}…` : v) },
      x: { grid: true, label: y, tickFormat: f.compact, nice: true },
      marks: [
        Plot.barX(bars, { y: 'x', x: 'y', fill: palette.primary, className: 'quick-mark', title }),
        Plot.text(bars, { y: 'x', x: 'y', text: (d) => f.num(d.y, 2), textAnchor: 'start', dx: 4, fill: palette.ink }),
        Plot.ruleX([0]),
      ],
    },
    frame,
    opts,
  );
}
