// Classification rules applied at ingest: the channel of a session (SPEC §4, first matching rule wins),
// crawler user agents (isbot's maintained list, checked in JS once per distinct agent), devices, static
// assets and referrer hosts (SQL expressions).
import { getPattern } from 'isbot';
import type { ChannelRule } from './config.ts';
import { sqlString } from '../queries/db/quote.ts';
import { sql, type Kysely } from 'kysely';
import { appendRows } from '../queries/db/raw.ts';

function escapeRegex(text: string): string {
  return text.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** google matches google.com, www.google.co.uk; so.com matches so.com and www.so.com. */
function hostPattern(names: string[]): string {
  return `(^|\\.)(${names.map(escapeRegex).join('|')})(\\.|$)`;
}

/** The channel of a session no rule matches (SPEC §4: none of these). */
export const fallbackChannel = 'Direct';

/**
 * The channel of a session given SQL expressions for its landing utm_medium, utm_source, referrer host
 * and the site's own host (a referrer from the site itself is not external).
 */
export function channelSql(rules: ChannelRule[], e: { medium: string; source: string; referrerHost: string; ownHost: string }): string {
  const medium = `lower(${e.medium})`;
  const source = `lower(${e.source})`;
  const external = `(${e.referrerHost} is not null and ${e.referrerHost} <> coalesce(${e.ownHost}, ''))`;
  const whens = rules.map((rule) => {
    const tests: string[] = [];
    if (rule.mediums?.length) tests.push(`${medium} in (${rule.mediums.map((m) => sqlString(m.toLowerCase())).join(', ')})`);
    if (rule.sources?.length) tests.push(`regexp_matches(coalesce(${source}, ''), ${sqlString(hostPattern(rule.sources))})`);
    if (rule.referrers?.length) tests.push(`(${external} and regexp_matches(${e.referrerHost}, ${sqlString(hostPattern(rule.referrers))}))`);
    if (rule.any_referrer) tests.push(external);
    return tests.length ? `when ${tests.join(' or ')} then ${sqlString(rule.channel)}` : '';
  });
  return `case ${whens.join(' ')} else ${sqlString(fallbackChannel)} end`;
}

/**
 * Whether a user agent is not a person: no agent at all (empty or `-`), isbot's pattern (crawlers,
 * feed readers, monitors, link previews, headless browsers, HTTP libraries), or one of the config's
 * `bot_user_agents` (case-insensitive substrings, added to isbot's list).
 */
export function botClassifier(extra: string[]): (userAgent: string | null) => boolean {
  // isbot's pattern is a JS regex (look-behinds) that DuckDB's RE2 does not accept: it runs here
  const pattern = getPattern();
  const added = extra.map((p) => p.toLowerCase());
  return (userAgent) => {
    const ua = userAgent?.trim() ?? '';
    if (ua === '' || ua === '-') return true;
    if (pattern.test(ua)) return true;
    const lower = ua.toLowerCase();
    return added.some((p) => lower.includes(p));
  };
}

/**
 * Fills temp table `_in_agents` (ua, is_bot, device) with one row per distinct user agent of
 * `agentsSql` (a query with one column `ua`): the bot test runs once per agent, not once per row.
 */
export async function classifyAgents(conn: Kysely<unknown>, agentsSql: string, extra: string[]): Promise<void> {
  const isBot = botClassifier(extra);
  await sql`create or replace temp table _in_agents (ua varchar, is_bot boolean not null, device varchar)`.execute(conn);
  const { rows: agents } = await sql<{ ua: string | null; device: string | null }>`select ua, ${sql.raw(deviceSql('ua'))} as device from (${sql.raw(agentsSql)})`.execute(conn);
  await appendRows(conn, '_in_agents', true, (appender) => {
    for (const { ua, device } of agents) {
      if (ua === null) appender.appendNull();
      else appender.appendVarchar(ua);
      appender.appendBoolean(isBot(ua));
      if (device === null) appender.appendNull();
      else appender.appendVarchar(device);
      appender.endRow();
    }
  });
}

export function deviceSql(userAgent: string): string {
  const ua = `lower(${userAgent})`;
  return `case
    when ${userAgent} is null then null
    when regexp_matches(${ua}, 'ipad|tablet|kindle|silk|playbook') or (${ua} like '%android%' and ${ua} not like '%mobile%') then 'tablet'
    when regexp_matches(${ua}, 'mobi|iphone|ipod|android|blackberry|opera mini|iemobile|windows phone') then 'mobile'
    else 'desktop' end`;
}

const assetExtensions = ['css', 'js', 'mjs', 'map', 'png', 'jpg', 'jpeg', 'gif', 'svg', 'ico', 'webp', 'avif', 'bmp', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'mp4', 'webm', 'mp3', 'ogg', 'wav', 'pdf', 'zip', 'gz', 'tgz', 'xml', 'json', 'txt', 'rss', 'atom', 'swf'];

export function isAssetSql(path: string): string {
  return `coalesce(regexp_matches(lower(${path}), '\\.(${assetExtensions.join('|')})$'), false)`;
}

/** The host of a URL, lower case, without port or a leading www. */
export function hostSql(url: string): string {
  return `nullif(regexp_replace(lower(regexp_extract(${url}, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#:]+)', 1)), '^www\\.', ''), '')`;
}

/** The path of a URL or of a path-with-query, without query string or fragment. */
export function pathSql(url: string): string {
  return `nullif(regexp_extract(regexp_replace(${url}, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*', ''), '^[^?#]*', 0), '')`;
}

/** A query-string parameter of a URL, URL-decoded ('+' is a space). */
export function queryParamSql(url: string, name: string): string {
  // the cheap test first: most URLs carry no such parameter and never reach the regex
  return `case when strpos(${url}, '${name}=') > 0 then nullif(url_decode(replace(regexp_extract(${url}, '[?&]${name}=([^&#]*)', 1), '+', ' ')), '') end`;
}
