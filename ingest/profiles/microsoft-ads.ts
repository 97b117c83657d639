// Microsoft Advertising (Bing Ads) campaign performance report, CSV: nine quoted "Report Name: …" …
// "Rows: N" lines and a blank line above the header, API column names, a "©… Microsoft Corporation" footer.
import { adReport } from './ad-report.ts';

export const microsoftAds = adReport({
  name: 'microsoft-ads',
  source: 'bing',
  signature: ['timeperiod', 'campaignname', 'spend'],
  columns: { date: 'timeperiod', campaign: 'campaignname', impressions: 'impressions', clicks: 'clicks', cost: 'spend', currency: 'currencycode' },
});
