// One person's explicit state while they are simulated — identity, device, their own clock, what they
// have done so far — and the recording of their web events into it.
import { DAY } from './clock.ts';
import { logBetween } from './random.ts';
import type { DemoComplaint, DemoEvent, DemoEventType, DemoOrder } from './rows.ts';
import type { Run } from './run.ts';
import { campaigns } from './world.ts';

export interface PersonState {
  readonly index: number;
  /** '' for someone who only orders by phone */
  readonly visitorId: string;
  /** '' until they sign up or check out as a guest */
  customerId: string;
  device: string;
  country: string;
  ua: string;
  /** the time of their latest event: their events are strictly increasing in time */
  lastT: number;
  /** orders placed so far */
  orderNo: number;
  /** on the newsletter list */
  subscribed: boolean;
  /** their next order, planned when the last one was placed: online on a visit, or by phone */
  pending: { at: number; phone: boolean } | null;
  /** per campaign, the last window day they were counted in its reach */
  readonly reachDay: Int32Array;
  readonly events: DemoEvent[];
  readonly orders: DemoOrder[];
  readonly complaints: DemoComplaint[];
}

export function newPerson(run: Run, index: number, visitorId: string): PersonState {
  return {
    index, visitorId, customerId: '', device: '', country: '', ua: '', lastT: run.start - run.warm * DAY - 1,
    orderNo: 0, subscribed: false, pending: null, reachDay: new Int32Array(campaigns.length).fill(-1), events: [], orders: [], complaints: [],
  };
}

/**
 * Records a web event at `t`, or just after the person's previous one, and returns its time. Events
 * before the window move the person's clock but are not kept, as a log export would cut them.
 */
export function recordEvent(
  run: Run, p: PersonState, t: number, type: DemoEventType, url: string, referrer: string, campaign: number, content: string, term: string, orderId: string, value: number | null,
): number {
  if (t <= p.lastT) t = p.lastT + 1;
  p.lastT = t;
  if (t < run.start) return t;
  const camp = campaign >= 0 ? campaigns[campaign]! : null;
  if (type === 'impression') {
    const d = Math.floor((t - run.start) / DAY);
    const newReach = p.reachDay[campaign] !== d;
    if (newReach) p.reachDay[campaign] = d;
    run.report.impression(campaign, d, newReach);
  }
  p.events.push({
    event_id: `e${++run.issued.events}`, ts: run.clock.iso(t), visitor_id: p.visitorId, customer_id: p.customerId, event: type, url, referrer,
    utm_source: camp ? camp.source : '', utm_medium: camp ? camp.medium : '', utm_campaign: camp ? camp.name : '', utm_content: content, utm_term: term,
    device: p.device, country: p.country, order_id: orderId, value, user_agent: p.ua,
  });
  return t;
}

/** The time of the next event of a visit: a few seconds to a few minutes after the last. */
export function nextStep(run: Run, p: PersonState): number {
  return p.lastT + 4 + Math.floor(logBetween(run.rng, 6, 150));
}

export function newCustomerId(run: Run): string {
  return `C${100001 + run.issued.customers++}`;
}
