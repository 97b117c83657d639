// Ad platforms' campaign reports through the real pipeline, each laid out as its vendor writes it: the
// profile is detected from the header (found below title lines), totals are rejects, values exact.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvLayout } from '../../ingest/formats/csv.ts';
import type { FileSummary } from '../../ingest/pipeline.ts';
import { encodeWith } from '../support/encode.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

let w: TempWarehouse;
beforeEach(async () => {
  w = await tempWarehouse({ currency: 'GBP' });
});
afterEach(async () => w.close());

const TOTAL = 'report total, not a campaign row';
const TITLE = 'report title or date range above the header row, not a data row';

async function campaignRows() {
  return w.rows(`select strftime(date, '%Y-%m-%d') as date, source, medium, campaign, impressions::integer as impressions, reach::integer as reach,
    clicks::integer as clicks, cost::varchar as cost, currency from campaigns order by date, campaign`);
}

async function rejects(s: FileSummary) {
  return w.rows(`select line::integer as line, raw, reason from rejects where file_id = ${s.fileId} order by line`);
}

function accounted(s: FileSummary) {
  expect(s.status).toBe('loaded');
  expect(s.rowsIn).toBe(s.rowsLoaded + s.rowsDuplicate + s.rowsRejected);
}

describe('ad-platform reports', () => {
  it('Google Ads: title and date-range lines above the header, Impr., quoted "1,210.50", Total rows', async () => {
    // Layout of a Google Ads report downloaded as CSV (Reports > Download > .csv): the report's name on line
    // 1, its date range on line 2, the header on line 3 with the UI's column names (Day, Campaign, Currency
    // code, Impr., Clicks, Cost), numbers with thousands separators quoted, and "Total: …" rows per
    // network and for the account at the end (support.google.com/google-ads "Download a report"; the
    // search tool found no page with a sample file, so the lines are shaped from the UI's labels).
    const file = w.file('Campaign report.csv', [
      'Campaign report',
      '"January 5, 2026 - January 6, 2026"',
      'Day,Campaign,Campaign status,Currency code,Impr.,Clicks,Cost',
      '2026-01-05,Brand - Search,Enabled,USD,"12,345",845,"1,210.50"',
      '2026-01-05,Generic - Shoes,Enabled,USD,"3,002",97,301.17',
      '2026-01-06,Brand - Search,Enabled,USD,"11,870",790,"1,102.35"',
      'Total: Search,--,--,USD,"27,217","1,732","2,614.02"',
      'Total: Account,--,--,USD,"27,217","1,732","2,614.02"',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    // 8 lines: 2 above the header, the header, 3 campaign rows, 2 totals
    expect(s).toMatchObject({ kind: 'campaigns', profile: 'google-ads', rowsIn: 7, rowsLoaded: 3, rowsRejected: 4 });
    expect(await campaignRows()).toEqual([
      { date: '2026-01-05', source: 'google', medium: '', campaign: 'Brand - Search', impressions: 12345, reach: null, clicks: 845, cost: '1210.50', currency: 'USD' },
      { date: '2026-01-05', source: 'google', medium: '', campaign: 'Generic - Shoes', impressions: 3002, reach: null, clicks: 97, cost: '301.17', currency: 'USD' },
      { date: '2026-01-06', source: 'google', medium: '', campaign: 'Brand - Search', impressions: 11870, reach: null, clicks: 790, cost: '1102.35', currency: 'USD' },
    ]);
    // the totals add up to the three rows (12345 + 3002 + 11870 = 27217; 1210.50 + 301.17 + 1102.35 = 2614.02): loading them would double the cost
    expect(await rejects(s)).toEqual([
      { line: 1, raw: 'Campaign report', reason: TITLE },
      { line: 2, raw: '"January 5, 2026 - January 6, 2026"', reason: TITLE },
      { line: 7, raw: 'Total: Search,--,--,USD,"27,217","1,732","2,614.02"', reason: TOTAL },
      { line: 8, raw: 'Total: Account,--,--,USD,"27,217","1,732","2,614.02"', reason: TOTAL },
    ]);
  });

  it('Microsoft Advertising: nine report-header lines, a blank line, quoted API columns, a copyright footer', async () => {
    // Layout of a Microsoft Advertising (Bing Ads) report file, CSV with the report header and footer:
    // learn.microsoft.com/advertising/guides/reports ("Report File Schema" sample) and a downloaded file at
    // gist.github.com/fivetwentysix/4528591 — "Report Name: …" … "Rows: N", a blank line, the header of
    // API column names (TimePeriod, CampaignName, CurrencyCode, Impressions, Clicks, Spend), every field
    // quoted, a blank line and "©YYYY Microsoft Corporation. All rights reserved. ".
    const file = w.file('CampaignPerformance.csv', [
      '"Report Name: Campaign Performance"',
      '"Report Time: 1/7/2026"',
      '"Time Zone: (GMT-08:00) Pacific Time (US & Canada); Tijuana"',
      '"Last Completed Available Day: 1/6/2026 11:59:59 PM (GMT-08:00) Pacific Time (US & Canada); Tijuana"',
      '"Last Completed Available Hour: 1/6/2026 11:00:00 PM (GMT-08:00) Pacific Time (US & Canada); Tijuana"',
      '"Report Aggregation: Daily"',
      '"Report Filter: "',
      '"Potential Incomplete Data: false"',
      '"Rows: 3"',
      '',
      '"TimePeriod","CampaignName","CurrencyCode","Impressions","Clicks","Spend"',
      '"2026-01-05","Brand - Search","USD","2103","88","61.60"',
      '"2026-01-05","Generic - Shoes","USD","950","21","18.90"',
      '"2026-01-06","Brand - Search","USD","1998","80","57.20"',
      '',
      '"©2026 Microsoft Corporation. All rights reserved. "',
    ].join('\r\n') + '\r\n');
    const s = await w.ingest(file);
    accounted(s);
    // 9 header lines + 3 rows + the footer (blank lines are not rows)
    expect(s).toMatchObject({ profile: 'microsoft-ads', rowsIn: 13, rowsLoaded: 3, rowsRejected: 10 });
    expect(await campaignRows()).toEqual([
      { date: '2026-01-05', source: 'bing', medium: '', campaign: 'Brand - Search', impressions: 2103, reach: null, clicks: 88, cost: '61.60', currency: 'USD' },
      { date: '2026-01-05', source: 'bing', medium: '', campaign: 'Generic - Shoes', impressions: 950, reach: null, clicks: 21, cost: '18.90', currency: 'USD' },
      { date: '2026-01-06', source: 'bing', medium: '', campaign: 'Brand - Search', impressions: 1998, reach: null, clicks: 80, cost: '57.20', currency: 'USD' },
    ]);
    const r = await rejects(s);
    expect(r.map((x) => [x.line, x.reason])).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((line) => [line, TITLE]),
      [16, 'report footer below the data, not a data row'],
    ]);
    expect(r[8]!.raw).toBe('"Rows: 3"');
  });

  it('Meta Ads Manager: currency from "Amount spent (USD)"; a row over several days is rejected, not put on one day', async () => {
    // Layout of an Ads Manager export (Reports > Export table data > .csv) with the default "Performance and
    // clicks" columns (sebotraining.com/meta-ads-topics/ads-manager-columns lists them: Campaign delivery,
    // Results, Reach, Impressions, Cost per result, Amount spent, Ends, Link clicks …), preceded by the
    // Reporting starts/ends columns every export has; "Amount spent (USD)" carries the account's currency.
    // With Breakdown > By time > Day, each row's starts and ends are the same day.
    const file = w.file('Acme-Campaigns-Jan-5-2026-to-Jan-6-2026.csv', [
      'Reporting starts,Reporting ends,Campaign name,Campaign delivery,Results,Result indicator,Reach,Impressions,Cost per result,Amount spent (USD),Link clicks,Ends',
      '2026-01-05,2026-01-05,Winter sale - Prospecting,active,31,actions:offsite_conversion.fb_pixel_purchase,8120,10450,4.69,145.38,212,2026-01-31',
      '2026-01-06,2026-01-06,Winter sale - Prospecting,active,29,actions:offsite_conversion.fb_pixel_purchase,7904,9987,4.79,139.02,198,2026-01-31',
      '2026-01-05,2026-01-05,Winter sale - Retargeting,active,12,actions:offsite_conversion.fb_pixel_purchase,1502,4410,3.50,42.00,96,Ongoing',
      '2026-01-05,2026-01-06,Winter sale - Retargeting,active,25,actions:offsite_conversion.fb_pixel_purchase,2710,8902,3.46,86.50,190,Ongoing',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ profile: 'meta-ads', rowsIn: 4, rowsLoaded: 3, rowsRejected: 1 });
    expect(await campaignRows()).toEqual([
      { date: '2026-01-05', source: 'facebook', medium: '', campaign: 'Winter sale - Prospecting', impressions: 10450, reach: 8120, clicks: 212, cost: '145.38', currency: 'USD' },
      { date: '2026-01-05', source: 'facebook', medium: '', campaign: 'Winter sale - Retargeting', impressions: 4410, reach: 1502, clicks: 96, cost: '42.00', currency: 'USD' },
      { date: '2026-01-06', source: 'facebook', medium: '', campaign: 'Winter sale - Prospecting', impressions: 9987, reach: 7904, clicks: 198, cost: '139.02', currency: 'USD' },
    ]);
    expect(await rejects(s)).toEqual([
      {
        line: 5,
        raw: '2026-01-05,2026-01-06,Winter sale - Retargeting,active,25,actions:offsite_conversion.fb_pixel_purchase,2710,8902,3.46,86.50,190,Ongoing',
        reason: 'covers 2026-01-05 to 2026-01-06: campaign costs are kept per day; export with Breakdown > By time > Day',
      },
    ]);
  });

  it('TikTok Ads Manager: By Day, Clicks (destination), Currency, a total row', async () => {
    // Layout of a TikTok Ads Manager custom report export (Reporting > Custom report, dimensions Campaign and
    // By Day): metric names as Ads Manager labels them (Cost, Impressions, Reach, Clicks (destination),
    // CTR (destination), CPC (destination) — docs.coupler.io/sources/category/ppc/tiktok-ads/data-overview
    // and windsor.ai's TikTok field reference), the account currency as a column and a total row last.
    const file = w.file('Custom report.csv', [
      'Campaign name,By Day,Currency,Cost,Impressions,Reach,Clicks (destination),CTR (destination),CPC (destination)',
      'New year push,2026-01-05,EUR,84.20,"15,230","9,810",301,1.98%,0.28',
      'New year push,2026-01-06,EUR,79.95,"14,002","9,102",288,2.06%,0.28',
      'Total of 2 results,-,EUR,164.15,"29,232","17,340",589,2.01%,0.28',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ profile: 'tiktok-ads', rowsIn: 3, rowsLoaded: 2, rowsRejected: 1 });
    expect(await campaignRows()).toEqual([
      { date: '2026-01-05', source: 'tiktok', medium: '', campaign: 'New year push', impressions: 15230, reach: 9810, clicks: 301, cost: '84.20', currency: 'EUR' },
      { date: '2026-01-06', source: 'tiktok', medium: '', campaign: 'New year push', impressions: 14002, reach: 9102, clicks: 288, cost: '79.95', currency: 'EUR' },
    ]);
    expect(await rejects(s)).toEqual([{ line: 4, raw: 'Total of 2 results,-,EUR,164.15,"29,232","17,340",589,2.01%,0.28', reason: TOTAL }]);
  });

  it('LinkedIn Campaign Manager: four lines above the header, month/day/year start dates, Total Spent', async () => {
    // Layout of Campaign Manager's "Export" of campaign performance: a title line, "Report Start:",
    // "Report End:" and "Date Generated:" lines, then the header with Start Date (in UTC), Account Name,
    // Campaign Group Name, Campaign Name, …, Currency, Total Spent, Impressions, Clicks (metric names as
    // twominutereports.com/linkedin-ads-metrics-and-dimensions lists them); dates are month/day/year.
    const file = w.file('campaign_performance_report.csv', [
      'Campaign Performance Report (in UTC)',
      '"Report Start: 1/5/2026, 12:00 AM"',
      '"Report End: 1/15/2026, 11:59 PM"',
      '"Date Generated: 1/16/2026, 9:02 AM"',
      'Start Date (in UTC),Account Name,Campaign Group Name,Campaign Name,Campaign ID,Campaign Type,Campaign Status,Currency,Total Spent,Impressions,Clicks,Average CPC',
      '1/5/2026,Acme GmbH,Q1 Demand,CFO webinar,123456789,Sponsored Content,ACTIVE,EUR,210.44,"5,120",41,5.13',
      '1/15/2026,Acme GmbH,Q1 Demand,CFO webinar,123456789,Sponsored Content,ACTIVE,EUR,198.10,"4,870",37,5.35',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ profile: 'linkedin-ads', rowsIn: 6, rowsLoaded: 2, rowsRejected: 4 });
    // 1/15/2026 can only be month/day/year: 1/5/2026 is January 5, not May 1
    expect(await campaignRows()).toEqual([
      { date: '2026-01-05', source: 'linkedin', medium: '', campaign: 'CFO webinar', impressions: 5120, reach: null, clicks: 41, cost: '210.44', currency: 'EUR' },
      { date: '2026-01-15', source: 'linkedin', medium: '', campaign: 'CFO webinar', impressions: 4870, reach: null, clicks: 37, cost: '198.10', currency: 'EUR' },
    ]);
    expect((await rejects(s)).map((r) => [r.line, r.reason])).toEqual([1, 2, 3, 4].map((line) => [line, TITLE]));
  });

  it('Baidu 推广: GB18030, a title and a date line, Chinese headers, a 合计 row; the currency is CNY', async () => {
    // Layout of a 百度营销 (凤巢) 推广计划报告 download: a title and a 时间 line above the header, the
    // metric names of Baidu's own definitions (icrm.baidu.com/crm-portal/help: 展现, 点击, 消费, ACP
    // 平均点击价格, 点击率), GB18030 as Chinese spreadsheet exports are, and a 合计 (total) row.
    const text = [
      '推广计划报告',
      '时间：2026-01-05 至 2026-01-06',
      '日期,账户,推广计划,展现,点击,消费,点击率,平均点击价格',
      '2026-01-05,某某科技,品牌词,3210,156,"1,248.00",4.86%,8.00',
      '2026-01-05,某某科技,产品词,1890,61,305.00,3.23%,5.00',
      '2026-01-06,某某科技,品牌词,3050,149,"1,192.00",4.89%,8.00',
      '合计,-,-,8150,366,"2,745.00",4.49%,7.50',
    ].join('\r\n') + '\r\n';
    const s = await w.ingest(w.file('推广计划报告.csv', encodeWith('gb18030', text)));
    accounted(s);
    expect(s).toMatchObject({ profile: 'baidu-ads', encoding: 'gb18030', rowsIn: 6, rowsLoaded: 3, rowsRejected: 3 });
    expect(await campaignRows()).toEqual([
      { date: '2026-01-05', source: 'baidu', medium: '', campaign: '产品词', impressions: 1890, reach: null, clicks: 61, cost: '305.00', currency: 'CNY' },
      { date: '2026-01-05', source: 'baidu', medium: '', campaign: '品牌词', impressions: 3210, reach: null, clicks: 156, cost: '1248.00', currency: 'CNY' },
      { date: '2026-01-06', source: 'baidu', medium: '', campaign: '品牌词', impressions: 3050, reach: null, clicks: 149, cost: '1192.00', currency: 'CNY' },
    ]);
    expect(await rejects(s)).toEqual([
      { line: 1, raw: '推广计划报告', reason: TITLE },
      { line: 2, raw: '时间：2026-01-05 至 2026-01-06', reason: TITLE },
      { line: 7, raw: '合计,-,-,8150,366,"2,745.00",4.49%,7.50', reason: TOTAL },
    ]);
  });

  it('--profile forces a profile; a file that lacks its columns says which', async () => {
    const file = w.file('plain.csv', 'date,campaign,impressions,cost\n2026-01-05,a,10,1.00\n');
    const s = await w.ingest(file, { profile: 'google-ads' });
    expect(s).toMatchObject({ status: 'failed', message: `${file}: does not look like a google-ads export: missing columns 'day', 'impr'` });
    // without --profile the same file is a plain campaigns file: no platform as its source
    const plain = await w.ingest(file);
    expect(plain).toMatchObject({ status: 'loaded', profile: null, rowsLoaded: 1 });
    expect(await campaignRows()).toEqual([{ date: '2026-01-05', source: '', medium: '', campaign: 'a', impressions: 10, reach: null, clicks: null, cost: '1.00', currency: 'GBP' }]);
  });

  it('the header row: a title padded with delimiters is still a title; a wide bad row in a narrow file is not a header', async () => {
    // a report re-saved by a spreadsheet pads its title line to the header's width
    const padded = await w.ingest(w.file('padded.csv', 'Campaign report,,,\nday,campaign,impressions,cost\n2026-01-05,a,10,1.00\n'));
    expect(padded).toMatchObject({ status: 'loaded', rowsIn: 2, rowsLoaded: 1, rowsRejected: 1 });
    expect(await rejects(padded)).toEqual([{ line: 1, raw: 'Campaign report,,,', reason: TITLE }]);
    // two columns, and row 3 has an extra field: line 1 stays the header (the record below row 3 is narrower)
    expect(csvLayout('date,campaign\n2026-01-06,b\n2026-01-06,c,extra\n2026-01-07,d\n')).toMatchObject({ delimiter: ',', headerRecord: 0, headerLine: 0, header: 'date,campaign' });
    // the Microsoft report: nine lines and a blank one above the header
    expect(csvLayout('"Report Name: x"\n"Rows: 1"\n\n"a","b","c"\n"1","2","3"\n')).toMatchObject({ headerRecord: 2, headerLine: 3, header: '"a","b","c"' });
  });
});
