// Dedupe and load the staged good rows into the warehouse tables, counting what was new, what was
// already there (duplicates) and what replaced an earlier version (a later status wins). Line-item
// files also keep their lines in `order_items`, replaced per order whenever the order or its lines change.
import type { IngestConfig as Config } from './config.ts';
import { channelSql } from './classify.ts';
import { sqlString } from '../queries/db/quote.ts';
import { sql, type Kysely, type RawBuilder } from 'kysely';

export interface LoadCounts {
  loaded: number;
  duplicate: number;
}

const STAGED = '_in_staged';

async function count(conn: Kysely<unknown>, query: RawBuilder<{ n: number | null }>): Promise<number> {
  return (await query.execute(conn)).rows[0]?.n ?? 0;
}

/** Web events: new rows go to `_in_new_events` for sessionising; the table insert happens in derive. */
export async function stageNewEvents(conn: Kysely<unknown>, fileId: number): Promise<LoadCounts> {
  const good = await count(conn, sql`select count(*)::bigint as n from ${sql.table(STAGED)} where __reason is null`);
  await sql`
    create temp table _in_new_events as
    with repeated as (
      select __event_id from ${sql.table(STAGED)} where __reason is null group by __event_id having count(*) > 1
    ),
    -- a repeated id keeps its first row: only the repeated ids are sorted, on narrow rows
    later as (
      select __row from (
        select __row, row_number() over (partition by __event_id order by __row) as n
        from ${sql.table(STAGED)} s semi join repeated using (__event_id) where s.__reason is null
      ) where n > 1
    ),
    firsts as (
      select * from ${sql.table(STAGED)} s where __reason is null and not exists (select 1 from later l where l.__row = s.__row)
    )
    select
      f.__row as __k, f.__event_id as event_id, f.ts, f.visitor_id, f.session_id as given_session_id, f.customer_id, f.event,
      f.url, f.path, f.referrer, f.referrer_host,
      coalesce(f.utm_source, f.__url_utm_source) as utm_source,
      coalesce(f.utm_medium, f.__url_utm_medium) as utm_medium,
      coalesce(f.utm_campaign, f.__url_utm_campaign) as utm_campaign,
      coalesce(f.utm_content, f.__url_utm_content) as utm_content,
      coalesce(f.utm_term, f.__url_utm_term) as utm_term,
      coalesce(f.device, f.__ua_device) as device, f.country, f.order_id, f.value, f.is_bot,
      f.event in ('pageview', 'page_view', 'screen_view') as is_pageview,
      f.status_code, f.properties, ${sql.lit(fileId)} as source_file
    from firsts f
    anti join events e on e.event_id = f.__event_id`.execute(conn);
  const loaded = await count(conn, sql`select count(*)::bigint as n from _in_new_events`);
  return { loaded, duplicate: good - loaded };
}

interface UpsertSpec {
  table: string;
  key: string[];
  /** columns of the target table, in order, as produced by the aggregated temp table */
  columns: string[];
  /** columns where a missing new value keeps the stored one */
  keepOld: string[];
  /** SQL over the new row `n`: true when it differs from the stored row in ways its columns do not show */
  changedAlso?: string;
}

/**
 * `_in_rows` holds one aggregated row per key with `__lines` (input rows it stands for). Rows new to the
 * table are inserted; rows identical to the stored ones are duplicates; changed rows replace the stored
 * ones (the later file wins).
 */
async function upsert(conn: Kysely<unknown>, spec: UpsertSpec): Promise<LoadCounts> {
  const on = spec.key.map((k) => `n.${k} is not distinct from o.${k}`).join(' and ');
  const compared = spec.columns.filter((c) => c !== 'source_file' && !spec.key.includes(c));
  await sql`
    create temp table _in_classified as
    select n.*, case
      when o.${sql.raw(spec.key[0]!)} is null then 'new'
      when ${sql.raw(spec.changedAlso ?? 'false')} then 'changed'
      when ${sql.raw(compared.map((c) => (spec.keepOld.includes(c) ? `coalesce(n.${c}, o.${c}) is not distinct from o.${c}` : `n.${c} is not distinct from o.${c}`)).join(' and '))} then 'same'
      else 'changed' end as __class,
      ${sql.raw(spec.columns.map((c) => `o.${c} as __old_${c}`).join(', '))}
    from _in_rows n left join ${sql.table(spec.table)} o on ${sql.raw(on)}`.execute(conn);
  await sql`delete from ${sql.table(spec.table)} o using _in_classified n where n.__class = 'changed' and ${sql.raw(on)}`.execute(conn);
  const values = spec.columns.map((c) => (spec.keepOld.includes(c) ? `case when __class = 'changed' then coalesce(${c}, __old_${c}) else ${c} end` : c));
  await sql`insert into ${sql.table(spec.table)} (${sql.raw(spec.columns.join(', '))}) select ${sql.raw(values.join(', '))} from _in_classified where __class <> 'same'`.execute(conn);
  const rows = (await sql<{ cls: string; lines: number }>`select __class as cls, sum(__lines)::bigint as lines from _in_classified group by 1`.execute(conn)).rows;
  const lines = (cls: string) => rows.find((r) => r.cls === cls)?.lines ?? 0;
  const superseded = await count(conn, sql`select (sum(__lines) - sum(__kept))::bigint as n from _in_rows`);
  return {
    loaded: lines('new') + lines('changed') - superseded,
    duplicate: lines('same') + superseded,
  };
}

/**
 * Orders: line items are summed per order; order-level rows keep the last row per order. Leaves
 * `_in_replaced_orders` (the old `ts` of orders this file replaced) for the daily rollups.
 */
export async function loadOrders(conn: Kysely<unknown>, fileId: number, lineItems: boolean, config: Config): Promise<LoadCounts> {
  if (lineItems) await stageLines(conn);
  const lineAmount = `coalesce(max(amount), sum(__line_amount) filter (where quantity > 0 and unit_price > 0), 0)`;
  const cancelledAmount = `sum(abs(__line_amount)) filter (where unit_price > 0)`;
  const status = lineItems
    ? `coalesce(max(status), case when bool_and(coalesce(quantity, 0) <= 0 or coalesce(unit_price, 0) <= 0) then 'adjustment' else 'paid' end)`
    : `coalesce(arg_max(status, __row), 'paid')`;
  const pick = (c: string) => (lineItems ? `min(${c})` : `arg_max(${c}, __row)`);
  const channel = channelSql(config.channels, { medium: 'utm_medium', source: 'utm_source', referrerHost: 'null', ownHost: 'null' });
  await sql`
    create temp table _in_rows as
    with agg as (
      select order_id,
        min(ts) as ts,
        ${sql.raw(pick('customer_id'))} as customer_id,
        ${sql.raw(pick('visitor_id'))} as visitor_id,
        ${sql.raw(lineItems ? lineAmount : 'arg_max(amount, __row)')} as amount,
        ${sql.raw(lineItems ? cancelledAmount : 'null')} as cancelled_amount,
        ${sql.raw(pick('currency'))} as currency,
        ${sql.raw(status)} as status,
        ${sql.raw(lineItems ? 'coalesce(max(items), sum(quantity) filter (where quantity > 0))' : pick('items'))}::integer as items,
        ${sql.raw(pick('coupon'))} as coupon,
        ${sql.raw(pick('utm_source'))} as utm_source, ${sql.raw(pick('utm_medium'))} as utm_medium, ${sql.raw(pick('utm_campaign'))} as utm_campaign,
        ${sql.raw(pick('country'))} as country, ${sql.raw(pick('city'))} as city,
        ${sql.raw(lineItems ? 'null::json' : pick('properties'))} as properties,
        count(*) as __lines,
        ${sql.raw(lineItems ? 'count(*)' : '1')} as __kept
      from ${sql.raw(lineItems ? '_in_lines' : `${STAGED} where __reason is null`)}
      group by order_id
    )
    select order_id, ts, customer_id, visitor_id,
      (case when status = 'cancelled' and amount = 0 then coalesce(cancelled_amount, 0) else amount end)::decimal(18,2) as amount,
      coalesce(currency, ${sql.lit(config.currency)}) as currency, status, items, coupon, utm_source, utm_medium, utm_campaign,
      case when coalesce(utm_source, utm_medium) is not null then ${sql.raw(channel)} end as channel,
      country, city, properties, ${sql.lit(fileId)} as source_file, __lines, __kept
    from agg`.execute(conn);
  const counts = await upsertOrders(conn, lineItems ? 'n.order_id in (select order_id from _in_changed_lines)' : undefined);
  await sql`create temp table _in_replaced_orders as select __old_ts as ts from _in_classified where __class = 'changed'`.execute(conn);
  if (lineItems) await replaceLines(conn, fileId);
  return counts;
}

/**
 * `_in_lines`: the file's good rows numbered within their order (`line`, 1-based, in file order) with
 * their amount; `_in_changed_lines`: the stored orders whose lines differ from the file's. An order's
 * lines are one unit: the same lines again are duplicates, any difference replaces all of them.
 * Lines are keyed by position, not SKU: one invoice can carry the same SKU on several lines.
 */
async function stageLines(conn: Kysely<unknown>): Promise<void> {
  // an order is kept whole or not at all: with one line rejected, its amount would be silently short
  await sql`
    update ${sql.table(STAGED)} set __reason = 'another line of this order was rejected (an order is loaded with all its lines or not at all)'
    where __reason is null and order_id in (select order_id from ${sql.table(STAGED)} where __reason is not null and order_id is not null)`.execute(conn);
  await sql`
    create or replace temp table _in_lines as
    select *, row_number() over (partition by order_id order by __row)::integer as __line,
      round(quantity::decimal(18,6) * unit_price, 2)::decimal(18,2) as __line_amount
    from ${sql.table(STAGED)} where __reason is null`.execute(conn);
  const line = 'order_id, __line, sku, description, quantity, unit_price';
  const stored = 'order_id, line, sku, description, quantity, unit_price';
  await sql`
    create or replace temp table _in_changed_lines as
    with mine as (select ${sql.raw(stored)} from order_items semi join (select distinct order_id from _in_lines) f using (order_id)),
    theirs as (select ${sql.raw(line)} from _in_lines)
    select distinct order_id from (
      (select * from theirs except all select * from mine)
      union all
      (select * from mine except all select * from theirs)
    ) d semi join orders o using (order_id)`.execute(conn);
}

/** Stores the lines of orders this file added or replaced (dropping the replaced orders' old lines). */
async function replaceLines(conn: Kysely<unknown>, fileId: number): Promise<void> {
  await sql`delete from order_items i using _in_classified n where n.__class = 'changed' and i.order_id = n.order_id`.execute(conn);
  await sql`
    insert into order_items (order_id, line, sku, description, quantity, unit_price, amount, currency, source_file)
    select l.order_id, l.__line, l.sku, l.description, l.quantity, l.unit_price, l.__line_amount, n.currency, ${sql.lit(fileId)}
    from _in_lines l join _in_classified n on n.order_id = l.order_id and n.__class <> 'same'`.execute(conn);
  await sql`drop table _in_lines; drop table _in_changed_lines`.execute(conn);
}

export async function loadCampaigns(conn: Kysely<unknown>, fileId: number, config: Config): Promise<LoadCounts> {
  const last = (c: string) => `arg_max(${c}, __row)`;
  await sql`
    create temp table _in_rows as
    select date, coalesce(source, '') as source, coalesce(medium, '') as medium, campaign,
      ${sql.raw(last('audience'))} as audience, ${sql.raw(last('impressions'))} as impressions, ${sql.raw(last('reach'))} as reach, ${sql.raw(last('clicks'))} as clicks,
      ${sql.raw(last('cost'))} as cost, coalesce(${sql.raw(last('currency'))}, ${sql.lit(config.currency)}) as currency,
      ${sql.lit(fileId)} as source_file, count(*) as __lines, 1 as __kept
    from ${sql.table(STAGED)} where __reason is null
    group by date, coalesce(source, ''), coalesce(medium, ''), campaign`.execute(conn);
  return upsert(conn, {
    table: 'campaigns',
    key: ['date', 'source', 'medium', 'campaign'],
    columns: ['date', 'source', 'medium', 'campaign', 'audience', 'impressions', 'reach', 'clicks', 'cost', 'currency', 'source_file'],
    keepOld: [],
  });
}

export async function loadComplaints(conn: Kysely<unknown>, fileId: number, config: Config): Promise<LoadCounts> {
  const last = (c: string) => `arg_max(${c}, __row)`;
  const labels = Object.entries(config.complaint_categories);
  const category = `case ${labels.map(([code, label]) => `when upper(category) = ${sqlString(code.toUpperCase())} or lower(category) = ${sqlString(label.toLowerCase())} then ${sqlString(code)}`).join(' ')} else category end`;
  await sql`
    create temp table _in_rows as
    select * replace (${sql.raw(category)} as category) from (
    select complaint_id, ${sql.raw(last('ts'))} as ts, ${sql.raw(last('customer_id'))} as customer_id, ${sql.raw(last('order_id'))} as order_id,
      ${sql.raw(last('category'))} as category,
      ${sql.raw(last('severity'))} as severity, ${sql.raw(last('amount'))} as amount, ${sql.raw(last('responded_at'))} as responded_at,
      ${sql.raw(last('resolved_at'))} as resolved_at,
      coalesce(${sql.raw(last('status'))}, case when ${sql.raw(last('resolved_at'))} is not null then 'resolved' else 'open' end) as status,
      ${sql.lit(fileId)} as source_file, count(*) as __lines, 1 as __kept
    from ${sql.table(STAGED)} where __reason is null
    group by complaint_id)`.execute(conn);
  return upsert(conn, {
    table: 'complaints',
    key: ['complaint_id'],
    columns: ['complaint_id', 'ts', 'customer_id', 'order_id', 'category', 'severity', 'amount', 'responded_at', 'resolved_at', 'status', 'source_file'],
    keepOld: ['order_id', 'severity', 'amount', 'responded_at', 'resolved_at'],
  });
}

const orderColumns = ['order_id', 'ts', 'customer_id', 'visitor_id', 'amount', 'currency', 'status', 'items', 'coupon', 'utm_source', 'utm_medium', 'utm_campaign', 'channel', 'country', 'city', 'properties', 'source_file'];

/** `_in_rows` (one row per order) into `orders`: a later file's order replaces the stored one. */
function upsertOrders(conn: Kysely<unknown>, changedAlso?: string): Promise<LoadCounts> {
  return upsert(conn, {
    table: 'orders',
    key: ['order_id'],
    columns: orderColumns,
    keepOld: ['customer_id', 'visitor_id', 'items', 'coupon', 'utm_source', 'utm_medium', 'utm_campaign', 'channel', 'country', 'city', 'properties'],
    ...(changedAlso ? { changedAlso } : {}),
  });
}

/**
 * Event streams whose purchase events are the orders (GA4 `purchase`, Segment `Order Completed`): each
 * good event of `orderEvents` with an order id and a value is also an order, paid, in
 * `properties.currency` (else the configured currency), tagged with the event's UTM. The file's rows
 * are counted as events; its orders are deduplicated against the stored ones like a sales file's.
 * A purchase event without an order id or value stays an event only: no amount is invented.
 */
export async function loadEventOrders(conn: Kysely<unknown>, fileId: number, orderEvents: string[], config: Config): Promise<void> {
  const channel = channelSql(config.channels, { medium: 'utm_medium', source: 'utm_source', referrerHost: 'null', ownHost: 'null' });
  const last = (c: string) => sql.raw(`arg_max(${c}, __row)`);
  await sql`
    create temp table _in_rows as
    with purchases as (
      select *, coalesce(utm_source, __url_utm_source) as __source, coalesce(utm_medium, __url_utm_medium) as __medium,
        coalesce(utm_campaign, __url_utm_campaign) as __campaign
      from ${sql.raw(STAGED)}
      where __reason is null and event in (${sql.join(orderEvents.map((e) => sql.lit(e)))}) and order_id is not null and value is not null
    ),
    agg as (
      select order_id, min(ts) as ts, ${last('customer_id')} as customer_id, ${last('visitor_id')} as visitor_id, ${last('value')} as amount,
        ${last("properties->>'currency'")} as currency, ${last('__source')} as utm_source, ${last('__medium')} as utm_medium,
        ${last('__campaign')} as utm_campaign, ${last('country')} as country, ${last('properties')} as properties, count(*) as __lines
      from purchases group by order_id
    )
    select order_id, ts, customer_id, visitor_id, amount, coalesce(upper(currency), ${sql.lit(config.currency)}) as currency, 'paid' as status,
      null::integer as items, null::varchar as coupon, utm_source, utm_medium, utm_campaign,
      case when coalesce(utm_source, utm_medium) is not null then ${sql.raw(channel)} end as channel,
      country, null::varchar as city, properties, ${sql.lit(fileId)} as source_file, __lines, 1 as __kept
    from agg`.execute(conn);
  await upsertOrders(conn);
}

/** A sales file of invoice lines (summed per order) rather than one row per order. */
export function isLineItems(map: Record<string, string>): boolean {
  return Boolean(map.quantity && map.unit_price);
}
