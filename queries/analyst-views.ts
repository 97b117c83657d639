// What analysts get in the DuckDB file itself (SPEC §3): the stable `v_*` views, each column commented,
// and table macros that return the product's own metrics — `FROM funnel('2026-10-01', '2026-11-01')`,
// `FROM retention('month')` — built from the same SQL builders as the API, so the numbers agree.
// Installed (replaced) whenever ingest or the server brings the derived tables up to date.
import { sql } from 'kysely';
import type { Config } from './config.ts';
import { compileLiteral as compile } from './db/compile.ts';
import type { Db } from './db/open.ts';
import { sqlString } from './db/quote.ts';
import { customersSql, keptRetentionBaseSql, retentionCellsSql } from './retention.ts';
import { lifecycleSql } from './customers.ts';
import { funnelMacro } from './funnel/macro.ts';
import { campaignKindSql } from './shared/brand.ts';
import { customerPlacesSql } from './countries.ts';
import { dataEndSql, metricKinds } from './shared/data-range.ts';
import { bucketSql } from './shared/period.ts';
import { cancelledOrderSql, soldLineSql, validOrderSql } from './shared/orders.ts';
import { orderPerson, visitorPerson } from './shared/persons.ts';

interface ViewDef {
  name: string;
  comment: string;
  sql: string;
  columns: Record<string, string>;
}

function views(config: Config): ViewDef[] {
  const tz = sqlString(config.timezone);
  const [event, session, order] = [visitorPerson('e'), visitorPerson('s'), orderPerson('o')];
  const day = (ts: string) => compile(bucketSql('day', sql.raw(ts), config));
  const utm = { utm_source: 'utm_source tag (from the row or its URL)', utm_medium: 'utm_medium tag', utm_campaign: 'utm_campaign tag' };
  return [
    {
      name: 'v_events',
      comment: 'Web events without crawlers (is_bot rows are left out), with the person each belongs to.',
      sql: `select e.event_id, e.ts, timezone(${tz}, e.ts) as local_ts, ${event.person} as person_id, e.visitor_id, e.session_id, e.customer_id,
        e.event, e.url, e.path, e.referrer, e.referrer_host, e.utm_source, e.utm_medium, e.utm_campaign, e.utm_content, e.utm_term,
        e.channel, e.device, e.country, e.order_id, e.value, e.is_pageview, e.status_code, e.source_file
        from events e ${event.join} where not e.is_bot`,
      columns: {
        event_id: 'unique event id (given, or a hash of visitor, time, event and URL)', ts: 'when it happened (UTC instant)',
        local_ts: `wall-clock time in the reporting time zone (${config.timezone})`, person_id: 'the person: the linked customer id, else the visitor id',
        visitor_id: 'visitor (device/cookie) id; for access logs a salted hash of IP and user agent', session_id: 'session (30 minutes of inactivity ends one, unless the file gave ids); null for ad impressions',
        customer_id: 'customer id when the event carried one', event: 'event type, lower case (pageview, product_view, add_to_cart, purchase, impression ...)',
        url: 'full URL', path: 'URL path without query string', referrer: 'referring URL', referrer_host: 'host of the referrer',
        ...utm, utm_content: 'utm_content tag', utm_term: 'utm_term tag', channel: "the session's channel (first matching channel rule)",
        device: 'desktop, mobile, tablet (given or from the user agent)', country: 'country as given', order_id: 'order id for purchase events',
        value: 'event value (e.g. purchase amount), DECIMAL(18,2)', is_pageview: 'counts as a pageview (non-asset, non-error page request or pageview event)',
        status_code: 'HTTP status for access-log rows', source_file: 'ingests.file_id of the file the row came from',
      },
    },
    {
      name: 'v_sessions',
      comment: 'Sessions without crawlers, with the person, landing page and channel.',
      sql: `select s.session_id, ${session.person} as person_id, s.visitor_id, s.customer_id, s.start_ts, s.end_ts, ${day('s.start_ts')} as day,
        s.duration_s, s.events, s.pageviews, s.pageviews <= 1 as bounced, s.landing_url, s.landing_path, s.referrer, s.referrer_host,
        s.utm_source, s.utm_medium, s.utm_campaign, s.utm_content, s.utm_term, s.channel, s.device, s.country
        from sessions s ${session.join} where not s.is_bot`,
      columns: {
        session_id: 'session id', person_id: 'the person: linked customer id, else visitor id', visitor_id: 'visitor id', customer_id: 'customer id seen in the session',
        start_ts: 'first event (UTC)', end_ts: 'last event (UTC)', day: `local date of the start (${config.timezone})`, duration_s: 'seconds from first to last event',
        events: 'events in the session', pageviews: 'pageviews in the session', bounced: 'at most one pageview', landing_url: 'first URL', landing_path: 'first path',
        referrer: 'referrer of the first event', referrer_host: 'its host', ...utm, utm_content: 'utm_content of the first event', utm_term: 'utm_term of the first event',
        channel: 'channel from the landing referrer and tags (SPEC §4 rules)', device: 'device', country: 'country',
      },
    },
    {
      name: 'v_orders',
      comment: 'Orders with validity (paid-like status and amount > 0: the only ones metrics count) and the person.',
      sql: `select o.order_id, o.ts, ${day('o.ts')} as day,
        ${order.person} as person_id,
        o.customer_id, o.visitor_id, o.amount, o.currency, o.status, ${validOrderSql('o')} as is_valid, o.items, o.coupon,
        o.utm_source, o.utm_medium, o.utm_campaign, o.channel, o.country, o.city, o.source_file
        from orders o ${order.join}`,
      columns: {
        order_id: 'order id (unique)', ts: 'order time (UTC)', day: `local date (${config.timezone})`, person_id: 'the person (customer id, or the visitor for guest orders)',
        customer_id: 'customer id (null: a guest order; not a customer for retention and tiers)', visitor_id: 'visitor id when the export carried one',
        amount: 'order amount, DECIMAL(18,2): sums stay exact to the cent', currency: 'currency code', status: 'paid, cancelled, refunded, ...', is_valid: 'counted by metrics: paid-like status and amount > 0',
        items: 'number of items', coupon: 'coupon code', ...utm, channel: 'channel from the tags', country: 'country the order went to, as given', city: 'city, as given',
        source_file: 'ingests.file_id',
      },
    },
    {
      name: 'v_customers',
      comment: `One row per customer (orders.customer_id with a valid order): first and last order, orders, revenue, lifetime A/B/C tier and lifecycle stage as of the day after the last order.`,
      sql: (() => {
        // as of the day after the last order, like GET /api/customers/lifecycle (data-range.ts)
        const asOf = sql`(select ${bucketSql('day', sql`d.last_ts`, config)} + 1 from (${dataEndSql(config, metricKinds.customers)}) d)`;
        const end = sql`timezone(${sql.lit(config.timezone)}, ${asOf}::timestamp)`;
        return compile(sql`
          select c.customer_id, c.first_ts as first_order_at, c.last_ts as last_order_at, c.orders::integer as orders, c.revenue,
            l.tier, l.stage as lifecycle, l.cooling, l.days_since::integer as days_since_last_order, p.country, p.city
          from (${customersSql}) c left join (${lifecycleSql(config, end, asOf)}) l on l.id = c.customer_id and l.identified
            left join (${customerPlacesSql}) p on p.customer_id = c.customer_id`);
      })(),
      columns: {
        customer_id: 'customer id', first_order_at: 'first valid order (UTC)', last_order_at: 'latest valid order (UTC)', orders: 'valid orders',
        revenue: 'revenue of valid orders (an exact DECIMAL sum)', tier: `lifetime A/B/C tier: A = the smallest top set making ${config.tiers.a * 100}% of revenue, B up to ${config.tiers.b * 100}%, C the rest`,
        lifecycle: `A active (last order within ${config.lapsed_days} days), D lapsed (longer), E drop candidate (tier C with returns or serious complaints)`,
        cooling: `stage A but no order for more than ${config.active_days} days`, days_since_last_order: "days from the customer's last order to the day after the last order in the data",
        country: 'the country of most of their valid orders (a tie: the latest order); null when no order had one',
        city: 'the city of their latest valid order in that country',
      },
    },
    {
      name: 'v_order_items',
      comment: 'Lines of line-item exports with their order: sold lines (the only ones product metrics count), cancelled lines and adjustments told apart.',
      sql: `select i.order_id, i.line, o.ts, ${day('o.ts')} as day, o.customer_id, i.sku, i.description,
        i.quantity, i.unit_price, i.amount, i.currency, o.status,
        case when ${soldLineSql('i', 'o')} then 'sold' when ${cancelledOrderSql('o')} then 'cancelled'
          when i.quantity <= 0 or i.unit_price <= 0 then 'adjustment' else 'not valid' end as line_kind,
        ${soldLineSql('i', 'o')} as is_sold, ${cancelledOrderSql('o')} as is_cancelled, o.country, o.city, i.source_file
        from order_items i join orders o using (order_id)`,
      columns: {
        order_id: 'order (invoice) id, as in v_orders', line: "the line's position within its order in the file (1 = first)", ts: 'order time (UTC)',
        day: `local date of the order (${config.timezone})`, customer_id: "the order's customer id (null: a guest order)",
        sku: 'product code (SKU, StockCode, product_id) as given', description: 'product name or description as given',
        quantity: 'quantity (negative on online-retail cancellation lines)', unit_price: 'unit price', amount: 'quantity × unit price',
        currency: "the order's currency", status: "the order's status (paid, cancelled, refunded, adjustment ...)",
        line_kind: 'sold (valid order, quantity > 0, unit price > 0), cancelled (cancelled order), adjustment (quantity or price ≤ 0), not valid (e.g. refunded or unpaid order)',
        is_sold: 'counted as product revenue and quantity', is_cancelled: 'a line of a cancelled order', country: "the order's country", city: "the order's city",
        source_file: 'ingests.file_id of the file the line came from',
      },
    },
    {
      name: 'v_campaigns',
      comment: 'The campaigns log, one row per day and campaign, with click-through rate, cost per click and the brand/direct-response kind.',
      sql: `select c.date, c.source, c.medium, c.campaign, ${compile(campaignKindSql(config, sql`c.campaign`, sql`nullif(c.medium, '')`))} as kind,
        c.audience, c.impressions, c.reach, c.clicks, c.cost, c.currency,
        case when c.impressions > 0 then c.clicks / c.impressions end as ctr, case when c.clicks > 0 then round(c.cost / c.clicks, 4)::decimal(18,4) end as cpc, c.source_file
        from campaigns c`,
      columns: {
        date: 'day', source: "utm_source of the campaign ('' when the file had none)", medium: "utm_medium ('' when none)", campaign: 'campaign name (utm_campaign)',
        kind: 'brand or direct-response (config brand_campaigns)', audience: 'target audience size reported for the day', impressions: 'ads shown',
        reach: 'people reached that day (summing days over-counts)', clicks: 'clicks', cost: 'spend, DECIMAL(18,2)', currency: 'currency code',
        ctr: 'clicks / impressions', cpc: 'cost / clicks, DECIMAL rounded to 4 places', source_file: 'ingests.file_id',
      },
    },
    {
      name: 'v_complaints',
      comment: 'Complaints with the category label, severity and hours to first response and to resolution.',
      sql: `select k.complaint_id, k.ts, k.customer_id, k.order_id, k.category,
        coalesce(${categoryLabels(config)}, k.category) as category_label, k.severity, k.amount, k.responded_at, k.resolved_at,
        epoch(k.responded_at - k.ts) / 3600 as hours_to_response, epoch(k.resolved_at - k.ts) / 3600 as hours_to_resolution, k.status, k.source_file
        from complaints k`,
      columns: {
        complaint_id: 'complaint id', ts: 'when it was raised (UTC)', customer_id: 'customer', order_id: 'order it concerns', category: 'category code (O1, W1, Y5 ...)',
        category_label: 'category name (config complaint_categories)', severity: 'minor, general or serious', amount: 'amount claimed, DECIMAL(18,2)',
        responded_at: 'first response', resolved_at: 'resolution', hours_to_response: 'hours from complaint to first response',
        hours_to_resolution: 'hours from complaint to resolution', status: 'status as given', source_file: 'ingests.file_id',
      },
    },
  ];
}

function categoryLabels(config: Config): string {
  const entries = Object.entries(config.complaint_categories);
  if (!entries.length) return 'null';
  return `(case k.category ${entries.map(([code, label]) => `when ${sqlString(code)} then ${sqlString(label)}`).join(' ')} end)`;
}

export interface MacroDef {
  name: string;
  sql: string;
  comment: string;
}

export function analystMacros(config: Config): MacroDef[] {
  const cells = compile(retentionCellsSql(config, { grain: sql.raw('grain'), mode: sql.raw('mode') }, keptRetentionBaseSql(sql.raw('grain'))));
  return [
    { name: 'funnel', sql: funnelMacro(config), comment: 'The AIDA funnel for [from_date, to_date) in the reporting time zone: one row per step (as GET /api/funnel).' },
    {
      name: 'retention',
      sql: `create or replace macro retention(grain := 'month', mode := 'standard') as table ${cells}`,
      comment: "Retention cohorts, one row per (cohort, k): grain 'week' or 'month', mode 'standard', 'rolling' or 'first-repeat' (as GET /api/retention).",
    },
  ];
}

/** Creates or replaces every analyst view and macro with its comments. */
export async function installAnalystViews(db: Db, config: Config): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    // v.sql and m.sql are SQL text of aida's own builders, stored as the view's and macro's body
    for (const v of views(config)) {
      await sql`create or replace view ${sql.id(v.name)} as ${sql.raw(v.sql)}`.execute(trx);
      await sql`comment on view ${sql.id(v.name)} is ${sql.lit(v.comment)}`.execute(trx);
      for (const [column, text] of Object.entries(v.columns)) await sql`comment on column ${sql.id(v.name, column)} is ${sql.lit(text)}`.execute(trx);
    }
    for (const m of analystMacros(config)) {
      await sql.raw(m.sql).execute(trx);
      await sql`comment on macro table ${sql.id(m.name)} is ${sql.lit(m.comment)}`.execute(trx);
    }
  });
}
