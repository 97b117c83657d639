// Server and CDN logs through the real pipeline, each fixture laid out as its server documents it: the
// layout is detected from the first line, every line is an event or a reject, and the stored events are
// checked field by field (the visitor hash recomputed here from the salt, the IP and the agent).
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileSummary } from '../../ingest/pipeline.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

let w: TempWarehouse;
beforeEach(async () => {
  w = await tempWarehouse({ input_timezone: 'Europe/Paris' });
});
afterEach(async () => w.close());

interface Stored {
  ts: string;
  path: string | null;
  status: number | null;
  event: string;
  referrer: string | null;
  is_bot: boolean;
  visitor_id: string;
}

async function events(): Promise<Stored[]> {
  return w.rows(`select strftime(timezone('UTC', ts), '%Y-%m-%dT%H:%M:%SZ') as ts, path, status_code::integer as status, event, referrer, is_bot, visitor_id
    from events order by ts, path`);
}

async function rejects(s: FileSummary) {
  return w.rows(`select line::integer as line, reason from rejects where file_id = ${s.fileId} order by line`);
}

/** What the visitor of a log line must be: the warehouse's salt, the client IP and the user agent, hashed. */
async function visitor(ip: string, ua: string | null): Promise<string> {
  const salt = (await w.rows<{ value: string }>("select value from meta where key = 'visitor_salt'"))[0]!.value;
  return createHash('md5').update(`${salt}${ip}|${ua ?? ''}`).digest('hex').slice(0, 16);
}

function accounted(s: FileSummary) {
  expect(s.message).toBeUndefined();
  expect(s.status).toBe('loaded');
  expect(s.rowsIn).toBe(s.rowsLoaded + s.rowsDuplicate + s.rowsRejected);
}

const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

describe('server and CDN logs', () => {
  it('Apache vhost_combined: %v:%p before the combined fields', async () => {
    // Apache's own LogFormat "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" vhost_combined
    // (Debian's apache2.conf; httpd.apache.org/docs/current/mod/mod_log_config.html for the fields)
    const file = w.file('other_vhosts_access.log', [
      `shop.example.com:443 203.0.113.7 - - [05/Jan/2026:10:00:00 +0100] "GET /products/shoes?utm_source=news&utm_medium=email HTTP/1.1" 200 5120 "https://mail.example.net/" "${chrome}"`,
      `shop.example.com:443 203.0.113.7 - - [05/Jan/2026:10:00:01 +0100] "GET /static/app.css HTTP/1.1" 200 880 "https://shop.example.com/products/shoes" "${chrome}"`,
      `blog.example.com:80 66.249.66.1 - - [05/Jan/2026:10:05:00 +0100] "GET /robots.txt HTTP/1.1" 404 196 "-" "${googlebot}"`,
      'shop.example.com:443 garbage line',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ format: 'vhost-combined', profile: 'access-log', rowsIn: 4, rowsLoaded: 3, rowsRejected: 1 });
    const shopper = await visitor('203.0.113.7', chrome);
    // +0100: 10:00 in Paris is 09:00 UTC
    expect(await events()).toEqual([
      { ts: '2026-01-05T09:00:00Z', path: '/products/shoes', status: 200, event: 'pageview', referrer: 'https://mail.example.net/', is_bot: false, visitor_id: shopper },
      { ts: '2026-01-05T09:00:01Z', path: '/static/app.css', status: 200, event: 'asset', referrer: 'https://shop.example.com/products/shoes', is_bot: false, visitor_id: shopper },
      { ts: '2026-01-05T09:05:00Z', path: '/robots.txt', status: 404, event: 'error', referrer: null, is_bot: true, visitor_id: await visitor('66.249.66.1', googlebot) },
    ]);
    expect(await w.rows("select utm_source, utm_medium from events where path = '/products/shoes'")).toEqual([{ utm_source: 'news', utm_medium: 'email' }]);
    expect(await rejects(s)).toEqual([
      { line: 4, reason: 'not a vhost_combined line (expected host:port client ident user [time] "request" status bytes "referer" "user-agent")' },
    ]);
  });

  it('nginx log_format escape=json with nginx variable names, and a line that is not JSON', async () => {
    // nginx `log_format json_analytics escape=json '{"time_local":"$time_local","remote_addr":"$remote_addr",
    // "request":"$request","status":"$status","body_bytes_sent":"$body_bytes_sent","http_referer":"$http_referer",
    // "http_user_agent":"$http_user_agent","request_time":"$request_time"}'` (nginx.org/en/docs/http/ngx_http_log_module.html:
    // escape=json; the variables of ngx_http_core_module)
    const file = w.file('access.json.log', [
      `{"time_local":"05/Jan/2026:10:00:00 +0000","remote_addr":"198.51.100.4","request":"GET /pricing HTTP/2.0","status":"200","body_bytes_sent":"3100","http_referer":"https://www.bing.com/","http_user_agent":"${chrome}","request_time":"0.012"}`,
      `{"time_local":"05/Jan/2026:10:00:09 +0000","remote_addr":"198.51.100.4","request":"POST /api/cart HTTP/2.0","status":"201","body_bytes_sent":"88","http_referer":"https://shop.example.com/pricing","http_user_agent":"${chrome}","request_time":"0.030"}`,
      'nginx: [warn] could not build optimal proxy_headers_hash',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ format: 'json-log', rowsIn: 3, rowsLoaded: 2, rowsRejected: 1 });
    const v = await visitor('198.51.100.4', chrome);
    expect(await events()).toEqual([
      { ts: '2026-01-05T10:00:00Z', path: '/pricing', status: 200, event: 'pageview', referrer: 'https://www.bing.com/', is_bot: false, visitor_id: v },
      { ts: '2026-01-05T10:00:09Z', path: '/api/cart', status: 201, event: 'post', referrer: 'https://shop.example.com/pricing', is_bot: false, visitor_id: v },
    ]);
    expect(await rejects(s)).toEqual([{ line: 3, reason: 'not a JSON access-log object (expected one {...} per line)' }]);
  });

  it('nginx JSON with its own short key names (ip, ua, uri, time_iso8601)', async () => {
    const file = w.file('short.json.log', `{"time_iso8601":"2026-01-05T11:00:00+01:00","ip":"192.0.2.10","method":"GET","uri":"/","status":304,"ua":"${chrome}","referer":""}\n`);
    const s = await w.ingest(file);
    accounted(s);
    expect(await events()).toEqual([
      { ts: '2026-01-05T10:00:00Z', path: '/', status: 304, event: 'pageview', referrer: null, is_bot: false, visitor_id: await visitor('192.0.2.10', chrome) },
    ]);
  });

  it('Caddy JSON access log: request.remote_ip, headers as arrays, ts in epoch seconds', async () => {
    // Caddy's access log entry as caddyserver.com/docs/caddyfile/directives/log shows it ("logger":"http.log.access",
    // "msg":"handled request", request.{remote_ip, client_ip, proto, method, host, uri, headers}, size, status, ts)
    const file = w.file('caddy-access.log', [
      `{"level":"info","ts":1767607200.5241024,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"203.0.113.9","remote_port":"41342","client_ip":"203.0.113.9","proto":"HTTP/2.0","method":"GET","host":"shop.example.com","uri":"/blog/winter?utm_source=newsletter","headers":{"User-Agent":["${chrome}"],"Referer":["https://duckduckgo.com/"],"Accept":["*/*"]}},"bytes_read":0,"user_id":"","duration":0.000929675,"size":10900,"status":200,"resp_headers":{"Server":["Caddy"]}}`,
      `{"level":"info","ts":1767607201.25,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"203.0.113.9","client_ip":"203.0.113.9","proto":"HTTP/2.0","method":"GET","host":"shop.example.com","uri":"/img/hero.webp","headers":{"User-Agent":["${chrome}"]}},"size":48211,"status":200}`,
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ format: 'json-log', rowsIn: 2, rowsLoaded: 2 });
    const v = await visitor('203.0.113.9', chrome);
    // 1767607200 = 2026-01-05T10:00:00Z
    expect(await events()).toEqual([
      { ts: '2026-01-05T10:00:00Z', path: '/blog/winter', status: 200, event: 'pageview', referrer: 'https://duckduckgo.com/', is_bot: false, visitor_id: v },
      { ts: '2026-01-05T10:00:01Z', path: '/img/hero.webp', status: 200, event: 'asset', referrer: null, is_bot: false, visitor_id: v },
    ]);
    expect(await w.rows("select utm_source from events where path = '/blog/winter'")).toEqual([{ utm_source: 'newsletter' }]);
  });

  it('Traefik JSON access log with kept request headers', async () => {
    // Traefik accessLog format json (doc.traefik.io/traefik/observability/access-logs: ClientHost, RequestMethod,
    // RequestPath, RequestProtocol, DownstreamStatus, StartUTC; headers kept as request_<Header>)
    const file = w.file('traefik-access.log', [
      `{"ClientAddr":"192.0.2.44:51022","ClientHost":"192.0.2.44","ClientPort":"51022","ClientUsername":"-","DownstreamContentSize":2048,"DownstreamStatus":200,"Duration":1234567,"OriginStatus":200,"RequestHost":"shop.example.com","RequestMethod":"GET","RequestPath":"/checkout","RequestProtocol":"HTTP/1.1","StartUTC":"2026-01-05T10:00:00.123456789Z","level":"info","msg":"","request_User-Agent":"${chrome}","request_Referer":"https://shop.example.com/cart","time":"2026-01-05T10:00:01Z"}`,
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ format: 'json-log', rowsLoaded: 1 });
    expect(await events()).toEqual([
      { ts: '2026-01-05T10:00:00Z', path: '/checkout', status: 200, event: 'pageview', referrer: 'https://shop.example.com/cart', is_bot: false, visitor_id: await visitor('192.0.2.44', chrome) },
    ]);
  });

  it('W3C extended (IIS): #Software/#Version/#Date/#Fields directives, + for spaces in the agent', async () => {
    // IIS's default W3C fields (learn.microsoft.com/windows/win32/http/w3c-logging): date time s-ip cs-method
    // cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus
    // sc-win32-status time-taken; times in UTC; directives repeat when the server restarts
    const iisUa = chrome.replaceAll(' ', '+');
    const file = w.file('u_ex260105.log', [
      '#Software: Microsoft Internet Information Services 10.0',
      '#Version: 1.0',
      '#Date: 2026-01-05 10:00:00',
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
      `2026-01-05 10:00:00 10.0.0.4 GET /products/shoes utm_source=news&utm_medium=email 443 - 203.0.113.7 ${iisUa} https://www.google.com/ 200 0 0 46`,
      `2026-01-05 10:00:02 10.0.0.4 GET /favicon.ico - 443 - 203.0.113.7 ${iisUa} - 404 0 2 1`,
      '2026-01-05 10:00:03 10.0.0.4 GET /truncated',
    ].join('\r\n') + '\r\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ format: 'w3c', rowsIn: 7, rowsLoaded: 2, rowsRejected: 5 });
    const v = await visitor('203.0.113.7', chrome);
    expect(await events()).toEqual([
      { ts: '2026-01-05T10:00:00Z', path: '/products/shoes', status: 200, event: 'pageview', referrer: 'https://www.google.com/', is_bot: false, visitor_id: v },
      { ts: '2026-01-05T10:00:02Z', path: '/favicon.ico', status: 404, event: 'error', referrer: null, is_bot: false, visitor_id: v },
    ]);
    expect(await w.rows("select utm_source, utm_medium from events where path = '/products/shoes'")).toEqual([{ utm_source: 'news', utm_medium: 'email' }]);
    const directive = 'W3C log directive (#Version, #Fields, #Date …), not a request';
    expect(await rejects(s)).toEqual([
      ...[1, 2, 3, 4].map((line) => ({ line, reason: directive })),
      { line: 7, reason: 'not a W3C extended log line with the 15 fields of its #Fields line' },
    ]);
  });

  it('Amazon CloudFront standard log: tab-separated, #Fields, URL-encoded agent', async () => {
    // docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html (the 33 fields
    // of the legacy standard log, in this order); a real file at gist.github.com/QuinnyPig/cb77f0b0267a8dbb9f152b2e49f0e837
    const fields = 'date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end';
    const row = (time: string, ip: string, uri: string, status: string, referer: string, ua: string, query: string) =>
      ['2026-01-05', time, 'IAD89-C3', '335', ip, 'GET', 'd111111abcdef8.cloudfront.net', uri, status, referer, ua, query, '-', 'Hit', 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==', 'shop.example.com', 'https', '23', '0.001', '-', 'TLSv1.3', 'TLS_AES_128_GCM_SHA256', 'Hit', 'HTTP/2.0', '-', '-', '11040', '0.001', 'Hit', 'text/html', '78', '-', '-'].join('\t');
    const file = w.file('E2EXAMPLE.2026-01-05-10.a1b2c3d4', [
      '#Version: 1.0',
      `#Fields: ${fields}`,
      row('10:00:00', '192.0.2.100', '/index.html', '200', 'https://www.google.com/', 'Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/120.0.0.0%20Safari/537.36', 'utm_source=google&utm_medium=cpc'),
      row('10:00:05', '192.0.2.101', '/rss/feed.rss', '200', '-', 'Slackbot%201.0%20(+https://api.slack.com/robots)', '-'),
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ format: 'w3c', rowsIn: 4, rowsLoaded: 2, rowsRejected: 2 });
    expect(await events()).toEqual([
      { ts: '2026-01-05T10:00:00Z', path: '/index.html', status: 200, event: 'pageview', referrer: 'https://www.google.com/', is_bot: false, visitor_id: await visitor('192.0.2.100', chrome) },
      { ts: '2026-01-05T10:00:05Z', path: '/rss/feed.rss', status: 200, event: 'asset', referrer: null, is_bot: true, visitor_id: await visitor('192.0.2.101', 'Slackbot 1.0 (+https://api.slack.com/robots)') },
    ]);
    expect(await w.rows("select utm_source, utm_medium from events where path = '/index.html'")).toEqual([{ utm_source: 'google', utm_medium: 'cpc' }]);
  });

  it('AWS Application Load Balancer: absolute request URLs, client:port, no referrer', async () => {
    // docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html ("Example log
    // entries": type time elb client:port target:port request/target/response times elb_status_code
    // target_status_code received_bytes sent_bytes "request" "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" …)
    const tail = 'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "shop.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 2026-01-05T10:00:00.000000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"';
    const file = w.file('123456789012_elasticloadbalancing_us-east-2_app.my-loadbalancer.log', [
      `https 2026-01-05T10:00:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET https://shop.example.com:443/products?utm_campaign=winter HTTP/1.1" "${chrome}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ${tail}`,
      `http 2026-01-05T10:00:03.003000Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.40:2818 - -1 -1 -1 503 - 34 366 "GET http://shop.example.com:80/ HTTP/1.1" "curl/8.4.0" - - - "Root=1-58337281-1d84f3d73c47ec4e58577260" "-" "-" 0 2026-01-05T10:00:03.000000Z "forward" "-" "-" "-" "-" "-" "-"`,
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ format: 'alb', rowsLoaded: 2, rowsRejected: 0 });
    expect(await events()).toEqual([
      { ts: '2026-01-05T10:00:00Z', path: '/products', status: 200, event: 'pageview', referrer: null, is_bot: false, visitor_id: await visitor('192.168.131.39', chrome) },
      { ts: '2026-01-05T10:00:03Z', path: '/', status: 503, event: 'error', referrer: null, is_bot: true, visitor_id: await visitor('192.168.131.40', 'curl/8.4.0') },
    ]);
    expect(await w.rows("select utm_campaign from events where path = '/products'")).toEqual([{ utm_campaign: 'winter' }]);
  });

  it('Amazon S3 server access log', async () => {
    // docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html (its example records, with a browser request added)
    const owner = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
    const rest = 'SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 - - us-east-1';
    const file = w.file('2026-01-05-10-00-00-1E2A3B4C5D6E7F80', [
      `${owner} amzn-s3-demo-bucket1 [05/Jan/2026:10:00:38 +0000] 192.0.2.3 ${owner} 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= ${rest}`,
      `${owner} amzn-s3-demo-bucket1 [05/Jan/2026:10:01:00 +0000] 198.51.100.23 - A1206F460EXAMPLE WEBSITE.GET.OBJECT index.html "GET /index.html HTTP/1.1" 200 - 5120 5120 12 11 "https://www.google.com/" "${chrome}" - BNaBsXZQQDbssi6xMBdBU2sLt+Yf5kZDmeBUP35sFoKa3sLLeMC78iwEIWxs99CRUrbS4n11234= ${rest}`,
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ format: 's3', rowsLoaded: 2, rowsRejected: 0 });
    // the S3 console's own request is a tool's (isbot lists S3Console), not a person's
    expect(await events()).toEqual([
      { ts: '2026-01-05T10:00:38Z', path: '/amzn-s3-demo-bucket1', status: 200, event: 'pageview', referrer: null, is_bot: true, visitor_id: await visitor('192.0.2.3', 'S3Console/0.4') },
      { ts: '2026-01-05T10:01:00Z', path: '/index.html', status: 200, event: 'pageview', referrer: 'https://www.google.com/', is_bot: false, visitor_id: await visitor('198.51.100.23', chrome) },
    ]);
  });

  it('HAProxy option httplog behind syslog: captured User-Agent and Referer, a local accept date', async () => {
    // HAProxy configuration manual §8.2.3 "HTTP log format" (its example line, with `capture request header
    // User-Agent len 128` and `capture request header Referer len 64` configured); the accept date has no offset
    const file = w.file('haproxy.log', [
      `Jan  5 10:00:00 lb1 haproxy[14389]: 10.0.1.2:33317 [05/Jan/2026:10:00:00.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {${chrome}|https://www.google.com/} {} "GET /index.html HTTP/1.1"`,
      'Jan  5 10:00:01 lb1 haproxy[14389]: 10.0.1.3:33318 [05/Jan/2026:10:00:01.100] http-in static/srv1 0/0/0/1/1 200 120 - - ---- 1/1/1/1/0 0/0 "GET /health HTTP/1.1"',
      'Jan  5 10:00:02 lb1 haproxy[14389]: Proxy http-in started.',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    accounted(s);
    expect(s).toMatchObject({ format: 'haproxy', rowsIn: 3, rowsLoaded: 2, rowsRejected: 1 });
    // 10:00 in Europe/Paris (input_timezone) is 09:00 UTC; the health check has no agent: a bot
    expect(await events()).toEqual([
      { ts: '2026-01-05T09:00:00Z', path: '/index.html', status: 200, event: 'pageview', referrer: 'https://www.google.com/', is_bot: false, visitor_id: await visitor('10.0.1.2', chrome) },
      { ts: '2026-01-05T09:00:01Z', path: '/health', status: 200, event: 'pageview', referrer: null, is_bot: true, visitor_id: await visitor('10.0.1.3', null) },
    ]);
    expect(await rejects(s)).toEqual([{ line: 3, reason: 'not a HAProxy HTTP log line (expected client:port [date] frontend backend/server timers status bytes … "request")' }]);
  });
});

describe('--log-format', () => {
  it('compiles an nginx log_format to a DuckDB regex: a custom layout with $host first and $request_time last', async () => {
    // an nginx `log_format main '$host $remote_addr - $remote_user [$time_local] "$request" $status
    // $body_bytes_sent "$http_referer" "$http_user_agent" $request_time'` (nginx.org ngx_http_log_module)
    const format = '$host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time';
    const file = w.file('custom.log', [
      `shop.example.com 203.0.113.50 - - [05/Jan/2026:10:00:00 +0000] "GET /cart?utm_source=ig HTTP/1.1" 200 812 "https://l.instagram.com/" "${chrome}" 0.004`,
      `shop.example.com 203.0.113.50 - alice [05/Jan/2026:10:00:30 +0000] "GET /account HTTP/1.1" 302 0 "-" "${chrome}" 0.001`,
      `shop.example.com 203.0.113.50 - - [05/Jan/2026:10:00:31 +0000] "GET /account HTTP/1.1" 200`,
    ].join('\n') + '\n');
    const s = await w.ingest(file, { logFormat: format });
    accounted(s);
    expect(s).toMatchObject({ format: 'log-format', profile: 'access-log', rowsIn: 3, rowsLoaded: 2, rowsRejected: 1 });
    const v = await visitor('203.0.113.50', chrome);
    expect(await events()).toEqual([
      { ts: '2026-01-05T10:00:00Z', path: '/cart', status: 200, event: 'pageview', referrer: 'https://l.instagram.com/', is_bot: false, visitor_id: v },
      { ts: '2026-01-05T10:00:30Z', path: '/account', status: 302, event: 'pageview', referrer: null, is_bot: false, visitor_id: v },
    ]);
    expect(await rejects(s)).toEqual([{ line: 3, reason: `does not match --log-format '${format}'` }]);
  });

  it('a log_format without a time variable is refused with one line', async () => {
    const file = w.file('notime.log', '203.0.113.50 "GET / HTTP/1.1" 200\n');
    const s = await w.ingest(file, { logFormat: '$remote_addr "$request" $status' });
    expect(s).toMatchObject({ status: 'failed', message: `${file}: --log-format has no time variable ($time_local, $time_iso8601 or $msec): a request cannot be placed in time; nothing was loaded` });
  });
});
