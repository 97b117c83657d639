// Complaints per 1,000 valid orders by category, stacked by severity.
import * as Plot from '@observablehq/plot';
import { palette } from '../styles/palette.ts';
import { categoryAxis, context, draw, emptyChart, labelRoom, sideMargin, type ChartOptions } from './frame.ts';

export interface ComplaintCell {
  category: string;
  /** category with its description, for the axis */
  label?: string;
  severity: string;
  complaints: number;
  perThousand: number | null;
}

/** The severities the interface names (queries/complaints.ts: the taxonomy's three, and unspecified when a file had none). */
export const severities = ['minor', 'general', 'serious', 'unspecified'];

export function complaintsChart(cells: ComplaintCell[], opts: ChartOptions = {}): SVGSVGElement {
  const { t, f, width } = context(opts);
  const sevName = (s: string) => (severities.includes(s) ? t(`severity.${s}` as 'severity.minor') : s);
  const present = [...new Set(cells.map((c) => c.severity))].sort((a, b) => severities.indexOf(a) - severities.indexOf(b));
  const frame = { title: t('complaints.chartTitle'), legend: present.map((s) => ({ label: sevName(s), color: palette.severity[s] ?? palette.muted })) };
  const rows = cells.filter((c) => c.complaints > 0);
  if (!rows.length) return emptyChart(frame, t('state.noComplaints'), opts);
  const totals = new Map<string, number>();
  for (const c of rows) totals.set(c.category, (totals.get(c.category) ?? 0) + (c.perThousand ?? 0));
  const order = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b));
  const label = new Map(rows.map((c) => [c.category, c.label ?? c.category]));
  const value = (c: ComplaintCell) => c.perThousand ?? c.complaints;
  const axis = categoryAxis(width, 220, { tickFormat: (c: string) => label.get(c) ?? c });
  const marginRight = sideMargin(width, 50, 0.12);
  const room = labelRoom(order.map((c) => ({ value: totals.get(c)!, label: f.num(totals.get(c), 1) })), width - axis.margin - marginRight, marginRight);
  return draw(
    {
      height: order.length * 28 + 70,
      marginLeft: axis.margin,
      marginRight,
      y: { domain: order, label: null },
      x: { grid: true, label: t('complaints.perThousand'), domain: [0, room], nice: true },
      color: { domain: present, range: present.map((s) => palette.severity[s] ?? palette.muted) },
      marks: [
        axis.mark,
        Plot.barX(rows, Plot.stackX({
          y: 'category',
          x: value,
          fill: 'severity',
          order: present,
          className: 'complaint-bar',
          title: (c: ComplaintCell) => `${label.get(c.category)} · ${sevName(c.severity)}\n${f.num(c.perThousand, 2)} ${t('complaints.perThousand')}\n${f.int(c.complaints)} ${t('complaints.count')}`,
        })),
        Plot.text(order, { y: (c) => c, x: (c) => totals.get(c), text: (c) => f.num(totals.get(c), 1), textAnchor: 'start', dx: 4, fill: palette.ink }),
        Plot.ruleX([0]),
      ],
    },
    frame,
    opts,
  );
}
