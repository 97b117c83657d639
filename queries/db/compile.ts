// Kysely builders compiled to plain SQL text, for SQL that is stored or run as a script (views, macros,
// ingest's derive steps) rather than executed with bound parameters.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type RawBuilder } from 'kysely';

// compiles only, never executes: PostgreSQL syntax, as the DuckDB dialect uses
const compiler = new Kysely<unknown>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() },
});

/** SQL text of a builder that binds no parameters (every value a literal); throws if it does. */
export function compileLiteral(q: RawBuilder<unknown>): string {
  const compiled = q.compile(compiler);
  if (compiled.parameters.length) throw new Error(`SQL meant to be stored must not bind parameters (got ${compiled.parameters.length})`);
  return compiled.sql;
}
