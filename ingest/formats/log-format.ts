// `--log-format`: an nginx-style `log_format` string (`$remote_addr - $remote_user [$time_local] "$request"
// $status …`) compiled to one RE2 regex that DuckDB applies to each line, for any layout aida has no name for.
import { FileError } from '../source.ts';
import { regexLayout, requestParts, type AccessLogColumn, type LineLayout } from './access-log.ts';

/** nginx variables (and Apache-like synonyms) that supply the access-log columns. */
const variableColumn: Record<string, AccessLogColumn | 'request'> = {
  remote_addr: 'ip', realip_remote_addr: 'ip', http_x_forwarded_for: 'ip', http_x_real_ip: 'ip', client_ip: 'ip',
  time_local: 'ts', time_iso8601: 'ts', msec: 'ts',
  request: 'request', request_method: 'method', request_uri: 'url', uri: 'url', server_protocol: 'protocol',
  status: 'status', body_bytes_sent: 'bytes', bytes_sent: 'bytes',
  http_referer: 'referrer', http_user_agent: 'user_agent',
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function logFormatLayout(file: string, format: string): LineLayout {
  const parts = format.split(/(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)/).filter((p) => p !== '');
  let pattern = '^';
  const groups: string[] = [];
  const column = new Map<AccessLogColumn | 'request', string>();
  parts.forEach((part, i) => {
    const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(part)?.[1];
    if (!variable) {
      pattern += escape(part);
      return;
    }
    const next = parts[i + 1] ?? '';
    // a value runs to the literal after it: inside quotes up to the quote (nginx escapes " in values), else lazily
    pattern += next.startsWith('"') ? String.raw`((?:[^"\\]|\\.)*)` : next === '' ? '(.*)' : '(.*?)';
    const name = `g${groups.length}`;
    groups.push(name);
    const col = variableColumn[variable.toLowerCase()];
    if (col && !column.has(col)) column.set(col, name);
  });
  pattern += '$';
  if (!column.has('ts')) throw new FileError(file, `--log-format has no time variable ($time_local, $time_iso8601 or $msec): a request cannot be placed in time; nothing was loaded`);
  if (!column.has('url') && !column.has('request')) throw new FileError(file, '--log-format has no $request, $request_uri or $uri: the requested page cannot be read; nothing was loaded');
  return regexLayout(
    pattern,
    groups,
    (g) => {
      const of = (c: AccessLogColumn) => (column.has(c) ? g(column.get(c)!) : "''");
      const request = column.has('request') ? requestParts(g(column.get('request')!)) : null;
      return {
        ip: of('ip'),
        ts: of('ts'),
        method: column.has('method') || !request ? of('method') : request.method,
        url: column.has('url') || !request ? of('url') : request.url,
        protocol: column.has('protocol') || !request ? of('protocol') : request.protocol,
        status: of('status'),
        bytes: of('bytes'),
        referrer: of('referrer'),
        user_agent: of('user_agent'),
      };
    },
    `does not match --log-format '${format.slice(0, 200)}'`,
    column.get('ts'),
  );
}
