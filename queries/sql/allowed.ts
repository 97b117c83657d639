// What the SQL console may call and read: an allow-list of table functions, DuckDB's own scalar and
// aggregate functions minus those that touch state, settings, logs, files or crash on deep input, and
// the warehouse's tables, views and macros (minus `meta`, which holds the visitor salt).
import { sql } from 'kysely';
import { rememberedPerGeneration, type Db } from '../db/open.ts';

/** Table functions that only compute or describe the schema (no files, settings, logs or SQL text). */
export const allowedTableFunctions = new Set([
  'range', 'generate_series', 'unnest', 'repeat', 'repeat_row', 'json_each', 'icu_calendar_names', 'pg_timezone_names',
  'duckdb_columns', 'duckdb_constraints', 'duckdb_dependencies', 'duckdb_functions', 'duckdb_indexes', 'duckdb_keywords',
  'duckdb_schemas', 'duckdb_sequences', 'duckdb_tables', 'duckdb_types', 'duckdb_views', 'pragma_table_info', 'pragma_version',
]);

/**
 * Built-in scalar functions the console refuses although DuckDB lists them: they read settings or
 * variables, write logs, serialise or run SQL text, touch sequences or the database, stall a thread,
 * or (the json ones) recurse without limit on deeply nested input and crash the process.
 */
const deniedScalar = /^((enable|disable|verify)_\w+|current_setting|getvariable|nextval|currval|setseed|write_log|json_(serialize|deserialize)_sql|json_serialize_plan|json_execute_serialized_sql|copy_database|import_database|database_list|database_size|show_databases|get_block_size|all_profiling_output|force_checkpoint|checkpoint|pg_sleep|sleep_ms|json_structure|json_group_structure|json_transform(_strict)?|from_json(_strict)?|json_merge_patch|json_pretty)$/;

/** Warehouse relations the console may not read. */
export const hiddenRelations = new Set(['meta']);

/** DuckDB's catalog views that only describe the schema. */
const systemViews = new Set([
  'duckdb_columns', 'duckdb_constraints', 'duckdb_indexes', 'duckdb_schemas', 'duckdb_tables', 'duckdb_types', 'duckdb_views',
  'information_schema.columns', 'information_schema.schemata', 'information_schema.tables', 'information_schema.views',
]);

export interface Allowed {
  scalar: Set<string>;
  table: Set<string>;
  /** every scalar, aggregate and macro name DuckDB knows, allowed or not (any other name is a typo) */
  functions: Set<string>;
  /** readable relations: `name` for the warehouse's main schema and DuckDB's catalog views, `schema.name` for information_schema */
  relations: Set<string>;
  /** every relation the catalog knows (a CTE may not borrow one of their names) */
  known: Set<string>;
}

/** The allow-lists for this database, read from its catalog (its macros and views change only with a write). */
export const allowedFor = rememberedPerGeneration(async (db: Db): Promise<Allowed> => {
  const { rows: functions } = await sql<{ name: string; type: string; internal: boolean }>`select distinct lower(function_name) as name, function_type as type, internal from duckdb_functions()
     where function_type in ('scalar', 'aggregate', 'macro', 'table_macro')`.execute(db.kysely);
  const scalar = new Set<string>();
  const table = new Set(allowedTableFunctions);
  const names = new Set(functions.map((f) => f.name));
  for (const f of functions) {
    if (f.type === 'table_macro') {
      if (!f.internal) table.add(f.name); // the warehouse's own table macros (funnel, retention)
    } else if (!deniedScalar.test(f.name)) scalar.add(f.name);
  }
  const { rows: relations } = await sql<{ schema: string; name: string; internal: boolean }>`select schema_name as schema, lower(table_name) as name, internal from duckdb_tables()
     union all select schema_name, lower(view_name), internal from duckdb_views()`.execute(db.kysely);
  const readable = new Set(systemViews);
  const known = new Set<string>();
  for (const r of relations) {
    known.add(r.name);
    if (!r.internal && r.schema === 'main' && !hiddenRelations.has(r.name)) readable.add(r.name);
  }
  return { scalar, table, functions: names, relations: readable, known };
});
