// orders.csv: placing an order (status, items, coupon discounts and shipping) and when a customer orders
// again; a phone order comes in during office hours.
import { complain, complains } from './complaints.ts';
import { DAY, HOUR } from './clock.ts';
import { geometric, logBetween, pickOf, weighted } from './random.ts';
import { money, type DemoOrder } from './rows.ts';
import type { PersonState } from './person-state.ts';
import type { Run } from './run.ts';
import { products, type Campaign } from './world.ts';

/** An order that was placed, as far as the next one depends on it. */
export interface Placed {
  at: number;
  /** repurchase chance multiplier from a complaint about this order (1 = none) */
  recovery: number;
  complaintAt: number;
}

const repeatGaps = weighted<[number, number]>([[[0.5, 3], 0.14], [[3, 7], 0.14], [[7, 15], 0.14], [[15, 45], 0.28], [[45, 150], 0.3]]);
const statusOf = weighted<DemoOrder['status']>([['paid', 88], ['refunded', 7], ['cancelled', 5]]);

export function discounted(cents: number, coupon: string): number {
  const pct = coupon === 'WELCOME10' ? 10 : coupon === 'SPRING20' ? 20 : coupon === 'DEALS15' ? 15 : 0;
  const shipping = coupon === 'FREESHIP' || cents >= 5000 ? 0 : 395;
  return Math.round((cents * (100 - pct)) / 100) + shipping;
}

/** The total of a basket ordered without visiting the site (by phone). */
export function productsCents(run: Run): number {
  let cents = 0;
  for (let i = 0, n = 1 + geometric(run.rng, 0.55, 5); i < n; i++) cents += pickOf(run.rng, products).cents;
  return discounted(cents, '');
}

/** phone orders come in during office hours, on the day they were due or later */
export function officeHours(run: Run, t: number): number {
  const day = Math.floor(t / DAY) * DAY;
  const at = day + 9 * HOUR + Math.floor(run.rng() * 9 * HOUR);
  return at >= t ? at : at + DAY;
}

/** Adds an order (and maybe a complaint about it) for the person as customer; null when past the end. */
export function placeOrder(run: Run, p: PersonState, at: number, visitor: string, cents: number, coupon: string, camp: Campaign | null): Placed | null {
  const { rng, start } = run;
  if (at >= run.end) return null;
  const status = statusOf(rng);
  const orderId = nextOrderId(run);
  run.issued.orders++;
  const order: DemoOrder = {
    order_id: orderId, ts: run.clock.iso(at), customer_id: p.customerId, visitor_id: visitor, amount: money(cents), currency: run.currency, status, coupon,
    items: 1 + geometric(rng, 0.55, 5), utm_source: camp ? camp.source : '', utm_medium: camp ? camp.medium : '', utm_campaign: camp ? camp.name : '',
  };
  if (at >= start) p.orders.push(order); // earlier orders happened, but before the export
  const complaint = complains(run, status) ? complain(run, p, at, order, cents, at >= start) : null;
  return { at, recovery: complaint ? complaint.recovery : 1, complaintAt: complaint ? complaint.at : Infinity };
}

/** The id the person's next order will get (a purchase event names its order before it is placed). */
export function nextOrderId(run: Run): string {
  return `O${1000001 + run.issued.orders}`;
}

/** When the customer orders again after this order (the `orderNo`th), or null if they do not. */
export function repeatAt(run: Run, placed: Placed, orderNo: number): number | null {
  const { rng } = run;
  const [lo, hi] = repeatGaps(rng);
  const next = run.season.realign(rng, placed.at + Math.floor(logBetween(rng, lo, hi) * DAY), placed.at + HOUR);
  let chance = orderNo === 1 ? 0.5 : 0.42;
  if (placed.complaintAt < next) chance *= placed.recovery;
  return rng() < chance && next < run.end ? next : null;
}
