// Bearer-token auth (SPEC §6). No tokens configured: everything is open (aida serve allows that only on
// loopback). Otherwise every API request needs `Authorization: Bearer <token>`, and the token's role
// must reach the endpoint's: viewer (dashboards) < analyst (+ SQL, schema) < admin (+ ingest).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { ServerConfig as Config, Role } from './config.ts';
import { requestHeader } from './hand-off/protocol.ts';
import { ApiProblem } from './problems.ts';

const rank: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

/** The caller's standing: `open` when no tokens are configured, `anonymous` without a valid token. */
export type Caller = Role | 'open' | 'anonymous';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares against every token in constant time (fixed-length digests, no early exit). */
export function roleOfToken(tokens: Config['auth']['tokens'], presented: string): Role | null {
  const given = digest(presented);
  let found: Role | null = null;
  for (const t of tokens) {
    if (timingSafeEqual(given, digest(t.token)) && found === null) found = t.role;
  }
  return found;
}

function bearer(c: Context): string | null | undefined {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

export function callerOf(config: Config, c: Context): Caller {
  if (config.auth.tokens.length === 0) return 'open';
  const token = bearer(c);
  return token ? (roleOfToken(config.auth.tokens, token) ?? 'anonymous') : 'anonymous';
}

/** 401 without a valid token (with WWW-Authenticate), 403 when the role is too low. */
export function requireRole(config: Config, role: Role): MiddlewareHandler {
  return async (c, next) => {
    if (config.auth.tokens.length > 0) {
      const token = bearer(c);
      if (!token) {
        throw new ApiProblem('unauthorized', 'this server needs an API token: send Authorization: Bearer <token>', undefined, { 'www-authenticate': 'Bearer realm="aida"' });
      }
      const has = roleOfToken(config.auth.tokens, token);
      if (!has) {
        throw new ApiProblem('unauthorized', 'the API token is not valid', undefined, { 'www-authenticate': 'Bearer realm="aida", error="invalid_token"' });
      }
      if (rank[has] < rank[role]) throw new ApiProblem('forbidden', `this endpoint needs the ${role} role; the token has ${has}`);
    }
    await next();
  };
}


export interface Listen {
  /** what `serve --host` bound (loopback by default) */
  host: string;
  /** the bound port, known once listening (undefined in tests that call app.request) */
  port?: number;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];
const wildcards = ['0.0.0.0', '::', '[::]'];
const safeMethods = ['GET', 'HEAD', 'OPTIONS'];

/** `Host` without its port, lowercased; null when it is not a host[:port]. */
function splitHost(value: string): { name: string; port?: number } | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  return m ? { name: m[1]!.toLowerCase(), ...(m[2] ? { port: Number(m[2]) } : {}) } : null;
}

/**
 * DNS rebinding and CSRF (issue 13): the Host must name this server (loopback names, or the `--host`
 * bound when tokens are configured; any name when that is a wildcard address and tokens are configured,
 * since then every API request needs a token anyway), an Origin must be this server's, and a request
 * that changes state must carry a token or the X-Aida-Request header, which only a same-origin page
 * (or a CLI) can send without a preflight this server never answers.
 */
export function requestGuard(config: Config, listen: Listen): MiddlewareHandler {
  const tokens = config.auth.tokens.length > 0;
  const bound = listen.host.includes(':') && !listen.host.startsWith('[') ? `[${listen.host.toLowerCase()}]` : listen.host.toLowerCase();
  const names = new Set([...loopbackNames, ...(tokens || isLoopback(bound) ? [bound] : [])]);
  const anyName = tokens && wildcards.includes(bound);
  const allowed = (value: string | undefined): boolean => {
    const h = value === undefined ? null : splitHost(value);
    if (!h) return false;
    if (!anyName && !names.has(h.name)) return false;
    return listen.port === undefined || (h.port ?? 80) === listen.port;
  };
  return async (c, next) => {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!allowed(host)) throw new ApiProblem('wrong-host', `this server answers only to ${[...names].join(', ')}${listen.port ? ` on port ${listen.port}` : ''}; the request named host '${host.slice(0, 200)}'`);
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== 'null') {
      let ok = false;
      try {
        const o = new URL(origin);
        ok = (o.protocol === 'http:' || o.protocol === 'https:') && allowed(o.host) && o.host.toLowerCase() === host.toLowerCase();
      } catch {
        ok = false;
      }
      if (!ok) throw new ApiProblem('cross-site', `requests from another site (Origin ${origin.slice(0, 200)}) are refused`);
    } else if (origin === 'null') throw new ApiProblem('cross-site', 'requests from an opaque origin (Origin: null) are refused');
    if (!safeMethods.includes(c.req.method) && c.req.header('authorization') === undefined && c.req.header(requestHeader) !== '1') {
      throw new ApiProblem('cross-site', `a ${c.req.method} request needs an Authorization header or '${requestHeader}: 1' (the web app and the aida CLI send it; a cross-site page cannot)`);
    }
    await next();
  };
}
