// Products and places: top products by revenue (sold lines, with the cancelled value as a second bar),
// and revenue by country (the largest countries, the rest summed into one bar).
import * as Plot from '@observablehq/plot';
import { palette } from '../styles/palette.ts';
import { categoryAxis, context, draw, emptyChart, labelRoom, sideMargin, type ChartOptions } from './frame.ts';

export interface ProductBar {
  rank: number;
  sku: string | null;
  description: string | null;
  revenue: number;
  quantity: number;
  orders: number;
  cancelledValue: number;
}

export interface CountryBar {
  country: string;
  revenue: number;
  orders: number;
  share: number | null;
}

export function topProductsChart(products: ProductBar[], opts: ChartOptions = {}): SVGSVGElement {
  const { t, f, width } = context(opts);
  const frame = { title: t('products.chartTitle'), legend: [{ label: t('products.revenue'), color: palette.primary }, { label: t('products.cancelledValue'), color: palette.loss }] };
  if (!products.length) return emptyChart(frame, t('state.noProducts'), opts);
  const label = (p: ProductBar) => `${p.rank}. ${p.description ?? p.sku ?? t('products.noSku')}`;
  const order = products.map(label);
  const bars = products.flatMap((p) => [
    { y: label(p), kind: 'revenue', value: p.revenue, p },
    { y: label(p), kind: 'cancelled', value: p.cancelledValue, p },
  ]);
  const axis = categoryAxis(width, 250);
  const marginRight = sideMargin(width, 80, 0.12);
  const room = labelRoom(products.map((p) => ({ value: p.revenue, label: f.money(p.revenue, opts.currency) })), width - axis.margin - marginRight, marginRight);
  return draw(
    {
      height: products.length * 34 + 70,
      marginLeft: axis.margin,
      marginRight,
      y: { domain: order, label: null },
      x: { grid: true, label: t('products.revenue'), domain: [0, room], nice: true, ticks: Math.max(3, Math.floor(width / 120)), tickFormat: (v: number) => f.moneyTick(v, opts.currency) },
      color: { domain: ['revenue', 'cancelled'], range: [palette.primary, palette.loss] },
      marks: [
        axis.mark,
        Plot.barX(bars.filter((b) => b.kind === 'revenue'), {
          y: 'y', x: 'value', fill: 'kind', insetTop: 3, insetBottom: 13, className: 'product-bar',
          title: (b: (typeof bars)[number]) =>
            `${b.p.sku ?? t('products.noSku')} · ${b.p.description ?? ''}\n${t('products.revenue')}: ${f.money(b.p.revenue, opts.currency)}\n${t('products.quantity')}: ${f.num(b.p.quantity)}\n${t('products.orders')}: ${f.int(b.p.orders)}`,
        }),
        Plot.barX(bars.filter((b) => b.kind === 'cancelled' && b.value > 0), {
          y: 'y', x: 'value', fill: 'kind', insetTop: 21, insetBottom: 3, className: 'product-cancelled-bar',
          title: (b: (typeof bars)[number]) => `${b.p.sku ?? t('products.noSku')}\n${t('products.cancelledValue')}: ${f.money(b.value, opts.currency)}`,
        }),
        Plot.text(products, { y: label, x: 'revenue', text: (p: ProductBar) => f.money(p.revenue, opts.currency), textAnchor: 'start', dx: 4, dy: -4, fill: palette.ink }),
        Plot.ruleX([0]),
      ],
    },
    frame,
    opts,
  );
}

/** Countries beyond `top` are summed into one "other countries" bar. */
export function countryRevenueChart(countries: CountryBar[], opts: ChartOptions & { top?: number } = {}): SVGSVGElement {
  const { t, f, width } = context(opts);
  const frame = { title: t('products.countryChartTitle') };
  const rows = countries.filter((c) => c.revenue > 0);
  if (!rows.length) return emptyChart(frame, t('state.noOrders'), opts);
  const top = opts.top ?? 12;
  const shown: CountryBar[] = rows.slice(0, top);
  const rest = rows.slice(top);
  if (rest.length) {
    shown.push({
      country: t('products.otherCountries', { n: rest.length }),
      revenue: rest.reduce((s, c) => s + c.revenue, 0),
      orders: rest.reduce((s, c) => s + c.orders, 0),
      share: rest.every((c) => c.share !== null) ? rest.reduce((s, c) => s + c.share!, 0) : null,
    });
  }
  const axis = categoryAxis(width, 170);
  const marginRight = sideMargin(width, 110, 0.12);
  const valueLabel = (c: CountryBar) => `${f.money(c.revenue, opts.currency)} · ${f.pct(c.share)}`;
  const room = labelRoom(shown.map((c) => ({ value: c.revenue, label: valueLabel(c) })), width - axis.margin - marginRight, marginRight);
  return draw(
    {
      height: shown.length * 26 + 70,
      marginLeft: axis.margin,
      marginRight,
      y: { domain: shown.map((c) => c.country), label: null },
      x: { grid: true, label: t('products.revenue'), domain: [0, room], nice: true, ticks: Math.max(3, Math.floor(width / 120)), tickFormat: (v: number) => f.moneyTick(v, opts.currency) },
      marks: [
        axis.mark,
        Plot.barX(shown, {
          y: 'country', x: 'revenue', fill: palette.primary, insetTop: 3, insetBottom: 3, className: 'country-bar',
          title: (c: CountryBar) => `${c.country}\n${t('products.revenue')}: ${f.money(c.revenue, opts.currency)} (${f.pct(c.share)})\n${t('products.orders')}: ${f.int(c.orders)}`,
        }),
        Plot.text(shown, { y: 'country', x: 'revenue', text: valueLabel, textAnchor: 'start', dx: 4, fill: palette.ink }),
        Plot.ruleX([0]),
      ],
    },
    frame,
    opts,
  );
}
