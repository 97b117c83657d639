// Apache/nginx access logs: one web event per request. The visitor is a salted hash of client IP and
// user agent; the event says whether the request was a page, an asset, an error or another method.
import { isAssetSql, pathSql } from '../classify.ts';
import { logFormats } from '../source.ts';
import type { Profile } from './profile.ts';

export const accessLog: Profile = {
  name: 'access-log',
  kind: 'web',
  formats: logFormats,
  signature: ['ip', 'ts', 'method', 'url', 'status', 'user_agent'],
  columns: { ts: 'ts', url: 'url', referrer: 'referrer', user_agent: 'user_agent', ip: 'ip' },
  expressions: {
    event: (col) => `case
      when try_cast(${col('status')} as integer) not between 200 and 399 then 'error'
      when ${isAssetSql(pathSql(col('url')))} then 'asset'
      when upper(${col('method')}) = 'GET' then 'pageview'
      else lower(${col('method')}) end`,
    status_code: (col) => col('status'),
  },
};
