// Keeps the derived tables (sessions, stage hits, funnel days, retention base) in step with the config
// and schema before anything reads or loads: every command and the server call it when they open a database.
import { installAnalystViews } from '../queries/analyst-views.ts';
import type { Db } from '../queries/db/open.ts';
import type { IngestConfig } from './config.ts';
import { derive, derivedIsStale } from './derive.ts';

/**
 * Rebuilds the derived tables when they were made under another config or an older schema, and
 * (re)installs the analyst views and macros, which follow the config too.
 */
export async function ensureDerived(db: Db, config: IngestConfig): Promise<boolean> {
  const rebuilt = await db.kysely.transaction().execute(async (conn) => {
    if (!(await derivedIsStale(conn, config))) return false;
    await derive(conn, config, { fileId: 0, newEvents: false, replacedOrders: false, all: true });
    return true;
  });
  await installAnalystViews(db, config);
  return rebuilt;
}
