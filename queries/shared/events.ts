// Event types with a meaning shared by ingest (sessions) and metrics (touches), and what a step of a
// person's way through the site is called (paths, correlation): the page's path, else the event's name.
import { sql, type RawBuilder } from 'kysely';

/** Event types that happen off the site (ads shown): they belong to no session. */
export const offSiteEventTypes = ['impression', 'ad_impression'];

/** Requests an access log keeps that are not a page a person saw: static assets and failed requests. */
export const nonPageRequestTypes = ['asset', 'error'];

/** Which events count as steps of a way through the site: pages, other events, or both. */
export const nodeKinds = ['all', 'pages', 'events'] as const;
export type NodeKind = (typeof nodeKinds)[number];

/** A step's name for an events row `e`: the path of a pageview (`/p/1`), else the event's type (`add_to_cart`). */
export const eventNodeSql = (e = 'e'): RawBuilder<string> =>
  sql<string>`case when ${sql.ref(`${e}.is_pageview`)} and ${sql.ref(`${e}.path`)} is not null then ${sql.ref(`${e}.path`)} else ${sql.ref(`${e}.event`)} end`;

/** SQL condition over events `e`: a non-bot step of the kind asked (ads shown elsewhere, assets and errors are none). */
export function eventNodeFilterSql(kind: NodeKind, e = 'e'): RawBuilder<boolean> {
  const ref = (c: string) => sql.ref(`${e}.${c}`);
  const excluded = [...offSiteEventTypes, ...nonPageRequestTypes].map((t) => sql.lit(t));
  const byKind = kind === 'pages' ? sql`${ref('is_pageview')}` : kind === 'events' ? sql`not ${ref('is_pageview')}` : sql`true`;
  return sql<boolean>`(not ${ref('is_bot')} and ${ref('event')} not in (${sql.join(excluded)}) and ${byKind})`;
}
