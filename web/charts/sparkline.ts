// A 12-week sparkline for the weekly snapshot: no axes, the last point marked.
import * as Plot from '@observablehq/plot';
import { palette } from '../styles/palette.ts';
import { context, quietMarks, type ChartOptions } from './frame.ts';

export interface SparkPoint {
  period: string;
  value: number | null;
}

export function sparkline(points: SparkPoint[], opts: ChartOptions & { label: string; height?: number; format?: (v: number | null) => string } = { label: '' }): SVGSVGElement {
  const { f } = context(opts);
  const fmt = opts.format ?? ((v: number | null) => f.num(v, 2));
  const rows = points.map((p, i) => ({ ...p, i })).filter((p) => p.value !== null);
  const node = Plot.plot({
    ...(opts.document ? { document: opts.document } : {}),
    width: opts.width ?? 120,
    height: opts.height ?? 32,
    margin: 4,
    axis: null,
    ariaLabel: opts.label,
    x: { domain: [0, Math.max(1, points.length - 1)] },
    y: { nice: false, zero: false, inset: 1 },
    style: { background: 'transparent', overflow: 'visible' },
    marks: [
      Plot.lineY(rows, { x: 'i', y: 'value', stroke: palette.primary, strokeWidth: 1.5, className: 'sparkline' }),
      Plot.dot(rows.slice(-1), { x: 'i', y: 'value', r: 2.5, fill: palette.primary, className: 'sparkline-last' }),
      Plot.dot(rows, { x: 'i', y: 'value', r: 6, fill: 'transparent', title: (p) => `${p.period}: ${fmt(p.value)}` }),
    ],
  });
  const svg = node as unknown as SVGSVGElement;
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  svg.setAttribute('role', 'img');
  quietMarks(svg);
  return svg;
}
