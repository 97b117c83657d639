// What every chart shares: the options it takes, and drawing a Plot with a title, an optional
// swatch legend and accessible labels into one self-contained <svg> (no wrapping <figure>), so the
// same element can be shown, downloaded, or inlined into the static weekly snapshot.
import * as Plot from '@observablehq/plot';
import { formats, intlLocale, type Formats } from '../i18n/format.ts';
import { translator, type Locale, type Translate } from '../i18n/index.ts';
import { palette } from '../styles/palette.ts';

/** A dated note a time chart draws (annotations.ts annotationMarks). */
export interface ChartAnnotation {
  date: string;
  note: string;
  author?: string | null;
}

export interface ChartOptions {
  /** the document to build in: `window.document` in the browser, a jsdom document in Node */
  document?: Document;
  /** outer width in px (default 640) */
  width?: number;
  locale?: Locale;
  /** ISO currency code for money axes and labels */
  currency?: string;
  /** dated notes a time chart draws (annotations.ts annotationMarks); <aida-chart> passes the tab's list */
  annotations?: readonly ChartAnnotation[];
}

export interface LegendEntry {
  label: string;
  color: string;
  /** a dashed line instead of a filled swatch */
  dashed?: boolean;
  /** a lighter swatch (estimates, incomplete, drop-off) */
  opacity?: number;
}

export interface Frame {
  title: string;
  /** a sentence for screen readers (aria-description) */
  description?: string;
  legend?: LegendEntry[];
}

export interface ChartContext {
  t: Translate;
  f: Formats;
  width: number;
  locale: Locale;
}

export function context(opts: ChartOptions): ChartContext {
  const locale = opts.locale ?? 'en';
  return { t: translator(locale), f: formats(locale), width: Math.max(280, Math.round(opts.width ?? 640)), locale };
}

const titleHeight = 26;
const titleLine = 18;
const legendLine = 20;
const font = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

/** Rough text width for laying out legend swatches (CJK glyphs are about twice as wide). */
export function textWidth(s: string, size = 12): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffff]/.test(ch) ? size : size * 0.58;
  return w;
}

/** The title broken into lines that fit the width (at spaces, or anywhere in CJK text). */
function titleLines(title: string, width: number, size = 14): string[] {
  const lines: string[] = [];
  let line = '';
  // words stay whole; a CJK run breaks between any two characters
  for (const piece of title.match(/[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+/g) ?? []) {
    if (line && textWidth(line + piece.trimEnd(), size) > width) {
      lines.push(line.trimEnd());
      line = piece.trimStart();
    } else line += piece;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

function legendRows(entries: LegendEntry[], width: number): { entry: LegendEntry; x: number; row: number }[] {
  const out: { entry: LegendEntry; x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const w = 22 + textWidth(entry.label) + 16;
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    out.push({ entry, x, row });
    x += w;
  }
  return out;
}

/** Plot.plot with the frame's title and legend drawn inside the returned <svg>. */
export function draw(options: Plot.PlotOptions, frame: Frame, opts: ChartOptions): SVGSVGElement {
  const { width } = context(opts);
  const title = titleLines(frame.title, width - 4);
  const headHeight = titleHeight + (title.length - 1) * titleLine;
  const laid = frame.legend?.length ? legendRows(frame.legend, width) : [];
  const legendHeight = laid.length ? (Math.max(...laid.map((l) => l.row)) + 1) * legendLine + 4 : 0;
  const top = headHeight + legendHeight;
  const node = Plot.plot({
    marginBottom: 42,
    ...options,
    ...(opts.document ? { document: opts.document } : {}),
    width,
    ariaLabel: frame.title,
    ...(frame.description ? { ariaDescription: frame.description } : {}),
    style: { fontFamily: font, fontSize: '12px', color: palette.ink, background: 'white', overflow: 'visible' },
  });
  if (node.tagName.toLowerCase() !== 'svg') throw new Error('chart frame: Plot returned a figure; keep title and legends in the frame');
  const svg = node as unknown as SVGSVGElement;
  const doc = svg.ownerDocument;
  const ns = 'http://www.w3.org/2000/svg';
  const el = (name: string, attrs: Record<string, string | number>, text?: string) => {
    const e = doc.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  svg.setAttribute('xmlns', ns);
  svg.setAttribute('role', 'img');
  quietMarks(svg);
  // Plot's own layout (axis labels at its top edge) moves down below the title and legend
  const height = Number(svg.getAttribute('height'));
  const body = el('g', { class: 'aida-chart-body', transform: `translate(0,${top})` });
  while (svg.firstChild) body.append(svg.firstChild);
  svg.append(body);
  svg.setAttribute('height', String(height + top));
  svg.setAttribute('viewBox', `0 0 ${width} ${height + top}`);
  const head = el('g', { class: 'aida-chart-head', 'aria-hidden': 'true', 'text-anchor': 'start' });
  title.forEach((line, i) => head.append(el('text', { x: 2, y: 17 + i * titleLine, 'font-size': 14, 'font-weight': 600, fill: palette.ink, class: 'aida-chart-title' }, line)));
  for (const { entry, x, row } of laid) {
    const y = headHeight + row * legendLine;
    const g = el('g', { class: 'aida-legend-item', transform: `translate(${x + 2},${y})` });
    g.append(
      entry.dashed
        ? el('line', { x1: 0, x2: 16, y1: 8, y2: 8, stroke: entry.color, 'stroke-width': 2, 'stroke-dasharray': '4 3' })
        : el('rect', { x: 0, y: 1, width: 14, height: 14, rx: 2, fill: entry.color, 'fill-opacity': entry.opacity ?? 1 }),
    );
    g.append(el('text', { x: 21, y: 12.5, 'font-size': 12, fill: palette.ink }, entry.label));
    head.append(g);
  }
  svg.insertBefore(head, svg.firstChild);
  // an SVG <title> names the chart for assistive tech and for the downloaded file
  svg.insertBefore(el('title', {}, frame.title), svg.firstChild);
  return svg;
}

/**
 * The svg is one image (role="img", named by its title); Plot's aria-labels on the marks inside it are
 * not allowed on plain groups (axe: aria-prohibited-attr), so they become `data-mark`, which tests and
 * styles can still select.
 */
export function quietMarks(svg: SVGSVGElement): void {
  for (const e of svg.querySelectorAll('[aria-label], [aria-description]')) {
    const label = e.getAttribute('aria-label');
    if (label !== null) e.setAttribute('data-mark', label);
    e.removeAttribute('aria-label');
    e.removeAttribute('aria-description');
  }
}

/**
 * Category labels on the left that fit the chart's width: the margin is the preferred one on a wide
 * card and at most about a third of a narrow one; a label longer than the margin ends in "…" with the
 * whole label as its tooltip. Use `marks: [categoryAxis.mark, ...]` with `marginLeft: categoryAxis.margin`.
 */
export function categoryAxis(width: number, preferred: number, options: Plot.AxisYOptions = {}): { margin: number; mark: Plot.CompoundMark } {
  const margin = Math.round(Math.min(preferred, Math.max(84, width * 0.34)));
  // lineWidth is in ems of the 12px chart font, less the tick and its gap; Plot's width estimate runs
  // about 5% short of the system fonts, so a little more is kept free
  return { margin, mark: Plot.axisY({ label: null, textOverflow: 'ellipsis', lineWidth: (margin - 16) / 13, ...options }) };
}

/**
 * The upper end of a bar chart's x domain that leaves room for each bar's value label (drawn after the
 * bar's end, `textAnchor: 'start'`, `dx: 4`) inside the plot and its right margin, at any width.
 */
export function labelRoom(bars: { value: number; label: string }[], plotWidth: number, marginRight: number, scale: 'linear' | 'log' = 'linear'): number {
  let max = 0;
  for (const b of bars) {
    if (!(b.value > 0)) continue;
    const free = Math.max(plotWidth * 0.3, plotWidth + marginRight - textWidth(b.label) - 8);
    // a log scale from 1: the bar ends at ln(v) / ln(max) of the plot
    max = Math.max(max, scale === 'log' ? Math.exp((Math.log(Math.max(b.value, 1.01)) * plotWidth) / free) : (b.value * plotWidth) / free);
  }
  return max || 1;
}

export type TimeGrain = 'day' | 'week' | 'month';

/**
 * An x scale for dated periods: ticks only on period starts (so never "12 AM / 12 PM" between two
 * weeks), thinned to fit the plot's width, worded for the grain in the interface language ("23 Nov",
 * "11月23日"; "Nov 2026", "2026年11月"), with the year on the first tick and wherever it changes.
 */
export function timeScale(periods: Date[], grain: TimeGrain, locale: Locale, plotWidth: number): Plot.ScaleOptions {
  const dates = [...new Set(periods.map((d) => d.getTime()))].sort((a, b) => a - b);
  const fit = Math.max(2, Math.floor(plotWidth / (grain === 'month' ? 78 : 64)));
  const step = Math.ceil(dates.length / fit);
  const ticks = dates.filter((_, i) => i % step === 0).map((n) => new Date(n));
  const day = new Intl.DateTimeFormat(intlLocale[locale], { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const dayYear = new Intl.DateTimeFormat(intlLocale[locale], { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(intlLocale[locale], { year: 'numeric', month: 'short', timeZone: 'UTC' });
  const labels = new Map(
    ticks.map((d, i) => {
      const newYear = i === 0 || d.getUTCFullYear() !== ticks[i - 1]!.getUTCFullYear();
      return [d.getTime(), (grain === 'month' ? month : newYear ? dayYear : day).format(d)];
    }),
  );
  return { type: 'utc', label: null, ticks, tickFormat: (d: Date) => labels.get(d.getTime()) ?? '' };
}

/** The grain of dates a query returned: months when all fall on the 1st, weeks when all on one weekday, days when all at midnight; else null (times). */
export function dateGrain(dates: Date[]): TimeGrain | null {
  if (!dates.length || dates.some((d) => d.getUTCHours() || d.getUTCMinutes() || d.getUTCSeconds() || d.getUTCMilliseconds())) return null;
  if (dates.every((d) => d.getUTCDate() === 1)) return 'month';
  if (dates.length > 1 && dates.every((d) => d.getUTCDay() === dates[0]!.getUTCDay())) return 'week';
  return 'day';
}

/** A right-hand margin for value labels: the preferred one, but never more than a share of a narrow chart. */
export function sideMargin(width: number, preferred: number, share = 0.22): number {
  return Math.round(Math.min(preferred, Math.max(40, width * share)));
}

/** A chart with nothing to draw still returns an SVG (with the title and a centred message). */
export function emptyChart(frame: Frame, message: string, opts: ChartOptions): SVGSVGElement {
  // the message wraps to the chart's width (lineWidth is in ems of its 13px font)
  const { width } = context(opts);
  return draw({ height: 140, axis: null, marks: [Plot.text([message], { frameAnchor: 'middle', fontSize: 13, fill: palette.muted, lineWidth: (width - 24) / 13, lineHeight: 1.3 })] }, frame, opts);
}
