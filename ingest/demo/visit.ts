// One visit to the shop: where it came from, the landing pageview and the burst of browsing after it,
// ending in a bounce, an abandoned cart or a purchase.
import { DAY } from './clock.ts';
import { discounted, nextOrderId, placeOrder, type Placed } from './orders.ts';
import { newCustomerId, nextStep, recordEvent, type PersonState } from './person-state.ts';
import { geometric, pickOf, weighted, type Rng } from './random.ts';
import { money } from './rows.ts';
import type { Run } from './run.ts';
import {
  blogUrls, campaigns, categoryUrls, CHECKOUT_URL, CONFIRMATION_URL, HOME_URL, organicLandings, products, referrers, searchUrls, SIGNUP_URL, SITE,
  type Organic,
} from './world.ts';

/** Where a visit came from. */
interface VisitSource {
  campaign: number; // index into campaigns, -1 = none
  referrer: string;
  landing: string;
  content: string;
  term: string;
}

export interface Visit {
  at: number;
  source: VisitSource;
  /** the visit of a planned (repeat) order */
  purchase: boolean;
}

const pickReferrer = Object.fromEntries(Object.entries(referrers).map(([k, v]) => [k, weighted(v)])) as Record<Organic, (rng: Rng) => string>;

export function campaignSource(rng: Rng, c: number): VisitSource {
  const camp = campaigns[c]!;
  return { campaign: c, referrer: camp.referrer, landing: pickOf(rng, camp.landing), content: pickOf(rng, camp.contents), term: camp.terms.length ? pickOf(rng, camp.terms) : '' };
}
export function organicSource(rng: Rng, k: Organic): VisitSource {
  return { campaign: -1, referrer: pickReferrer[k](rng), landing: pickOf(rng, organicLandings[k]), content: '', term: '' };
}

/** A page somewhere on the site: a category, a product, a blog post or the home page. */
export function randomUrl(rng: Rng): string {
  const r = rng();
  return r < 0.5 ? pickOf(rng, categoryUrls) : r < 0.75 ? pickOf(rng, products).url : r < 0.9 ? pickOf(rng, blogUrls) : HOME_URL;
}

/**
 * One visit: a burst of events seconds to minutes apart, ending in a purchase when planned. Returns the
 * order placed, 'carted' when the visitor carted and left without buying, or null.
 */
export function play(run: Run, p: PersonState, v: Visit, purchase: boolean): Placed | 'carted' | null {
  const { rng, start } = run;
  const src = v.source;
  const camp = src.campaign >= 0 ? campaigns[src.campaign]! : null;
  let url = SITE + src.landing;
  if (camp) {
    url += `${url.includes('?') ? '&' : '?'}utm_source=${camp.source}&utm_medium=${camp.medium}&utm_campaign=${camp.name}`;
    if (src.content) url += `&utm_content=${src.content}`;
    if (src.term) url += `&utm_term=${src.term.replace(/ /g, '+')}`;
  }
  const landedAt = recordEvent(run, p, v.at, 'pageview', url, src.referrer, src.campaign, src.content, src.term, '', null);
  if (camp && landedAt >= start) run.report.landing(src.campaign, Math.floor((landedAt - start) / DAY));
  const until = landedAt + 25 * 60; // browsing stops here; a checkout adds at most ~40 minutes
  if (!purchase && rng() < 0.38) return null; // bounce
  for (let i = 0, n = 1 + geometric(rng, 0.25, 14); i < n && p.lastT < until; i++) {
    const r = rng();
    if (r < 0.45) recordEvent(run, p, nextStep(run, p), 'product_view', pickOf(rng, products).url, '', -1, '', '', '', null);
    else if (r < 0.8) recordEvent(run, p, nextStep(run, p), 'pageview', randomUrl(rng), '', -1, '', '', '', null);
    else recordEvent(run, p, nextStep(run, p), 'search', pickOf(rng, searchUrls), '', -1, '', '', '', null);
  }
  if (!p.customerId && rng() < (purchase ? 0.4 : 0.07)) {
    p.customerId = newCustomerId(run); // the signup event is the first to carry the identity link
    p.subscribed = rng() < 0.8;
    recordEvent(run, p, nextStep(run, p), 'signup', SIGNUP_URL, '', -1, '', '', '', null);
  }
  if (!purchase) {
    if (rng() >= 0.14) return null;
    recordEvent(run, p, nextStep(run, p), 'add_to_cart', pickOf(rng, products).url, '', -1, '', '', '', null);
    if (rng() < 0.35) recordEvent(run, p, nextStep(run, p), 'begin_checkout', CHECKOUT_URL, '', -1, '', '', '', null);
    return 'carted';
  }
  let cents = 0;
  for (let i = 0, n = 1 + geometric(rng, 0.55, 5); i < n; i++) {
    const product = pickOf(rng, products);
    cents += product.cents;
    if (rng() < 0.7) recordEvent(run, p, nextStep(run, p), 'product_view', product.url, '', -1, '', '', '', null);
    recordEvent(run, p, nextStep(run, p), 'add_to_cart', product.url, '', -1, '', '', '', null);
  }
  recordEvent(run, p, nextStep(run, p), 'begin_checkout', CHECKOUT_URL, '', -1, '', '', '', null);
  if (!p.customerId) p.customerId = newCustomerId(run); // guest checkout: the purchase carries the new identity
  const coupon = camp?.coupon || (p.orderNo === 0 && p.subscribed && rng() < 0.35 ? 'WELCOME10' : rng() < 0.03 ? 'FREESHIP' : '');
  cents = discounted(cents, coupon);
  const at = recordEvent(run, p, p.lastT + 30 + Math.floor(rng() * 240), 'purchase', CONFIRMATION_URL, '', -1, '', '', nextOrderId(run), money(cents));
  return placeOrder(run, p, at + 1 + Math.floor(rng() * 4), p.visitorId, cents, coupon, camp);
}
