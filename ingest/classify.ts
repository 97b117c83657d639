// Classification rules applied at ingest, as SQL expressions: the channel of a session (SPEC §4,
// first matching rule wins), crawler user agents, devices, static assets and referrer hosts.
import type { ChannelRule } from '../queries/config.ts';
import { sqlString } from './sql-text.ts';

function escapeRegex(text: string): string {
  return text.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** google matches google.com, www.google.co.uk; so.com matches so.com and www.so.com. */
function hostPattern(names: string[]): string {
  return `(^|\\.)(${names.map(escapeRegex).join('|')})(\\.|$)`;
}

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
  return `case ${whens.join(' ')} else 'Direct' end`;
}

export function botSql(patterns: string[], userAgent: string): string {
  if (patterns.length === 0) return 'false';
  return `coalesce(regexp_matches(lower(${userAgent}), ${sqlString(patterns.map(escapeRegex).join('|'))}), false)`;
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
