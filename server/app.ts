// createApp({ db, config }): the Hono app (binds no port). Routes are thin: authorise, parse, call one
// query, respond. API routes are chained so `AppType` gives the web app a typed client
// (hono/client `hc<AppType>`). The web app's static files are served from dist/web when built.
import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { inboxDir } from '../queries/db/paths.ts';
import type { ServerConfig as Config } from './config.ts';
import type { Db } from '../queries/db/open.ts';
import { requestGuard, type Listen } from './auth.ts';
import { makeDeps, type Limits } from './deps.ts';
import { ApiProblem, renderError } from './problems.ts';
import { docsRoutes } from './routes/docs.ts';
import { healthRoutes } from './routes/health.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { keptRoutes } from './routes/kept.ts';
import { metricRoutes } from './routes/metrics.ts';
import { schemaRoutes } from './routes/schema.ts';
import { sqlRoutes } from './routes/sql.ts';

export interface AppOptions {
  db: Db;
  config: Config;
  /** folder with the built web app (index.html, assets/) */
  webDir?: string;
  limits?: Limits;
  /** what the server is bound to, for the Host check (default loopback, any port: tests call app.request) */
  listen?: Listen;
}

/** aida's version, from the package.json above this module (the source tree or its build in dist/node). */
export const version: string = (() => {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    const file = new URL('package.json', dir);
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')).version;
    if (dir.pathname === '/') throw new Error('package.json not found above server/app');
  }
})();

/**
 * The built web app: hashed files under assets/ cached for a year (a new build has new names), anything
 * else and every other path (the app's own routes) answered with index.html, revalidated each time.
 * serveStatic sends the build's .br/.gz copy when the client accepts it.
 */
function webApp(webDir: string) {
  // made on first use: serveStatic complains at once about a root that is not built yet
  let file: MiddlewareHandler | undefined;
  let index: MiddlewareHandler | undefined;
  const none = async () => {};
  return async (c: Context) => {
    if (!fs.existsSync(path.join(webDir, 'index.html'))) return c.text('The web app is not built yet: run `npm run build`.', 503);
    file ??= serveStatic({ root: webDir, precompressed: true });
    index ??= serveStatic({ root: webDir, path: 'index.html', precompressed: true });
    const res = ((await file(c, none)) ?? (await index(c, none))) as Response;
    res.headers.set('cache-control', c.req.path.startsWith('/assets/') && res.headers.get('content-type') !== 'text/html; charset=utf-8' ? 'public, max-age=31536000, immutable' : 'no-cache');
    return res;
  };
}

const compressor = compress();

export function createApp({ db, config, webDir = path.resolve('dist/web'), limits, listen = { host: '127.0.0.1' } }: AppOptions) {
  const deps = makeDeps(db, config, version, inboxDir(config, db.file), limits);
  const api = new Hono()
    .route('/health', healthRoutes(deps))
    .route('/', metricRoutes(deps))
    .route('/schema', schemaRoutes(deps))
    .route('/sql', sqlRoutes(deps))
    .route('/ingest', ingestRoutes(deps))
    .route('/', keptRoutes(deps))
    .route('/', docsRoutes(deps));
  const app = new Hono()
    // JSON, CSV and the web app's files gzip- or deflate-compressed when the client accepts it (the build's
    // .br/.gz copies pass untouched); NDJSON progress is not compressed, so it is not held back in a buffer.
    // The SQL console is not: its downloads stream under their own byte and time limits, and a compressor
    // would hold back the bytes before a stopped export (and spend the 2 cores on gigabytes of CSV)
    .use('*', (c, next) => (c.req.path.startsWith('/api/sql') ? next() : compressor(c, next)))
    // a path that is not valid %-encoding is the client's error (URIError → 400 in renderError), for every route
    .use('*', async (c, next) => (decodeURIComponent(new URL(c.req.url).pathname), await next()))
    .use('*', requestGuard(config, listen))
    .route('/api', api);
  app.onError(renderError);
  app.all('/api/*', (c) => {
    throw new ApiProblem('not-found', `no API endpoint ${c.req.method} ${c.req.path}; see /api/docs`);
  });
  // the web app: public (it holds no data; it asks for a token when the API answers 401)
  app.get('*', webApp(webDir));
  return app;
}

export type AppType = ReturnType<typeof createApp>;
