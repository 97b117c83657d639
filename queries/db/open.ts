// Opens a DuckDB file once per process (two instances on one file corrupt each other), migrates its
// schema, and hands out the Kysely instance every query runs on, over a small pool of DuckDB connections.
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Kysely, sql } from 'kysely';
import { DuckDBDialect } from './duckdb-dialect.ts';
import { DuckDBInstance } from './duckdb.ts';
import { migrate } from './migrate.ts';

export interface OpenOptions {
  /** Skip migrations (only for tests that build an old schema on purpose). */
  migrate?: boolean;
  /** DuckDB's memory_limit (default: env AIDA_MEMORY_LIMIT, else 1GB) */
  memoryLimit?: string;
  threads?: number;
}

/** Another process holds the database file (DuckDB allows one writer process). */
export class DatabaseLockedError extends Error {
  constructor(
    readonly file: string,
    readonly pid: number | null,
  ) {
    super(`${file} is in use by another aida process${pid ? ` (pid ${pid})` : ''}`);
  }
}

export class Db {
  /** The one way aida runs SQL: Kysely `sql` templates, its transactions and `connection()`. */
  readonly kysely: Kysely<unknown>;
  private readonly idle: DuckDBConnection[] = [];
  private closed = false;
  /**
   * Counts the times this process may have changed the database (a statement other than a read, a
   * commit after one): what is read between two changes of it (the data version) can be remembered.
   * Another process cannot write while this one holds the file.
   */
  generation = 0;

  constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
  ) {
    this.kysely = new Kysely<unknown>({
      dialect: new DuckDBDialect({ acquire: () => this.acquire(), release: (c, changed) => this.release(c, changed), changed: () => this.generation++ }),
    });
  }

  private async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error(`database ${this.file} is closed`);
    const idle = this.idle.pop();
    if (idle) return idle;
    const conn = await this.instance.connect();
    await conn.run("set TimeZone = 'UTC'");
    return conn;
  }

  /**
   * A connection that changed something is closed, not kept: its temp tables (ingest's `_in_*`), its
   * settings and the state of a transaction that failed to roll back go with it.
   */
  private release(conn: DuckDBConnection, changed: boolean): void {
    if (this.closed || changed || this.idle.length >= 8) conn.closeSync();
    else this.idle.push(conn);
  }

  async close(): Promise<void> {
    await releaseDb(this);
  }

  /** Called by the instance registry when the last user closes. */
  shutdown(): void {
    this.closed = true;
    for (const conn of this.idle.splice(0)) conn.closeSync();
    this.instance.closeSync();
  }
}

/** A value read from the database, remembered until this process may have written (see Db.generation). */
export function rememberedPerGeneration<T>(read: (db: Db) => Promise<T>): (db: Db) => Promise<T> {
  const known = new WeakMap<Db, { generation: number; value: Promise<T> }>();
  return (db) => {
    const hit = known.get(db);
    if (hit && hit.generation === db.generation) return hit.value;
    const value = read(db);
    known.set(db, { generation: db.generation, value });
    value.catch(() => known.delete(db));
    return value;
  };
}

const registry = new Map<string, { db: Promise<Db>; refs: number }>();

export async function openDb(file: string, options: OpenOptions = {}): Promise<Db> {
  const key = file === ':memory:' ? `:memory:${registry.size}:${Math.random()}` : path.resolve(file);
  const existing = registry.get(key);
  if (existing) {
    existing.refs++;
    return existing.db;
  }
  const db = createDb(key, file, options);
  registry.set(key, { db, refs: 1 });
  try {
    return await db;
  } catch (err) {
    registry.delete(key);
    throw err;
  }
}

async function createDb(key: string, file: string, options: OpenOptions): Promise<Db> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(key), { recursive: true });
  const settings: Record<string, string> = {};
  // a laptop-sized buffer pool: DuckDB spills to <db>.tmp beyond it instead of taking 80% of RAM
  settings.memory_limit = options.memoryLimit ?? process.env.AIDA_MEMORY_LIMIT ?? '1GB';
  if (options.threads) settings.threads = String(options.threads);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file === ':memory:' ? ':memory:' : key, settings);
  } catch (err) {
    const message = (err as Error).message;
    if (/Could not set lock|Conflicting lock/i.test(message)) {
      const pid = /PID (\d+)/i.exec(message);
      throw new DatabaseLockedError(file, pid ? Number(pid[1]) : null);
    }
    throw new Error(`cannot open database ${file}: ${message.split('\n')[0]}`);
  }
  if (file !== ':memory:') removeStaleSpill(key);
  const db = new Db(file, instance);
  // With fresh tables DuckDB's estimates are tiny and it would run the ASOF joins (funnel_days, the
  // funnel) as nested loops, quadratic in the hits; the plan changes, never the rows.
  await sql`set global asof_loop_join_threshold = 0`.execute(db.kysely);
  if (options.migrate !== false) await migrate(db);
  return db;
}

/**
 * Spill files a killed process left in DuckDB's temp folder (`<db>.tmp`; DuckDB clears it only when
 * it closes cleanly). Run right after this process took the file's lock, before any query can spill.
 */
function removeStaleSpill(file: string): void {
  const dir = `${file}.tmp`;
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) if (name.startsWith('duckdb_temp_')) fs.rmSync(path.join(dir, name), { force: true });
}

async function releaseDb(db: Db): Promise<void> {
  for (const [key, entry] of registry) {
    if ((await entry.db) !== db) continue;
    if (--entry.refs > 0) return;
    registry.delete(key);
    db.shutdown();
    return;
  }
}
