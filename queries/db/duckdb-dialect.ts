// Kysely over @duckdb/node-api: PostgreSQL's SQL compiler ($1 parameters, which DuckDB accepts),
// DuckDB connections from the Db pool, and rows converted so that no bigint leaks to callers.
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
} from 'kysely';
import { normaliseRow, toDuckValue } from './values.ts';

export interface ConnectionSource {
  acquire(): Promise<DuckDBConnection>;
  release(conn: DuckDBConnection): void;
}

class DuckDBDatabaseConnection implements DatabaseConnection {
  constructor(readonly conn: DuckDBConnection) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.conn.run(compiled.sql, compiled.parameters.map(toDuckValue));
    const rows = (await result.getRowObjectsJS()).map(normaliseRow) as R[];
    const changed = result.rowsChanged;
    return { rows, ...(changed > 0 ? { numAffectedRows: BigInt(changed) } : {}) };
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.conn.stream(compiled.sql, compiled.parameters.map(toDuckValue));
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
    if (!wrapper) this.wrappers.set(conn, (wrapper = new DuckDBDatabaseConnection(conn)));
    return wrapper;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin transaction'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.source.release((connection as DuckDBDatabaseConnection).conn);
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
