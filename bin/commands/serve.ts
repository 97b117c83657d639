// `aida serve` binds the app on a port; `aida start` (npm start) first makes demo data and the web
// build when they are missing, then serves.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databasePath } from '../../queries/db/paths.ts';
import type { AidaConfig } from '../config.ts';
import { sendMail } from '../../server/mail.ts';
import type { Db } from '../../queries/db/open.ts';
import { startServer, type Listening } from '../../server/main.ts';
import { startSnapshotSchedule, type ScheduleDeps, type SnapshotSchedulePlan } from '../../server/snapshot-schedule.ts';
import { loadConfig } from '../config.ts';
import { snapshotReport } from '../snapshot-report.ts';
import { UsageError } from '../usage-error.ts';

export const serveHelp = `Usage: aida serve [--host H] [--port P] [--db PATH] [--config PATH]

Serves the dashboard and the API (default http://127.0.0.1:8787; docs at /api/docs). On any address
other than loopback it refuses to start unless API tokens are configured (auth.tokens in the config, or
AIDA_TOKENS). While it runs it is the database's single writer: it announces itself in <db>.server.json,
and \`aida ingest\` on the same database uploads its files to it (with AIDA_TOKEN, or the config's first
admin token, when tokens are configured). With snapshot.schedule in the config it mails the weekly
snapshot on that weekday and time (config timezone), each week once.`;

/** The snapshot schedule (config snapshot.schedule), mailing what bin/snapshot-report.ts renders. */
export function snapshotSchedule(config: AidaConfig, clock: Pick<ScheduleDeps, 'now' | 'log'> = {}): (db: Db) => SnapshotSchedulePlan | null {
  return (db) =>
    startSnapshotSchedule({
      ...clock,
      db,
      config,
      compose: async (week, schedule) => ({ ...(await snapshotReport({ db, config }, { week, locale: schedule.lang, generatedAt: new Date() })).mail, to: schedule.to }),
      send: (message) => sendMail(config.smtp, message),
    });
}

function serveOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '8787' }, db: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number 0-65535 (got '${values.port}')`);
  return { help: values.help ?? false, host: values.host!, port, db: databasePath(values.db), configFile: values.config };
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
  if (config.snapshot.schedule) {
    const s = config.snapshot.schedule;
    console.log(`aida: mailing the weekly snapshot every ${s.day} at ${s.time} (${config.timezone}) to ${s.to.join(', ')}`);
  }
  return runUntilSignal(await startServer({ host: o.host, port: o.port, db: o.db, config, background: snapshotSchedule(config) }));
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
    const { writeAndLoadDemo } = await import('./demo.ts');
    await writeAndLoadDemo({ out: path.join(path.dirname(o.db), 'demo'), db: o.db, load: true, ...(o.configFile ? { config: o.configFile } : {}) });
  }
  if (!fs.existsSync(path.resolve('dist/web/index.html'))) {
    console.log('building the web app (vite build)...');
    const { build } = await import('vite');
    await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn' });
  }
  return runUntilSignal(await startServer({ host: o.host, port: o.port, db: o.db, config, background: snapshotSchedule(config) }));
}
