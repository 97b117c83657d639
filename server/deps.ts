// What every route of one app shares: the database, the config, the result cache and the gates that
// keep DuckDB work from taking every libuv thread.
import type { MiddlewareHandler } from 'hono';
import type { ServerConfig as Config } from './config.ts';
import type { Db } from '../queries/db/open.ts';
import { ResultCache } from './cache.ts';
import { Gate } from './gate.ts';
import { ApiProblem } from './problems.ts';

export interface AppDeps {
  db: Db;
  config: Config;
  version: string;
  /** where raw inputs are kept (and uploads land): the only directory DuckDB may read */
  inboxDir: string;
  cache: ResultCache;
  /** dashboard queries: dashboards.max_concurrent at once, a bounded queue, then 503 (its own pool: the console cannot starve it) */
  metricGate: Gate;
  /** ad-hoc SQL: sql.max_concurrent at once, a short queue, then 429/503 */
  sqlGate: Gate;
  /** the single writer: one ingest at a time */
  ingestGate: Gate;
  /** set when a load hit a full disk: no more writes until a restart (health says so) */
  readOnly: { reason: string | null };
}

export interface Limits {
  /** how long an ad-hoc query may wait for a slot (default 5 s) */
  sqlQueueWaitMs?: number;
}

export function makeDeps(db: Db, config: Config, version: string, inboxDir: string, limits: Limits = {}): AppDeps {
  const sql = config.sql;
  return {
    db, config, version, inboxDir,
    cache: new ResultCache(),
    metricGate: new Gate(config.dashboards.max_concurrent, config.dashboards.max_queue, config.dashboards.queue_timeout_seconds * 1000),
    sqlGate: new Gate(sql.max_concurrent, sql.max_concurrent, limits.sqlQueueWaitMs ?? 5000),
    ingestGate: new Gate(1, 8),
    readOnly: { reason: null },
  };
}

/** Refuses a write (a load, a saved view, a pin, an annotation) while a full disk keeps the server read-only. */
export function whileWritable(deps: Pick<AppDeps, 'readOnly'>): MiddlewareHandler {
  return async (_c, next) => {
    if (deps.readOnly.reason) throw new ApiProblem('disk-full', `the server is read-only: ${deps.readOnly.reason}; free some space and restart aida serve`);
    await next();
  };
}
