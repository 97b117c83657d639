// What GET /api/schema lists (and the SQL editor completes): the warehouse's tables, the analyst views
// and the table macros, with column types and the descriptions kept as DuckDB comments (COMMENT ON).
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from './db/open.ts';

const schemaColumn = z.strictObject({ name: z.string(), type: z.string(), description: z.string().nullable() });
export type SchemaColumn = z.infer<typeof schemaColumn>;

const schemaObject = z.strictObject({
  name: z.string(),
  kind: z.enum(['table', 'view', 'macro']),
  description: z.string().nullable(),
  columns: z.array(schemaColumn),
  parameters: z.array(z.string()).optional().describe("table macros: their parameters, e.g. ['from_date', 'to_date']"),
});
export type SchemaObject = z.infer<typeof schemaObject>;

export const schemaResult = z.strictObject({ objects: z.array(schemaObject) });
export type Schema = z.infer<typeof schemaResult>;

/** Bookkeeping that analysts have no use for. */
const hidden = new Set(['meta', 'aida_migrations', 'snapshot_mails']);
const isHidden = (name: string) => hidden.has(name) || name.startsWith('_');

export async function describeSchema(db: Db): Promise<Schema> {
  const { rows: relations } = await sql<{ name: string; kind: 'table' | 'view'; description: string | null }>`
    select table_name as name, 'table' as kind, comment as description from duckdb_tables()
     where database_name = current_database() and schema_name = 'main' and not temporary and not internal
    union all
    select view_name, 'view', comment from duckdb_views()
     where database_name = current_database() and schema_name = 'main' and not temporary and not internal
    order by kind desc, name`.execute(db.kysely);
  const { rows: columns } = await sql<{ table_name: string; name: string; type: string; description: string | null }>`
    select table_name, column_name as name, data_type as type, comment as description from duckdb_columns()
     where database_name = current_database() and schema_name = 'main' and not internal
     order by table_name, column_index`.execute(db.kysely);
  const { rows: macros } = await sql<{ name: string; description: string | null; parameters: string[] }>`
    select function_name as name, any_value(coalesce(comment, description)) as description, any_value(parameters) as parameters from duckdb_functions()
     where function_type = 'table_macro' and database_name = current_database() and schema_name = 'main' and not internal
     group by function_name order by function_name`.execute(db.kysely);
  const byTable = new Map<string, SchemaColumn[]>();
  for (const c of columns) {
    const list = byTable.get(c.table_name) ?? [];
    list.push({ name: c.name, type: c.type, description: c.description || null });
    byTable.set(c.table_name, list);
  }
  const macroObjects: SchemaObject[] = [];
  for (const m of macros.filter((m) => !isHidden(m.name))) {
    macroObjects.push({ name: m.name, kind: 'macro', description: m.description || null, columns: await macroColumns(db, m.name, m.parameters.length), parameters: m.parameters });
  }
  return {
    objects: [
      ...relations.filter((r) => !isHidden(r.name)).map((r) => ({ name: r.name, kind: r.kind, description: r.description || null, columns: byTable.get(r.name) ?? [] })),
      ...macroObjects,
    ],
  };
}

/** A table macro's result columns, from DESCRIBE with NULL arguments (describing binds, runs nothing). */
async function macroColumns(db: Db, name: string, arity: number): Promise<SchemaColumn[]> {
  try {
    const args = sql.join(Array.from({ length: arity }, () => sql`null`));
    const { rows } = await sql<{ column_name: string; column_type: string }>`describe select * from ${sql.id(name)}(${args})`.execute(db.kysely);
    return rows.map((r) => ({ name: r.column_name, type: r.column_type, description: null }));
  } catch {
    return []; // a macro that cannot be bound without real arguments: listed without columns
  }
}
