// The GA4 BigQuery export (events_YYYYMMDD as NDJSON or Parquet; developers.google.com/analytics/bigquery/
// event-schema): one row per event, the nested event_params array read by DuckDB's JSON functions.
import { jsonNumberText } from '../values/number-format.ts';
import type { Profile } from './profile.ts';

/** One event_params entry's value in its JSON type (the JSON export writes INT64 as a string). */
const paramValue = (p: string) => `case
  when ${p}->>'$.value.string_value' is not null then to_json(${p}->>'$.value.string_value')
  when ${p}->>'$.value.int_value' is not null then to_json(try_cast(${p}->>'$.value.int_value' as hugeint))
  when ${p}->>'$.value.double_value' is not null then to_json(try_cast(${p}->>'$.value.double_value' as double))
  when ${p}->>'$.value.float_value' is not null then to_json(try_cast(${p}->>'$.value.float_value' as double)) end`;

/** The first event_params entry with that key. */
const entry = (col: (header: string) => string, key: string) => `list_filter(coalesce(json_extract(${col('event_params')}::json, '$[*]'), []), lambda p: p->>'$.key' = '${key}')[1]`;

/** The text of one event parameter. */
function param(col: (header: string) => string, key: string): string {
  const e = entry(col, key);
  return `coalesce(${e}->>'$.value.string_value', ${e}->>'$.value.int_value', ${e}->>'$.value.double_value', ${e}->>'$.value.float_value')`;
}

/** A numeric event parameter (the value parameter), its doubles written so no reading can misread them. */
function numberParam(col: (header: string) => string, key: string): string {
  const e = entry(col, key);
  return `coalesce(${jsonNumberText(e, '$.value.double_value')}, ${jsonNumberText(e, '$.value.float_value')}, ${e}->>'$.value.int_value', ${e}->>'$.value.string_value')`;
}

const field = (col: (header: string) => string, record: string, path: string) => `nullif(json_extract_string(${col(record)}, '$.${path}'), '(not set)')`;

/**
 * A UTM tag of the event: the event-scoped `collected_traffic_source.manual_*` first, then the
 * `source`/`medium`/`campaign` event parameters older exports carry; never the user-scoped
 * `traffic_source` (the user's first acquisition, not this event's), which stays in properties.
 */
function utm(col: (header: string) => string, manual: string, paramKey: string): string {
  return `coalesce(${field(col, 'collected_traffic_source', manual)}, nullif(${param(col, paramKey)}, '(not set)'))`;
}

export const ga4: Profile = {
  name: 'ga4',
  kind: 'web',
  formats: ['ndjson', 'json', 'parquet'],
  signature: ['event_timestamp', 'event_name', 'user_pseudo_id', 'event_params'],
  columns: {
    ts: 'event_timestamp', visitor_id: 'user_pseudo_id', customer_id: 'user_id', event: 'event_name', event_id: 'event_timestamp',
    session_id: 'event_params', url: 'event_params', referrer: 'event_params', device: 'device', country: 'geo', order_id: 'ecommerce', value: 'ecommerce',
    utm_source: 'collected_traffic_source', utm_medium: 'collected_traffic_source', utm_campaign: 'collected_traffic_source',
    utm_content: 'collected_traffic_source', utm_term: 'collected_traffic_source',
  },
  expressions: {
    // microseconds since the epoch, UTC; a value that is not an integer is passed on to be rejected by name
    ts: (col) => `coalesce(strftime(make_timestamp(try_cast(${col('event_timestamp')} as bigint)), '%Y-%m-%dT%H:%M:%S.%fZ'), ${col('event_timestamp')})`,
    // GA4 has no event id: these fields tell the events of one user apart (the same event exported twice is one)
    event_id: (col) => `md5(concat_ws('|', ${['user_pseudo_id', 'event_timestamp', 'event_name', 'event_bundle_sequence_id', 'batch_event_index', 'batch_ordering_id'].map((h) => `coalesce(${col(h)}, '')`).join(', ')}))`,
    event: (col) => `case lower(${col('event_name')}) when 'page_view' then 'pageview' else ${col('event_name')} end`,
    // ga_session_id counts per user: the session is the user's
    session_id: (col) => `case when ${param(col, 'ga_session_id')} is not null then ${col('user_pseudo_id')} || ':' || ${param(col, 'ga_session_id')} end`,
    url: (col) => param(col, 'page_location'),
    referrer: (col) => param(col, 'page_referrer'),
    device: (col) => field(col, 'device', 'category'),
    country: (col) => field(col, 'geo', 'country'),
    order_id: (col) => field(col, 'ecommerce', 'transaction_id'),
    value: (col) => `coalesce(${jsonNumberText(col('ecommerce'), '$.purchase_revenue')}, ${numberParam(col, 'value')})`,
    // a Google Ads click without manual tags is google / cpc, as GA4 reports it
    utm_source: (col) => `coalesce(${utm(col, 'manual_source', 'source')}, case when ${field(col, 'collected_traffic_source', 'gclid')} is not null then 'google' end)`,
    utm_medium: (col) => `coalesce(${utm(col, 'manual_medium', 'medium')}, case when ${field(col, 'collected_traffic_source', 'gclid')} is not null then 'cpc' end)`,
    utm_campaign: (col) => utm(col, 'manual_campaign_name', 'campaign'),
    utm_content: (col) => utm(col, 'manual_content', 'content'),
    utm_term: (col) => utm(col, 'manual_term', 'term'),
  },
  // the records read in part (device, geo, ecommerce, the traffic sources) are kept whole
  consumed: ['event_timestamp', 'event_name', 'user_pseudo_id', 'user_id', 'event_params'],
  // every event parameter, in its type: page_location, ga_session_id, currency, custom parameters ...
  properties: (col) => `(select json_group_object(p->>'$.key', ${paramValue('p')}) from (select unnest(json_extract(${col('event_params')}::json, '$[*]')) as p))`,
  orderEvents: ['purchase'],
};
