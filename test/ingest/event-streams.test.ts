// GA4 BigQuery exports (NDJSON and Parquet) and Segment messages through the real pipeline: events,
// sessions, persons after identity links, orders from purchases, channels from the UTM, and the
// properties every other key keeps; a CSV's extra column kept in properties too.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { installAnalystViews } from '../../queries/analyst-views.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

// Field names, nesting and types of the export's `events_YYYYMMDD` table (developers.google.com/analytics/
// bigquery/event-schema); BigQuery's JSON export writes INT64 values as strings and every field, null or not.
interface Ga4Event {
  ts: number;
  name: string;
  pseudo: string;
  user?: string;
  params: Record<string, string | number>;
  device?: string;
  country?: string;
  manual?: { source: string; medium: string; campaign: string } | null;
  gclid?: string;
  ecommerce?: { transaction_id: string; purchase_revenue: number } | null;
  bundle?: number;
}

const ga4Param = (key: string, v: string | number) => ({
  key,
  value: { string_value: typeof v === 'string' ? v : null, int_value: Number.isInteger(v) ? String(v) : null, float_value: null, double_value: typeof v === 'number' && !Number.isInteger(v) ? v : null },
});

function ga4Json(e: Ga4Event): string {
  return JSON.stringify({
    event_date: new Date(e.ts / 1000).toISOString().slice(0, 10).replaceAll('-', ''),
    event_timestamp: String(e.ts),
    event_name: e.name,
    event_params: Object.entries(e.params).map(([k, v]) => ga4Param(k, v)),
    event_previous_timestamp: null,
    event_value_in_usd: null,
    event_bundle_sequence_id: String(e.bundle ?? 1),
    event_server_timestamp_offset: '512',
    user_id: e.user ?? null,
    user_pseudo_id: e.pseudo,
    privacy_info: { analytics_storage: 'Yes', ads_storage: 'Yes', uses_transient_token: 'No' },
    user_properties: [],
    user_first_touch_timestamp: String(e.ts),
    user_ltv: null,
    device: { category: e.device ?? 'desktop', mobile_brand_name: null, operating_system: 'Windows', browser: null, language: 'en-us', web_info: { browser: 'Chrome', browser_version: '130.0', hostname: 'shop.example' } },
    geo: { city: 'Lyon', country: e.country ?? 'France', continent: 'Europe', region: 'Auvergne-Rhone-Alpes', sub_continent: 'Western Europe', metro: '(not set)' },
    app_info: null,
    traffic_source: { name: '(organic)', medium: 'organic', source: 'google' },
    stream_id: '4178813452',
    platform: 'WEB',
    ecommerce: e.ecommerce ? { total_item_quantity: '1', purchase_revenue_in_usd: null, purchase_revenue: e.ecommerce.purchase_revenue, refund_value: null, shipping_value: null, tax_value: null, unique_items: '1', transaction_id: e.ecommerce.transaction_id } : null,
    items: [],
    collected_traffic_source: e.manual || e.gclid
      ? { manual_campaign_id: null, manual_campaign_name: e.manual?.campaign ?? null, manual_source: e.manual?.source ?? null, manual_medium: e.manual?.medium ?? null, manual_term: null, manual_content: null, gclid: e.gclid ?? null, dclid: null, srsltid: null }
      : null,
    is_active_user: true,
    batch_event_index: '1',
    batch_page_id: '1',
    batch_ordering_id: '1',
  });
}

const t0 = 1793613600000000; // 2026-11-02T10:00:00Z in microseconds
const t1 = 1793694600000000; // 2026-11-03T08:30:00Z
const session = 1793613600; // ga_session_id: the session's start in seconds, as gtag sets it
const newsletter = { source: 'newsletter', medium: 'email', campaign: 'nov_sale' };
const ga4Events: Ga4Event[] = [
  { ts: t0, name: 'page_view', pseudo: '1111.1793613600', manual: newsletter, params: { page_location: 'https://shop.example/sale?utm_source=newsletter&utm_medium=email', ga_session_id: session, engagement_time_msec: 100, experiment: 'B' } },
  { ts: t0 + 60e6, name: 'view_item', pseudo: '1111.1793613600', manual: newsletter, params: { page_location: 'https://shop.example/p/beanie', ga_session_id: session, experiment: 'B' } },
  {
    ts: t0 + 120e6, name: 'purchase', pseudo: '1111.1793613600', user: 'cust-42', manual: newsletter,
    ecommerce: { transaction_id: 'T-1001', purchase_revenue: 59.9 }, params: { page_location: 'https://shop.example/thanks', ga_session_id: session, currency: 'EUR', value: 59.9, experiment: 'B' },
  },
  { ts: t1, name: 'page_view', pseudo: '2222.1793694600', device: 'mobile', country: 'Germany', gclid: 'Cj0KCQiA', params: { page_location: 'https://shop.example/', page_referrer: 'https://www.google.com/', ga_session_id: 1793694600, experiment: 'A' } },
  // GA4 sends purchases without a transaction id too ("(not set)"): no order can be made of one
  { ts: t1 + 30e6, name: 'purchase', pseudo: '2222.1793694600', device: 'mobile', country: 'Germany', ecommerce: { transaction_id: '(not set)', purchase_revenue: 12 }, params: { ga_session_id: 1793694600, currency: 'EUR' } },
];

let w: TempWarehouse;
beforeAll(async () => {
  w = await tempWarehouse();
  await installAnalystViews(w.db, resolveConfig({}));
});
afterAll(async () => w.close());

describe('GA4 BigQuery export, NDJSON', () => {
  it('loads events, sessions, persons, the purchase as an order, and keeps every parameter', async () => {
    const lines = ga4Events.map(ga4Json);
    const bad = ga4Json({ ...ga4Events[0]!, params: {} }).replace(`"event_timestamp":"${t0}"`, '"event_timestamp":"yesterday"');
    const file = w.file('events_20261102.json', [...lines.slice(0, 2), lines[1], ...lines.slice(2), bad].join('\n') + '\n');
    const s = await w.ingest(file);
    // 7 lines: 5 events, line 3 repeats line 2 (an overlapping export), line 7 has no readable time
    expect(s).toMatchObject({ status: 'loaded', kind: 'web', format: 'ndjson', profile: 'ga4', rowsIn: 7, rowsLoaded: 5, rowsDuplicate: 1, rowsRejected: 1 });
    expect(await w.rows('select line, reason from rejects')).toEqual([
      { line: 7, reason: expect.stringMatching(/^ts \(column "event_timestamp"\) 'yesterday' /) },
    ]);
    expect(await w.rows(`select strftime(timezone('UTC', ts), '%Y-%m-%d %H:%M:%S') as ts, visitor_id, customer_id, event, path, referrer_host, utm_source, utm_medium, utm_campaign, channel, device, country, order_id, value::varchar as value, is_pageview
      from events order by ts`)).toEqual([
      // the event-scoped manual tags, not the user's first acquisition (traffic_source google / organic)
      { ts: '2026-11-02 10:00:00', visitor_id: '1111.1793613600', customer_id: null, event: 'pageview', path: '/sale', referrer_host: null, utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'nov_sale', channel: 'Direct marketing', device: 'desktop', country: 'France', order_id: null, value: null, is_pageview: true },
      { ts: '2026-11-02 10:01:00', visitor_id: '1111.1793613600', customer_id: null, event: 'view_item', path: '/p/beanie', referrer_host: null, utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'nov_sale', channel: 'Direct marketing', device: 'desktop', country: 'France', order_id: null, value: null, is_pageview: false },
      { ts: '2026-11-02 10:02:00', visitor_id: '1111.1793613600', customer_id: 'cust-42', event: 'purchase', path: '/thanks', referrer_host: null, utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'nov_sale', channel: 'Direct marketing', device: 'desktop', country: 'France', order_id: 'T-1001', value: '59.90', is_pageview: false },
      // a gclid without manual tags: google / cpc, Advertising
      { ts: '2026-11-03 08:30:00', visitor_id: '2222.1793694600', customer_id: null, event: 'pageview', path: '/', referrer_host: 'google.com', utm_source: 'google', utm_medium: 'cpc', utm_campaign: null, channel: 'Advertising', device: 'mobile', country: 'Germany', order_id: null, value: null, is_pageview: true },
      // an event's own tags are its own; the channel is its session's
      { ts: '2026-11-03 08:30:30', visitor_id: '2222.1793694600', customer_id: null, event: 'purchase', path: null, referrer_host: null, utm_source: null, utm_medium: null, utm_campaign: null, channel: 'Advertising', device: 'mobile', country: 'Germany', order_id: null, value: '12.00', is_pageview: false },
    ]);
    // one session per ga_session_id of a user
    expect(await w.rows('select session_id, events, pageviews, channel from sessions order by start_ts')).toEqual([
      { session_id: '1111.1793613600:1793613600', events: 3, pageviews: 1, channel: 'Direct marketing' },
      { session_id: '2222.1793694600:1793694600', events: 2, pageviews: 1, channel: 'Advertising' },
    ]);
    // user_id and user_pseudo_id on the purchase link the visitor to the customer: two persons
    expect(await w.rows('select visitor_id, customer_id from identities')).toEqual([{ visitor_id: '1111.1793613600', customer_id: 'cust-42' }]);
    expect(await w.rows('select distinct person_id from v_events order by 1')).toEqual([{ person_id: '2222.1793694600' }, { person_id: 'cust-42' }]);
    // the purchase with transaction_id T-1001 is the one order; "(not set)" made none
    expect(await w.rows(`select order_id, strftime(timezone('UTC', ts), '%Y-%m-%d %H:%M:%S') as ts, customer_id, visitor_id, amount::varchar as amount, currency, status, utm_source, utm_medium, channel, person_id, is_valid
      from v_orders`)).toEqual([
      { order_id: 'T-1001', ts: '2026-11-02 10:02:00', customer_id: 'cust-42', visitor_id: '1111.1793613600', amount: '59.90', currency: 'EUR', status: 'paid', utm_source: 'newsletter', utm_medium: 'email', channel: 'Direct marketing', person_id: 'cust-42', is_valid: true },
    ]);
    // every event parameter in its type (ga_session_id an integer), and the records read in part kept whole
    const [first] = await w.rows<Record<string, unknown>>(`select properties->>'experiment' as experiment, json_type(properties->'ga_session_id') as session_type,
        (properties->>'ga_session_id')::bigint as ga_session_id, properties->>'page_location' as page_location, properties->>'$.traffic_source.medium' as first_medium,
        properties->>'$.device.operating_system' as os, properties->>'platform' as platform, properties->>'event_date' as event_date,
        json_keys(properties) as keys from v_events order by ts limit 1`);
    expect(first).toMatchObject({ experiment: 'B', ga_session_id: 1793613600, page_location: 'https://shop.example/sale?utm_source=newsletter&utm_medium=email', first_medium: 'organic', os: 'Windows', platform: 'WEB', event_date: '20261102' });
    expect(['BIGINT', 'UBIGINT', 'HUGEINT']).toContain(first!.session_type);
    // the canonical fields are columns, not properties; JSON nulls are left out
    for (const key of ['event_timestamp', 'event_name', 'user_pseudo_id', 'user_id', 'event_params', 'app_info', 'user_ltv']) expect(first!.keys).not.toContain(key);
    expect(await w.rows(`select properties->>'currency' as currency, json_type(properties->'value') as t from orders`)).toEqual([{ currency: 'EUR', t: 'DOUBLE' }]);
  });
});

describe('GA4 BigQuery export, Parquet', () => {
  it('reads the nested event_params list of structs and the records as BigQuery types them', async () => {
    const p = await tempWarehouse();
    try {
      // the export's Parquet types: INT64 times and int_value, DOUBLE double_value and purchase_revenue, STRING the rest
      const param = (key: string, v: { s?: string; i?: number; d?: number }) =>
        `{'key': '${key}', 'value': {'string_value': ${v.s === undefined ? 'null' : `'${v.s}'`}::varchar, 'int_value': ${v.i ?? 'null'}::bigint, 'float_value': null::double, 'double_value': ${v.d ?? 'null'}::double}}`;
      const row = (ts: number, name: string, user: string | null, params: string[], ecommerce: string) => `select
        '20261102' as event_date, ${ts}::bigint as event_timestamp, '${name}' as event_name, [${params.join(', ')}] as event_params,
        1::bigint as event_bundle_sequence_id, ${user === null ? 'null' : `'${user}'`}::varchar as user_id, '3333.1793613600' as user_pseudo_id,
        {'category': 'tablet', 'operating_system': 'iOS'} as device, {'city': 'Kyoto', 'country': 'Japan'} as geo,
        {'name': '(direct)', 'medium': '(none)', 'source': '(direct)'} as traffic_source,
        {'manual_source': 'facebook', 'manual_medium': 'paid_social', 'manual_campaign_name': 'autumn', 'gclid': null::varchar} as collected_traffic_source,
        ${ecommerce} as ecommerce, 'WEB' as platform`;
      const noOrder = `{'transaction_id': null::varchar, 'purchase_revenue': null::double, 'total_item_quantity': null::bigint}`;
      const file = `${p.dir}/events_20261102.parquet`;
      await sql.raw(`copy (
        ${row(t0, 'page_view', null, [param('page_location', { s: 'https://shop.example/autumn' }), param('ga_session_id', { i: 1793613600 }), param('engagement_time_msec', { i: 2500 })], noOrder)}
        union all ${row(t0 + 30e6, 'add_to_cart', null, [param('page_location', { s: 'https://shop.example/p/scarf' }), param('ga_session_id', { i: 1793613600 }), param('value', { d: 25.5 })], noOrder)}
        union all ${row(t0 + 90e6, 'purchase', 'cust-7', [param('page_location', { s: 'https://shop.example/thanks' }), param('ga_session_id', { i: 1793613600 }), param('currency', { s: 'jpy' })],
          `{'transaction_id': 'K-9', 'purchase_revenue': 4200.0::double, 'total_item_quantity': 2::bigint}`)}
      ) to '${file}' (format parquet)`).execute(p.db.kysely);
      const s = await p.ingest(file);
      expect(s).toMatchObject({ status: 'loaded', kind: 'web', format: 'parquet', profile: 'ga4', rowsIn: 3, rowsLoaded: 3, rowsDuplicate: 0, rowsRejected: 0 });
      expect(await p.rows(`select strftime(timezone('UTC', ts), '%H:%M:%S') as t, event, path, utm_source, utm_medium, utm_campaign, channel, device, country, customer_id, order_id, value::varchar as value
        from events order by ts`)).toEqual([
        { t: '10:00:00', event: 'pageview', path: '/autumn', utm_source: 'facebook', utm_medium: 'paid_social', utm_campaign: 'autumn', channel: 'Advertising', device: 'tablet', country: 'Japan', customer_id: null, order_id: null, value: null },
        // an event's value parameter is its value
        { t: '10:00:30', event: 'add_to_cart', path: '/p/scarf', utm_source: 'facebook', utm_medium: 'paid_social', utm_campaign: 'autumn', channel: 'Advertising', device: 'tablet', country: 'Japan', customer_id: null, order_id: null, value: '25.50' },
        { t: '10:01:30', event: 'purchase', path: '/thanks', utm_source: 'facebook', utm_medium: 'paid_social', utm_campaign: 'autumn', channel: 'Advertising', device: 'tablet', country: 'Japan', customer_id: 'cust-7', order_id: 'K-9', value: '4200.00' },
      ]);
      // the currency parameter, upper case, is the order's
      expect(await p.rows('select order_id, amount::varchar as amount, currency, customer_id, visitor_id, channel from orders')).toEqual([
        { order_id: 'K-9', amount: '4200.00', currency: 'JPY', customer_id: 'cust-7', visitor_id: '3333.1793613600', channel: 'Advertising' },
      ]);
      expect(await p.rows('select visitor_id, customer_id from identities')).toEqual([{ visitor_id: '3333.1793613600', customer_id: 'cust-7' }]);
      // Parquet's types survive: int_value a JSON integer, double_value a JSON double, nested records objects
      expect(await p.rows(`select json_type(properties->'engagement_time_msec') as int_type, (properties->>'engagement_time_msec')::integer as ms,
          properties->>'$.device.operating_system' as os, properties->>'$.ecommerce.total_item_quantity' as items from events order by ts limit 1`)).toEqual([
        { int_type: 'UBIGINT', ms: 2500, os: 'iOS', items: null },
      ]);
      expect(await p.rows(`select json_type(properties->'value') as t, (properties->>'value')::double as v from events where event = 'add_to_cart'`)).toEqual([{ t: 'DOUBLE', v: 25.5 }]);
    } finally {
      await p.close();
    }
  });
});

describe('Segment messages', () => {
  it('track, page, identify and Order Completed: identity links, the order, channels and properties', async () => {
    const s9 = await tempWarehouse();
    try {
      await installAnalystViews(s9.db, resolveConfig({}));
      // each message as the Tracking API spec lays it out (segment.com/docs/connections/spec/common/, .../spec/track/,
      // .../spec/page/, .../spec/identify/; Order Completed from .../spec/ecommerce/v2/), one per line as Segment's
      // warehouse and S3 archives write them
      const chrome = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
      const at = (iso: string) => ({ originalTimestamp: iso, sentAt: iso, receivedAt: iso, timestamp: iso });
      const context = (page: { url: string; path: string; referrer: string }, campaign?: Record<string, string>, ua = chrome) => ({
        ip: '203.0.113.9', library: { name: 'analytics.js', version: '2.11.1' }, locale: 'en-US', userAgent: ua,
        page: { ...page, search: '', title: 'Shop' }, ...(campaign ? { campaign } : {}),
      });
      const spring = { name: 'spring', source: 'newsletter', medium: 'email', term: 'scarves', content: 'hero' };
      const home = { url: 'https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=spring', path: '/', referrer: '' };
      const messages = [
        { anonymousId: 'anon-1', context: context(home, spring), integrations: {}, messageId: 'm-1', properties: { path: '/', title: 'Home', url: home.url }, type: 'page', name: 'Home', userId: null, version: 2, ...at('2026-11-05T09:00:00.000Z') },
        { anonymousId: 'anon-1', context: context({ ...home, url: 'https://shop.example/p/scarf', path: '/p/scarf' }, spring), event: 'Product Viewed', integrations: {}, messageId: 'm-2', properties: { product_id: 'sku-1', price: 19.99, plan: 'pro' }, type: 'track', userId: null, version: 2, ...at('2026-11-05T09:00:30.000Z') },
        { anonymousId: 'anon-1', context: context(home, spring), integrations: {}, messageId: 'm-3', traits: { email: 'peter@example.com', plan: 'pro' }, type: 'identify', userId: 'user-9', version: 2, ...at('2026-11-05T09:01:00.000Z') },
        {
          anonymousId: 'anon-1', context: context({ ...home, url: 'https://shop.example/checkout', path: '/checkout' }, spring), event: 'Order Completed', integrations: {}, messageId: 'm-4',
          properties: { checkout_id: 'fksdjfsdjfisjf9sdfjsd9f', order_id: '50314b8e9bcf000000000000', affiliation: 'Google Store', total: 27.5, subtotal: 22.5, revenue: 25.0, shipping: 3, tax: 2, discount: 2.5, coupon: 'hasbros', currency: 'USD', plan: 'pro' },
          type: 'track', userId: 'user-9', version: 2, ...at('2026-11-05T09:01:30.000Z'),
        },
        { anonymousId: 'anon-2', context: context(home, undefined, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'), integrations: {}, messageId: 'm-5', properties: { path: '/' }, type: 'page', userId: null, version: 2, ...at('2026-11-05T10:00:00.000Z') },
        { anonymousId: 'anon-3', context: context({ url: 'https://shop.example/signup', path: '/signup', referrer: 'https://www.facebook.com/' }), event: 'Signed Up', integrations: {}, messageId: 'm-6', properties: { plan: 'free' }, type: 'track', userId: null, version: 2, ...at('2026-11-06T12:00:00.000Z') },
      ].map((m) => JSON.stringify(m));
      // line 3 repeats message m-2 (a retried delivery), line 8 is not JSON
      const file = s9.file('segment-2026-11-05.json', [messages[0], messages[1], messages[1], ...messages.slice(2), '{"type": "track", "messageId": '].join('\n') + '\n');
      const s = await s9.ingest(file);
      expect(s).toMatchObject({ status: 'loaded', kind: 'web', format: 'ndjson', profile: 'segment', rowsIn: 8, rowsLoaded: 6, rowsDuplicate: 1, rowsRejected: 1 });
      expect(await s9.rows('select line, reason from rejects')).toEqual([{ line: 8, reason: 'not a JSON object (expected one {...} per line)' }]);
      expect(await s9.rows(`select event_id, strftime(timezone('UTC', ts), '%m-%d %H:%M:%S') as ts, visitor_id, customer_id, event, path, referrer_host, utm_source, utm_medium, utm_campaign, utm_content, utm_term, channel, device, is_bot, order_id, value::varchar as value
        from events order by ts`)).toEqual([
        { event_id: 'm-1', ts: '11-05 09:00:00', visitor_id: 'anon-1', customer_id: null, event: 'pageview', path: '/', referrer_host: null, utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring', utm_content: 'hero', utm_term: 'scarves', channel: 'Direct marketing', device: 'desktop', is_bot: false, order_id: null, value: null },
        // the e-commerce spec's names become the event types the stages know
        { event_id: 'm-2', ts: '11-05 09:00:30', visitor_id: 'anon-1', customer_id: null, event: 'product_view', path: '/p/scarf', referrer_host: null, utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring', utm_content: 'hero', utm_term: 'scarves', channel: 'Direct marketing', device: 'desktop', is_bot: false, order_id: null, value: null },
        { event_id: 'm-3', ts: '11-05 09:01:00', visitor_id: 'anon-1', customer_id: 'user-9', event: 'identify', path: '/', referrer_host: null, utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring', utm_content: 'hero', utm_term: 'scarves', channel: 'Direct marketing', device: 'desktop', is_bot: false, order_id: null, value: null },
        // total (27.50: after the discount, with shipping and tax) is what was paid, not revenue (25.00)
        { event_id: 'm-4', ts: '11-05 09:01:30', visitor_id: 'anon-1', customer_id: 'user-9', event: 'purchase', path: '/checkout', referrer_host: null, utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring', utm_content: 'hero', utm_term: 'scarves', channel: 'Direct marketing', device: 'desktop', is_bot: false, order_id: '50314b8e9bcf000000000000', value: '27.50' },
        { event_id: 'm-5', ts: '11-05 10:00:00', visitor_id: 'anon-2', customer_id: null, event: 'pageview', path: '/', referrer_host: null, utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring', utm_content: null, utm_term: null, channel: 'Direct marketing', device: 'desktop', is_bot: true, order_id: null, value: null },
        { event_id: 'm-6', ts: '11-06 12:00:00', visitor_id: 'anon-3', customer_id: null, event: 'signup', path: '/signup', referrer_host: 'facebook.com', utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null, channel: 'Social', device: 'desktop', is_bot: false, order_id: null, value: null },
      ]);
      // identify links anon-1 to user-9: the crawler left out, two persons
      expect(await s9.rows('select visitor_id, customer_id from identities')).toEqual([{ visitor_id: 'anon-1', customer_id: 'user-9' }]);
      expect(await s9.rows('select person_id, count(*)::integer as events from v_events group by 1 order by 1')).toEqual([{ person_id: 'anon-3', events: 1 }, { person_id: 'user-9', events: 4 }]);
      expect(await s9.rows('select order_id, amount::varchar as amount, currency, status, customer_id, visitor_id, utm_campaign, channel, is_valid from v_orders')).toEqual([
        { order_id: '50314b8e9bcf000000000000', amount: '27.50', currency: 'USD', status: 'paid', customer_id: 'user-9', visitor_id: 'anon-1', utm_campaign: 'spring', channel: 'Direct marketing', is_valid: true },
      ]);
      // properties at the top, the rest of the message beside them; the IP is not stored
      const [order] = await s9.rows<Record<string, unknown>>(`select properties->>'coupon' as coupon, json_type(properties->'total') as total_type, json_type(properties->'shipping') as shipping_type, properties->>'$.context.library.name' as library,
          properties->>'$.context.ip' as ip, properties->>'$.context.campaign.name' as campaign, properties->>'receivedAt' as received, json_keys(properties) as keys from events where event_id = 'm-4'`);
      expect(order).toMatchObject({ coupon: 'hasbros', total_type: 'DOUBLE', shipping_type: 'UBIGINT', library: 'analytics.js', ip: null, campaign: 'spring', received: '2026-11-05T09:01:30.000Z' });
      for (const key of ['type', 'messageId', 'anonymousId', 'userId', 'timestamp', 'properties', 'ip']) expect(order!.keys).not.toContain(key);
      // the name as sent stays beside the event type it became
      expect(await s9.rows(`select event, properties->>'event' as sent from events where event_id = 'm-4'`)).toEqual([{ event: 'purchase', sent: 'Order Completed' }]);
      expect(await s9.rows(`select properties->>'$.traits.email' as email from events where event_id = 'm-3'`)).toEqual([{ email: 'peter@example.com' }]);
    } finally {
      await s9.close();
    }
  });

  it('a RudderStack message (its rudderId beside the Segment fields) is read by the rudderstack profile', async () => {
    const r = await tempWarehouse();
    try {
      // rudderstack.com/docs/event-spec/standard-events/common-fields/: Segment's fields plus rudderId, channel
      const line = JSON.stringify({ anonymousId: 'a-1', rudderId: '8f8fa6b5-8e24-489c-8e22-61f23f2e364f', channel: 'web', event: 'Product Added', messageId: 'r-1', properties: { price: 5 }, type: 'track', timestamp: '2026-11-05T09:00:00.000Z', context: { page: { url: 'https://shop.example/p/1' } } });
      const s = await r.ingest(r.file('rudder.json', line + '\n'));
      expect(s).toMatchObject({ status: 'loaded', profile: 'rudderstack', rowsIn: 1, rowsLoaded: 1 });
      // a product's price is not the event's value (that is total, revenue or value): it stays a property
      expect(await r.rows(`select event, path, value, properties->>'price' as price, properties->>'rudderId' as rudder_id from events`)).toEqual([
        { event: 'add_to_cart', path: '/p/1', value: null, price: '5', rudder_id: '8f8fa6b5-8e24-489c-8e22-61f23f2e364f' },
      ]);
    } finally {
      await r.close();
    }
  });
});

describe('properties of a CSV', () => {
  it('keeps the columns no canonical one was read from, as text', async () => {
    const c = await tempWarehouse();
    try {
      const s = await c.ingest(c.file('web.csv', 'ts,visitor_id,event,url,plan,ab test\n2026-11-05 09:00:00,v1,pageview,/a,pro,B\n2026-11-05 09:01:00,v1,signup,/b,,A\n'));
      expect(s).toMatchObject({ status: 'loaded', kind: 'web', rowsLoaded: 2 });
      // the empty plan of row 2 is left out, not an empty string
      expect(await c.rows(`select event, properties::varchar as p from events order by ts`)).toEqual([
        { event: 'pageview', p: '{"plan":"pro","ab test":"B"}' },
        { event: 'signup', p: '{"ab test":"A"}' },
      ]);
      const o = await c.ingest(c.file('orders.csv', 'order_id,ts,amount,gift_wrap\nA1,2026-11-05 10:00:00,10.00,yes\nA2,2026-11-05 11:00:00,12.00,\n'));
      expect(o).toMatchObject({ status: 'loaded', kind: 'sales', rowsLoaded: 2 });
      expect(await c.rows(`select order_id, properties::varchar as p from orders order by order_id`)).toEqual([{ order_id: 'A1', p: '{"gift_wrap":"yes"}' }, { order_id: 'A2', p: null }]);
    } finally {
      await c.close();
    }
  });
});

describe('numbers in event streams', () => {
  it('a JSON number has a decimal point whatever number_format says: 1.5 and 1.234 are not thousands', async () => {
    const n = await tempWarehouse({ number_format: 'decimal_comma' });
    try {
      const line = (id: string, total: number | string) => JSON.stringify({ type: 'track', event: 'Order Completed', messageId: id, anonymousId: 'a', timestamp: '2026-11-05T09:00:00Z', properties: { order_id: id, total } });
      // JSON numbers 1.234 and 1500.5; a string "2.500,75" is left to the column's reading, which the
      // numbers decided (decimal point): a value in the other reading is a reject, never a guess
      const s = await n.ingest(n.file('orders.json', [line('o1', 1.234), line('o2', 1500.5), line('o3', '2.500,75')].join('\n') + '\n'));
      expect(s).toMatchObject({ status: 'loaded', rowsLoaded: 2, rowsRejected: 1 });
      expect(await n.rows('select line, reason from rejects')).toEqual([{ line: 3, reason: expect.stringContaining("'2.500,75'") }]);
      // 1.234 to the cent is 1.23 (money is DECIMAL(18,2)), not 1234
      expect(await n.rows('select order_id, amount::varchar as amount from orders order by order_id')).toEqual([
        { order_id: 'o1', amount: '1.23' }, { order_id: 'o2', amount: '1500.50' },
      ]);
    } finally {
      await n.close();
    }
  });
});
