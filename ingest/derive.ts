// Derived tables (documented in queries/README.md), kept inside the same transaction as the rows they
// come from: sessions and the events' session/channel, identity links and the person map, per-person
// stage hits and first times, funnel days and the retention base. Only what the new rows touch is recomputed.
import { createHash } from 'node:crypto';
import type { StageRule } from '../queries/config.ts';
import type { IngestConfig as Config } from './config.ts';
import { sql, type Kysely } from 'kysely';
import { compileLiteral } from '../queries/db/compile.ts';
import { funnelDaysSql } from '../queries/funnel/kept-days.ts';
import { retentionBaseSql } from '../queries/retention.ts';
import { offSiteEventTypes } from '../queries/shared/events.ts';
import { validOrderSql } from '../queries/shared/orders.ts';
import { globMatchSql } from '../queries/shared/patterns.ts';
import { customerPerson, orderPerson, visitorPerson } from '../queries/shared/persons.ts';
import { channelSql, hostSql } from './classify.ts';
import { deriveProperties } from './derive-properties.ts';
import { deriveSummaries } from './derive-summaries.ts';
import { sqlString } from '../queries/db/quote.ts';
import type { DeriveScope } from './derive-scope.ts';
import type { PhaseClock } from './phase-clock.ts';

const offSite = sql.join(offSiteEventTypes.map((e) => sql.lit(e)));
const offSiteList = offSiteEventTypes.map((e) => sqlString(e)).join(', ');

/** The config that derived tables depend on: when it changes they are rebuilt. */
export function derivedFingerprint(config: Config): string {
  const parts = { tz: config.timezone, week: config.week_start, stages: config.stages, channels: config.channels, timeout: config.session_timeout_minutes, window: config.conversion_window_days, v: 4 };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

const eventColumns = [
  'event_id', 'ts', 'visitor_id', 'session_id', 'customer_id', 'event', 'url', 'path', 'referrer', 'referrer_host', 'utm_source', 'utm_medium',
  'utm_campaign', 'utm_content', 'utm_term', 'channel', 'device', 'country', 'order_id', 'value', 'is_bot', 'is_pageview', 'status_code', 'properties', 'source_file',
];


/**
 * Sessionises the file's new events (`_in_new_events`) together with the stored events whose sessions
 * they can change, or, with `all`, every stored event; inserts the new events with session and
 * channel, fixes stored events whose session changed, and replaces the sessions it recomputed.
 *
 * A new event at `t` can only join, split or extend a stored session with an event within the timeout
 * of `t`: a stored session that ends more than the timeout before the visitor's first new event, or
 * starts more than the timeout after their last, keeps its start and its events (the gap on its edge
 * stays a gap). Only the sessions in between are opened again, whole, with any session the file
 * names by id. The window sorts narrow rows (key, visitor, time, id) and its result is joined back.
 */
async function sessionize(conn: Kysely<unknown>, config: Config, hasNew: boolean, all: boolean, clock?: PhaseClock): Promise<void> {
  if (!hasNew && !all) return;
  const channel = channelSql(config.channels, { medium: 'utm_medium', source: 'utm_source', referrerHost: 'referrer_host', ownHost: hostSql('url') });
  const landingChannel = channelSql(config.channels, { medium: 'landing.utm_medium', source: 'landing.utm_source', referrerHost: 'landing.referrer_host', ownHost: 'landing_host' });
  const shared = 'event_id, ts, visitor_id, customer_id, event, url, path, referrer, referrer_host, utm_source, utm_medium, utm_campaign, utm_content, utm_term, device, country, is_bot, is_pageview';
  const timeout = Math.round(Number(config.session_timeout_minutes) * 60e6);
  const gap = sql`to_microseconds(${sql.lit(timeout)})`;
  // the stored sessions opened again: those within the timeout of a visitor's new events, and those the file names
  await (all
    ? sql`create temp table _in_reopened as select session_id from sessions where false`
    : sql`
    create temp table _in_reopened as
    with spans as (
      select visitor_id, min(ts) - ${gap} as lo, max(ts) + ${gap} as hi from _in_new_events
      where given_session_id is null and event not in (${offSite}) group by visitor_id
    )
    select s.session_id from sessions s join spans w using (visitor_id)
    where s.session_id like 's:%' and s.end_ts >= w.lo and s.start_ts <= w.hi
    union
    select given_session_id from _in_new_events where given_session_id is not null and event not in (${offSite})`
  ).execute(conn);
  // their events (every site event when rebuilding), keyed below the new events' keys (staged rows, ≥ 0)
  await sql`
    create temp table _in_old as
    select -row_number() over () as __k, ${sql.raw(shared.split(', ').map((c) => `e.${c}`).join(', '))},
      case when e.session_id like 's:%' then null else e.session_id end as given_session_id
    from events e ${all ? sql`where e.event not in (${offSite})` : sql`semi join _in_reopened r on r.session_id = e.session_id`}`.execute(conn);
  await sql`
    create temp view _in_all as
    ${sql.raw(hasNew ? `select __k, ${shared}, given_session_id from _in_new_events where event not in (${offSiteList}) union all` : '')}
    select __k, ${sql.raw(shared)}, given_session_id from _in_old`.execute(conn);
  // every site event's session: split after the timeout, or the session id the file gave
  await sql`
    create temp table _in_assign as
    with marked as (
      select __k, visitor_id, ts, event_id,
        case when lag(ts) over w is null or ts - lag(ts) over w > ${gap} then ts end as start_mark
      from _in_all where given_session_id is null
      window w as (partition by visitor_id order by ts, event_id)
    )
    select __k,
      's:' || visitor_id || ':' || strftime(max(start_mark) over (partition by visitor_id order by ts, event_id rows between unbounded preceding and current row), '%Y%m%dT%H%M%S') as session_id
    from marked
    union all
    select __k, given_session_id from _in_all where given_session_id is not null`.execute(conn);
  clock?.lap('sessionise (assign)');
  await sql`
    create temp table _in_sessions as
    with agg as (
      select session_id, min(visitor_id) as visitor_id, min(customer_id) as customer_id, min(ts) as start_ts, max(ts) as end_ts,
        count(*)::integer as events, (count(*) filter (where is_pageview))::integer as pageviews,
        arg_min({ url: url, path: path, referrer: referrer, referrer_host: referrer_host, utm_source: utm_source, utm_medium: utm_medium,
          utm_campaign: utm_campaign, utm_content: utm_content, utm_term: utm_term }, (ts, event_id)) as landing,
        arg_min(device, ts) filter (where device is not null) as device, arg_min(country, ts) filter (where country is not null) as country,
        bool_or(is_bot) as is_bot
      from _in_assign join _in_all using (__k) group by session_id
    )
    select session_id, visitor_id, customer_id, start_ts, end_ts, epoch(end_ts - start_ts)::double as duration_s, events, pageviews,
      ${sql.raw(hostSql('landing.url'))} as landing_host,
      landing.url as landing_url, landing.path as landing_path, landing.referrer as referrer, landing.referrer_host as referrer_host,
      landing.utm_source as utm_source, landing.utm_medium as utm_medium, landing.utm_campaign as utm_campaign,
      landing.utm_content as utm_content, landing.utm_term as utm_term,
      ${sql.raw(landingChannel)} as channel,
      device, country, is_bot
    from agg`.execute(conn);
  clock?.lap('session aggregate');
  if (hasNew) {
    const site = eventColumns.map((c) => (c === 'channel' ? 's.channel' : c === 'session_id' ? 'a.session_id' : `n.${c}`));
    await sql`
      insert into events (${sql.raw(eventColumns.join(', '))})
      select ${sql.raw(site.join(', '))} from _in_new_events n join _in_assign a using (__k) join _in_sessions s on s.session_id = a.session_id
      union all
      select ${sql.raw(eventColumns.map((c) => (c === 'session_id' ? 'null' : c === 'channel' ? channel : c)).join(', '))}
      from _in_new_events where event in (${offSite})`.execute(conn);
    clock?.lap('insert events');
  }
  const [{ old } = { old: 0 }] = (await sql<{ old: number }>`select count(*)::bigint as old from _in_old`.execute(conn)).rows;
  if (old > 0) {
    await sql`
      update events e set session_id = x.session_id, channel = x.channel
      from (select o.event_id, a.session_id, s.channel from _in_old o join _in_assign a using (__k) join _in_sessions s on s.session_id = a.session_id) x
      where e.event_id = x.event_id and (e.session_id is distinct from x.session_id or e.channel is distinct from x.channel)`.execute(conn);
    await sql`delete from sessions s using _in_reopened r where s.session_id = r.session_id`.execute(conn);
  }
  await sql`insert into sessions by name select * exclude (landing_host) from _in_sessions`.execute(conn);
  await sql`drop view _in_all; drop table _in_old; drop table _in_reopened`.execute(conn);
  clock?.lap('sessions (restamp, insert)');
}

/** Adds the file's visitor↔customer links and recomputes the person map (connected components). */
async function linkIdentities(conn: Kysely<unknown>, fileId: number, hasNew: boolean): Promise<void> {
  await sql`
    create temp table _in_links as
    select visitor_id, customer_id, min(ts) as first_seen, max(ts) as last_seen from (
      ${hasNew ? sql`select visitor_id, customer_id, ts from _in_new_events where customer_id is not null and not is_bot union all` : sql``}
      select visitor_id, customer_id, ts from orders where source_file = ${sql.lit(fileId)} and visitor_id is not null and customer_id is not null
    ) group by visitor_id, customer_id`.execute(conn);
  await sql`
    create temp table _in_merged_links as
    select l.visitor_id, l.customer_id, least(l.first_seen, coalesce(i.first_seen, l.first_seen)) as first_seen,
      greatest(l.last_seen, coalesce(i.last_seen, l.last_seen)) as last_seen
    from _in_links l left join identities i using (visitor_id, customer_id)`.execute(conn);
  await sql`delete from identities i using _in_merged_links l where i.visitor_id = l.visitor_id and i.customer_id = l.customer_id`.execute(conn);
  await sql`insert into identities select * from _in_merged_links`.execute(conn);
  await sql`create temp table _in_old_map as select * from person_map`.execute(conn);
  // label propagation: every node ends up labelled with the smallest customer id of its component
  await sql`create temp table _pm_c as select distinct customer_id as id, customer_id as label from identities`.execute(conn);
  await sql`create temp table _pm_v as select visitor_id as id, min(customer_id) as label from identities group by visitor_id`.execute(conn);
  for (let i = 0; i < 50; i++) {
    const changedC = (await sql`
      update _pm_c c set label = x.label from (
        select i.customer_id as id, min(v.label) as label from identities i join _pm_v v on v.id = i.visitor_id group by i.customer_id
      ) x where c.id = x.id and x.label < c.label`.execute(conn)).numAffectedRows ?? 0n;
    const changedV = (await sql`
      update _pm_v v set label = x.label from (
        select i.visitor_id as id, min(c.label) as label from identities i join _pm_c c on c.id = i.customer_id group by i.visitor_id
      ) x where v.id = x.id and x.label < v.label`.execute(conn)).numAffectedRows ?? 0n;
    if (changedC === 0n && changedV === 0n) break;
  }
  await sql`delete from person_map`.execute(conn);
  await sql`insert into person_map select 'visitor', id, label from _pm_v union all select 'customer', id, label from _pm_c`.execute(conn);
  await sql`drop table _pm_c; drop table _pm_v`.execute(conn);
}

const eventPerson = visitorPerson('e');
const order = orderPerson('o');

/**
 * SQL producing (person_id, stage, ts, session_id) hits for one stage, over `_in_pev` (the affected
 * persons' non-bot events) and `_in_pord` (their valid orders).
 */
function stageHitsSql(name: string, rule: StageRule): string[] {
  const stage = sqlString(name);
  const parts: string[] = [];
  const eventTests: string[] = [];
  if (rule.events?.length) eventTests.push(`event in (${rule.events.map((e) => sqlString(e.toLowerCase())).join(', ')})`);
  if (rule.pageview) eventTests.push('is_pageview');
  if (rule.paths?.length) eventTests.push(...rule.paths.map((p) => compileLiteral(globMatchSql('path', p))));
  if (eventTests.length) parts.push(`select person_id, ${stage}, ts, session_id from _in_pev where ${eventTests.join(' or ')}`);
  if (rule.session_min_pageviews) {
    parts.push(`select person_id, ${stage}, ts, session_id from (
      select person_id, ts, session_id, row_number() over (partition by session_id order by ts, event_id) as n
      from _in_pev where is_pageview and session_id is not null
    ) where n = ${rule.session_min_pageviews}`);
  }
  if (rule.session_min_seconds) {
    parts.push(`select x.person_id, ${stage}, min(x.ts), x.session_id from _in_pev x join sessions s on s.session_id = x.session_id
      where x.ts >= s.start_ts + to_microseconds(${Math.round(rule.session_min_seconds * 1e6)}) group by x.person_id, x.session_id`);
  }
  if (rule.valid_order) parts.push(`select person_id, ${stage}, ts, null from _in_pord`);
  if (rule.min_valid_orders) {
    parts.push(`select person_id, ${stage}, ts, null from (
      select person_id, ts, row_number() over (partition by person_id order by ts, order_id) as n from _in_pord
    ) where n = ${rule.min_valid_orders}`);
  }
  return parts;
}

/** Recomputes stage hits and first times for `_in_persons`. */
async function deriveStages(conn: Kysely<unknown>, config: Config, clock?: PhaseClock): Promise<void> {
  await sql`
    create temp table _in_pev as
    select ${sql.raw(eventPerson.person)} as person_id, e.event_id, e.ts, e.session_id, e.event, e.is_pageview, e.path
    from events e ${sql.raw(eventPerson.join)}
    semi join _in_persons p on p.person_id = ${sql.raw(eventPerson.person)}
    where not e.is_bot`.execute(conn);
  await sql`
    create temp table _in_pord as
    select ${sql.raw(order.person)} as person_id, o.order_id, o.ts
    from orders o ${sql.raw(order.join)}
    semi join _in_persons p on p.person_id = ${sql.raw(order.person)}
    where ${sql.raw(validOrderSql('o'))}`.execute(conn);
  clock?.lap('stage hits (persons\' events)');
  const parts = Object.entries(config.stages).flatMap(([name, rule]) => stageHitsSql(name, rule));
  await sql`create temp table _in_hits as select distinct * from (${sql.raw(parts.join('\nunion all\n'))}) h(person_id, stage, ts, session_id)`.execute(conn);
  clock?.lap('stage hits (rules)');
  await sql`delete from stage_hits h using _in_persons p where h.person_id = p.person_id`.execute(conn);
  await sql`delete from person_stages h using _in_persons p where h.person_id = p.person_id`.execute(conn);
  // A run of hits of one stage with no other stage's hit in between (within 15 minutes, so periods in any
  // time zone start on a bucket edge) only needs its first hit for ordered funnels. One window per
  // person (hits ordered by time fall in bucket order): a hit is kept when the one before it is of
  // another stage or in another bucket.
  await sql`
    insert into stage_hits
    select person_id, stage, ts, session_id from (
      select *, lag(stage) over w as prev, lag(ts) over w as prev_ts from _in_hits
      window w as (partition by person_id order by ts, stage)
    ) where prev is distinct from stage or time_bucket(interval 15 minutes, prev_ts) <> time_bucket(interval 15 minutes, ts)`.execute(conn);
  clock?.lap('stage hits (runs kept)');
  await sql`insert into person_stages select person_id, stage, min(ts), max(ts), count(*)::integer from _in_hits group by person_id, stage`.execute(conn);
  clock?.lap('person stages');
  await sql`delete from funnel_days f using _in_persons p where f.person_id = p.person_id`.execute(conn);
  await sql`insert into funnel_days ${sql.raw(compileLiteral(funnelDaysSql(config, sql`select person_id from _in_persons`)))}`.execute(conn);
  clock?.lap('funnel days');
}

async function collectAffectedPersons(conn: Kysely<unknown>, fileId: number, hasNew: boolean): Promise<void> {
  // the touched ids' persons under the new map and under the old one: both need recomputing
  const personsOf = (map: string) => {
    const v = visitorPerson('t', 'm', map);
    const c = customerPerson('t', 'm', map);
    return sql.raw(`select ${v.person} as person_id from touched_visitors t ${v.join}
      union all select ${c.person} from touched_customers t ${c.join}`);
  };
  await sql`
    create temp table _in_persons as
    with touched_visitors as (
      select visitor_id from _in_visitors
      union select visitor_id from orders where source_file = ${sql.lit(fileId)} and visitor_id is not null
    ),
    touched_customers as (
      select customer_id from orders where source_file = ${sql.lit(fileId)} and customer_id is not null
      ${hasNew ? sql`union select customer_id from _in_new_events where customer_id is not null` : sql``}
    ),
    changed as (
      select id_kind, id, person_id from (select * from person_map except select * from _in_old_map)
      union select id_kind, id, person_id from (select * from _in_old_map except select * from person_map)
    )
    select distinct person_id from (
      ${personsOf('person_map')}
      union all ${personsOf('_in_old_map')}
      union all select person_id from changed
      union all select id from changed
    )`.execute(conn);
}

/** The unfiltered retention matrix's data, recomputed whole when orders changed (cohorts shift with any customer). */
async function keepRetentionBase(conn: Kysely<unknown>, config: Config, scope: DeriveScope): Promise<void> {
  if (!scope.all && !scope.replacedOrders) {
    const [touched] = (await sql<{ n: number }>`select count(*)::integer as n from orders where source_file = ${sql.lit(scope.fileId)}`.execute(conn)).rows;
    if (!touched?.n) return;
  }
  await sql`delete from retention_base`.execute(conn);
  for (const grain of ['month', 'week']) {
    await sql`insert into retention_base select ${sql.lit(grain)}, * from (${sql.raw(compileLiteral(retentionBaseSql(config, sql.lit(grain))))})`.execute(conn);
  }
}

/** Brings every derived table up to date after a load (or, with `scope.all`, for everything). */
export async function derive(conn: Kysely<unknown>, config: Config, scope: DeriveScope, clock?: PhaseClock): Promise<void> {
  const { fileId, newEvents, all } = scope;
  await (all
    ? sql`create temp table _in_visitors as select distinct visitor_id from events`
    : sql`create temp table _in_visitors as ${newEvents ? sql`select distinct visitor_id from _in_new_events` : sql`select null::varchar as visitor_id where false`}`
  ).execute(conn);
  if (all) {
    await sql`delete from sessions`.execute(conn);
  }
  clock?.lap('touched visitors');
  await sessionize(conn, config, newEvents, all, clock);
  await linkIdentities(conn, fileId, newEvents);
  clock?.lap('identities, person map');
  if (all) {
    await sql`delete from stage_hits; delete from person_stages; delete from funnel_days`.execute(conn);
    await sql`create temp table _in_persons as
      select distinct ${sql.raw(eventPerson.person)} as person_id from events e ${sql.raw(eventPerson.join)}
      union
      select ${sql.raw(order.person)} from orders o ${sql.raw(order.join)}`.execute(conn);
  } else {
    await collectAffectedPersons(conn, fileId, newEvents);
  }
  clock?.lap('affected persons');
  await deriveStages(conn, config, clock);
  await deriveSummaries(conn, config, scope); // customer and person-day summaries: before the retention base, which reads them
  clock?.lap('summaries');
  await keepRetentionBase(conn, config, scope);
  clock?.lap('retention base');
  await deriveProperties(conn, config, scope);
  clock?.lap('properties');
  await sql`insert or replace into meta values ('derived_fingerprint', ${derivedFingerprint(config)})`.execute(conn);
  for (const t of ['_in_assign', '_in_sessions', '_in_links', '_in_merged_links', '_in_old_map', '_in_persons', '_in_pev', '_in_pord', '_in_hits', '_in_visitors']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(conn);
  }
  clock?.lap('derive clean-up');
}

/** True when the derived tables were built under another config (or never). */
export async function derivedIsStale(conn: Kysely<unknown>, config: Config): Promise<boolean> {
  const rows = (await sql<{ value: string }>`select value from meta where key = 'derived_fingerprint'`.execute(conn)).rows;
  return rows[0]?.value !== derivedFingerprint(config);
}
