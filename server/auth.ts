// Bearer-token auth (SPEC §6). No tokens configured: everything is open (aida serve allows that only on
// loopback). Otherwise every API request needs `Authorization: Bearer <token>`, and the token's role
// must reach the endpoint's: viewer (dashboards) < analyst (+ SQL, schema) < admin (+ ingest).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Config, Role } from '../queries/config.ts';
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
