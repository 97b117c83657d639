// Kysely over @duckdb/node-api: PostgreSQL's SQL compiler ($1 parameters, which DuckDB accepts),
// DuckDB connections from the Db pool, rows converted so that no bigint leaks to callers, and
// transactions that honour Kysely's access mode and isolation level.
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { StatementType } from './duckdb.ts';
import { normaliseRow, toDuckValue } from './values.ts';

export interface ConnectionSource {
  acquire(): Promise<DuckDBConnection>;
  /** `changed`: the connection ran something other than a read, so it may hold temp tables or settings */
  release(conn: DuckDBConnection, changed: boolean): void;
  /** called whenever this process may have changed the database (see Db.generation) */
  changed(): void;
}

/** Statements that change neither the database nor the connection (transaction control is the driver's). */
const reads = new Set([StatementType.SELECT, StatementType.EXPLAIN, StatementType.TRANSACTION]);

/**
 * DuckDB runs every transaction under snapshot isolation. Asking for a weaker level gets snapshot
 * isolation, which gives all it promises (as PostgreSQL runs READ UNCOMMITTED as READ COMMITTED);
 * SERIALIZABLE forbids write skew, which snapshot isolation allows, so it is refused rather than faked.
 */
const honouredIsolation = new Set(['read uncommitted', 'read committed', 'repeatable read', 'snapshot']);

export class DuckDBDatabaseConnection implements DatabaseConnection {
  /** set once a statement other than a read ran here: the pool then closes this connection */
  changed = false;

  constructor(
    readonly conn: DuckDBConnection,
    private readonly source: ConnectionSource,
  ) {}

  /** Records a change made on this connection (also by the escape hatches in raw.ts, e.g. an appender). */
  noteChange(): void {
    this.changed = true;
    this.source.changed();
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // a statement that fails changes nothing (DuckDB undoes it, or aborts the transaction it is in)
    // without parameters, DuckDB runs the text as it is (a script of several statements in one call)
    const result = compiled.parameters.length ? await this.conn.run(compiled.sql, compiled.parameters.map(toDuckValue)) : await this.conn.run(compiled.sql);
    if (!reads.has(result.statementType)) this.noteChange();
    const rows = (await result.getRowObjectsJS()).map(normaliseRow) as R[];
    const changed = result.rowsChanged;
    return { rows, ...(changed > 0 ? { numAffectedRows: BigInt(changed) } : {}) };
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.conn.stream(compiled.sql, compiled.parameters.map(toDuckValue));
    if (!reads.has(result.statementType)) this.noteChange();
    for await (const rows of result.yieldRowObjectJs()) yield { rows: rows.map(normaliseRow) as R[] };
  }
}

class DuckDBDriver implements Driver {
  private readonly wrappers = new WeakMap<DuckDBConnection, DuckDBDatabaseConnection>();
  constructor(private readonly source: ConnectionSource) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await this.source.acquire();
    let wrapper = this.wrappers.get(conn);
    if (!wrapper) this.wrappers.set(conn, (wrapper = new DuckDBDatabaseConnection(conn, this.source)));
    return wrapper;
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel && !honouredIsolation.has(settings.isolationLevel)) {
      throw new Error(`DuckDB runs transactions under snapshot isolation and cannot give ${settings.isolationLevel} isolation`);
    }
    await connection.executeQuery(CompiledQuery.raw(settings.accessMode === 'read only' ? 'begin transaction read only' : 'begin transaction'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
    const wrapper = connection as DuckDBDatabaseConnection;
    if (wrapper.changed) wrapper.noteChange(); // what it changed is visible to other connections only now
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } catch {
      // after a failed write (a full disk) there may be nothing left to roll back: the error that made
      // the caller roll back is the one to report, and the connection is closed rather than reused
      (connection as DuckDBDatabaseConnection).noteChange();
    }
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const wrapper = connection as DuckDBDatabaseConnection;
    this.source.release(wrapper.conn, wrapper.changed);
  }
  async destroy(): Promise<void> {}
}

export class DuckDBDialect implements Dialect {
  constructor(private readonly source: ConnectionSource) {}
  createDriver(): Driver {
    return new DuckDBDriver(this.source);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
