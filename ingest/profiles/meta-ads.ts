// Meta (Facebook/Instagram) Ads Manager export: `Reporting starts`/`Reporting ends`, `Campaign name`,
// `Amount spent (USD)` (the currency is in the header). A row is one day with the Day breakdown (a `Day`
// column, or starts = ends); a row over several days has no day to put its cost on and is rejected.
import { sqlString } from '../../queries/db/quote.ts';
import { adReport } from './ad-report.ts';
import { headerFor } from './profile.ts';

const amountSpent = /^amount_spent(_[a-z]{3})?$/;

export const metaAds = adReport({
  name: 'meta-ads',
  source: 'facebook',
  signature: ['reporting_starts', 'reporting_ends', 'campaign_name', amountSpent],
  columns: { date: 'reporting_starts', campaign: 'campaign_name', impressions: 'impressions', reach: 'reach', clicks: 'link_clicks', cost: amountSpent },
  expressions: {
    date: (col, headers) => (headerFor(headers, 'day') ? col('day') : col('reporting_starts')),
  },
  rowReason: (col, headers) => {
    if (headerFor(headers, 'day')) return 'null';
    const [starts, ends] = [`trim(${col('reporting_starts')})`, `trim(${col('reporting_ends')})`];
    return `case when ${starts} <> ${ends} then 'covers ' || ${starts} || ' to ' || ${ends} || ${sqlString(': campaign costs are kept per day; export with Breakdown > By time > Day')} end`;
  },
});
