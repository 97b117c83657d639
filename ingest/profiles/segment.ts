// Segment and RudderStack messages as NDJSON (the Tracking API spec: segment.com/docs/connections/spec/,
// RudderStack's event spec has the same layout): track, page, screen, identify and alias calls.
import { jsonNumberText } from '../values/number-format.ts';
import type { Profile } from './profile.ts';

const at = (col: (header: string) => string, record: string, path: string) => `nullif(trim(json_extract_string(${col(record)}, '$.${path}')), '')`;

/**
 * Spec event names (the e-commerce spec's, lower case) → the event types aida's stages know; other
 * track events keep their name, lower case.
 */
const specEvents: Record<string, string> = {
  'products searched': 'search', 'product viewed': 'product_view', 'product added': 'add_to_cart', 'cart viewed': 'cart',
  'checkout started': 'begin_checkout', 'order completed': 'purchase', 'signed up': 'signup',
};

export const segment: Profile = {
  name: 'segment',
  kind: 'web',
  formats: ['ndjson', 'json'],
  signature: ['type', 'messageid', /^(anonymousid|userid)$/, /^(timestamp|originaltimestamp|receivedat)$/],
  columns: {
    event_id: 'messageid', ts: /^(timestamp|originaltimestamp|receivedat)$/, visitor_id: /^(anonymousid|userid)$/, customer_id: 'userid', event: 'type',
    url: 'context', referrer: 'context', user_agent: 'context', ip: 'context', country: 'context', order_id: 'properties', value: 'properties',
    utm_source: 'context', utm_medium: 'context', utm_campaign: 'context', utm_content: 'context', utm_term: 'context',
  },
  expressions: {
    // timestamp is when it happened (corrected for the device's clock); the others are what a message may carry instead
    ts: (col) => `coalesce(${['timestamp', 'originalTimestamp', 'receivedAt', 'sentAt'].map((h) => `nullif(trim(${col(h)}), '')`).join(', ')})`,
    // before identify a visitor is their anonymousId; an alias call links previousId to userId
    visitor_id: (col) => `coalesce(nullif(trim(${col('anonymousId')}), ''), case when lower(${col('type')}) = 'alias' then nullif(trim(${col('previousId')}), '') end, nullif(trim(${col('userId')}), ''))`,
    customer_id: (col) => `nullif(trim(${col('userId')}), '')`,
    event: (col) => `case lower(${col('type')})
      when 'page' then 'pageview' when 'screen' then 'screen_view'
      when 'track' then case lower(trim(${col('event')})) ${Object.entries(specEvents).map(([name, type]) => `when '${name}' then '${type}'`).join(' ')} else lower(trim(${col('event')})) end
      else lower(${col('type')}) end`,
    url: (col) => `coalesce(${at(col, 'context', 'page.url')}, ${at(col, 'properties', 'url')}, ${at(col, 'context', 'page.path')}, ${at(col, 'properties', 'path')})`,
    referrer: (col) => `coalesce(${at(col, 'context', 'page.referrer')}, ${at(col, 'properties', 'referrer')})`,
    user_agent: (col) => at(col, 'context', 'userAgent'),
    ip: (col) => at(col, 'context', 'ip'),
    country: (col) => at(col, 'context', 'location.country'),
    order_id: (col) => `coalesce(${at(col, 'properties', 'order_id')}, ${at(col, 'properties', 'orderId')})`,
    // what the customer paid: total (with discounts, shipping and tax), else revenue, else the event's value
    value: (col) => `coalesce(${['total', 'revenue', 'value'].map((k) => jsonNumberText(col('properties'), `$.${k}`)).join(', ')})`,
    utm_source: (col) => at(col, 'context', 'campaign.source'),
    utm_medium: (col) => at(col, 'context', 'campaign.medium'),
    utm_campaign: (col) => at(col, 'context', 'campaign.name'),
    utm_content: (col) => at(col, 'context', 'campaign.content'),
    utm_term: (col) => at(col, 'context', 'campaign.term'),
  },
  // the raw IP is not stored (SPEC §4); the rest of context (library, locale, page title ...) is kept
  // (`event` stays: the name as sent, Order Completed, beside the event type it became)
  consumed: ['type', 'messageId', 'anonymousId', 'userId', 'previousId', 'timestamp', 'properties', 'context.ip'],
  // the event's own properties at the top, so `property:plan` reads properties.plan
  properties: (col) => `case when json_type(${col('properties')}) = 'OBJECT' then ${col('properties')} end`,
  orderEvents: ['purchase'],
};

/** RudderStack sends the same messages; recognised by the rudderId it adds. */
export const rudderstack: Profile = { ...segment, name: 'rudderstack', signature: [...segment.signature, 'rudderid'] };
