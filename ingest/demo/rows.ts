// What the demo writes: the four kinds of file, their names and column order, and the row types a
// generated person carries.

export type DemoKind = 'web' | 'sales' | 'campaigns' | 'complaints';
export const demoKinds: DemoKind[] = ['web', 'sales', 'campaigns', 'complaints'];

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

/** Amounts are whole cents while simulated and currency units in the rows. */
export const money = (cents: number) => cents / 100;
