// Kysely builders compiled to plain SQL text, for SQL that is stored or run as a script (views, macros,
// ingest's derive steps) rather than executed with bound parameters.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type RawBuilder } from 'kysely';
import { sqlString } from './quote.ts';

// compiles only, never executes: PostgreSQL syntax, as the DuckDB dialect uses
const compiler = new Kysely<unknown>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() },
});

/**
 * SQL text of a builder with its parameters written in as literals. Only for values aida itself
 * produces (config constants, computed bounds), never for request input.
 */
export function compileLiteral(q: RawBuilder<unknown>): string {
  const { sql, parameters } = q.compile(compiler);
  return sql.replace(/\$(\d+)\b/g, (_, n: string) => literalOf(parameters[Number(n) - 1]));
}

function literalOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return `timestamptz ${sqlString(v.toISOString())}`;
  if (typeof v === 'string') return sqlString(v);
  throw new TypeError(`cannot write a ${typeof v} parameter as an SQL literal`);
}
