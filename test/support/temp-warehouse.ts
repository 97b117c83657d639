// A fresh warehouse in a temporary folder for each test file: a real DuckDB file, the real pipeline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveConfig, type ConfigInput } from '../../bin/config.ts';
import { sql } from 'kysely';
import { openDb, type Db } from '../../queries/db/open.ts';
import { ingestFile, type FileSummary, type IngestOptions } from '../../ingest/pipeline.ts';

export interface TempWarehouse {
  dir: string;
  db: Db;
  file: (name: string, content: string | Buffer) => string;
  ingest: (file: string, opts?: Partial<IngestOptions>) => Promise<FileSummary>;
  rows: <T = Record<string, unknown>>(sql: string) => Promise<T[]>;
  close: () => Promise<void>;
}

export async function tempWarehouse(config: ConfigInput = {}): Promise<TempWarehouse> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-test-'));
  const db = await openDb(path.join(dir, 'aida.duckdb'));
  const resolved = resolveConfig(config);
  return {
    dir,
    db,
    file: (name, content) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      return p;
    },
    ingest: (file, opts = {}) => ingestFile(db, file, { config: resolved, inboxDir: path.join(dir, 'inbox'), ...opts }),
    rows: async <T,>(text: string) => (await sql.raw<T>(text).execute(db.kysely)).rows,
    close: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
