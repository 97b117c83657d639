// Google Ads campaign report as downloaded from the Reports or Campaigns page (CSV): a title line and a
// date-range line above the header, `Impr.`, quoted `"1,210.50"`, and `Total: …` rows at the end.
import { adReport } from './ad-report.ts';

export const googleAds = adReport({
  name: 'google-ads',
  source: 'google',
  signature: ['day', 'campaign', 'impr', 'cost'],
  columns: { date: 'day', campaign: 'campaign', impressions: 'impr', clicks: 'clicks', cost: 'cost', currency: 'currency_code' },
});
