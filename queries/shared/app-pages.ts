// The web app's pages and the charts that can be pinned to its Dashboard, with the page each chart is
// drawn on: a leaf module (no imports), so the web's router and chart registry and the API that keeps
// saved views and pins check against one list.

export const appPages = ['dashboard', 'funnel', 'paths', 'efficiency', 'cohorts', 'customers', 'products', 'campaigns', 'complaints', 'weekly', 'sql'] as const;
export type AppPage = (typeof appPages)[number];

export const pinnableCharts = {
  funnel: 'funnel',
  'funnel-trend': 'funnel',
  efficiency: 'efficiency',
  'efficiency-decomposition': 'efficiency',
  retention: 'cohorts',
  repurchase: 'cohorts',
  'days-to-second-order': 'cohorts',
  'customer-tiers': 'customers',
  'top-products': 'products',
  campaigns: 'campaigns',
  complaints: 'complaints',
  'weekly-decomposition': 'weekly',
} as const satisfies Record<string, AppPage>;
export type PinnableChart = keyof typeof pinnableCharts;
export const pinnableChartIds = Object.keys(pinnableCharts) as [PinnableChart, ...PinnableChart[]];
