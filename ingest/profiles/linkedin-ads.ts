// LinkedIn Campaign Manager "Campaign performance" export: title, Report Start/End and Date Generated
// lines above the header, `Start Date (in UTC)` (month/day/year), `Campaign Name`, `Currency`, `Total Spent`.
import { adReport } from './ad-report.ts';

export const linkedinAds = adReport({
  name: 'linkedin-ads',
  source: 'linkedin',
  signature: ['start_date_in_utc', 'campaign_name', 'total_spent'],
  columns: { date: 'start_date_in_utc', campaign: 'campaign_name', impressions: 'impressions', clicks: 'clicks', cost: 'total_spent', currency: 'currency' },
});
