// A fixture small enough to check by hand (used by oracle.test.ts, which derives every number, and by
// metrics.test.ts, which loads it into the product): bots, identity labels, session rules, window edges.
import type { CampaignRow, OrderRow, RawData, WebRow } from './oracle.ts';
import { formatCsv } from './oracle.ts';

const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const crawler = 'Mozilla/5.0 (compatible; GoogleBot/2.1; +http://www.google.com/bot.html)';
let n = 0;
const ev = (ts: string, visitorId: string, event: string, extra: Partial<WebRow> = {}): WebRow => ({
  eventId: `e${String(++n).padStart(3, '0')}`, ts: Date.parse(ts), visitorId, customerId: '', event, userAgent: chrome, ...extra,
});
const order = (orderId: string, ts: string, customerId: string, amount: number, extra: Partial<OrderRow> = {}): OrderRow => ({
  orderId, ts: Date.parse(ts), customerId, visitorId: '', amount, status: 'paid', ...extra,
});
const campaign = (date: string, source: string, medium: string, name: string, audience: number, reach: number): CampaignRow => ({
  date, source, medium, campaign: name, audience, reach,
});

// Day 0 is 2026-01-05. The funnel period is [2026-01-05, 2026-01-12).
export const edgeFixture: RawData = {
  web: [
    // A (visitor vA, customer C2): impression 10:00, pageviews 10:05 and 10:06 (the 2nd pageview and the
    // first event ≥ 60 s into the session: engaged 10:06), add_to_cart 10:07, then order O1 at 10:10.
    ev('2026-01-05T10:00:00Z', 'vA', 'impression'),
    ev('2026-01-05T10:05:00Z', 'vA', 'pageview', { customerId: 'C2' }),
    ev('2026-01-05T10:06:00Z', 'vA', 'PageView'),
    ev('2026-01-05T10:07:00Z', 'vA', 'add_to_cart'),
    // vA2 is C2 too, and order O9 links it to C10: the component {vA, vA2, C2, C10} is labelled 'C10'
    // ('C10' < 'C2' as strings). Its one pageview is the only visit of 2026-02-20..03-01.
    ev('2026-02-24T12:00:00Z', 'vA2', 'pageview', { customerId: 'C2' }),
    // a crawler on vA claiming C01 would relabel the component 'C01' if bots linked identities
    ev('2026-01-05T11:00:00Z', 'vA', 'pageview', { customerId: 'C01', userAgent: crawler }),
    // B: impression and a one-event visit on day 1; engaged only on day 40, after its 30-day window
    ev('2026-01-06T11:00:00Z', 'vB', 'impression'),
    ev('2026-01-06T12:00:00Z', 'vB', 'pageview'),
    ev('2026-02-14T12:00:00Z', 'vB', 'product_view'),
    // C: intent (09:01) before engaged (09:02 is ≥ 60 s into the session; search at 09:03): interest only
    ev('2026-01-07T09:00:00Z', 'vC', 'impression'),
    ev('2026-01-07T09:01:00Z', 'vC', 'add_to_cart'),
    ev('2026-01-07T09:02:00Z', 'vC', 'pageview'),
    ev('2026-01-07T09:03:00Z', 'vC', 'search'),
    // D: a crawler, excluded everywhere (also its late event does not move the end of the data)
    ev('2026-01-05T10:00:00Z', 'vD', 'impression', { userAgent: crawler }),
    ev('2026-01-05T10:01:00Z', 'vD', 'pageview', { userAgent: crawler }),
    ev('2026-03-06T10:01:00Z', 'vD', 'pageview', { userAgent: crawler }),
    // E: impression 08:00, pageview 08:00, page_view and checkout 08:01 (engaged = intent = 08:01, equal
    // times allowed), a purchase event exactly 30 days after the impression (inside the window)
    ev('2026-01-08T08:00:00Z', 'vE', 'impression'),
    ev('2026-01-08T08:00:00Z', 'vE', 'pageview'),
    ev('2026-01-08T08:01:00Z', 'vE', 'page_view'),
    ev('2026-01-08T08:01:00Z', 'vE', 'checkout'),
    ev('2026-02-07T08:00:00Z', 'vE', 'purchase'),
    // F: impressions on day 0 and day 6, a search on day 6 00:05 — both starts reach interest; the
    // earliest (day 0) is the one whose times count. No pageview: never a visit.
    ev('2026-01-05T00:00:00Z', 'vF', 'impression'),
    ev('2026-01-11T00:00:00Z', 'vF', 'impression'),
    ev('2026-01-11T00:05:00Z', 'vF', 'search'),
    // G: pageviews at 10:00 and 10:30 (exactly 30 minutes: one session, engaged at its 2nd pageview) and
    // 11:01 (31 minutes later: a new session)
    ev('2026-01-09T10:00:00Z', 'vG', 'pageview'),
    ev('2026-01-09T10:30:00Z', 'vG', 'pageview'),
    ev('2026-01-09T11:01:00Z', 'vG', 'pageview'),
    // H: pageviews 40 minutes apart with an impression between them: impressions belong to no session,
    // so these are two one-pageview sessions and H never engages
    ev('2026-01-10T10:00:00Z', 'vH', 'pageview'),
    ev('2026-01-10T10:20:00Z', 'vH', 'impression'),
    ev('2026-01-10T10:40:00Z', 'vH', 'pageview'),
  ],
  orders: [
    order('O1', '2026-01-05T10:10:00Z', 'C2', 50, { visitorId: 'vA' }),
    order('O2', '2026-01-25T10:10:00Z', 'C2', 30), // exactly 20 days after O1
    order('O4', '2026-01-31T23:00:00Z', 'C3', 20),
    order('O5', '2026-02-01T01:00:00Z', 'C3', 25), // 2 hours later, next month
    order('O6', '2026-02-10T12:00:00Z', 'C4', 40),
    order('O7', '2026-02-10T13:00:00Z', 'C4', 40, { status: 'refunded' }),
    order('O8', '2026-02-11T00:00:00Z', 'C4', 0),
    // cancelled: links vA2 to C10 and is the last data instant, but makes nobody a customer
    order('O9', '2026-02-26T00:00:00Z', 'C10', 15, { visitorId: 'vA2', status: 'cancelled' }),
  ],
  campaigns: [
    campaign('2026-01-05', 'google', 'cpc', 'x', 1000, 10),
    campaign('2026-01-06', 'google', 'cpc', 'x', 1500, 20),
    campaign('2026-01-13', 'google', 'cpc', 'x', 9999, 99), // after the period
    campaign('2026-01-07', 'facebook', 'paid_social', 'y', 500, 5),
  ],
};
/** The fixture as CSV files of the four canonical kinds' columns (ISO instants), for ingest. */
export function edgeFixtureCsv(raw: RawData = edgeFixture): { web: string; orders: string; campaigns: string } {
  const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
  return {
    web: formatCsv([
      ['event_id', 'ts', 'visitor_id', 'customer_id', 'event', 'user_agent'],
      ...raw.web.map((r) => [r.eventId, iso(r.ts), r.visitorId, r.customerId, r.event, r.userAgent]),
    ]),
    orders: formatCsv([
      ['order_id', 'ts', 'customer_id', 'visitor_id', 'amount', 'status'],
      ...raw.orders.map((o) => [o.orderId, iso(o.ts), o.customerId, o.visitorId, o.amount.toFixed(2), o.status]),
    ]),
    campaigns: formatCsv([
      ['date', 'source', 'medium', 'campaign', 'audience', 'reach'],
      ...raw.campaigns.map((c) => [c.date, c.source, c.medium, c.campaign, String(c.audience ?? ''), String(c.reach ?? '')]),
    ]),
  };
}
