// GET /api/schema (analyst): tables, analyst views and table macros with columns and descriptions; it
// feeds the SQL editor's completion.
import { Hono } from 'hono';
import { dataVersion } from '../../queries/health.ts';
import { describeSchema } from '../../queries/schema.ts';
import { requireRole } from '../auth.ts';
import type { AppDeps } from '../deps.ts';

export function schemaRoutes(deps: AppDeps) {
  return new Hono().get('/', requireRole(deps.config, 'analyst'), async (c) => {
    const schema = await describeSchema(deps.db);
    return c.json({ dataVersion: await dataVersion(deps.db), ...schema }, 200, { 'cache-control': 'private, no-cache' });
  });
}
