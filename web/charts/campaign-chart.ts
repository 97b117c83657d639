// Campaign economics: ROAS (revenue / cost) against CPA (cost per purchaser), dot area by cost, with
// the break-even line at ROAS 1.
import * as Plot from '@observablehq/plot';
import { categorical, palette } from '../styles/palette.ts';
import { context, draw, emptyChart, type ChartOptions } from './frame.ts';

export interface CampaignPoint {
  campaign: string;
  cost: number | null;
  purchasers: number | null;
  revenue: number | null;
  cpa: number | null;
  roas: number | null;
}

/** A campaign has a place on the chart when both its CPA and ROAS are known (a cost and purchasers); the page lists the others. */
export const charted = (c: CampaignPoint): boolean => c.cpa !== null && c.roas !== null && Number.isFinite(c.cpa) && Number.isFinite(c.roas);

export function campaignChart(campaigns: CampaignPoint[], opts: ChartOptions = {}): SVGSVGElement {
  const { t, f } = context(opts);
  const frame = { title: t('campaigns.chartTitle'), legend: [{ label: t('campaigns.breakEven'), color: palette.loss, dashed: true }] };
  const rows = campaigns.filter(charted);
  if (!rows.length) return emptyChart(frame, t(campaigns.length ? 'campaigns.noneCharted' : 'state.noCampaigns'), opts);
  return draw(
    {
      height: 360,
      marginLeft: 56,
      marginRight: 40,
      insetTop: 24,
      insetRight: 24,
      x: { label: t('campaigns.cpa'), grid: true, nice: true, zero: true, tickFormat: (v: number) => f.moneyTick(v, opts.currency) },
      y: { label: t('campaigns.roas'), grid: true, nice: true, zero: true, tickFormat: (v: number) => f.times(v) },
      r: { range: [4, 18] },
      marks: [
        Plot.ruleY([1], { stroke: palette.loss, strokeDasharray: '6 4', strokeWidth: 1.5 }),
        Plot.dot(rows, {
          x: 'cpa',
          y: 'roas',
          r: 'cost',
          fill: (_c, i) => categorical[i % categorical.length],
          fillOpacity: 0.75,
          stroke: 'white',
          className: 'campaign-dot',
          title: (c) =>
            `${c.campaign}\n${t('campaigns.roas')}: ${f.times(c.roas)}\n${t('campaigns.cpa')}: ${f.money(c.cpa, opts.currency)}\n${t('campaigns.cost')}: ${f.money(c.cost, opts.currency)}\n${t('campaigns.revenue')}: ${f.money(c.revenue, opts.currency)}\n${t('campaigns.purchasers')}: ${f.int(c.purchasers)}`,
        }),
        Plot.text(rows, { x: 'cpa', y: 'roas', text: 'campaign', dy: -14, fill: palette.ink, fontSize: 11 }),
      ],
    },
    frame,
    opts,
  );
}
