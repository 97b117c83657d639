// The other server and CDN log layouts (SPEC §4), each as DuckDB regex or JSON extraction over a line:
// Apache vhost_combined, AWS ALB/ELB, Amazon S3 server access, HAProxy HTTP, W3C extended (IIS and
// CloudFront, columns from their `#Fields:` line) and JSON access logs (nginx log_format, Caddy, Traefik).
import { sqlString } from '../../queries/db/quote.ts';
import { combinedTail, regexLayout, requestParts, type LineLayout } from './access-log.ts';

const q = String.raw`"((?:[^"\\]|\\.)*)"`;

/** Apache `vhost_combined`: `%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"`. */
export const vhostCombinedLayout = regexLayout(
  String.raw`^(\S+?)(?::\d+)? (\S+) (\S+) (\S+) ${combinedTail}`,
  ['vhost', 'ip', 'ident', 'auth_user', 'ts', 'request', 'status', 'bytes', 'referrer', 'user_agent'],
  (g) => ({ ip: g('ip'), ts: g('ts'), ...requestParts(g('request')), status: g('status'), bytes: g('bytes'), referrer: g('referrer'), user_agent: g('user_agent') }),
  'not a vhost_combined line (expected host:port client ident user [time] "request" status bytes "referer" "user-agent")',
);

/**
 * AWS Application Load Balancer: `type time elb client:port target:port rpt tpt rspt elb_status
 * target_status received sent "request" "user_agent" …`; the request's URL is absolute. A request the
 * load balancer could not forward has status `-` for the target, not for the load balancer.
 */
export const albLayout = regexLayout(
  String.raw`^(\S+) (\S+) (\S+) ([^\s:]+|\[[^\]]+\]):\d+ \S+ \S+ \S+ \S+ (\d{3}|-) \S+ \d+ (\d+) ${q} ${q}`,
  ['type', 'ts', 'elb', 'ip', 'status', 'bytes', 'request', 'user_agent'],
  (g) => ({ ip: g('ip'), ts: g('ts'), ...requestParts(g('request')), status: g('status'), bytes: g('bytes'), referrer: "''", user_agent: g('user_agent') }),
  'not an AWS ALB access-log line (expected type time elb client:port target:port times status status bytes bytes "request" "user-agent" …)',
);

/** Amazon S3 server access logs: `owner bucket [time] ip requester id operation key "request" status error bytes … "referer" "user-agent" …`. */
export const s3Layout = regexLayout(
  String.raw`^(\S+) (\S+) \[([^\]]+)\] (\S+) (\S+) (\S+) (\S+) (\S+) ${q} (\d{3}|-) (\S+) (\S+) (\S+) (\S+) (\S+) ${q} ${q}`,
  ['owner', 'bucket', 'ts', 'ip', 'requester', 'request_id', 'operation', 'key', 'request', 'status', 'error', 'bytes', 'size', 'total', 'turnaround', 'referrer', 'user_agent'],
  (g) => ({ ip: g('ip'), ts: g('ts'), ...requestParts(g('request')), status: g('status'), bytes: g('bytes'), referrer: g('referrer'), user_agent: g('user_agent') }),
  'not an S3 server access-log line (expected owner bucket [time] ip requester id operation key "request" status error bytes …)',
);

/**
 * HAProxy `option httplog` (after the syslog prefix): `client:port [accept_date] frontend backend/server
 * timers status bytes cookies termination conns queues {request captures} {response captures} "request"`. Its
 * accept date has no offset: it is read in input_timezone. Without a captured User-Agent a request has no
 * agent, and requests without one count as bots (as in every web file).
 */
export const haproxyLayout = regexLayout(
  String.raw`(?:^|\s)([^\s:]+):\d+ \[(\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2})(?:\.\d+)?\] \S+ \S+ \S+ (\d{3}|-1) (\d+) \S+ \S+ \S+ \S+ \S+ (?:\{([^}]*)\} )?(?:\{[^}]*\} )?${q}\s*$`,
  ['ip', 'ts', 'status', 'bytes', 'captures', 'request'],
  (g) => ({
    ip: g('ip'),
    // 06/Feb/2009:12:14:14 → 2009-02-06 12:14:14 (a local time, no offset)
    ts: `strftime(try_strptime(${g('ts')}, '%d/%b/%Y:%H:%M:%S'), '%Y-%m-%d %H:%M:%S')`,
    ...requestParts(g('request')),
    status: g('status'),
    bytes: g('bytes'),
    // `capture request header` values, in the order configured: the agent is the product/version one, the referrer the URL
    referrer: `coalesce(list_filter(string_split(${g('captures')}, '|'), (v) -> regexp_matches(v, '^https?://'))[1], '')`,
    user_agent: `coalesce(list_filter(string_split(${g('captures')}, '|'), (v) -> regexp_matches(v, '^[A-Za-z][A-Za-z0-9._-]*/[0-9A-Za-z]'))[1], '')`,
  }),
  'not a HAProxy HTTP log line (expected client:port [date] frontend backend/server timers status bytes … "request")',
);

/** The first `#Fields:` directive of a W3C extended log (IIS, CloudFront), and the field separator. */
export function w3cFields(sample: string): { fields: string[]; tab: boolean } | null {
  const line = sample.split(/\r?\n/).find((l) => /^#Fields:/i.test(l));
  if (!line) return null;
  const rest = line.replace(/^#Fields:\s*/i, '');
  return { fields: rest.trim().split(/\s+/), tab: sample.split(/\r?\n/).some((l) => !l.startsWith('#') && l.includes('\t')) };
}

/**
 * W3C extended log: columns by the `#Fields:` line. IIS writes spaces in the user agent as `+`;
 * CloudFront URL-encodes it. Times are UTC (`date time`). `#` lines are directives.
 */
export function w3cLayout(sample: string): LineLayout | null {
  const layout = w3cFields(sample);
  if (!layout) return null;
  const at = (...names: string[]) => {
    const i = layout.fields.findIndex((f) => names.includes(f.toLowerCase()));
    return i < 0 ? "''" : `coalesce(p[${i + 1}], '')`;
  };
  const uaRaw = at('cs(user-agent)');
  const ua = layout.tab ? `url_decode(${uaRaw})` : `replace(${uaRaw}, '+', ' ')`;
  const query = at('cs-uri-query');
  const stem = at('cs-uri-stem');
  return {
    parse: `string_split(__text, ${layout.tab ? "chr(9)" : "' '"})`,
    columns: {
      ip: at('c-ip'),
      ts: `case when regexp_full_match(${at('date')}, '\\d{4}-\\d{2}-\\d{2}') and regexp_full_match(${at('time')}, '\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?') then ${at('date')} || 'T' || ${at('time')} || 'Z' end`,
      method: at('cs-method'),
      url: `${stem} || case when ${query} not in ('', '-') then '?' || ${query} else '' end`,
      protocol: at('cs-protocol-version', 'cs-version'),
      status: at('sc-status'),
      bytes: at('sc-bytes'),
      referrer: at('cs(referer)', 'cs(referrer)'),
      user_agent: ua,
    },
    parsed: `len(p) = ${layout.fields.length} and regexp_full_match(${at('sc-status')}, '\\d{3}')`,
    directive: { test: `starts_with(__text, '#')`, reason: 'W3C log directive (#Version, #Fields, #Date …), not a request' },
    reason: `not a W3C extended log line with the ${layout.fields.length} fields of its #Fields line`,
  };
}

/**
 * JSON access logs, one object per line, by the key names the servers use: nginx `log_format … escape=json`
 * with its variable names ($remote_addr, $time_iso8601 or $time_local, $request or $request_method +
 * $request_uri, $status, $body_bytes_sent, $http_referer, $http_user_agent, or short names such as ip,
 * ua), Caddy (`request.remote_ip`, `request.headers.User-Agent[0]`, `ts` in epoch seconds) and Traefik
 * (`ClientHost`, `StartUTC`, `RequestMethod`, `RequestPath`, `DownstreamStatus`, `request_User-Agent`).
 */
export const jsonLogLayout: LineLayout = (() => {
  // every path is extracted in one call per line (one JSON parse); a column is the first path the line has
  const paths: string[] = [];
  const firstOf = (...candidates: string[]) => {
    const at = candidates.map((c) => (paths.includes(c) ? paths.indexOf(c) : paths.push(c) - 1) + 1);
    return `coalesce(${at.map((i) => `p[${i}]`).join(', ')})`;
  };
  // "$request" is the request line "GET /path HTTP/1.1" (Caddy's request is an object: its text starts with {)
  const line = `case when not starts_with(${firstOf('$.request')}, '{') then ${firstOf('$.request')} end`;
  const request = requestParts(line);
  const columns = {
    ip: firstOf('$.remote_addr', '$.client_ip', '$.ip', '$.remote_ip', '$.request.client_ip', '$.request.remote_ip', '$.ClientHost', '$.realip_remote_addr'),
    ts: firstOf('$.time_iso8601', '$.time_local', '$.StartUTC', '$.timestamp', '$."@timestamp"', '$.ts', '$.time', '$.msec'),
    method: `coalesce(${firstOf('$.request_method', '$.method', '$.request.method', '$.RequestMethod')}, ${request.method})`,
    url: `coalesce(${firstOf('$.request_uri', '$.uri', '$.url', '$.path', '$.request.uri', '$.RequestPath')}, ${request.url})`,
    protocol: `coalesce(${firstOf('$.server_protocol', '$.protocol', '$.request.proto', '$.RequestProtocol')}, ${request.protocol})`,
    status: firstOf('$.status', '$.response_status', '$.DownstreamStatus', '$.OriginStatus'),
    bytes: firstOf('$.body_bytes_sent', '$.bytes_sent', '$.size', '$.bytes', '$.DownstreamContentSize'),
    referrer: firstOf('$.http_referer', '$.referer', '$.referrer', '$.request.headers.Referer[0]', '$."request_Referer"'),
    user_agent: firstOf('$.http_user_agent', '$.user_agent', '$.ua', '$.agent', '$.request.headers."User-Agent"[0]', '$."request_User-Agent"'),
  };
  return {
    // an invalid line is NULL, so nothing below reads it
    parse: `case when json_valid(__text) and json_type(__text) = 'OBJECT' then json_extract_string(__text, [${paths.map(sqlString).join(', ')}]) end`,
    columns,
    parsed: 'p is not null',
    reason: 'not a JSON access-log object (expected one {...} per line)',
  };
})();
