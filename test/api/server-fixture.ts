// A warehouse laid out like a real one (<dir>/data/aida.duckdb, inbox in <dir>/data/inbox), with file
// access confined to the inbox as `aida serve` does, fixtures loaded by the real pipeline, and the app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestFile, type FileSummary } from '../../ingest/pipeline.ts';
import { resolveConfig, type AidaConfig as Config, type ConfigInput } from '../../bin/config.ts';
import { sql } from 'kysely';
import { openDb, type Db } from '../../queries/db/open.ts';
import { inboxDir } from '../../queries/db/paths.ts';
import { confineFileAccess } from '../../queries/sql.ts';
import { createApp } from '../../server/app.ts';
import type { Limits } from '../../server/deps.ts';

export interface ServerFixture {
  dir: string;
  dbFile: string;
  inbox: string;
  db: Db;
  config: Config;
  app: ReturnType<typeof createApp>;
  /** writes a fixture file outside the inbox */
  file: (name: string, content: string | Buffer) => string;
  ingest: (name: string, content: string) => Promise<FileSummary>;
  count: (table: string) => Promise<number>;
  close: () => Promise<void>;
}

export async function serverFixture(config: ConfigInput = {}, limits?: Limits): Promise<ServerFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-api-'));
  const dbFile = path.join(dir, 'data', 'aida.duckdb');
  const resolved = resolveConfig(config);
  const inbox = inboxDir(resolved, dbFile);
  fs.mkdirSync(inbox, { recursive: true });
  const db = await openDb(dbFile);
  await confineFileAccess(db, [inbox]);
  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  return {
    dir, dbFile, inbox, db, config: resolved,
    app: createApp({ db, config: resolved, webDir: path.join(dir, 'no-web'), ...(limits ? { limits } : {}) }),
    file,
    ingest: (name, content) => ingestFile(db, file(name, content), { config: resolved, inboxDir: inbox }),
    count: async (table) => ((await sql<{ n: number }>`select count(*)::integer as n from ${sql.table(table)}`.execute(db.kysely)).rows[0])!.n,
    close: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every file under dir (relative paths), to show that nothing was written. */
export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name))).sort();
}
