// `aida serve` binds the app on a port; `aida start` (npm start) first makes demo data and the web
// build when they are missing. Refuses to listen beyond loopback without tokens (SPEC §6).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { dbPath, ensureDerived, inboxDir, UsageError } from '../ingest/command.ts';
import { serverInfoPath, type ServerInfo } from '../queries/db/server-info.ts';
import { loadConfig, type Config } from '../queries/config.ts';
import { openDb } from '../queries/db/open.ts';
import { confineFileAccess } from '../queries/sql.ts';
import { removeLeftovers } from '../ingest/source.ts';
import { createApp } from './app.ts';
import { removeInterruptedUploads } from './routes/ingest.ts';
import { isLoopback, type Listen } from './auth.ts';

export const serveHelp = `Usage: aida serve [--host H] [--port P] [--db PATH] [--config PATH]

Serves the dashboard and the API (default http://127.0.0.1:8787; docs at /api/docs). On any address
other than loopback it refuses to start unless API tokens are configured (auth.tokens in the config, or
AIDA_TOKENS). While it runs it is the database's single writer: it announces itself in <db>.server.json,
and \`aida ingest\` on the same database uploads its files to it (with AIDA_TOKEN, or the config's first
admin token, when tokens are configured).`;

export interface Listening {
  url: string;
  close: () => Promise<void>;
}

export async function startServer(opts: { host: string; port: number; db: string; config: Config; webDir?: string }): Promise<Listening> {
  if (!isLoopback(opts.host) && opts.config.auth.tokens.length === 0) {
    throw new UsageError(`refusing to listen on ${opts.host} without API tokens: add "auth": { "tokens": [...] } to the config or set AIDA_TOKENS, or bind to 127.0.0.1`);
  }
  const db = await openDb(opts.db);
  // SPEC §6: this DuckDB reads files only from the inbox (where ingest keeps raw copies and uploads land)
  const inbox = inboxDir(opts.config, opts.db);
  fs.mkdirSync(inbox, { recursive: true });
  // the server is the single writer now: what an interrupted run left (kill -9 mid-upload or mid-load) goes
  const leftovers = [...removeInterruptedUploads(inbox), ...removeLeftovers(inbox)];
  if (leftovers.length) console.error(`aida: removed ${leftovers.length} file(s) an interrupted ingest left in the inbox (${leftovers.slice(0, 3).join(', ')}${leftovers.length > 3 ? ', ...' : ''})`);
  await confineFileAccess(db, [inbox]);
  await ensureDerived(db, opts.config);
  // the Host check learns the port once bound (port 0 picks one)
  const listen: Listen = { host: opts.host, ...(opts.port ? { port: opts.port } : {}) };
  const app = createApp({ db, config: opts.config, listen, ...(opts.webDir ? { webDir: opts.webDir } : {}) });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, (info) => {
      listen.port = info.port;
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      const url = `http://${host}:${info.port}`;
      // `aida ingest` finds the server holding the database here and hands its files over
      const announce = serverInfoPath(opts.db);
      const local = info.address === '0.0.0.0' ? '127.0.0.1' : info.address === '::' ? '[::1]' : host;
      const about: ServerInfo = { pid: process.pid, url: `http://${local}:${info.port}`, startedAt: new Date().toISOString() };
      fs.writeFileSync(announce, JSON.stringify(about, null, 2));
      const unannounce = () => fs.rmSync(announce, { force: true });
      process.once('exit', unannounce);
      resolve({
        url,
        close: () =>
          new Promise<void>((done) => {
            unannounce();
            process.off('exit', unannounce);
            server.close(() => db.close().then(done));
          }),
      });
    });
    server.on('error', (err: NodeJS.ErrnoException) => {
      void db.close();
      reject(err.code === 'EADDRINUSE' ? new UsageError(`port ${opts.port} on ${opts.host} is already in use (another aida serve?); pick another with --port`) : err);
    });
  });
}

function serveOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '8787' }, db: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number 0-65535 (got '${values.port}')`);
  return { help: values.help ?? false, host: values.host!, port, db: dbPath(values.db), configFile: values.config };
}

async function runUntilSignal(listening: Listening): Promise<number> {
  console.log(`aida is serving ${listening.url}  (Ctrl+C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await listening.close();
  return 0;
}

export async function serveCommand(argv: string[]): Promise<number> {
  const o = serveOptions(argv);
  if (o.help) {
    console.log(serveHelp);
    return 0;
  }
  const config = loadConfig(o.configFile);
  return runUntilSignal(await startServer({ host: o.host, port: o.port, db: o.db, config }));
}

/** npm start: demo data on first run, the web build if missing, then serve. */
export async function startCommand(argv: string[]): Promise<number> {
  const o = serveOptions(argv);
  if (o.help) {
    console.log(`Usage: aida start [serve options]\n\nFirst run: writes and loads demo data into ${o.db} when it does not exist, builds the web app when dist/web is missing, then serves.`);
    return 0;
  }
  const config = loadConfig(o.configFile);
  if (!fs.existsSync(o.db)) {
    console.log(`${o.db} does not exist yet: creating demo data (aida demo --load)...`);
    const { writeAndLoadDemo } = await import('../ingest/demo-command.ts');
    await writeAndLoadDemo({ out: path.join(path.dirname(o.db), 'demo'), db: o.db, load: true, ...(o.configFile ? { config: o.configFile } : {}) });
  }
  if (!fs.existsSync(path.resolve('dist/web/index.html'))) {
    console.log('building the web app (vite build)...');
    const { build } = await import('vite');
    await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn' });
  }
  return runUntilSignal(await startServer({ host: o.host, port: o.port, db: o.db, config }));
}
