// How the Dashboard draws each pinnable chart from a pin's kept query string: the endpoint it reads
// (with the URL keys its page passes, web/page-queries.ts) and the page's own chart function, exported
// by the page, so a pinned chart is the same chart as on its page.
import type { PinnableChart } from '../../queries/shared/app-pages.ts';
import { periodPresets } from '../../queries/shared/presets.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';
import { api, type Query } from '../api.ts';
import { queryKeys } from '../page-queries.ts';
import { pick } from '../url-state.ts';
import { drawCampaigns } from './aida-campaigns-page.ts';
import type { DrawChart } from './aida-chart.ts';
import { drawCurve, drawHeatmap, drawHistogram } from './aida-cohorts-page.ts';
import { drawComplaints } from './aida-complaints-page.ts';
import { drawPareto } from './aida-customers-page.ts';
import { drawDecomposition as drawEfficiencyDecomposition, drawLadder } from './aida-efficiency-page.ts';
import { drawFunnel, drawTrend } from './aida-funnel-page.ts';
import { drawProducts } from './aida-products-page.ts';
import { drawDecomposition as drawWeeklyDecomposition } from './aida-weekly-page.ts';

export interface PinnedChart {
  /** the API path (also its CSV download) */
  path: string;
  keys: readonly string[];
  load: (query: Query, signal: AbortSignal) => Promise<unknown>;
  draw: DrawChart<never>;
  /** chart options that come from the page's URL (the cohorts' rate/revenue view) */
  options?: (query: URLSearchParams) => Record<string, unknown>;
  /** what the endpoint reads without from/to/preset: the last 28 days of data, all data, or (weekly) the last complete week */
  defaultPeriod: 'last-28' | 'all' | 'week';
}

const chart = <T,>(path: string, keys: readonly string[], load: (query: Query, signal: AbortSignal) => Promise<T>, draw: DrawChart<T>, extra: Partial<Pick<PinnedChart, 'options' | 'defaultPeriod'>> = {}): PinnedChart => ({
  path, keys, load, draw: draw as DrawChart<never>, defaultPeriod: 'last-28', ...extra,
});

export const pinnedCharts: Record<PinnableChart, PinnedChart> = {
  funnel: chart('funnel', queryKeys.funnel, api.funnel, drawFunnel),
  'funnel-trend': chart('funnel/trends', queryKeys.funnelTrends, api.funnelTrends, drawTrend),
  efficiency: chart('efficiency', queryKeys.efficiency, api.efficiency, drawLadder),
  'efficiency-decomposition': chart('efficiency', queryKeys.efficiency, api.efficiency, drawEfficiencyDecomposition),
  retention: chart('retention', queryKeys.retention, api.retention, drawHeatmap, { defaultPeriod: 'all', options: (q) => ({ view: q.get('view') === 'revenue' ? 'revenue' : 'rate' }) }),
  repurchase: chart('repurchase', queryKeys.repurchase, api.repurchase, drawCurve, { defaultPeriod: 'all' }),
  'days-to-second-order': chart('repurchase', queryKeys.repurchase, api.repurchase, drawHistogram, { defaultPeriod: 'all' }),
  'customer-tiers': chart('customers/tiers', queryKeys.tiers, api.tiers, drawPareto),
  'top-products': chart('products', queryKeys.products, api.products, drawProducts),
  campaigns: chart('campaigns', queryKeys.campaigns, api.campaigns, drawCampaigns),
  complaints: chart('complaints', queryKeys.complaints, api.complaints, drawComplaints),
  'weekly-decomposition': chart('snapshot', queryKeys.snapshot, api.snapshot, drawWeeklyDecomposition, { defaultPeriod: 'week' }),
};

/** The period and filters a pin is drawn with, in words: the preset's name, or from – to, then the chart's other parameters. */
export function pinnedState(t: Translate, spec: PinnedChart, query: string): string {
  const q = new URLSearchParams(pinnedQuery(spec, query));
  const preset = q.get('preset');
  const period =
    spec.defaultPeriod === 'week'
      ? `${t('weekly.week')} ${q.get('week') ?? t('pin.lastCompleteWeek')}`
      : preset && (periodPresets as readonly string[]).includes(preset)
        ? t(`controls.preset.${preset}` as MessageKey)
        : q.get('from') || q.get('to')
          ? `${q.get('from') ?? '…'} – ${q.get('to') ?? '…'}`
          : t(spec.defaultPeriod === 'all' ? 'controls.preset.all' : 'controls.preset.default');
  const rest = [...q].filter(([k]) => !['preset', 'from', 'to', 'week'].includes(k)).map(([k, v]) => `${k}=${v}`);
  return [period, ...rest].join(' · ');
}

/** The part of a kept query string the chart's endpoint takes (its page's rule, property: filters included). */
export function pinnedQuery(spec: PinnedChart, query: string): Query {
  return Object.fromEntries(pick(spec.keys, new URLSearchParams(query)));
}
