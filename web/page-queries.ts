// Which endpoints each page reads and which URL parameters it passes on: shared by the pages and by
// the start-up prefetch, which sends the first page's requests while the page's code is still loading.
import type { Page } from './url-state.ts';

const period = ['from', 'to'] as const;
const filters = ['channel', 'source', 'medium', 'campaign', 'device', 'country', 'landing_path'] as const;
const funnelCommon = [...period, ...filters, 'attribution', 'mode', 'funnel', 'window_days'] as const;
const firstOrder = [...period, 'channel', 'campaign', 'coupon', 'first_product'] as const;

export const queryKeys = {
  funnel: [...funnelCommon, 'breakdown'],
  funnelTrends: [...funnelCommon, 'grain'],
  funnelCorrelation: [...period, ...filters, 'attribution', 'funnel', 'window_days', 'from_step', 'to_step'],
  paths: [...period, ...filters, 'attribution', 'start', 'end', 'dropped_after', 'depth', 'top', 'nodes', 'scope'],
  efficiency: [...period, ...filters, 'attribution', 'breakdown', 'compare_from', 'compare_to'],
  retention: [...firstOrder, 'grain', 'mode'],
  repurchase: [...firstOrder, 'windows'],
  tiers: period,
  asOf: ['as_of'],
  products: [...period, 'country', 'limit'],
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
};
