// The fixed world the demo simulates: a UK running shop's site and products, its campaigns, where
// organic visits come from, devices, user agents, countries and complaint categories.

export const SITE = 'https://shop.example.com';

export const products: { slug: string; cents: number; url: string }[] = [
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

export interface Campaign {
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

export const campaigns: Campaign[] = [
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
export const RETARGETING = campaigns.findIndex((c) => c.name === 'dr-retargeting');
export const NEWSLETTER = campaigns.findIndex((c) => c.name === 'newsletter-weekly');

/** Non-campaign traffic: where a visit comes from when no campaign brought it. */
export type Organic = 'search' | 'social' | 'referral' | 'direct';
export const referrers: Record<Organic, [string, number][]> = {
  search: [['https://www.google.com/', 74], ['https://www.google.co.uk/', 6], ['https://www.bing.com/', 10], ['https://duckduckgo.com/', 5], ['https://www.baidu.com/', 2], ['https://search.yahoo.com/', 2], ['https://yandex.ru/', 1]],
  social: [['https://www.facebook.com/', 30], ['https://l.instagram.com/', 25], ['https://www.reddit.com/r/running/', 15], ['https://x.com/', 10], ['https://www.linkedin.com/', 6], ['https://www.youtube.com/', 8], ['https://weibo.com/', 2], ['https://www.tiktok.com/', 4]],
  referral: [['https://news.example.org/article', 30], ['https://www.runnersforum.example/thread/4512', 25], ['https://www.trustpilot.com/review/shop.example.com', 20], ['https://blog.trailtales.example/kit-list', 25]],
  direct: [['', 1]],
};
export const organicLandings: Record<Organic, string[]> = {
  search: ['/', '/blog/how-to-choose-trail-shoes', '/blog/couch-to-5k-plan', '/blog/best-gps-watches', '/category/trail-shoes', '/products/gps-watch-lite', '/products/merino-running-socks'],
  social: ['/products/hydration-vest', '/blog/winter-running-kit', '/products/trail-runner-2', '/'],
  referral: ['/products/road-racer-elite', '/', '/blog/marathon-fuelling-guide', '/category/watches'],
  direct: ['/', '/', '/', '/account', '/category/new-in'],
};

export const devices: [string, number][] = [['mobile', 58], ['desktop', 36], ['tablet', 6]];
export const userAgents: Record<string, string[]> = {
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
export const crawlers = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
];
export const countries: [string, number][] = [['GB', 72], ['IE', 6], ['US', 6], ['DE', 4], ['FR', 4], ['NL', 3], ['ES', 2], ['CN', 2], ['AU', 1]];

export const complaintCategories: [string, number][] = [
  ['Y1', 22], ['Y5', 15], ['W5', 10], ['W1', 8], ['L1', 7], ['T1', 7], ['Y4', 6], ['W4', 5], ['W3', 4], ['Y6', 4], ['O1', 4],
  ['R1', 2], ['W2', 2], ['Y2', 1], ['Y3', 1], ['Y7', 1], ['S1', 1],
];
export const damageCategories = new Set(['Y5', 'L1', 'W3', 'W1', 'W5']);

/** Every generated text field is built from these ASCII parts; none needs CSV quoting except user agents. */
function assertPlain(values: string[]): void {
  for (const v of values) if (/[",\r\n]|[^\x20-\x7e]/.test(v)) throw new Error(`demo: '${v}' would need CSV quoting or is not ASCII`);
}
assertPlain([
  ...products.map((p) => p.slug), ...categories, ...blogPosts, ...searchTerms, ...countries.map((c) => c[0]), ...devices.map((d) => d[0]),
  ...campaigns.flatMap((c) => [c.name, c.source, c.medium, c.referrer, c.coupon, ...c.landing, ...c.contents, ...c.terms]),
  ...Object.values(referrers).flatMap((r) => r.map((x) => x[0])), ...Object.values(organicLandings).flat(),
]);

// whole URLs made once: the hot path only picks them
export const categoryUrls = categories.map((c) => `${SITE}/category/${c}`);
export const blogUrls = blogPosts.map((b) => `${SITE}/blog/${b}`);
export const searchUrls = searchTerms.map((q) => `${SITE}/search?q=${q}`);
export const HOME_URL = `${SITE}/`, SIGNUP_URL = `${SITE}/account/signup`, CHECKOUT_URL = `${SITE}/checkout`, CONFIRMATION_URL = `${SITE}/checkout/confirmation`;

