// Starts the server on a database: opens it as the single writer, cleans the inbox, binds the app and
// announces itself for the hand-off. Refuses to listen beyond loopback without tokens (SPEC §6).
import fs from 'node:fs';
import { serve } from '@hono/node-server';
import { ensureDerived } from '../ingest/ensure-derived.ts';
import { removeLeftovers } from '../ingest/source.ts';
import { openDb, type Db } from '../queries/db/open.ts';
import { inboxDir } from '../queries/db/paths.ts';
import { confineFileAccess } from '../queries/sql.ts';
import { createApp } from './app.ts';
import type { ServerConfig as Config } from './config.ts';
import { serverInfoPath, type ServerInfo } from './hand-off/protocol.ts';
import { removeInterruptedUploads } from './routes/ingest.ts';
import { isLoopback, type Listen } from './auth.ts';

/** The server cannot start as asked (no tokens beyond loopback, the port taken): `aida` exits 2. */
export class ServeRefused extends Error {}

export interface Listening {
  url: string;
  close: () => Promise<void>;
}

/** Work that runs beside the server on its database (the snapshot schedule), stopped when it closes. */
export type Background = (db: Db) => { stop: () => void } | null;

export async function startServer(opts: { host: string; port: number; db: string; config: Config; webDir?: string; background?: Background }): Promise<Listening> {
  if (!isLoopback(opts.host) && opts.config.auth.tokens.length === 0) {
    throw new ServeRefused(`refusing to listen on ${opts.host} without API tokens: add "auth": { "tokens": [...] } to the config or set AIDA_TOKENS, or bind to 127.0.0.1`);
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
      const background = opts.background?.(db) ?? null;
      resolve({
        url,
        close: () =>
          new Promise<void>((done) => {
            background?.stop();
            unannounce();
            process.off('exit', unannounce);
            server.close(() => db.close().then(done));
          }),
      });
    });
    server.on('error', (err: NodeJS.ErrnoException) => {
      void db.close();
      reject(err.code === 'EADDRINUSE' ? new ServeRefused(`port ${opts.port} on ${opts.host} is already in use (another aida serve?); pick another with --port`) : err);
    });
  });
}
