// aida.config.json: the zod schema with every default (the empty config is valid), loading, and
// error explanations by path for `aida config check`.
import fs from 'node:fs';
import { z } from 'zod';

const stringList = z.array(z.string().min(1));

/** A stage is a rule over a person's events and orders (SPEC §5.1); any matching clause qualifies. */
export const stageRule = z
  .object({
    label: z.string().optional(),
    events: stringList.optional().describe('event type names (case-insensitive)'),
    paths: stringList.optional().describe('URL path patterns; * matches any characters'),
    pageview: z.boolean().optional().describe('any pageview (non-asset, non-bot request, or a pageview event)'),
    session_min_pageviews: z.number().int().positive().optional(),
    session_min_seconds: z.number().positive().optional(),
    valid_order: z.boolean().optional().describe('has a valid order'),
    min_valid_orders: z.number().int().positive().optional(),
  })
  .strict();
export type StageRule = z.infer<typeof stageRule>;

export const defaultStages: Record<string, StageRule> = {
  exposed: { label: 'Exposed', events: ['impression'] },
  visit: { label: 'Visit', pageview: true, events: ['pageview', 'page_view', 'session_start'] },
  engaged: {
    label: 'Engaged',
    events: ['product_view', 'view_item', 'view', 'search', 'signup', 'lead'],
    session_min_pageviews: 2,
    session_min_seconds: 60,
  },
  intent: {
    label: 'Intent',
    events: ['add_to_cart', 'cart', 'addtocart', 'begin_checkout', 'checkout', 'lead', 'quote_request'],
  },
  purchase: { label: 'Purchase', valid_order: true, events: ['purchase', 'transaction'] },
  repurchase: { label: 'Repurchase', min_valid_orders: 2 },
};

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

const tierShares = z
  .object({ a: z.number().gt(0).lt(1).default(0.5), b: z.number().gt(0).lt(1).default(0.8) })
  .strict()
  .refine((t) => t.a < t.b, { message: 'tiers.a must be below tiers.b', path: ['b'] });

const funnelDef = z
  .object({
    label: z.string().optional(),
    steps: z.array(z.string().min(1)).min(2).max(10).describe('stage names, or event:<type>, or path:<pattern>'),
    window_days: z.number().positive().optional(),
    mode: z.enum(['ordered', 'any-order']).optional(),
  })
  .strict();

const ianaZone = z.string().refine(isTimeZone, { message: 'expected an IANA time zone such as "Europe/London" or "UTC"' });

const role = z.enum(['viewer', 'analyst', 'admin']);
export type Role = z.infer<typeof role>;

export const configSchema = z
  .object({
    timezone: ianaZone.default('UTC'),
    input_timezone: ianaZone.optional().describe('zone of timestamps without an offset; default: timezone'),
    number_format: z
      .enum(['decimal_point', 'decimal_comma'])
      .default('decimal_point')
      .describe('how a numeric column is read when nothing in the file decides (only 1,234 and 12): 1,234.56 or 1.234,56'),
    date_order: z
      .enum(['dmy', 'mdy', 'ymd'])
      .default('mdy')
      .describe('day/month order of a date column whose every numeric date is ambiguous (02/03/2026)'),
    week_start: z.enum(['monday', 'sunday']).default('monday'),
    currency: z.string().length(3).default('GBP'),
    session_timeout_minutes: z.number().positive().max(24 * 60).default(30),
    stages: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'stage names are lower_snake_case'), stageRule).default({}),
    funnels: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), funnelDef).default({}),
    conversion_window_days: z.number().positive().default(30),
    repurchase_window_days: z.number().positive().default(90),
    q4_mode: z.enum(['nested', 'independent']).default('nested'),
    channels: z.array(channelRule).optional(),
    brand_campaigns: z
      .object({ campaign_pattern: z.string().default('brand'), medium_pattern: z.string().optional() })
      .strict()
      .default({ campaign_pattern: 'brand' }),
    audience: z
      .union([z.number().int().positive(), z.record(z.string().regex(/^\d{4}-\d{2}$/, 'months as YYYY-MM'), z.number().int().positive())])
      .optional()
      .describe('Q0 surfers: a constant or per month (YYYY-MM → people)'),
    tiers: tierShares.default({ a: 0.5, b: 0.8 }),
    active_days: z.number().int().positive().default(90),
    lapsed_days: z.number().int().positive().default(180),
    churn_k: z.number().positive().default(2),
    complaint_categories: z.record(z.string(), z.string()).optional(),
    bot_user_agents: stringList
      .default([])
      .describe("more crawler user agents: case-insensitive substrings, added to isbot's maintained list (which stays in force)"),
    store_ip: z.boolean().default(false),
    inbox_dir: z.string().default('data/inbox'),
    auth: z
      .object({ tokens: z.array(z.object({ token: z.string().min(16, 'tokens need at least 16 characters'), role }).strict()).default([]) })
      .strict()
      .default({ tokens: [] }),
    sql: z
      .object({
        timeout_seconds: z.number().positive().max(3600).default(30),
        max_rows: z.number().int().positive().max(1_000_000).default(10_000),
        max_concurrent: z.number().int().positive().max(64).default(2),
        max_result_mb: z.number().positive().max(1024).default(32).describe('bytes of JSON rows one answer may carry to the browser'),
        max_export_mb: z.number().positive().max(1024 * 1024).default(1024).describe('size at which a CSV or Parquet export is stopped'),
        export_timeout_seconds: z.number().positive().max(24 * 3600).default(600).describe('wall-clock limit on an export, download included'),
        send_timeout_seconds: z.number().positive().max(3600).default(10).describe('a client that takes no bytes for this long loses its download (and its slot)'),
      })
      .strict()
      .default({ timeout_seconds: 30, max_rows: 10_000, max_concurrent: 2, max_result_mb: 32, max_export_mb: 1024, export_timeout_seconds: 600, send_timeout_seconds: 10 }),
    // admission control for dashboard queries (issue 13): beyond these a request gets 503 + Retry-After
    dashboards: z
      .object({
        max_concurrent: z.number().int().positive().max(64).default(2).describe('uncached dashboard queries running at once (each already uses every core)'),
        max_queue: z.number().int().nonnegative().max(10_000).default(8).describe('requests waiting for a slot; more are answered 503 at once'),
        queue_timeout_seconds: z.number().positive().max(600).default(2).describe('a waiting request gives up (503) after this long'),
      })
      .strict()
      .default({ max_concurrent: 2, max_queue: 8, queue_timeout_seconds: 2 }),
    ingest: z
      .object({
        max_upload_mb: z.number().positive().default(2048).describe('largest body POST /api/ingest accepts (413 beyond)'),
        max_decompressed_mb: z.number().positive().default(20_480).describe('largest a gzipped or re-encoded file may grow to while decoding'),
      })
      .strict()
      .default({ max_upload_mb: 2048, max_decompressed_mb: 20_480 }),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.infer<typeof configSchema>;

/** The config with every derived default filled in: what the rest of aida reads. */
export interface Config extends Omit<ParsedConfig, 'stages' | 'channels' | 'input_timezone'> {
  input_timezone: string;
  stages: Record<string, StageRule>;
  channels: ChannelRule[];
  complaint_categories: Record<string, string>;
}

export const defaultComplaintCategories: Record<string, string> = {
  O1: 'Order/system operation error',
  R1: 'Late or wrong reports',
  W1: 'Warehouse wrong/short shipment or receipt',
  W2: 'Poor storage conditions',
  W3: 'Rough handling',
  W4: 'Packaging not as required',
  W5: 'Picking error',
  T1: 'Staff attitude/communication',
  Y1: 'Late dispatch/transport delay',
  Y2: 'Accident not reported in time',
  Y3: 'Wrong vehicle type',
  Y4: 'Wrong delivery address',
  Y5: 'Damage/loss/return in delivery',
  Y6: 'Driver attitude/no door-to-door',
  Y7: 'Poor vehicle condition',
  L1: 'Goods lost/damaged',
  S1: 'Other',
};

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** One line per zod issue: `stages.engaged.session_min_seconds: expected a number, got "60"`. */
export function explainIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${where}: ${issue.message}`;
  });
}

export function resolveConfig(input: unknown, file = 'aida.config.json'): Config {
  const parsed = configSchema.safeParse(input ?? {});
  if (!parsed.success) throw new ConfigError(file, explainIssues(parsed.error.issues));
  const c = parsed.data;
  const stages = { ...defaultStages, ...c.stages };
  for (const [name, funnel] of Object.entries(c.funnels)) {
    for (const step of funnel.steps) {
      if (!step.includes(':') && !stages[step]) {
        throw new ConfigError(file, [`funnels.${name}.steps: unknown stage "${step}" (stages: ${Object.keys(stages).join(', ')}; or use event:<type> / path:<pattern>)`]);
      }
    }
  }
  return {
    ...c,
    input_timezone: c.input_timezone ?? c.timezone,
    stages,
    channels: c.channels ?? defaultChannels,
    complaint_categories: c.complaint_categories ?? defaultComplaintCategories,
  };
}

/** Reads a config file (missing default file = empty config); JSON syntax errors name the file. */
export function loadConfig(file?: string): Config {
  const explicit = file ?? process.env.AIDA_CONFIG;
  const target = explicit ?? 'aida.config.json';
  if (!fs.existsSync(target)) {
    if (explicit) throw new ConfigError(target, ['file not found']);
    return withEnvTokens(resolveConfig({}, target));
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(target, 'utf8'));
  } catch (err) {
    throw new ConfigError(target, [`not valid JSON: ${(err as Error).message}`]);
  }
  return withEnvTokens(resolveConfig(json, target));
}

/** AIDA_TOKENS="token:role,token:role" adds tokens without writing them into the config file. */
function withEnvTokens(config: Config): Config {
  const env = process.env.AIDA_TOKENS;
  if (!env) return config;
  const tokens = env.split(',').filter(Boolean).map((pair, i) => {
    const [token, r] = pair.split(':');
    const parsed = z.object({ token: z.string().min(16), role }).safeParse({ token, role: r });
    if (!parsed.success) throw new ConfigError('AIDA_TOKENS', [`entry ${i + 1}: expected token:role with a token of 16+ characters and role viewer|analyst|admin`]);
    return parsed.data;
  });
  return { ...config, auth: { tokens: [...config.auth.tokens, ...tokens] } };
}
