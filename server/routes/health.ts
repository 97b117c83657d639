// GET /api/health: public, so monitors and the web app can tell the server is up. With tokens
// configured, an anonymous caller learns only that (no counts, no data version).
import { Hono } from 'hono';
import { health } from '../../queries/health.ts';
import { callerOf } from '../auth.ts';
import type { AppDeps } from '../deps.ts';

export interface PublicHealth {
  status: 'ok';
  version: string;
}

export function healthRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => {
    const headers = { 'cache-control': 'no-store' };
    if (callerOf(deps.config, c) === 'anonymous') return c.json({ status: 'ok', version: deps.version } as PublicHealth, 200, headers);
    return c.json(await health(deps.db, deps.version, deps.config), 200, headers);
  });
}
