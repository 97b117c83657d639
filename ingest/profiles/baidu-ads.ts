// Baidu 推广 (凤巢) 推广计划报告 download: Chinese headers 日期 / 账户 / 推广计划 / 展现 / 点击 / 消费, often
// GB18030, a 合计 total row. Baidu bills in renminbi, so a report without a currency column is CNY.
import { adReport } from './ad-report.ts';

export const baiduAds = adReport({
  name: 'baidu-ads',
  source: 'baidu',
  signature: ['日期', '推广计划', '展现', '点击', '消费'],
  columns: { date: '日期', campaign: '推广计划', impressions: '展现', clicks: '点击', cost: '消费' },
  currency: 'CNY',
});
