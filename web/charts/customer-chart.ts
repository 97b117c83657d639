// Customer charts: the A/B/C tier Pareto curve against the 15/35/50 rule of thumb, and customers per
// lifecycle stage.
import * as Plot from '@observablehq/plot';
import { palette } from '../styles/palette.ts';
import { context, draw, emptyChart, type ChartOptions } from './frame.ts';

export interface Tier {
  tier: string;
  customers: number;
  revenue: number;
  customerShare: number | null;
  revenueShare: number | null;
}

/** One customer on the Pareto curve: rank (1 = highest revenue) and cumulative share of revenue. */
export interface ParetoPoint {
  rank: number;
  cumulativeShare: number;
  tier: string;
}

/** The rule of thumb as shares per tier: A ≈ 15% of customers / 50% of revenue, B 35% / 30%, C 50% / 20%. */
export const ruleOfThumb = [
  { tier: 'A', customerShare: 0.15, revenueShare: 0.5 },
  { tier: 'B', customerShare: 0.35, revenueShare: 0.3 },
  { tier: 'C', customerShare: 0.5, revenueShare: 0.2 },
];

function cumulative(rows: { tier: string; customerShare: number | null; revenueShare: number | null }[]) {
  let c = 0;
  let r = 0;
  const points = [{ tier: '', c: 0, r: 0, c0: 0, r0: 0 }];
  for (const row of rows) {
    points.push({ tier: row.tier, c0: c, r0: r, c: (c += row.customerShare ?? 0), r: (r += row.revenueShare ?? 0) });
  }
  return points;
}

/** Cumulative share of revenue against cumulative share of customers, tier by tier (customers ranked by revenue). */
export function paretoChart(
  tiers: Tier[],
  opts: ChartOptions & { rule?: { tier: string; customerShare: number; revenueShare: number }[]; curve?: ParetoPoint[] } = {},
): SVGSVGElement {
  const { t, f, width } = context(opts);
  const frame = {
    title: t('customers.paretoTitle'),
    legend: [
      ...tiers.map((x) => ({ label: `${t('customers.tier')} ${x.tier}`, color: palette.tiers[x.tier] ?? palette.primary })),
      { label: t('customers.ruleOfThumb'), color: palette.reference, dashed: true },
    ],
  };
  if (!tiers.length || !tiers.some((x) => x.customers > 0)) return emptyChart(frame, t('state.noCustomers'), opts);
  const actual = cumulative(tiers);
  const rule = cumulative(opts.rule ?? ruleOfThumb);
  const segments = actual.slice(1).map((p) => ({ ...p, row: tiers.find((x) => x.tier === p.tier)! }));
  const total = tiers.reduce((s, x) => s + x.customers, 0);
  // the customer-by-customer curve when given, else straight segments between the tier boundaries
  const curve = opts.curve?.length ? [{ c: 0, r: 0 }, ...opts.curve.map((p) => ({ c: p.rank / total, r: p.cumulativeShare }))] : actual;
  return draw(
    {
      height: 340,
      marginLeft: 56,
      marginRight: 24,
      x: { domain: [0, 1], label: t('customers.customerShare'), tickFormat: (v: number) => f.pct(v, 0), grid: true },
      y: { domain: [0, 1], label: t('customers.revenueShare'), tickFormat: (v: number) => f.pct(v, 0), grid: true },
      marks: [
        Plot.rect(segments, {
          x1: 'c0',
          x2: 'c',
          y1: 0,
          y2: 'r',
          fill: (s) => palette.tiers[s.tier] ?? palette.primary,
          fillOpacity: 0.22,
        }),
        Plot.line(curve, { x: 'c', y: 'r', stroke: palette.ink, strokeWidth: 2, curve: 'linear' }),
        Plot.dot(segments, {
          x: 'c',
          y: 'r',
          r: 5,
          fill: (s) => palette.tiers[s.tier] ?? palette.primary,
          stroke: 'white',
          className: 'pareto-tier',
          title: (s) =>
            `${t('customers.tier')} ${s.tier}: ${f.int(s.row.customers)} ${t('unit.customers')} (${f.pct(s.row.customerShare)}), ${f.money(s.row.revenue, opts.currency)} (${f.pct(s.row.revenueShare)})`,
        }),
        Plot.text(segments, {
          x: (s) => (s.c0 + s.c) / 2,
          y: 0.04,
          // a tier band narrower than "27% → 50%" (about 80 px, on a phone) gets the two shares on two lines
          text: (s) => `${s.tier}\n${f.pct(s.row.customerShare, 0)}${(s.c - s.c0) * (width - 80) < 80 ? '\n' : ' '}→ ${f.pct(s.row.revenueShare, 0)}`,
          fill: palette.ink,
          fontWeight: 600,
          lineAnchor: 'bottom',
        }),
        Plot.line(rule, { x: 'c', y: 'r', stroke: palette.reference, strokeWidth: 2, strokeDasharray: '6 4' }),
        Plot.dot(rule.slice(1), {
          x: 'c',
          y: 'r',
          r: 3.5,
          fill: palette.reference,
          className: 'pareto-rule',
          title: (p) => `${t('customers.ruleOfThumb')} ${p.tier}: ${f.pct(p.c - p.c0, 0)} / ${f.pct(p.r - p.r0, 0)}`,
        }),
        Plot.frame({ stroke: palette.grid }),
      ],
    },
    frame,
    opts,
  );
}

export interface LifecycleStage {
  stage: string;
  label: string;
  customers: number;
}

export function lifecycleChart(stages: LifecycleStage[], opts: ChartOptions = {}): SVGSVGElement {
  const { t, f } = context(opts);
  const frame = { title: t('customers.lifecycleTitle') };
  if (!stages.some((s) => s.customers > 0)) return emptyChart(frame, t('state.noCustomers'), opts);
  return draw(
    {
      height: stages.length * 34 + 70,
      marginLeft: 170,
      marginRight: 60,
      y: { domain: stages.map((s) => s.label), label: null },
      x: { grid: true, label: t('customers.customers'), tickFormat: f.compact, nice: true },
      marks: [
        Plot.barX(stages, { y: 'label', x: 'customers', fill: palette.primary, className: 'lifecycle-stage', title: (s) => `${s.label}: ${f.int(s.customers)}` }),
        Plot.text(stages, { y: 'label', x: 'customers', text: (s) => f.int(s.customers), textAnchor: 'start', dx: 4, fill: palette.ink }),
        Plot.ruleX([0]),
      ],
    },
    frame,
    opts,
  );
}
