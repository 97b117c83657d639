// The chart functions in web/charts/ run in Node on a jsdom document (as the weekly snapshot uses them):
// each draws one mark per datum with its labels, and matches its rounded snapshot SVG.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { campaignChart } from '../../web/charts/campaign-chart.ts';
import { cohortHeatmap, repurchaseCurve, secondOrderHistogram } from '../../web/charts/cohort-chart.ts';
import { complaintsChart } from '../../web/charts/complaints-chart.ts';
import { lifecycleChart, paretoChart } from '../../web/charts/customer-chart.ts';
import { decompositionChart, efficiencyLadder } from '../../web/charts/efficiency-chart.ts';
import { funnelBreakdownChart, funnelChart, funnelTrendChart, type FunnelStep } from '../../web/charts/funnel-chart.ts';
import { countryRevenueChart, topProductsChart } from '../../web/charts/product-chart.ts';
import { chooseColumns, quickChart } from '../../web/charts/quick-chart.ts';
import { sparkline } from '../../web/charts/sparkline.ts';

const { document } = new JSDOM('<!doctype html><html><body></body></html>').window;
const opts = { document, width: 640 } as const;

/** Stable text for a snapshot: coordinates rounded to 0.1 px, one element per line. */
function serialise(svg: SVGSVGElement): string {
  return `${svg.outerHTML.replace(/-?\d+\.\d{2,}/g, (n) => String(Math.round(Number(n) * 10) / 10)).replace(/></g, '>\n<')}\n`;
}

const marks = (svg: SVGSVGElement, className: string, element: string) => svg.querySelectorAll(`g.${className} ${element}`).length;
/** Every text mark as read (tooltips left out; lines of a multi-line label joined with \n). */
const texts = (svg: SVGSVGElement) =>
  [...svg.querySelectorAll('text')].map((t) => {
    const parts = [...t.childNodes].filter((n) => n.nodeName !== 'title');
    return parts.every((n) => n.nodeName === 'tspan') && parts.length ? parts.map((n) => n.textContent).join('\n') : parts.map((n) => n.textContent).join('');
  });

// 1,000 exposed → 400 engaged (40%) → 100 intent (25%) → 20 buyers (20%)
const steps: FunnelStep[] = [
  { key: 'attention', label: 'Attention', count: 1000, rateFromPrevious: null, rateFromFirst: 1, dropOff: null, dropOffRate: null },
  { key: 'interest', label: 'Interest', count: 400, rateFromPrevious: 0.4, rateFromFirst: 0.4, dropOff: 600, dropOffRate: 0.6, ci: [0.37, 0.43], medianSecondsFromPrevious: 3600 },
  { key: 'desire', label: 'Desire', count: 100, rateFromPrevious: 0.25, rateFromFirst: 0.1, dropOff: 300, dropOffRate: 0.75 },
  { key: 'action', label: 'Action', count: 20, rateFromPrevious: 0.2, rateFromFirst: 0.02, dropOff: 80, dropOffRate: 0.8, small: true },
];

describe('funnel charts', () => {
  it('draws one bar per step and a drop-off bar for each later step, labelled with counts and conversion', async () => {
    const svg = funnelChart(steps, opts);
    expect(svg.tagName).toBe('svg');
    expect(svg.getAttribute('aria-label')).toBe('People reaching each step');
    expect(marks(svg, 'funnel-step', 'rect')).toBe(4);
    expect(marks(svg, 'funnel-drop', 'rect')).toBe(3);
    // the interest label: 400 people, 40.0% of the previous step
    expect(texts(svg)).toContain('400\n40.0%');
    expect(svg.querySelector('g.funnel-step rect title')?.textContent).toBe('Attention: 1,000 people\nFrom first: 100.0%');
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/funnel-chart.svg');
  });

  it('speaks the interface language: step names, title and number format in 简体中文', () => {
    const svg = funnelChart(steps, { ...opts, locale: 'zh-Hans' });
    expect(svg.getAttribute('aria-label')).toBe('到达各步骤的人数');
    expect(texts(svg)).toEqual(expect.arrayContaining(['注意', '兴趣', '欲望', '行动']));
    expect(texts(svg)).toContain('1,000');
  });

  it('says what to load when the first step is empty', () => {
    const svg = funnelChart(steps.map((s) => ({ ...s, count: 0 })), opts);
    expect(marks(svg, 'funnel-step', 'rect')).toBe(0);
    expect(texts(svg).join(' ')).toContain('No data in this period');
  });

  it('nests the steps of each breakdown value and ends each row with its conversion to the last step', async () => {
    const half = steps.map((s) => ({ ...s, count: s.count / 2 }));
    const svg = funnelBreakdownChart([{ value: 'Social', steps: half }, { value: 'Direct', steps }], 'Channel', opts);
    expect(marks(svg, 'funnel-breakdown', 'rect')).toBe(8); // 2 values × 4 steps
    // sorted by first-step size: Direct (1,000) above Social (500)
    const ys = [...svg.querySelectorAll('g[data-mark="y-axis tick label"] text')].map((t) => t.textContent);
    expect(ys).toEqual(['Direct', 'Social']);
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/funnel-breakdown-chart.svg');
  });

  it('draws one line per later step and one point per period and step in the trend', async () => {
    const series = ['2026-01-05', '2026-01-12', '2026-01-19'].map((start, i) => ({ period: `W${i + 2}`, start, steps: steps.map((s) => ({ key: s.key, count: s.count, rateFromFirst: s.rateFromFirst })) }));
    const svg = funnelTrendChart(series, {}, opts);
    expect(marks(svg, 'funnel-trend', 'path')).toBe(3);
    expect(marks(svg, 'funnel-trend-point', 'circle')).toBe(9); // 3 periods × 3 later steps
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/funnel-trend-chart.svg');
  });

  it('puts time ticks on the periods of the grain, worded in the interface language, thinned to fit', () => {
    const xs = (svg: SVGSVGElement) => [...svg.querySelectorAll('g[data-mark="x-axis tick label"] text')].map((t) => t.textContent);
    const weekly = (n: number) => Array.from({ length: n }, (_, i) => ({ period: `W${i + 2}`, start: new Date(Date.UTC(2026, 0, 5 + 7 * i)).toISOString().slice(0, 10), steps: steps.map((s) => ({ key: s.key, count: s.count, rateFromFirst: s.rateFromFirst })) }));
    // three Mondays: a tick on each, no hours ("12 PM") between them; the first carries the year
    expect(xs(funnelTrendChart(weekly(3), {}, { ...opts, grain: 'week' }))).toEqual(['5 Jan 2026', '12 Jan', '19 Jan']);
    expect(xs(funnelTrendChart(weekly(3), {}, { ...opts, grain: 'week', locale: 'zh-Hans' }))).toEqual(['2026年1月5日', '1月12日', '1月19日']);
    // 26 weeks on a 390 px phone card (327 px): 247 px of plot fit 247 / 64 = 3 labels, so every 9th week
    expect(xs(funnelTrendChart(weekly(26), {}, { ...opts, width: 327, grain: 'week' }))).toEqual(['5 Jan 2026', '9 Mar', '11 May']);
    const monthly = ['2025-11-01', '2025-12-01', '2026-01-01'].map((start, i) => ({ period: start.slice(0, 7), start, steps: weekly(1)[0]!.steps, i }));
    expect(xs(funnelTrendChart(monthly, {}, { ...opts, grain: 'month' }))).toEqual(['Nov 2025', 'Dec 2025', 'Jan 2026']);
  });
});

describe('efficiency charts', () => {
  const levels = [
    { key: 'Q0', label: 'surfers', value: null, reason: 'no audience configured' },
    { key: 'Q1', label: 'aware surfers', value: 5000, estimate: true },
    { key: 'Q2', label: 'hits', value: 1000 },
    { key: 'Q3', label: 'active visitors', value: 400 },
    { key: 'Q4', label: 'purchases', value: 40 },
    { key: 'Q5', label: 'repurchases', value: 8, complete: false },
  ];
  // I2 = 1000/5000 = 20%, I3 = 400/1000 = 40%, I4 = 40/400 = 10%, I5 = 8/40 = 20%; I1 has no Q0
  const ratios = [
    { key: 'I1', value: null },
    { key: 'I2', value: 0.2, numerator: 1000, denominator: 5000 },
    { key: 'I3', value: 0.4, numerator: 400, denominator: 1000 },
    { key: 'I4', value: 0.1, numerator: 40, denominator: 400 },
    { key: 'I5', value: 0.2, numerator: 8, denominator: 40, small: false },
  ];

  it('draws a bar per known level, says which is missing, and writes each ratio beside its level', async () => {
    const svg = efficiencyLadder(levels, ratios, opts);
    expect(marks(svg, 'efficiency-level', 'rect')).toBe(5);
    expect(marks(svg, 'efficiency-ratio', 'text')).toBe(4);
    expect(texts(svg)).toEqual(expect.arrayContaining(['I2 attractability 20.0%', 'I4 conversion 10.0%', '5,000*']));
    expect(texts(svg).join(' ')).toContain('not available: no audience configured');
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/efficiency-ladder.svg');
  });

  it('shows each factor as its contribution in purchases and points, measured factors ranked, the estimate last', async () => {
    // purchases 100 → 110: ln 1.1 = 0.0953 = ln 1.2 (Q0, an estimated audience) + I3 −0.0382 + I4 −0.0488;
    // log mean L = 10 / 0.0953 = 104.92, so Q0 +19.13, I3 −4.01, I4 −5.12 purchases (sum +10); points = / 100
    const svg = decompositionChart(
      [
        { key: 'Q0', label: 'surfers', logChange: 0.1823, share: 1.913, purchases: 19.13, points: 0.1913, estimate: true },
        { key: 'I3', label: 'contact', logChange: -0.0382, share: -0.401, purchases: -4.01, points: -0.0401, estimate: false },
        { key: 'I4', label: 'conversion', logChange: -0.0488, share: -0.512, purchases: -5.12, points: -0.0512, estimate: false },
      ],
      opts,
    );
    // I4 (−5.1) before I3 (−4.0): ranked by size; Q0 is larger but an estimate, so it comes last, faded
    const bars = [...svg.querySelectorAll('g.decomposition-factor rect')];
    expect(bars.map((r) => r.getAttribute('fill'))).toEqual(['#D55E00', '#D55E00', '#009E73']);
    expect(bars.map((r) => r.getAttribute('fill-opacity'))).toEqual(['1', '1', '0.4']);
    expect(texts(svg)).toEqual(expect.arrayContaining(['I4 conversion', 'I3 contact', 'Q0 surfers', '−5.1\n−5.1 pt', '−4\n−4 pt', '+19*\n+19.1 pt', '* estimate: not ranked']));
    const order = [...svg.querySelectorAll('g.decomposition-value text')].map((t) => t.textContent);
    expect(order).toEqual(['−5.1−5.1 pt', '−4−4 pt', '+19*+19.1 pt']);
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/decomposition-chart.svg');
  });
});

describe('cohort charts', () => {
  const cohorts = [
    { cohort: '2026-01', size: 10, periods: [{ k: 0, customers: 10, rate: 1, revenue: 500, complete: true, cumulativeRevenuePerCustomer: 50 }, { k: 1, customers: 3, rate: 0.3, revenue: 90, complete: true, cumulativeRevenuePerCustomer: 59 }, { k: 2, customers: 2, rate: 0.2, revenue: 40, complete: false, cumulativeRevenuePerCustomer: 63 }] },
    { cohort: '2026-02', size: 20, periods: [{ k: 0, customers: 20, rate: 1, revenue: 800, complete: true, cumulativeRevenuePerCustomer: 40 }, { k: 1, customers: 5, rate: 0.25, revenue: 100, complete: false, cumulativeRevenuePerCustomer: 45 }] },
  ];

  it('draws one cell per cohort period, outlines the incomplete ones, and shows rates or revenue', async () => {
    const rate = cohortHeatmap(cohorts, opts);
    expect(marks(rate, 'cohort-cell', 'rect')).toBe(5);
    expect(texts(rate)).toEqual(expect.arrayContaining(['30.0%', '25.0%', '2026-01 (10)', '2026-02 (20)']));
    expect(rate.querySelectorAll('rect[stroke-dasharray="3 2"], g[stroke-dasharray="3 2"] rect').length).toBe(2);
    await expect(serialise(rate)).toMatchFileSnapshot('__snapshots__/cohort-heatmap.svg');
    const revenue = cohortHeatmap(cohorts, { ...opts, view: 'revenue', currency: 'GBP' });
    expect(revenue.getAttribute('aria-label')).toBe('Cumulative revenue per customer by cohort');
    expect(texts(revenue)).toContain('£59.00');
  });

  it('plots the repurchase rate per window, with its interval', async () => {
    const svg = repurchaseCurve(
      [
        { days: 7, eligible: 100, repurchased: 10, rate: 0.1, ci: [0.05, 0.17] },
        { days: 30, eligible: 80, repurchased: 20, rate: 0.25, ci: [0.17, 0.35] },
        { days: 90, eligible: 0, repurchased: 0, rate: null },
      ],
      opts,
    );
    expect(marks(svg, 'repurchase-point', 'circle')).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['10.0%', '25.0%']));
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/repurchase-curve.svg');
  });

  it('draws a bar per days-to-second-order bin and outlines the one holding the median', async () => {
    const svg = secondOrderHistogram(
      [
        { from: 0, to: 7, customers: 4 },
        { from: 7, to: 30, customers: 6 },
        { from: 30, to: null, customers: 1 },
      ],
      { median: 9, customers: 11 },
      opts,
    );
    expect(marks(svg, 'second-order-bin', 'rect')).toBe(3);
    expect(texts(svg)).toEqual(expect.arrayContaining(['0–7', '7–30', '>30', 'median 9 days over 11 customers']));
    expect(svg.querySelectorAll('g[stroke-dasharray="5 3"] rect').length).toBe(1);
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/second-order-histogram.svg');
  });
});

describe('customer charts', () => {
  // 100 customers: A 10 with 55% of revenue, B 30 with 30%, C 60 with 15%
  const tiers = [
    { tier: 'A', customers: 10, revenue: 5500, customerShare: 0.1, revenueShare: 0.55 },
    { tier: 'B', customers: 30, revenue: 3000, customerShare: 0.3, revenueShare: 0.3 },
    { tier: 'C', customers: 60, revenue: 1500, customerShare: 0.6, revenueShare: 0.15 },
  ];

  it('marks each tier on the Pareto curve beside the 15/35/50 rule of thumb', async () => {
    const svg = paretoChart(tiers, opts);
    expect(marks(svg, 'pareto-tier', 'circle')).toBe(3);
    expect(marks(svg, 'pareto-rule', 'circle')).toBe(3);
    // the tier A dot sits at 10% of customers and 55% of revenue
    expect(svg.querySelector('g.pareto-tier circle title')?.textContent).toBe('Tier A: 10 customers (10.0%), 5,500.00 (55.0%)');
    expect(svg.querySelector('g.pareto-rule circle title')?.textContent).toBe('Rule of thumb A: 15% / 50%');
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/pareto-chart.svg');
  });

  it('draws one bar per lifecycle stage', async () => {
    const svg = lifecycleChart(
      [
        { stage: 'A', label: 'A Active', customers: 12 },
        { stage: 'D', label: 'D Lapsed', customers: 3 },
      ],
      opts,
    );
    expect(marks(svg, 'lifecycle-stage', 'rect')).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['12', '3', 'A Active']));
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/lifecycle-chart.svg');
  });
});

describe('campaign and complaint charts', () => {
  it('places each campaign with a cost and purchasers by CPA and ROAS; one without purchasers has no point', async () => {
    const svg = campaignChart(
      [
        { campaign: 'search', cost: 100, purchasers: 4, revenue: 300, cpa: 25, roas: 3 },
        { campaign: 'display', cost: 200, purchasers: 2, revenue: 100, cpa: 100, roas: 0.5 },
        { campaign: 'video', cost: 50, purchasers: 0, revenue: 0, cpa: null, roas: 0 },
      ],
      { ...opts, currency: 'GBP' },
    );
    expect(marks(svg, 'campaign-dot', 'circle')).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['search', 'display', 'break-even (ROAS 1)']));
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/campaign-chart.svg');
  });

  it('stacks complaints per 1,000 orders by severity for each category, largest first', async () => {
    const svg = complaintsChart(
      [
        { category: 'Y1', label: 'Y1 Late dispatch', severity: 'minor', complaints: 2, perThousand: 4 },
        { category: 'Y1', label: 'Y1 Late dispatch', severity: 'serious', complaints: 1, perThousand: 2 },
        { category: 'W5', label: 'W5 Picking error', severity: 'general', complaints: 1, perThousand: 2 },
      ],
      opts,
    );
    expect(marks(svg, 'complaint-bar', 'rect')).toBe(3);
    const ys = [...svg.querySelectorAll('g[data-mark="y-axis tick label"] text')].map((t) => t.textContent);
    expect(ys).toEqual(['Y1 Late dispatch', 'W5 Picking error']); // 6 vs 2 per 1,000
    expect(texts(svg)).toEqual(expect.arrayContaining(['6', '2', 'Minor', 'General', 'Serious']));
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/complaints-chart.svg');
  });
});

describe('small charts', () => {
  it('draws a sparkline with its last point marked', async () => {
    const svg = sparkline(
      [1, 3, 2, null, 5].map((value, i) => ({ period: `W${i + 1}`, value })),
      { document, label: 'Purchasers, last 12 weeks' },
    );
    expect(marks(svg, 'sparkline', 'path')).toBe(1);
    expect(marks(svg, 'sparkline-last', 'circle')).toBe(1);
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/sparkline.svg');
  });

  it('charts a query result: bars over a text column, a line over dates, dots for two numbers', async () => {
    const columns = [
      { name: 'channel', type: 'VARCHAR' },
      { name: 'n', type: 'BIGINT' },
    ];
    const bars = quickChart(columns, [['Direct', 5], ['Social', 3]], {}, opts);
    expect(marks(bars, 'quick-mark', 'rect')).toBe(2);
    await expect(serialise(bars)).toMatchFileSnapshot('__snapshots__/quick-chart.svg');
    const line = quickChart([{ name: 'day', type: 'DATE' }, { name: 'orders', type: 'INTEGER' }], [['2026-01-02', 4], ['2026-01-01', 2], ['2026-01-03', 3]], {}, opts);
    expect(marks(line, 'quick-mark', 'circle')).toBe(3);
    const dots = quickChart([{ name: 'a', type: 'DOUBLE' }, { name: 'b', type: 'DOUBLE' }], [[1, 2], [2, 4]], {}, opts);
    expect(marks(dots, 'quick-mark', 'circle')).toBe(2);
    expect(chooseColumns(columns, { x: 'nope', y: 'channel' })).toEqual({ x: 'channel', y: 'n' });
    const none = quickChart([{ name: 'name', type: 'VARCHAR' }], [['x']], {}, opts);
    expect(texts(none).join(' ')).toContain('The result needs a numeric column to chart.');
  });
});

describe('product charts', () => {
  // 22423 sold £25.50 (no cancellations), 85123A £20.40 with £7.65 cancelled, a line without SKU £13.56
  const products = [
    { rank: 1, sku: '22423', description: 'REGENCY CAKESTAND 3 TIER', revenue: 25.5, quantity: 2, orders: 1, cancelledValue: 0 },
    { rank: 2, sku: '85123A', description: 'WHITE HANGING HEART T-LIGHT HOLDER', revenue: 20.4, quantity: 8, orders: 1, cancelledValue: 7.65 },
    { rank: 3, sku: null, description: 'Gift card', revenue: 13.56, quantity: 4, orders: 1, cancelledValue: 0 },
  ];

  it('draws one revenue bar per product and a cancelled bar only where something was cancelled', async () => {
    const svg = topProductsChart(products, { ...opts, currency: 'GBP' });
    expect(svg.getAttribute('aria-label')).toBe('Top products by revenue');
    expect(marks(svg, 'product-bar', 'rect')).toBe(3);
    expect(marks(svg, 'product-cancelled-bar', 'rect')).toBe(1);
    // at 640 px the label margin is 217 px (a third of the width): the long names are cut, whole in their tooltip
    const ys = [...svg.querySelectorAll('g[data-mark="y-axis tick label"] text')].map((t) => [t.firstChild?.textContent, t.querySelector('title')?.textContent ?? null]);
    expect(ys).toEqual([['1. REGENCY CAKESTAND 3 TI…', '1. REGENCY CAKESTAND 3 TIER'], ['2. WHITE HANGING HEART T-…', '2. WHITE HANGING HEART T-LIGHT HOLDER'], ['3. Gift card', null]]);
    expect(texts(svg)).toEqual(expect.arrayContaining(['£25.50', '£20.40', '£13.56'])); // revenue labels to the penny
    expect(svg.querySelector('g.product-cancelled-bar rect title')?.textContent).toBe('85123A\nCancelled value: £7.65');
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/top-products-chart.svg');
  });

  it('says what to load when there are no order lines, in the interface language', () => {
    expect(texts(topProductsChart([], opts)).join(' ')).toContain('No order lines in this period');
    expect(topProductsChart(products, { ...opts, locale: 'zh-Hant' }).getAttribute('aria-label')).toBe('按收入排名的熱銷商品');
  });

  it('revenue by country: the largest countries, then the rest summed into one bar', async () => {
    // 14 countries with revenue 140, 130 ... 10 (total 1,050): 12 shown, the last two (20 + 10 = 30) summed
    const countries = Array.from({ length: 14 }, (_, i) => ({ country: `Country ${String.fromCharCode(65 + i)}`, revenue: 10 * (14 - i), orders: 1, share: (10 * (14 - i)) / 1050 }));
    const svg = countryRevenueChart(countries, { ...opts, currency: 'EUR' });
    expect(marks(svg, 'country-bar', 'rect')).toBe(13);
    const ys = [...svg.querySelectorAll('g[data-mark="y-axis tick label"] text')].map((t) => t.textContent);
    expect(ys).toEqual([...countries.slice(0, 12).map((c) => c.country), 'Other countries (2)']);
    // the bar labels: revenue and share, 140 / 1,050 = 13.3%; the other countries 30 / 1,050 = 2.9%
    expect(texts(svg)).toEqual(expect.arrayContaining(['€140.00 · 13.3%', '€30.00 · 2.9%']));
    await expect(serialise(svg)).toMatchFileSnapshot('__snapshots__/country-revenue-chart.svg');
  });
});
