// GET /api/health: public, so monitors and the web app can tell the server is up. With tokens
// configured, an anonymous caller learns only that (no counts, no data version).
import { Hono } from 'hono';
import { health } from '../../queries/health.ts';
import { callerOf } from '../auth.ts';
import type { AppDeps } from '../deps.ts';

export interface PublicHealth {
  status: 'ok' | 'read-only';
  version: string;
  /** why the server is read-only (a full disk), in plain words */
  problem?: string;
}

/** Never queues behind queries: the counts and data version are remembered per write (see queries/health.ts). */
export function healthRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => {
    const headers = { 'cache-control': 'no-store' };
    const readOnly = deps.readOnly.reason ? { status: 'read-only' as const, problem: `${deps.readOnly.reason}; no more loads until space is freed and aida serve restarted` } : null;
    if (callerOf(deps.config, c) === 'anonymous') return c.json({ status: 'ok', version: deps.version, ...readOnly } as PublicHealth, 200, headers);
    if (!readOnly) return c.json(await health(deps.db, deps.version, deps.config), 200, headers);
    // after a failed write the database may refuse even reads: health still answers
    const counts = await health(deps.db, deps.version, deps.config).then((h) => ({ dataVersion: h.dataVersion, counts: h.counts }), () => ({}));
    return c.json({ version: deps.version, ...counts, ...readOnly }, 200, headers);
  });
}
