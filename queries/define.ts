// defineQuery: one metric = its parameters and its result (zod: the API's validation, the result types and
// the OpenAPI schemas), the code that runs its SQL, and the tidy rows of its CSV form. Routes and macros
// are built from these.
import type { RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import type { Db } from './db/open.ts';
import type { ListSpec } from './shared/page.ts';

/** What every metric runs against: the warehouse and the resolved config. */
export interface QueryContext {
  db: Db;
  config: Config;
}

export interface QueryDefinition<P extends z.ZodType, R> {
  /** route-like name, e.g. `funnel`, `customers/tiers` */
  name: string;
  summary: string;
  params: P;
  /** the shape of the result (its type is inferred from it; OpenAPI documents it; a test parses every real response with it) */
  result?: z.ZodType<R>;
  /** runs with parameters already validated (defaults filled in) */
  run: (ctx: QueryContext, params: z.output<P>) => Promise<R>;
  /** the same result as tidy CSV rows (one row per cell of the result, flat keys) */
  csv: (result: R) => Record<string, unknown>[];
  /** a long list in the result: the API sends a page of it (limit/offset, shared/page.ts), the CSV all of it */
  list?: ListSpec<R>;
}

export interface Query<P extends z.ZodType, R> extends QueryDefinition<P, R> {
  /** validates raw input (a URL query or a JS object) and runs; throws a ZodError on bad input */
  execute: (ctx: QueryContext, input: unknown) => Promise<R>;
}

export function defineQuery<P extends z.ZodType, R>(def: QueryDefinition<P, R>): Query<P, R> {
  return { ...def, execute: (ctx, input) => def.run(ctx, def.params.parse(input ?? {})) };
}

/** Runs a Kysely `sql` template and returns its rows (bigint-free, see db/values.ts). */
export async function rows<T>(ctx: QueryContext, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(ctx.db.kysely)).rows;
}
