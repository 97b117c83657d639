// Deterministic demo logs (SPEC §4 `aida demo`): web events with ad impressions, orders, daily campaign
// stats and complaints, generated person by person from one seeded PRNG and streamed to canonical CSV.
//
// Choices worth knowing when reading the data:
// - Rows are grouped by person (each person's events in time order), not sorted globally: that keeps
//   memory flat at 10M events. Ids are sequential in generation order.
// - campaigns.csv `impressions` is exactly the number of impression events of that campaign and UTC day
//   (no sampling factor); `reach` is the distinct people among them; `clicks` is the campaign's landings
//   that day plus up to 8% clicks that never loaded the page. Newsletter impressions are email opens.
//   PR has no impression events (0 impressions and reach) but landings, clicks and cost.
// - Brand campaigns are exactly those whose name contains `brand` (`brand-awareness`, `brand-video-q4`);
//   the generic paid-search campaign is `search-generic`, since `search-nonbrand` would match `brand`.
// - Crawlers, offline (phone) buyers and people who only ever see ads are among the `visitors` people.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';

export type DemoKind = 'web' | 'sales' | 'campaigns' | 'complaints';
export const demoKinds: DemoKind[] = ['web', 'sales', 'campaigns', 'complaints'];

export interface DemoOptions {
  outDir: string;
  /** length of the window in days; default 90 */
  days?: number;
  /** people to generate (ad-exposed, visitors, a few crawlers and offline buyers); default 6000 */
  visitors?: number;
  /** default 1 */
  seed?: number;
  /** 'YYYY-MM-DD', exclusive end in UTC; default the most recent Monday on or before today (UTC) */
  end?: string;
  /** default 'GBP' */
  currency?: string;
  /** files to write; default all four. The data is the same whichever are written. */
  kinds?: DemoKind[];
  /** add the documented malformed and duplicate rows; default true */
  malformed?: boolean;
}

export interface DemoManifest {
  files: { kind: DemoKind; path: string; rows: number; malformed: number; duplicates: number }[];
  start: string;
  end: string;
  seed: number;
}

export const demoFileNames: Record<DemoKind, string> = {
  web: 'web-events.csv',
  sales: 'orders.csv',
  campaigns: 'campaigns.csv',
  complaints: 'complaints.csv',
};

export const demoColumns = {
  web: ['event_id', 'ts', 'visitor_id', 'customer_id', 'event', 'url', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'device', 'country', 'order_id', 'value', 'user_agent'],
  sales: ['order_id', 'ts', 'customer_id', 'visitor_id', 'amount', 'currency', 'status', 'coupon', 'items', 'utm_source', 'utm_medium', 'utm_campaign'],
  campaigns: ['date', 'source', 'medium', 'campaign', 'audience', 'impressions', 'reach', 'clicks', 'cost', 'currency'],
  complaints: ['complaint_id', 'ts', 'customer_id', 'order_id', 'category', 'severity', 'amount', 'responded_at', 'resolved_at', 'status'],
} as const satisfies Record<DemoKind, readonly string[]>;

/**
 * The deliberately bad rows `writeDemo` adds when `malformed` is on (they are not in `demoVisitors`'
 * output, which is the clean data): web rows with ts `not-a-date`, web rows with an empty visitor_id
 * (and customer_id), exact copies of already written web lines, and orders with amount `abc`.
 * Injected rows get fresh ids (`<id>x<n>`), so only the one named field is wrong.
 */
export const demoMalformed = { webBadTs: 3, webNoVisitor: 2, webDuplicates: 4, ordersBadAmount: 2 } as const;

/**
 * Web rows per generated person (impressions, crawlers and offline buyers included), measured at 100k
 * people: it grows with the window because people come back, and short windows lose more of the people
 * simulated in the warm-up before them. 8.07 at the default 90 days.
 */
const eventsPerVisitorByDays: [number, number][] = [[1, 2.34], [7, 3.95], [14, 4.73], [28, 5.46], [60, 7.23], [90, 8.07], [180, 9.2], [365, 10.25], [730, 11.38]];

/** Expected web rows per person for a window of `days` (interpolated in log days between measurements). */
export function eventsPerVisitor(days = 90): number {
  const table = eventsPerVisitorByDays;
  if (days <= table[0]![0]) return table[0]![1];
  for (let i = 1; i < table.length; i++) {
    const [d1, r1] = table[i]!, [d0, r0] = table[i - 1]!;
    if (days <= d1) return r0 + ((r1 - r0) * Math.log(days / d0)) / Math.log(d1 / d0);
  }
  return table[table.length - 1]![1];
}

/** The `visitors` option that gives about `events` web rows over a window of `days`. */
export function visitorsForEvents(events: number, days = 90): number {
  return Math.max(1, Math.round(events / eventsPerVisitor(days)));
}

export type DemoEventType = 'impression' | 'pageview' | 'product_view' | 'search' | 'signup' | 'add_to_cart' | 'begin_checkout' | 'purchase';

/** One web-events.csv row; '' is an empty field. */
export interface DemoEvent {
  event_id: string;
  ts: string;
  visitor_id: string;
  customer_id: string;
  event: DemoEventType;
  url: string;
  referrer: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  device: string;
  country: string;
  order_id: string;
  value: number | null;
  user_agent: string;
}

/** One orders.csv row. */
export interface DemoOrder {
  order_id: string;
  ts: string;
  customer_id: string;
  visitor_id: string;
  amount: number;
  currency: string;
  status: 'paid' | 'refunded' | 'cancelled';
  coupon: string;
  items: number;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
}

/** One complaints.csv row. */
export interface DemoComplaint {
  complaint_id: string;
  ts: string;
  customer_id: string;
  order_id: string;
  category: string;
  severity: string;
  amount: number | null;
  responded_at: string;
  resolved_at: string;
  status: 'open' | 'resolved';
}

/** One campaigns.csv row. `impressions` equals the impression events of that campaign and day exactly. */
export interface DemoCampaignRow {
  date: string;
  source: string;
  medium: string;
  campaign: string;
  audience: number;
  impressions: number;
  reach: number;
  clicks: number;
  cost: number;
  currency: string;
}

/**
 * One generated person. `visitor_id` is '' for someone who only orders offline (by phone); such a
 * person has orders but no events. Crawlers have `bot: true` and only pageviews.
 */
export interface DemoPerson {
  /** the person's number in the run, from 0 (people with nothing inside the window are not yielded) */
  index: number;
  visitor_id: string;
  customer_id: string;
  bot: boolean;
  events: DemoEvent[];
  orders: DemoOrder[];
  complaints: DemoComplaint[];
}

// ---------------------------------------------------------------------------------------------------
// Randomness: sfc32 seeded through splitmix32; the only source of randomness in this module.

export type Rng = () => number;

export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** A bijection on 32-bit integers (murmur3's finaliser): unique, random-looking visitor ids. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------------
// The world: site, products, campaigns, referrers, devices.

const SITE = 'https://shop.example.com';
const DAY = 86400;
const HOUR = 3600;

const products: { slug: string; cents: number; url: string }[] = [
  ['trail-runner-2', 11900], ['road-racer-elite', 14900], ['everyday-trainer', 7999], ['kids-sprint', 3999],
  ['merino-running-socks', 1499], ['ankle-socks-3-pack', 999], ['thermal-base-layer', 4500], ['windproof-jacket', 8900],
  ['waterproof-shell', 12900], ['running-tights', 4999], ['split-shorts', 2999], ['tech-tee', 2499],
  ['long-sleeve-top', 3499], ['sports-bra', 3299], ['running-cap', 1899], ['beanie', 1599],
  ['hydration-vest', 6999], ['soft-flask-500ml', 1799], ['head-torch', 3999], ['gps-watch-lite', 17900],
  ['heart-rate-strap', 5499], ['foam-roller', 2499], ['energy-gels-12', 1899], ['electrolyte-tabs', 899],
  ['gym-bag', 3999], ['reflective-vest', 1999], ['trail-gaiters', 2299], ['insoles-pro', 2999],
].map(([slug, cents]) => ({ slug: slug as string, cents: cents as number, url: `${SITE}/products/${slug}` }));
const categories = ['running-shoes', 'trail-shoes', 'apparel', 'accessories', 'nutrition', 'watches', 'sale', 'new-in'];
const blogPosts = ['how-to-choose-trail-shoes', 'couch-to-5k-plan', 'winter-running-kit', 'marathon-fuelling-guide', 'best-gps-watches'];
const searchTerms = ['trail+shoes', 'waterproof+jacket', 'running+socks', 'gps+watch', 'gels', 'womens+tights', 'head+torch', 'kids+trainers'];

interface Campaign {
  name: string;
  source: string;
  medium: string;
  audience: number;
  /** active part of the window, as fractions of it */
  active: [number, number];
  /** share of acquisition draws (people first reached by this campaign) */
  weight: number;
  /** mean impressions per exposed person; 0 = the campaign has no impression events (PR) */
  impMean: number;
  /** chance that an exposed person clicks through */
  clickProb: number;
  /** purchase propensity relative to the average visitor */
  buyerLift: number;
  landing: string[];
  referrer: string;
  contents: string[];
  terms: string[];
  coupon: string;
  /** cost model: per click, per thousand impression events, fixed per active day (per 6000 people) */
  cpc: number;
  cpm: number;
  daily: number;
}

const campaigns: Campaign[] = [
  { name: 'search-generic', source: 'google', medium: 'cpc', audience: 1_200_000, active: [0, 1], weight: 16, impMean: 1.6, clickProb: 0.3, buyerLift: 1.3,
    landing: ['/category/running-shoes', '/category/trail-shoes', '/products/trail-runner-2', '/products/gps-watch-lite'], referrer: 'https://www.google.com/', contents: ['text-ad-a', 'text-ad-b'], terms: ['trail running shoes', 'running shoes sale', 'gps running watch', 'waterproof running jacket'], coupon: '',
    cpc: 0.85, cpm: 0, daily: 4 },
  { name: 'brand-awareness', source: 'google', medium: 'display', audience: 2_000_000, active: [0, 1], weight: 17, impMean: 12, clickProb: 0.05, buyerLift: 0.8,
    landing: ['/'], referrer: '', contents: ['banner-300x250', 'banner-728x90', 'banner-160x600'], terms: [], coupon: '',
    cpc: 0, cpm: 80, daily: 4 },
  { name: 'brand-video-q4', source: 'youtube', medium: 'video', audience: 3_000_000, active: [0.3, 1], weight: 12, impMean: 9, clickProb: 0.04, buyerLift: 0.7,
    landing: ['/', '/category/new-in'], referrer: 'https://www.youtube.com/', contents: ['video-15s', 'video-30s'], terms: [], coupon: '',
    cpc: 0, cpm: 120, daily: 5 },
  { name: 'social-prospecting', source: 'facebook', medium: 'paid_social', audience: 1_500_000, active: [0, 1], weight: 13, impMean: 8, clickProb: 0.1, buyerLift: 0.9,
    landing: ['/products/hydration-vest', '/products/windproof-jacket', '/category/apparel', '/products/everyday-trainer'], referrer: 'https://www.facebook.com/', contents: ['carousel-a', 'single-image-b', 'story-c'], terms: [], coupon: '',
    cpc: 0.4, cpm: 25, daily: 3 },
  { name: 'dr-retargeting', source: 'criteo', medium: 'display', audience: 250_000, active: [0, 1], weight: 0, impMean: 4, clickProb: 0.25, buyerLift: 1,
    landing: ['/cart'], referrer: '', contents: ['dynamic-product'], terms: [], coupon: '',
    cpc: 0.4, cpm: 120, daily: 2 },
  { name: 'newsletter-weekly', source: 'newsletter', medium: 'email', audience: 40_000, active: [0, 1], weight: 0, impMean: 0, clickProb: 0.14, buyerLift: 1,
    landing: ['/category/new-in', '/category/sale', '/blog/winter-running-kit'], referrer: '', contents: ['hero', 'product-grid', 'footer-link'], terms: [], coupon: '',
    cpc: 0.05, cpm: 3, daily: 1 },
  { name: 'affiliate-deals', source: 'awin', medium: 'affiliate', audience: 600_000, active: [0, 1], weight: 4, impMean: 2, clickProb: 0.3, buyerLift: 1.5,
    landing: ['/category/sale', '/products/road-racer-elite'], referrer: 'https://www.runningdeals.example/', contents: ['deal-listing', 'text-link'], terms: [], coupon: 'DEALS15',
    cpc: 0.9, cpm: 0, daily: 1 },
  { name: 'spring-sale', source: 'vouchercodes', medium: 'coupon', audience: 900_000, active: [0.55, 0.68], weight: 7, impMean: 2, clickProb: 0.35, buyerLift: 1.7,
    landing: ['/category/sale'], referrer: 'https://www.vouchercodes.co.uk/', contents: ['code-listing', 'homepage-feature'], terms: [], coupon: 'SPRING20',
    cpc: 1.2, cpm: 0, daily: 12 },
  { name: 'pr-launch', source: 'news.example.org', medium: 'pr', audience: 500_000, active: [0.35, 0.55], weight: 2, impMean: 0, clickProb: 1, buyerLift: 0.9,
    landing: ['/about/our-story', '/products/trail-runner-2'], referrer: 'https://news.example.org/article', contents: ['feature-article'], terms: [], coupon: '',
    cpc: 0, cpm: 0, daily: 35 },
];
const RETARGETING = campaigns.findIndex((c) => c.name === 'dr-retargeting');
const NEWSLETTER = campaigns.findIndex((c) => c.name === 'newsletter-weekly');

/** Non-campaign traffic: where a visit comes from when no campaign brought it. */
type Organic = 'search' | 'social' | 'referral' | 'direct';
const referrers: Record<Organic, [string, number][]> = {
  search: [['https://www.google.com/', 74], ['https://www.google.co.uk/', 6], ['https://www.bing.com/', 10], ['https://duckduckgo.com/', 5], ['https://www.baidu.com/', 2], ['https://search.yahoo.com/', 2], ['https://yandex.ru/', 1]],
  social: [['https://www.facebook.com/', 30], ['https://l.instagram.com/', 25], ['https://www.reddit.com/r/running/', 15], ['https://x.com/', 10], ['https://www.linkedin.com/', 6], ['https://www.youtube.com/', 8], ['https://weibo.com/', 2], ['https://www.tiktok.com/', 4]],
  referral: [['https://news.example.org/article', 30], ['https://www.runnersforum.example/thread/4512', 25], ['https://www.trustpilot.com/review/shop.example.com', 20], ['https://blog.trailtales.example/kit-list', 25]],
  direct: [['', 1]],
};
const organicLandings: Record<Organic, string[]> = {
  search: ['/', '/blog/how-to-choose-trail-shoes', '/blog/couch-to-5k-plan', '/blog/best-gps-watches', '/category/trail-shoes', '/products/gps-watch-lite', '/products/merino-running-socks'],
  social: ['/products/hydration-vest', '/blog/winter-running-kit', '/products/trail-runner-2', '/'],
  referral: ['/products/road-racer-elite', '/', '/blog/marathon-fuelling-guide', '/category/watches'],
  direct: ['/', '/', '/', '/account', '/category/new-in'],
};

const devices: [string, number][] = [['mobile', 58], ['desktop', 36], ['tablet', 6]];
const userAgents: Record<string, string[]> = {
  mobile: [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36',
  ],
  desktop: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  ],
  tablet: ['Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'],
};
const crawlers = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
];
const countries: [string, number][] = [['GB', 72], ['IE', 6], ['US', 6], ['DE', 4], ['FR', 4], ['NL', 3], ['ES', 2], ['CN', 2], ['AU', 1]];

const complaintCategories: [string, number][] = [
  ['Y1', 22], ['Y5', 15], ['W5', 10], ['W1', 8], ['L1', 7], ['T1', 7], ['Y4', 6], ['W4', 5], ['W3', 4], ['Y6', 4], ['O1', 4],
  ['R1', 2], ['W2', 2], ['Y2', 1], ['Y3', 1], ['Y7', 1], ['S1', 1],
];
const damageCategories = new Set(['Y5', 'L1', 'W3', 'W1', 'W5']);
const severityZh: Record<string, string> = { minor: '轻微', general: '一般', serious: '严重' };
/** repurchase chance after a complaint, by resolution bucket (< 1 day, 1–3, 3–7, > 7 days or open) */
const complaintRecovery = [0.9, 0.75, 0.55, 0.35];

/** Every generated text field is built from these ASCII parts; none needs CSV quoting except user agents. */
function assertPlain(values: string[]): void {
  for (const v of values) if (/[",\r\n]|[^\x20-\x7e]/.test(v)) throw new Error(`demo: '${v}' would need CSV quoting or is not ASCII`);
}
assertPlain([
  ...products.map((p) => p.slug), ...categories, ...blogPosts, ...searchTerms, ...countries.map((c) => c[0]), ...devices.map((d) => d[0]),
  ...campaigns.flatMap((c) => [c.name, c.source, c.medium, c.referrer, c.coupon, ...c.landing, ...c.contents, ...c.terms]),
  ...Object.values(referrers).flatMap((r) => r.map((x) => x[0])), ...Object.values(organicLandings).flat(),
]);

// ---------------------------------------------------------------------------------------------------
// Small samplers over the one Rng.

function cumulative(weights: number[]): Float64Array {
  const cum = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) cum[i] = s += weights[i]!;
  for (let i = 0; i < cum.length; i++) cum[i]! /= s;
  return cum;
}
function pickIndex(cum: Float64Array, r: number): number {
  let i = 0;
  while (i < cum.length - 1 && r >= cum[i]!) i++;
  return i;
}
function weighted<T>(pairs: [T, number][]): (rng: Rng) => T {
  const cum = cumulative(pairs.map((p) => p[1]));
  const values = pairs.map((p) => p[0]);
  return (rng) => values[pickIndex(cum, rng())]!;
}
const pickOf = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();
const logBetween = (rng: Rng, lo: number, hi: number) => lo * Math.pow(hi / lo, rng());
/** failures before the first success, success chance p */
function geometric(rng: Rng, p: number, cap = 50): number {
  let n = 0;
  while (n < cap && rng() >= p) n++;
  return n;
}

const pickDevice = weighted(devices);
const pickCountry = weighted(countries);
const pickCategory = weighted(complaintCategories);
const pickReferrer = Object.fromEntries(Object.entries(referrers).map(([k, v]) => [k, weighted(v)])) as Record<Organic, (rng: Rng) => string>;
const pickReturnSource = weighted<Organic>([['direct', 50], ['search', 32], ['social', 10], ['referral', 8]]);

// ---------------------------------------------------------------------------------------------------
// Time: whole seconds since the epoch, formatted without Date on the hot path.

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function parseDay(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new Error(`demo: end '${day}' is not a date; expected YYYY-MM-DD`);
  }
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}
function isoDay(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 10);
}

/** The default end: the most recent Monday on or before today (UTC), so the last full ISO week is in. */
export function defaultDemoEnd(today: Date = new Date()): string {
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const back = (today.getUTCDay() + 6) % 7;
  return new Date(midnight - back * DAY * 1000).toISOString().slice(0, 10);
}

/** `HH:MM:SSZ` for every second of a day, made once (join makes flat strings) */
const times = Array.from({ length: DAY }, (_, r) => [TWO[Math.floor(r / HOUR)], TWO[Math.floor((r % HOUR) / 60)], `${TWO[r % 60]}Z`].join(':'));

class Clock {
  private readonly firstDay: number;
  private readonly prefixes: string[] = [];
  constructor(start: number) {
    this.firstDay = Math.floor(start / DAY) - 1;
  }
  /** `2026-10-03T14:05:09Z` */
  iso(sec: number): string {
    const day = Math.floor(sec / DAY);
    const k = day - this.firstDay;
    let prefix = this.prefixes[k];
    if (prefix === undefined) prefix = this.prefixes[k] = `${isoDay(day * DAY)}T`;
    return prefix + times[sec - day * DAY]!; // two flat pieces: cheap to copy out (see EventLines)
  }
}

/** Hour-of-day (UTC, a UK shop) and day-of-week (0 = Sunday) traffic shape, plus a mild upward trend. */
const hourShape = [0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.3, 0.55, 0.8, 0.95, 1, 1.05, 1.15, 1.1, 1, 0.98, 1, 1.05, 1.15, 1.3, 1.4, 1.3, 1, 0.6];
const weekShape = [0.92, 1.05, 1.04, 1.02, 1, 0.95, 0.85];
const TREND = 0.2;

/**
 * Samples seconds by hour bins weighted with the seasonality, over the window and `warm` days before it
 * (days are counted from the window's start, so the warm-up days are negative).
 */
class Seasonality {
  private readonly cum: Float64Array;
  constructor(private readonly start: number, readonly days: number, readonly warm: number) {
    const bins = (warm + days) * 24;
    this.cum = new Float64Array(bins + 1);
    for (let i = 0; i < bins; i++) {
      const d = Math.floor(i / 24) - warm;
      const dow = new Date((start + d * DAY) * 1000).getUTCDay();
      const w = hourShape[i % 24]! * weekShape[dow]! * (1 + (TREND * d) / days);
      this.cum[i + 1] = this.cum[i]! + w;
    }
  }
  /** a time within days [fromDay, toDay) */
  sample(rng: Rng, fromDay = -this.warm, toDay = this.days): number {
    const first = (fromDay + this.warm) * 24, last = (toDay + this.warm) * 24;
    const lo = this.cum[first]!, hi = this.cum[last]!;
    const u = lo + (hi - lo) * rng();
    let a = first, b = last; // find bin i with cum[i] <= u < cum[i+1]
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (this.cum[mid]! <= u) a = mid;
      else b = mid;
    }
    return this.start + (a - this.warm * 24) * HOUR + Math.floor(rng() * HOUR);
  }
  /** `t` moved to a busy hour of its own day, unless that would be before `notBefore` */
  realign(rng: Rng, t: number, notBefore: number): number {
    const day = Math.floor((t - this.start) / DAY);
    if (day < -this.warm || day >= this.days) return t;
    const at = this.sample(rng, day, day + 1);
    return at > notBefore ? at : t;
  }
}

// ---------------------------------------------------------------------------------------------------
// The generator.

interface Resolved {
  days: number;
  visitors: number;
  seed: number;
  currency: string;
  start: number;
  end: number;
}

function resolve(opts: Omit<DemoOptions, 'outDir'>): Resolved {
  const days = opts.days ?? 90;
  const visitors = opts.visitors ?? 6000;
  if (!Number.isInteger(days) || days < 1) throw new Error(`demo: days must be a whole number ≥ 1, got ${days}`);
  if (!Number.isInteger(visitors) || visitors < 0) throw new Error(`demo: visitors must be a whole number ≥ 0, got ${visitors}`);
  const end = parseDay(opts.end ?? defaultDemoEnd());
  return { days, visitors, seed: opts.seed ?? 1, currency: opts.currency ?? 'GBP', start: end - days * DAY, end };
}

const money = (cents: number) => cents / 100;

/** Where a visit came from. */
interface VisitSource {
  campaign: number; // index into campaigns, -1 = none
  referrer: string;
  landing: string;
  content: string;
  term: string;
}

interface Visit {
  at: number;
  source: VisitSource;
  /** the visit of a planned (repeat) order */
  purchase: boolean;
}

interface Placed {
  at: number;
  /** repurchase chance multiplier from a complaint about this order (1 = none) */
  recovery: number;
  complaintAt: number;
}

const firstPurchaseVisit = cumulative([0.45, 0.35, 0.2]);
const resolutionBuckets = cumulative([0.3, 0.3, 0.2, 0.2]);
const repeatGaps = weighted<[number, number]>([[[0.5, 3], 0.14], [[3, 7], 0.14], [[7, 15], 0.14], [[15, 45], 0.28], [[45, 150], 0.3]]);
const statusOf = weighted<DemoOrder['status']>([['paid', 88], ['refunded', 7], ['cancelled', 5]]);

/** seconds between two visits of one person: hours to weeks (always past a 30-minute session timeout) */
function visitGap(rng: Rng): number {
  const r = rng();
  return Math.floor(r < 0.25 ? logBetween(rng, 45 * 60, 6 * HOUR) : r < 0.6 ? logBetween(rng, 6 * HOUR, 3 * DAY) : logBetween(rng, 3 * DAY, 30 * DAY));
}
/** phone orders come in during office hours, on the day they were due or later */
function officeHours(t: number, rng: Rng): number {
  const day = Math.floor(t / DAY) * DAY;
  const at = day + 9 * HOUR + Math.floor(rng() * 9 * HOUR);
  return at >= t ? at : at + DAY;
}
function discounted(cents: number, coupon: string): number {
  const pct = coupon === 'WELCOME10' ? 10 : coupon === 'SPRING20' ? 20 : coupon === 'DEALS15' ? 15 : 0;
  const shipping = coupon === 'FREESHIP' || cents >= 5000 ? 0 : 395;
  return Math.round((cents * (100 - pct)) / 100) + shipping;
}
// whole URLs made once: the hot path only picks them
const categoryUrls = categories.map((c) => `${SITE}/category/${c}`);
const blogUrls = blogPosts.map((b) => `${SITE}/blog/${b}`);
const searchUrls = searchTerms.map((q) => `${SITE}/search?q=${q}`);
const HOME_URL = `${SITE}/`, SIGNUP_URL = `${SITE}/account/signup`, CHECKOUT_URL = `${SITE}/checkout`, CONFIRMATION_URL = `${SITE}/checkout/confirmation`;
function randomUrl(rng: Rng): string {
  const r = rng();
  return r < 0.5 ? pickOf(rng, categoryUrls) : r < 0.75 ? pickOf(rng, products).url : r < 0.9 ? pickOf(rng, blogUrls) : HOME_URL;
}

/**
 * Yields every person of the demo in file order with their web events (strictly increasing in time),
 * orders and complaints: exactly the values `writeDemo` writes, minus the injected malformed and
 * duplicate rows. The generator's return value is the campaigns.csv rows.
 */
export function* demoVisitors(opts: Omit<DemoOptions, 'outDir'> = {}): Generator<DemoPerson, DemoCampaignRow[], undefined> {
  const o = resolve(opts);
  const { start, end, days, currency } = o;
  const rng = createRng(o.seed);
  const clock = new Clock(start);
  // People are simulated from `warm` days before the window, so the first weeks already have returning
  // visitors and repeat buyers; anything before the start is dropped, as a log export would cut it.
  const warm = Math.min(28, days);
  const season = new Seasonality(start, days, warm);
  const C = campaigns.length;
  const activeFrom = campaigns.map((c) => Math.min(days - 1, Math.floor(c.active[0] * days)));
  const activeTo = campaigns.map((c, i) => Math.max(activeFrom[i]! + 1, Math.min(days, Math.ceil(c.active[1] * days))));
  const runFrom = campaigns.map((c, i) => (c.active[0] === 0 ? -warm : activeFrom[i]!)); // always-on campaigns ran before the window too
  const impressions = new Int32Array(C * days);
  const reach = new Int32Array(C * days);
  const landings = new Int32Array(C * days);
  const lastReachDay = new Int32Array(C);
  const sends: number[] = []; // the weekly newsletter goes out on Thursdays at 08:00 UTC
  for (let d = 0; d < days; d++) if (new Date((start + d * DAY) * 1000).getUTCDay() === 4) sends.push(start + d * DAY + 8 * HOUR);
  const ORGANIC: Organic[] = ['search', 'social', 'referral', 'direct'];
  const organicLift: Record<Organic, number> = { search: 1.1, social: 0.6, referral: 1, direct: 1.4 };
  const CRAWLER = C + 4, OFFLINE = C + 5;
  const acquisition = cumulative([...campaigns.map((c) => c.weight), 14, 6, 4, 13, 0.25, 1.5]);
  const lastStart = end - 2 * HOUR; // a visit starts two hours before the end at the latest, and lasts under 70 minutes
  const salt = mix32(o.seed ^ 0x5bd1e995);
  let eventSeq = 0, customerSeq = 0, orderSeq = 0, complaintSeq = 0;

  // the person being generated
  let visitorId = '', customerId = '', device = '', country = '', ua = '';
  let events: DemoEvent[] = [], orders: DemoOrder[] = [], complaints: DemoComplaint[] = [];
  let lastT = 0;
  let orderNo = 0, subscribed = false, cartAbandoned = false;
  let pending: { at: number; phone: boolean } | null = null;

  for (let person = 0; person < o.visitors; person++) {
    const kind = pickIndex(acquisition, rng());
    visitorId = kind === OFFLINE ? '' : `v${mix32((person ^ salt) >>> 0).toString(16).padStart(8, '0')}`;
    customerId = '';
    events = [];
    orders = [];
    complaints = [];
    lastT = start - warm * DAY - 1;
    lastReachDay.fill(-1);
    if (kind === OFFLINE) offlineBuyer();
    else if (kind === CRAWLER) crawler();
    else visitor(kind);
    if (events.length || orders.length) yield { index: person, visitor_id: visitorId, customer_id: customerId, bot: kind === CRAWLER, events, orders, complaints };
  }
  return campaignRows();

  function event(t: number, type: DemoEventType, url: string, referrer: string, campaign: number, content: string, term: string, orderId: string, value: number | null): number {
    if (t <= lastT) t = lastT + 1;
    lastT = t;
    if (t < start) return t;
    const camp = campaign >= 0 ? campaigns[campaign]! : null;
    if (type === 'impression') {
      const d = Math.floor((t - start) / DAY);
      impressions[campaign * days + d]!++;
      if (lastReachDay[campaign] !== d) {
        lastReachDay[campaign] = d;
        reach[campaign * days + d]!++;
      }
    }
    events.push({
      event_id: `e${++eventSeq}`, ts: clock.iso(t), visitor_id: visitorId, customer_id: customerId, event: type, url, referrer,
      utm_source: camp ? camp.source : '', utm_medium: camp ? camp.medium : '', utm_campaign: camp ? camp.name : '', utm_content: content, utm_term: term,
      device, country, order_id: orderId, value, user_agent: ua,
    });
    return t;
  }

  function newCustomer(): string {
    return `C${100001 + customerSeq++}`;
  }

  /** Someone who only ever orders by phone. */
  function offlineBuyer(): void {
    customerId = newCustomer();
    let at = officeHours(season.sample(rng), rng);
    for (let orderNo = 1; at < end; orderNo++) {
      const placed = placeOrder(at, '', productsCents(), '', null);
      const next = placed && repeatAt(placed, orderNo);
      if (!next) break;
      at = officeHours(next, rng);
    }
  }

  /** A search-engine or SEO crawler: bursts of pageviews a second or two apart. */
  function crawler(): void {
    device = 'desktop';
    country = 'US';
    ua = pickOf(rng, crawlers);
    let t = season.sample(rng);
    for (let burst = 0, bursts = 1 + geometric(rng, 0.4, 6); burst < bursts && t < end; burst++) {
      for (let n = 0, pages = 5 + Math.floor(rng() * 36); n < pages && t < end; n++) {
        event(t, 'pageview', randomUrl(rng), '', -1, '', '', '', null);
        t = lastT + 1 + Math.floor(rng() * 4);
      }
      t += Math.floor(logBetween(rng, 6 * HOUR, 10 * DAY));
    }
  }

  function campaignSource(c: number): VisitSource {
    const camp = campaigns[c]!;
    return { campaign: c, referrer: camp.referrer, landing: pickOf(rng, camp.landing), content: pickOf(rng, camp.contents), term: camp.terms.length ? pickOf(rng, camp.terms) : '' };
  }
  function organicSource(k: Organic): VisitSource {
    return { campaign: -1, referrer: pickReferrer[k](rng), landing: pickOf(rng, organicLandings[k]), content: '', term: '' };
  }

  /** A person first reached by a campaign or arriving organically; maybe never visits (only impressions). */
  function visitor(kind: number): void {
    device = pickDevice(rng);
    country = pickCountry(rng);
    ua = pickOf(rng, userAgents[device]!);
    orderNo = 0;
    subscribed = false;
    dropPending();
    let first: Visit | null = null;
    let lift = 1;
    if (kind < C) {
      const camp = campaigns[kind]!;
      const from = runFrom[kind]!, to = activeTo[kind]!;
      const campStart = start + from * DAY, campEnd = start + to * DAY;
      const src = campaignSource(kind);
      lift = camp.buyerLift;
      if (camp.impMean === 0) {
        // PR: readers of the article arrive without an impression we could log
        first = { at: season.sample(rng, from, to), source: src, purchase: false };
      } else if (rng() < camp.clickProb) {
        // impressions lead up to the landing; the last one is the ad that was clicked
        const n = 1 + geometric(rng, 1 / camp.impMean);
        const at = Math.max(season.sample(rng, from, to), campStart + 120);
        const times = [at - 3 - Math.floor(rng() * 40)];
        for (let i = 1; i < n; i++) times.push(times[i - 1]! - Math.floor(logBetween(rng, 20 * 60, 3 * DAY)));
        for (let i = times.length - 1; i >= 0; i--) if (times[i]! >= campStart) event(times[i]!, 'impression', '', '', kind, src.content, src.term, '', null);
        first = { at, source: src, purchase: false };
      } else {
        const n = 1 + geometric(rng, 1 / camp.impMean);
        let t = season.sample(rng, from, to);
        for (let i = 0; i < n && t < campEnd; i++) {
          event(t, 'impression', '', '', kind, pickOf(rng, camp.contents), src.term, '', null);
          t = lastT + Math.floor(logBetween(rng, 20 * 60, 4 * DAY));
        }
      }
    } else {
      const k = ORGANIC[kind - C]!;
      first = { at: season.sample(rng), source: organicSource(k), purchase: false };
      lift = organicLift[k];
    }
    if (!first || first.at > lastStart) return;

    const buyer = rng() < 0.14 * lift;
    const purchaseVisit = buyer ? 1 + pickIndex(firstPurchaseVisit, rng()) : Infinity;
    let browseLeft = Math.max(geometric(rng, 0.4, 20), buyer ? purchaseVisit - 1 : 0);
    let visitNo = 0;

    for (let visit: Visit | null = first; visit; ) {
      visitNo++;
      // a retargeting or newsletter click may bring a first order, or a planned repeat order forward
      const clickIn = visit.source.campaign === RETARGETING || visit.source.campaign === NEWSLETTER;
      const pulled = clickIn && pending !== null && !pending.phone && pending.at - visit.at < 14 * DAY;
      if (pulled) dropPending();
      const purchase = visit.purchase || pulled || (orderNo === 0 && (visitNo >= purchaseVisit || (clickIn && rng() < 0.12)));
      const order = play(visit, purchase);
      const abandoned = cartAbandoned;
      if (order) {
        orderNo++;
        schedule(order);
        if (orderNo === 1) browseLeft += geometric(rng, 0.6, 10);
      }

      // what comes next: the earliest of a browse visit, a planned order, a retargeting or newsletter click
      const gap = browseLeft > 0 ? visitGap(rng) : Infinity;
      const browseAt = gap < 6 * HOUR ? lastT + gap : gap < Infinity ? season.realign(rng, lastT + gap, lastT + 45 * 60) : Infinity;
      while (pending && pending.phone && pending.at < browseAt && pending.at < end) {
        const placed = placeOrder(officeHours(pending.at, rng), '', productsCents(), '', null);
        if (placed) orderNo++;
        schedule(placed);
      }
      let next: Visit | null = null;
      if (pending && !pending.phone && pending.at <= browseAt) {
        next = { at: Math.max(pending.at, lastT + 45 * 60), source: organicSource(pickReturnSource(rng)), purchase: true };
      } else if (browseAt < Infinity) {
        next = { at: browseAt, source: organicSource(pickReturnSource(rng)), purchase: false };
      }
      let nextAt = next ? next.at : Infinity;

      const touches: [number, number, boolean][] = []; // [time, campaign, clicked] between this visit and the next
      if (abandoned && rng() < 0.7) {
        let t = lastT;
        for (let i = 0, n = 2 + Math.floor(rng() * 7); i < n; i++) {
          t += Math.floor(logBetween(rng, 30 * 60, 2 * DAY));
          const clicked = rng() < campaigns[RETARGETING]!.clickProb / 2;
          touches.push([t, RETARGETING, clicked]);
          if (clicked) break;
        }
      }
      if (subscribed) {
        for (const s of sends) {
          if (s <= lastT) continue;
          if (s >= Math.min(nextAt, end)) break;
          if (rng() < 0.35) touches.push([s + Math.floor(logBetween(rng, 120, 30 * HOUR)), NEWSLETTER, rng() < campaigns[NEWSLETTER]!.clickProb]);
        }
      }
      if (touches.length > 1) touches.sort((a, b) => a[0] - b[0]);
      for (const [t, c, clicked] of touches) {
        if (t >= Math.min(nextAt, end)) break;
        const at = event(t, 'impression', '', '', c, pickOf(rng, campaigns[c]!.contents), '', '', null);
        const clickAt = at + 5 + Math.floor(rng() * 60);
        if (clicked && clickAt < nextAt && clickAt <= lastStart) {
          next = { at: clickAt, source: campaignSource(c), purchase: false };
          nextAt = clickAt;
          break;
        }
      }
      if (!next || next.at > lastStart) break;
      if (next.purchase) dropPending();
      else if (next.source.campaign < 0) browseLeft--;
      visit = next;
    }
  }

  // a function, so the compiler does not narrow `pending` to null across the calls that set it
  function dropPending(): void {
    pending = null;
  }

  /** Plans the order after this one, if the customer comes back. */
  function schedule(placed: Placed | null): void {
    const next = placed && repeatAt(placed, orderNo);
    pending = next ? { at: next, phone: rng() < 0.2 } : null;
  }

  /** Seconds to the next event of a visit: a few seconds to a few minutes. */
  function step(): number {
    return lastT + 4 + Math.floor(logBetween(rng, 6, 150));
  }

  /**
   * One visit: a burst of events seconds to minutes apart, ending in a purchase when planned. Returns
   * the order placed, if any; sets `cartAbandoned` when the visitor carted and left without buying.
   */
  function play(v: Visit, purchase: boolean): Placed | null {
    const src = v.source;
    const camp = src.campaign >= 0 ? campaigns[src.campaign]! : null;
    cartAbandoned = false;
    let url = SITE + src.landing;
    if (camp) {
      url += `${url.includes('?') ? '&' : '?'}utm_source=${camp.source}&utm_medium=${camp.medium}&utm_campaign=${camp.name}`;
      if (src.content) url += `&utm_content=${src.content}`;
      if (src.term) url += `&utm_term=${src.term.replace(/ /g, '+')}`;
    }
    const landedAt = event(v.at, 'pageview', url, src.referrer, src.campaign, src.content, src.term, '', null);
    if (camp && landedAt >= start) landings[src.campaign * days + Math.floor((landedAt - start) / DAY)]!++;
    const until = landedAt + 25 * 60; // browsing stops here; a checkout adds at most ~40 minutes
    if (!purchase && rng() < 0.38) return null; // bounce
    for (let i = 0, n = 1 + geometric(rng, 0.25, 14); i < n && lastT < until; i++) {
      const r = rng();
      if (r < 0.45) event(step(), 'product_view', pickOf(rng, products).url, '', -1, '', '', '', null);
      else if (r < 0.8) event(step(), 'pageview', randomUrl(rng), '', -1, '', '', '', null);
      else event(step(), 'search', pickOf(rng, searchUrls), '', -1, '', '', '', null);
    }
    if (!customerId && rng() < (purchase ? 0.4 : 0.07)) {
      customerId = newCustomer(); // the signup event is the first to carry the identity link
      subscribed = rng() < 0.8;
      event(step(), 'signup', SIGNUP_URL, '', -1, '', '', '', null);
    }
    if (!purchase) {
      if (rng() >= 0.14) return null;
      event(step(), 'add_to_cart', pickOf(rng, products).url, '', -1, '', '', '', null);
      if (rng() < 0.35) event(step(), 'begin_checkout', CHECKOUT_URL, '', -1, '', '', '', null);
      cartAbandoned = true;
      return null;
    }
    let cents = 0;
    for (let i = 0, n = 1 + geometric(rng, 0.55, 5); i < n; i++) {
      const p = pickOf(rng, products);
      cents += p.cents;
      if (rng() < 0.7) event(step(), 'product_view', p.url, '', -1, '', '', '', null);
      event(step(), 'add_to_cart', p.url, '', -1, '', '', '', null);
    }
    event(step(), 'begin_checkout', CHECKOUT_URL, '', -1, '', '', '', null);
    if (!customerId) customerId = newCustomer(); // guest checkout: the purchase carries the new identity
    const coupon = camp?.coupon || (orderNo === 0 && subscribed && rng() < 0.35 ? 'WELCOME10' : rng() < 0.03 ? 'FREESHIP' : '');
    cents = discounted(cents, coupon);
    const orderId = `O${1000001 + orderSeq}`;
    const at = event(lastT + 30 + Math.floor(rng() * 240), 'purchase', CONFIRMATION_URL, '', -1, '', '', orderId, money(cents));
    return placeOrder(at + 1 + Math.floor(rng() * 4), visitorId, cents, coupon, camp);
  }

  function productsCents(): number {
    let cents = 0;
    for (let i = 0, n = 1 + geometric(rng, 0.55, 5); i < n; i++) cents += pickOf(rng, products).cents;
    return discounted(cents, '');
  }

  /** Adds an order (and maybe a complaint about it) for the current customer; null when past the end. */
  function placeOrder(at: number, visitor: string, cents: number, coupon: string, camp: Campaign | null): Placed | null {
    if (at >= end) return null;
    const status = statusOf(rng);
    const order: DemoOrder = {
      order_id: `O${1000001 + orderSeq++}`, ts: clock.iso(at), customer_id: customerId, visitor_id: visitor, amount: money(cents), currency, status, coupon,
      items: 1 + geometric(rng, 0.55, 5), utm_source: camp ? camp.source : '', utm_medium: camp ? camp.medium : '', utm_campaign: camp ? camp.name : '',
    };
    if (at >= start) orders.push(order); // earlier orders happened, but before the export
    const placed: Placed = { at, recovery: 1, complaintAt: Infinity };
    if (rng() < (status === 'paid' ? 0.028 : status === 'refunded' ? 0.09 : 0.03)) complain(placed, order, cents, at >= start);
    return placed;
  }

  /** When the customer orders again after this order (the `orderNo`th), or null if they do not. */
  function repeatAt(placed: Placed, orderNo: number): number | null {
    const [lo, hi] = repeatGaps(rng);
    const next = season.realign(rng, placed.at + Math.floor(logBetween(rng, lo, hi) * DAY), placed.at + HOUR);
    let p = orderNo === 1 ? 0.5 : 0.42;
    if (placed.complaintAt < next) p *= placed.recovery;
    return rng() < p && next < end ? next : null;
  }

  /** A complaint about the order; it lowers the chance of a next order either way, but is only written with its order. */
  function complain(placed: Placed, order: DemoOrder, cents: number, written: boolean): void {
    const category = pickCategory(rng);
    const at = placed.at + Math.floor((category === 'Y1' ? logBetween(rng, 0.5, 5) : logBetween(rng, 1, 12)) * DAY);
    if (at >= end) return;
    const damage = damageCategories.has(category);
    const r = rng();
    let severity = r < (damage ? 0.3 : 0.5) ? 'minor' : r < (damage ? 0.65 : 0.82) ? 'general' : 'serious';
    if (complaintSeq % 8 === 3) severity = severityZh[severity]!; // every eighth from the fourth: a Chinese spreadsheet's words
    const respondedAt = at + Math.floor(logBetween(rng, 0.3, 30) * HOUR);
    const bucket = pickIndex(resolutionBuckets, rng());
    const open = rng() < 0.1;
    const resolveDays = bucket === 0 ? between(rng, 0.1, 1) : bucket === 1 ? between(rng, 1, 3) : bucket === 2 ? between(rng, 3, 7) : between(rng, 7, 25);
    const resolvedAt = Math.max(at + Math.floor(resolveDays * DAY), respondedAt + 600 + Math.floor(rng() * 4 * HOUR));
    const resolved = !open && resolvedAt < end;
    placed.complaintAt = at;
    placed.recovery = open ? complaintRecovery[3]! : complaintRecovery[bucket]!;
    if (!written) return;
    complaints.push({
      complaint_id: `K${50001 + complaintSeq++}`, ts: clock.iso(at), customer_id: customerId, order_id: order.order_id, category, severity,
      amount: damage ? money(Math.round(cents * between(rng, 0.2, 1))) : null,
      responded_at: respondedAt < end ? clock.iso(respondedAt) : '', resolved_at: resolved ? clock.iso(resolvedAt) : '', status: resolved ? 'resolved' : 'open',
    });
  }

  function campaignRows(): DemoCampaignRow[] {
    const rows: DemoCampaignRow[] = [];
    const scale = Math.max(o.visitors, 1) / 6000;
    for (let d = 0; d < days; d++) {
      for (let c = 0; c < C; c++) {
        if (d < activeFrom[c]! || d >= activeTo[c]!) continue;
        const camp = campaigns[c]!;
        const k = c * days + d;
        const clicks = landings[k]! + Math.round(landings[k]! * 0.08 * rng()); // some clicks never load the page
        const cost = clicks * camp.cpc * between(rng, 0.8, 1.2) + (impressions[k]! * camp.cpm) / 1000 + camp.daily * scale * between(rng, 0.7, 1.3);
        rows.push({
          date: isoDay(start + d * DAY), source: camp.source, medium: camp.medium, campaign: camp.name, audience: camp.audience,
          impressions: impressions[k]!, reach: reach[k]!, clicks, cost: money(Math.max(1, Math.round(cost * 100))), currency,
        });
      }
    }
    return rows;
  }
}

/** Runs the generator to the end for its campaigns.csv rows. */
export function demoCampaigns(opts: Omit<DemoOptions, 'outDir'> = {}): DemoCampaignRow[] {
  const gen = demoVisitors(opts);
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

// ---------------------------------------------------------------------------------------------------
// Writing: CSV text built in multi-megabyte chunks, awaited on drain, one person at a time.

/** RFC 4180: quote a field that holds a comma, quote or line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const num = (n: number | null) => (n === null ? '' : n.toFixed(2));

const CHUNK = 4 << 20;
const SLICE = 16 << 10;

/**
 * A CSV file written in 4 MB buffers. Lines gather in a short string that is copied into the buffer
 * every 16 KB, and full buffers go to the stream, whose drain the caller awaits. Buffers are reused once
 * written: touching fresh memory costs more than the copying. ASCII-only files are copied as latin1,
 * which is byte-identical to UTF-8 for them and several times faster to encode.
 */
class CsvFile {
  private readonly stream: fs.WriteStream;
  private readonly spare: Buffer[] = [];
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private text = '';
  private ready: Buffer[] = [];
  rows = 0;
  private failed: Error | null = null;
  constructor(readonly file: string, header: readonly string[], private readonly ascii: boolean) {
    this.stream = fs.createWriteStream(file, { highWaterMark: 4 * CHUNK }); // a few chunks in flight overlap disk and generation
    this.stream.on('error', (e) => (this.failed ??= e));
    this.text = `${header.join(',')}\n`;
  }
  private check(): void {
    if (this.failed) throw new Error(`demo: cannot write ${this.file}: ${this.failed.message}`);
  }
  add(line: string): void {
    this.text += line;
    this.rows++;
    if (this.text.length >= SLICE) this.copy();
  }
  private copy(): void {
    const text = this.text;
    this.text = '';
    if (this.used + text.length * (this.ascii ? 1 : 3) > CHUNK) {
      this.ready.push(this.chunk.subarray(0, this.used));
      this.chunk = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK);
      this.used = 0;
    }
    this.used += this.chunk.write(text, this.used, this.ascii ? 'latin1' : 'utf8');
  }
  get full(): boolean {
    return this.ready.length > 0;
  }
  async flush(): Promise<void> {
    this.check();
    const ready = this.ready;
    this.ready = [];
    for (const b of ready) {
      const whole = Buffer.from(b.buffer, b.byteOffset, CHUNK);
      if (!this.stream.write(b, () => this.spare.push(whole))) await once(this.stream, 'drain');
      this.check();
    }
  }
  async close(): Promise<void> {
    this.copy();
    this.ready.push(this.chunk.subarray(0, this.used));
    await this.flush();
    await new Promise<void>((resolve) => this.stream.end(resolve));
    this.check();
  }
}

/**
 * web-events.csv lines. A person's events share most fields, so those runs are kept as ready-made
 * pieces: fewer pieces per line make the string V8 has to flatten when it is copied out much cheaper.
 */
class EventLines {
  private last: DemoEvent | null = null;
  private uaPiece = '';
  private wherePiece = '';
  private whoPiece = '';
  private utmPiece = ',,,,';
  line(e: DemoEvent): string {
    const l = this.last;
    this.last = e;
    if (l?.user_agent !== e.user_agent) this.uaPiece = `,${csvField(e.user_agent)}\n`; // the only field that can need quoting
    if (l?.device !== e.device || l.country !== e.country) this.wherePiece = `${e.device},${e.country}`;
    if (l?.visitor_id !== e.visitor_id || l.customer_id !== e.customer_id) this.whoPiece = `${e.visitor_id},${e.customer_id}`;
    if (l?.utm_campaign !== e.utm_campaign || l.utm_content !== e.utm_content || l.utm_term !== e.utm_term) {
      this.utmPiece = `${e.utm_source},${e.utm_medium},${e.utm_campaign},${e.utm_content},${e.utm_term}`;
    }
    return `${e.event_id},${e.ts},${this.whoPiece},${e.event},${e.url},${e.referrer},${this.utmPiece},${this.wherePiece},${e.order_id},${e.value === null ? '' : e.value.toFixed(2)}${this.uaPiece}`;
  }
}

function orderLine(r: DemoOrder, amount = num(r.amount)): string {
  return `${r.order_id},${r.ts},${r.customer_id},${r.visitor_id},${amount},${csvField(r.currency)},${r.status},${r.coupon},${r.items},${r.utm_source},${r.utm_medium},${r.utm_campaign}\n`;
}
function complaintLine(r: DemoComplaint): string {
  return `${r.complaint_id},${r.ts},${r.customer_id},${r.order_id},${r.category},${r.severity},${num(r.amount)},${r.responded_at},${r.resolved_at},${r.status}\n`;
}
function campaignLine(r: DemoCampaignRow): string {
  return `${r.date},${r.source},${r.medium},${r.campaign},${r.audience},${r.impressions},${r.reach},${r.clicks},${num(r.cost)},${csvField(r.currency)}\n`;
}

/**
 * Writes the demo files into `outDir` and says what is in them. With `malformed` on, the rows listed in
 * `demoMalformed` are placed after the persons at evenly spaced points of the run (copies of that
 * person's first pageview or first order, with one field broken and a fresh id).
 */
export async function writeDemo(opts: DemoOptions): Promise<DemoManifest> {
  const o = resolve(opts);
  const want = new Set(opts.kinds ?? demoKinds);
  const malformed = opts.malformed ?? true;
  fs.mkdirSync(opts.outDir, { recursive: true });
  const out: Partial<Record<DemoKind, CsvFile>> = {};
  // everything generated is ASCII (checked at load) except the complaints' Chinese severity words, and the currency is the caller's
  const asciiCurrency = /^[\x20-\x7e]*$/.test(o.currency);
  for (const kind of demoKinds) {
    if (want.has(kind)) out[kind] = new CsvFile(path.join(opts.outDir, demoFileNames[kind]), demoColumns[kind], kind === 'web' || (kind !== 'complaints' && asciiCurrency));
  }
  const web = out.web, sales = out.sales, complaintsFile = out.complaints;
  const counts = { web: { malformed: 0, duplicates: 0 }, sales: { malformed: 0, duplicates: 0 } };
  const lines = new EventLines();
  const eventLine = (e: DemoEvent) => lines.line(e);

  // where the bad rows go: after the first suitable person at or past each point of the run
  const plan: { at: number; what: 'badTs' | 'noVisitor' | 'duplicate' | 'badAmount' }[] = [];
  if (malformed) {
    const spread = (what: (typeof plan)[number]['what'], n: number, offset: number) => {
      for (let i = 0; i < n; i++) plan.push({ at: Math.floor((o.visitors * (i + offset)) / (n + 1)), what });
    };
    spread('badTs', demoMalformed.webBadTs, 1);
    spread('noVisitor', demoMalformed.webNoVisitor, 0.7);
    spread('duplicate', demoMalformed.webDuplicates, 0.85);
    spread('badAmount', demoMalformed.ordersBadAmount, 0.9);
    plan.sort((a, b) => a.at - b.at);
  }
  const gen = demoVisitors(opts);
  let campaignRows: DemoCampaignRow[];
  for (;;) {
    const r = gen.next();
    if (r.done) {
      campaignRows = r.value;
      break;
    }
    const p = r.value;
    if (web) for (const e of p.events) web.add(eventLine(e));
    if (sales) for (const x of p.orders) sales.add(orderLine(x));
    if (complaintsFile) for (const x of p.complaints) complaintsFile.add(complaintLine(x));

    // a planned bad row waits for a person who has what it copies
    for (let i = 0; i < plan.length && plan[i]!.at <= p.index; i++) {
      const item = plan[i]!;
      if (item.what === 'badAmount' ? !p.orders.length : p.bot || !p.events.some((e) => e.event === 'pageview')) continue;
      plan.splice(i, 1);
      i--;
      if (item.what === 'badAmount') {
        if (!sales) continue;
        const x = p.orders[0]!;
        sales.add(orderLine({ ...x, order_id: `${x.order_id}x${++counts.sales.malformed}` }, 'abc'));
      } else if (web) {
        const e = p.events.find((x) => x.event === 'pageview')!;
        if (item.what === 'duplicate') {
          web.add(eventLine(e));
          counts.web.duplicates++;
        } else {
          const n = ++counts.web.malformed;
          web.add(eventLine(item.what === 'badTs' ? { ...e, event_id: `${e.event_id}x${n}`, ts: 'not-a-date' } : { ...e, event_id: `${e.event_id}x${n}`, visitor_id: '', customer_id: '' }));
        }
      }
    }
    for (const f of [web, sales, complaintsFile]) if (f?.full) await f.flush();
  }
  if (out.campaigns) for (const row of campaignRows) out.campaigns.add(campaignLine(row));
  for (const f of Object.values(out)) await f.close();

  return {
    files: demoKinds.filter((k) => out[k]).map((kind) => ({
      kind,
      path: out[kind]!.file,
      rows: out[kind]!.rows,
      malformed: kind === 'web' ? counts.web.malformed : kind === 'sales' ? counts.sales.malformed : 0,
      duplicates: kind === 'web' ? counts.web.duplicates : 0,
    })),
    start: isoDay(o.start),
    end: isoDay(o.end),
    seed: o.seed,
  };
}
