// The part of aida.config.json only ingest reads: how values and timestamps are read, sessions,
// channels, crawlers, the inbox and the upload caps (composed in bin/config.ts).
import { z } from 'zod';
import { ianaZone, stringList, type Config } from '../queries/config.ts';

export const channelRule = z
  .object({
    channel: z.string().min(1),
    mediums: stringList.optional().describe('utm_medium values (case-insensitive, exact)'),
    sources: stringList.optional().describe('utm_source values or host names (case-insensitive)'),
    referrers: stringList.optional().describe('referrer host names, matched by domain label (google matches www.google.co.uk)'),
    any_referrer: z.boolean().optional().describe('any external referrer'),
  })
  .strict();
export type ChannelRule = z.infer<typeof channelRule>;

const searchEngines = ['google', 'bing', 'baidu', 'yahoo', 'duckduckgo', 'yandex', 'sogou', 'so.com', 'naver'];
const socialNetworks = [
  'facebook', 'fb', 'instagram', 'x.com', 't.co', 'twitter', 'linkedin', 'lnkd.in', 'weibo', 'wechat', 'weixin',
  'douyin', 'tiktok', 'xiaohongshu', 'xhslink', 'youtube', 'youtu.be', 'reddit',
];

const feedReaders = ['feedly', 'inoreader', 'newsblur', 'theoldreader', 'feedbin', 'bazqux', 'feedburner', 'feedproxy.google.com'];

export const defaultChannels: ChannelRule[] = [
  { channel: 'Advertising', mediums: ['cpc', 'ppc', 'paid', 'display', 'banner', 'cpm', 'video', 'paid_social', 'paidsocial', 'paid_search'] },
  { channel: 'Sales promotion', mediums: ['coupon', 'promo', 'affiliate', 'deal'], sources: ['coupon', 'promo', 'affiliate', 'deal'] },
  { channel: 'Direct marketing', mediums: ['email', 'newsletter', 'sms', 'dm', 'push'], sources: ['email', 'newsletter', 'sms', 'push'] },
  { channel: 'Personal selling', mediums: ['sales', 'agent', 'crm'], sources: ['sales', 'agent', 'crm'] },
  { channel: 'Public relations', mediums: ['pr', 'press'], sources: ['pr', 'press'] },
  // a feed reader's click: tagged by the feed (FeedBurner adds utm_medium=feed) or from a web reader
  { channel: 'Feed', mediums: ['feed', 'rss', 'atom'], referrers: feedReaders },
  { channel: 'Organic search', mediums: ['organic'], referrers: searchEngines, sources: searchEngines },
  { channel: 'Social', mediums: ['social', 'social-network', 'social_network'], referrers: socialNetworks, sources: socialNetworks },
  { channel: 'Referral', mediums: ['referral'], any_referrer: true },
];

export const ingestConfigShape = {
  input_timezone: ianaZone.optional().describe('zone of timestamps without an offset; default: timezone'),
  number_format: z
    .enum(['decimal_point', 'decimal_comma'])
    .default('decimal_point')
    .describe('how a numeric column is read when nothing in the file decides (only 1,234 and 12): 1,234.56 or 1.234,56'),
  date_order: z
    .enum(['dmy', 'mdy', 'ymd'])
    .default('mdy')
    .describe('day/month order of a date column whose every numeric date is ambiguous (02/03/2026)'),
  session_timeout_minutes: z.number().positive().max(24 * 60).default(30),
  channels: z.array(channelRule).optional(),
  bot_user_agents: stringList
    .default([])
    .describe("more crawler user agents: case-insensitive substrings, added to isbot's maintained list (which stays in force)"),
  store_ip: z.boolean().default(false),
  inbox_dir: z.string().default('data/inbox'),
  ingest: z
    .object({
      max_upload_mb: z.number().positive().default(2048).describe('largest body POST /api/ingest accepts (413 beyond)'),
      max_decompressed_mb: z.number().positive().default(20_480).describe('largest a gzipped or re-encoded file may grow to while decoding'),
    })
    .strict()
    .default({ max_upload_mb: 2048, max_decompressed_mb: 20_480 }),
};

type ParsedIngestConfig = z.infer<z.ZodObject<typeof ingestConfigShape>>;

/** What ingest reads: its own keys resolved, and the metrics' keys its derived tables follow. */
export interface IngestConfig extends Config, Omit<ParsedIngestConfig, 'input_timezone' | 'channels'> {
  input_timezone: string;
  channels: ChannelRule[];
}

/** Ingest's keys resolved: timestamps without an offset read in the reporting zone, the default channels. */
export function resolveIngestConfig(c: ParsedIngestConfig, metrics: Config): IngestConfig {
  return { ...metrics, ...c, input_timezone: c.input_timezone ?? metrics.timezone, channels: c.channels ?? defaultChannels };
}
