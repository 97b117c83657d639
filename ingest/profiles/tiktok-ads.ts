// TikTok Ads Manager custom report export (Reporting > Custom reports, dimension Campaign and By Day):
// `Campaign name`, `By Day`, `Cost`, `Impressions`, `Clicks (destination)`, `Currency`, a total row.
import { adReport } from './ad-report.ts';

export const tiktokAds = adReport({
  name: 'tiktok-ads',
  source: 'tiktok',
  signature: ['campaign_name', /^(by_day|date)$/, 'clicks_destination', 'cost'],
  columns: { date: /^(by_day|date)$/, campaign: 'campaign_name', impressions: 'impressions', reach: 'reach', clicks: 'clicks_destination', cost: 'cost', currency: 'currency' },
});
