// Which endpoints each page reads, which URL parameters it passes on and which filters it offers: shared
// by the pages and by the start-up prefetch, which sends the first page's requests while the page's code
// is still loading. The filter lists are queries/shared/dimensions.ts's own (a leaf module, no imports).
import { firstOrderDimensions, orderDimensions, touchDimensions, type FilterDimension } from '../queries/shared/dimensions.ts';
import { propertyFilters, type Page } from './url-state.ts';

const period = ['from', 'to', 'preset'] as const;
const funnelCommon = [...period, ...touchDimensions, propertyFilters, 'attribution', 'mode', 'funnel', 'window', 'window_days', 'steps', 'exclude'] as const;
const firstOrder = [...period, ...firstOrderDimensions] as const;

/** The filters a page offers: in its <aida-controls>, and as fields of its own toolbar. */
export const pageFilters = {
  funnel: { controls: touchDimensions, own: [] },
  paths: { controls: touchDimensions, own: [] },
  efficiency: { controls: touchDimensions, own: [] },
  // the first product has its own field beside grain and mode, with a hint on what it selects
  cohorts: { controls: firstOrderDimensions.filter((d) => d !== 'first_product'), own: ['first_product'] },
  products: { controls: orderDimensions, own: [] },
} satisfies Partial<Record<Page, { controls: readonly FilterDimension[]; own: readonly FilterDimension[] }>>;

export const queryKeys = {
  funnel: [...funnelCommon, 'breakdown', 'compare'],
  funnelTrends: [...funnelCommon, 'grain', 'compare'],
  funnelTimeToConvert: funnelCommon,
  funnelCorrelation: [...period, ...touchDimensions, propertyFilters, 'attribution', 'funnel', 'window_days', 'from_step', 'to_step'],
  paths: [...period, ...touchDimensions, propertyFilters, 'attribution', 'start', 'end', 'dropped_after', 'depth', 'top', 'nodes', 'scope'],
  efficiency: [...period, ...touchDimensions, propertyFilters, 'attribution', 'breakdown', 'compare_from', 'compare_to', 'compare'],
  retention: [...firstOrder, 'grain', 'mode'],
  repurchase: [...firstOrder, 'windows'],
  tiers: period,
  asOf: ['as_of'],
  products: [...period, ...orderDimensions, 'limit'],
  countries: period,
  campaigns: period,
  complaints: period,
  snapshot: ['week'],
} as const satisfies Record<string, readonly string[]>;

/** The GET requests a page makes as soon as it shows: API path and the URL keys it passes. */
export const firstRequests: Record<Page, { path: string; keys: readonly string[] }[]> = {
  funnel: [{ path: 'funnel', keys: queryKeys.funnel }, { path: 'funnel/trends', keys: queryKeys.funnelTrends }],
  paths: [{ path: 'paths', keys: queryKeys.paths }],
  efficiency: [{ path: 'efficiency', keys: queryKeys.efficiency }],
  cohorts: [{ path: 'retention', keys: queryKeys.retention }, { path: 'repurchase', keys: queryKeys.repurchase }],
  customers: [{ path: 'customers/tiers', keys: queryKeys.tiers }, { path: 'customers/lifecycle', keys: queryKeys.asOf }, { path: 'customers/at-risk', keys: queryKeys.asOf }],
  products: [{ path: 'products', keys: queryKeys.products }, { path: 'countries', keys: queryKeys.countries }],
  campaigns: [{ path: 'campaigns', keys: queryKeys.campaigns }],
  complaints: [{ path: 'complaints', keys: queryKeys.complaints }],
  weekly: [{ path: 'snapshot', keys: queryKeys.snapshot }],
  sql: [],
  // its pins, then each pinned chart's endpoint with that pin's query (aida-dashboard-page)
  dashboard: [],
};
