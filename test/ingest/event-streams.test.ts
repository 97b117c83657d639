// GA4 BigQuery exports (NDJSON and Parquet) and Segment messages through the real pipeline: events,
// sessions, persons after identity links, orders from purchases, channels from the UTM, and the
// properties every other key keeps; a CSV's extra column kept in properties too.
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
