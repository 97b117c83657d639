// The simulation of one person over a run — a visitor's visits, ad impressions and orders, a crawler's
// bursts, a phone buyer's orders — each step taking the person's state explicitly.
import { DAY, HOUR } from './clock.ts';
import { officeHours, placeOrder, productsCents, repeatAt, type Placed } from './orders.ts';
import { newCustomerId, newPerson, recordEvent, type PersonState } from './person-state.ts';
import { cumulative, geometric, logBetween, mix32, pickIndex, pickOf, weighted, type Rng } from './random.ts';
import type { DemoPerson } from './rows.ts';
import type { Run } from './run.ts';
import { campaignSource, organicSource, play, randomUrl, type Visit } from './visit.ts';
import { campaigns, countries, crawlers, devices, NEWSLETTER, RETARGETING, userAgents, type Organic } from './world.ts';

/** How a person first arrives: by one of the campaigns (their weights), organically, as a crawler or by phone. */
const ORGANIC: Organic[] = ['search', 'social', 'referral', 'direct'];
const CRAWLER = campaigns.length + 4, OFFLINE = campaigns.length + 5;
const acquisition = cumulative([...campaigns.map((c) => c.weight), 14, 6, 4, 13, 0.25, 1.5]);
/** purchase propensity of an organic arrival relative to the average visitor (campaigns have `buyerLift`) */
const organicLift: Record<Organic, number> = { search: 1.1, social: 0.6, referral: 1, direct: 1.4 };

const pickDevice = weighted(devices);
const pickCountry = weighted(countries);
const pickReturnSource = weighted<Organic>([['direct', 50], ['search', 32], ['social', 10], ['referral', 8]]);
const firstPurchaseVisit = cumulative([0.45, 0.35, 0.2]);

/** The person numbered `index` of the run, or null when nothing they did falls inside the window. */
export function simulatePerson(run: Run, index: number): DemoPerson | null {
  const kind = pickIndex(acquisition, run.rng());
  const p = newPerson(run, index, kind === OFFLINE ? '' : `v${mix32((index ^ run.salt) >>> 0).toString(16).padStart(8, '0')}`);
  if (kind === OFFLINE) offlineBuyer(run, p);
  else if (kind === CRAWLER) crawler(run, p);
  else visitor(run, p, kind);
  if (!p.events.length && !p.orders.length) return null;
  return { index, visitor_id: p.visitorId, customer_id: p.customerId, bot: kind === CRAWLER, events: p.events, orders: p.orders, complaints: p.complaints };
}

/** Someone who only ever orders by phone. */
function offlineBuyer(run: Run, p: PersonState): void {
  p.customerId = newCustomerId(run);
  let at = officeHours(run, run.season.sample(run.rng));
  for (let orderNo = 1; at < run.end; orderNo++) {
    const placed = placeOrder(run, p, at, '', productsCents(run), '', null);
    const next = placed && repeatAt(run, placed, orderNo);
    if (!next) break;
    at = officeHours(run, next);
  }
}

/** A search-engine or SEO crawler: bursts of pageviews a second or two apart. */
function crawler(run: Run, p: PersonState): void {
  const { rng, end } = run;
  p.device = 'desktop';
  p.country = 'US';
  p.ua = pickOf(rng, crawlers);
  let t = run.season.sample(rng);
  for (let burst = 0, bursts = 1 + geometric(rng, 0.4, 6); burst < bursts && t < end; burst++) {
    for (let n = 0, pages = 5 + Math.floor(rng() * 36); n < pages && t < end; n++) {
      recordEvent(run, p, t, 'pageview', randomUrl(rng), '', -1, '', '', '', null);
      t = p.lastT + 1 + Math.floor(rng() * 4);
    }
    t += Math.floor(logBetween(rng, 6 * HOUR, 10 * DAY));
  }
}

/**
 * The impressions of the campaign that first reached the person, and their first visit if they clicked
 * (PR readers arrive without an impression we could log); null when they only ever saw the ads.
 */
function reachedBy(run: Run, p: PersonState, kind: number): Visit | null {
  const { rng, season, start } = run;
  const camp = campaigns[kind]!;
  const from = run.runFrom[kind]!, to = run.activeTo[kind]!;
  const campStart = start + from * DAY, campEnd = start + to * DAY;
  const src = campaignSource(rng, kind);
  if (camp.impMean === 0) return { at: season.sample(rng, from, to), source: src, purchase: false };
  if (rng() < camp.clickProb) {
    // impressions lead up to the landing; the last one is the ad that was clicked
    const n = 1 + geometric(rng, 1 / camp.impMean);
    const at = Math.max(season.sample(rng, from, to), campStart + 120);
    const times = [at - 3 - Math.floor(rng() * 40)];
    for (let i = 1; i < n; i++) times.push(times[i - 1]! - Math.floor(logBetween(rng, 20 * 60, 3 * DAY)));
    for (let i = times.length - 1; i >= 0; i--) if (times[i]! >= campStart) recordEvent(run, p, times[i]!, 'impression', '', '', kind, src.content, src.term, '', null);
    return { at, source: src, purchase: false };
  }
  const n = 1 + geometric(rng, 1 / camp.impMean);
  let t = season.sample(rng, from, to);
  for (let i = 0; i < n && t < campEnd; i++) {
    recordEvent(run, p, t, 'impression', '', '', kind, pickOf(rng, camp.contents), src.term, '', null);
    t = p.lastT + Math.floor(logBetween(rng, 20 * 60, 4 * DAY));
  }
  return null;
}

/** A person first reached by a campaign or arriving organically; maybe never visits (only impressions). */
function visitor(run: Run, p: PersonState, kind: number): void {
  const { rng, season, end, lastStart } = run;
  p.device = pickDevice(rng);
  p.country = pickCountry(rng);
  p.ua = pickOf(rng, userAgents[p.device]!);
  const organic = kind < campaigns.length ? null : ORGANIC[kind - campaigns.length]!;
  const first = organic ? { at: season.sample(rng), source: organicSource(rng, organic), purchase: false } : reachedBy(run, p, kind);
  if (!first || first.at > lastStart) return;

  const lift = organic ? organicLift[organic] : campaigns[kind]!.buyerLift;
  const buyer = rng() < 0.14 * lift;
  const purchaseVisit = buyer ? 1 + pickIndex(firstPurchaseVisit, rng()) : Infinity;
  let browseLeft = Math.max(geometric(rng, 0.4, 20), buyer ? purchaseVisit - 1 : 0);
  let visitNo = 0;

  for (let visit: Visit | null = first; visit; ) {
    visitNo++;
    // a retargeting or newsletter click may bring a first order, or a planned repeat order forward
    const clickIn = visit.source.campaign === RETARGETING || visit.source.campaign === NEWSLETTER;
    const pulled = clickIn && p.pending !== null && !p.pending.phone && p.pending.at - visit.at < 14 * DAY;
    if (pulled) p.pending = null;
    const purchase = visit.purchase || pulled || (p.orderNo === 0 && (visitNo >= purchaseVisit || (clickIn && rng() < 0.12)));
    const outcome = play(run, p, visit, purchase);
    if (outcome !== null && outcome !== 'carted') {
      p.orderNo++;
      schedule(run, p, outcome);
      if (p.orderNo === 1) browseLeft += geometric(rng, 0.6, 10);
    }

    // what comes next: the earliest of a browse visit, a planned order, a retargeting or newsletter click
    const gap = browseLeft > 0 ? visitGap(rng) : Infinity;
    const browseAt = gap < 6 * HOUR ? p.lastT + gap : gap < Infinity ? season.realign(rng, p.lastT + gap, p.lastT + 45 * 60) : Infinity;
    while (p.pending && p.pending.phone && p.pending.at < browseAt && p.pending.at < end) {
      const placed = placeOrder(run, p, officeHours(run, p.pending.at), '', productsCents(run), '', null);
      if (placed) p.orderNo++;
      schedule(run, p, placed);
    }
    let next: Visit | null = null;
    if (p.pending && !p.pending.phone && p.pending.at <= browseAt) {
      next = { at: Math.max(p.pending.at, p.lastT + 45 * 60), source: organicSource(rng, pickReturnSource(rng)), purchase: true };
    } else if (browseAt < Infinity) {
      next = { at: browseAt, source: organicSource(rng, pickReturnSource(rng)), purchase: false };
    }
    let nextAt = next ? next.at : Infinity;

    for (const [t, c, clicked] of touches(run, p, outcome === 'carted', nextAt)) {
      if (t >= Math.min(nextAt, end)) break;
      const at = recordEvent(run, p, t, 'impression', '', '', c, pickOf(rng, campaigns[c]!.contents), '', '', null);
      const clickAt = at + 5 + Math.floor(rng() * 60);
      if (clicked && clickAt < nextAt && clickAt <= lastStart) {
        next = { at: clickAt, source: campaignSource(rng, c), purchase: false };
        nextAt = clickAt;
        break;
      }
    }
    if (!next || next.at > lastStart) break;
    if (next.purchase) p.pending = null;
    else if (next.source.campaign < 0) browseLeft--;
    visit = next;
  }
}

/**
 * The ads that may reach the person between this visit and the next (at `nextAt`): retargeting after an
 * abandoned cart, and newsletter opens when subscribed. [time, campaign, clicked], in time order.
 */
function touches(run: Run, p: PersonState, abandoned: boolean, nextAt: number): [number, number, boolean][] {
  const { rng } = run;
  const found: [number, number, boolean][] = [];
  if (abandoned && rng() < 0.7) {
    let t = p.lastT;
    for (let i = 0, n = 2 + Math.floor(rng() * 7); i < n; i++) {
      t += Math.floor(logBetween(rng, 30 * 60, 2 * DAY));
      const clicked = rng() < campaigns[RETARGETING]!.clickProb / 2;
      found.push([t, RETARGETING, clicked]);
      if (clicked) break;
    }
  }
  if (p.subscribed) {
    for (const s of run.sends) {
      if (s <= p.lastT) continue;
      if (s >= Math.min(nextAt, run.end)) break;
      if (rng() < 0.35) found.push([s + Math.floor(logBetween(rng, 120, 30 * HOUR)), NEWSLETTER, rng() < campaigns[NEWSLETTER]!.clickProb]);
    }
  }
  if (found.length > 1) found.sort((a, b) => a[0] - b[0]);
  return found;
}

/** Plans the order after this one, if the customer comes back. */
function schedule(run: Run, p: PersonState, placed: Placed | null): void {
  const next = placed && repeatAt(run, placed, p.orderNo);
  p.pending = next ? { at: next, phone: run.rng() < 0.2 } : null;
}

/** seconds between two visits of one person: hours to weeks (always past a 30-minute session timeout) */
function visitGap(rng: Rng): number {
  const r = rng();
  return Math.floor(r < 0.25 ? logBetween(rng, 45 * 60, 6 * HOUR) : r < 0.6 ? logBetween(rng, 6 * HOUR, 3 * DAY) : logBetween(rng, 3 * DAY, 30 * DAY));
}
