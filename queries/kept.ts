// What users keep beside the data (migration 011): saved views (a named page + query string), the charts
// pinned to the Dashboard in their order, and annotations (a dated note drawn on every time chart). The
// zod schemas are the API's validation, its result types and its OpenAPI; `aida annotate` uses the same.
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Db } from './db/open.ts';
import { appPages, pinnableChartIds, pinnableCharts, type PinnableChart } from './shared/app-pages.ts';
import { isoDate } from './shared/period.ts';

/** A request that names a kept thing that is not there, or a list that does not match what is kept. */
export class KeptError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
    readonly missing = false,
  ) {
    super(message);
  }
}

const createdAt = z.string().describe('when it was kept (UTC, ISO 8601)');
export const keptId = z.coerce.number().int().positive().max(2 ** 31 - 1);

/**
 * A page's URL query string (with or without '?'), kept sorted and without `lang`, so the view opens in
 * the language of whoever opens it.
 */
export const viewQuery = z
  .string()
  .max(4000, 'expected at most 4,000 characters')
  .refine((s) => !/[\u0000-\u001f#]/.test(s), "expected a URL query string (no '#' or control characters)")
  .transform((s) => {
    const params = new URLSearchParams(s.replace(/^\?/, ''));
    params.delete('lang');
    params.sort();
    return params.toString();
  });

// --- Saved views -----------------------------------------------------------------------------------

export const savedViewInput = z.strictObject({
  name: z.string().trim().min(1, 'expected a name').max(120, 'expected at most 120 characters').describe('what the menu shows'),
  page: z.enum(appPages).describe('the page the view opens'),
  query: viewQuery.default('').describe("the page's URL query string, e.g. preset=last-week&channel=email (lang is dropped)"),
});
export const savedView = z.strictObject({ id: z.number().int(), name: z.string(), page: z.enum(appPages), query: z.string(), createdAt });
export type SavedView = z.infer<typeof savedView>;
export const savedViewsResult = z.strictObject({ views: z.array(savedView) });

export async function listViews(db: Db): Promise<SavedView[]> {
  const { rows } = await sql<SavedView>`
    select id, name, page, query, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as "createdAt" from saved_views order by lower(name), id`.execute(db.kysely);
  return rows;
}

export async function createView(db: Db, input: z.output<typeof savedViewInput>): Promise<SavedView> {
  const { rows } = await sql<SavedView>`
    insert into saved_views (name, page, query, created_at) values (${input.name}, ${input.page}, ${input.query}, now())
    returning id, name, page, query, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as "createdAt"`.execute(db.kysely);
  return rows[0]!;
}

export async function deleteView(db: Db, id: number): Promise<void> {
  await deleteRow(db, 'saved_views', id, `no saved view ${id}`);
}

// --- Dashboard pins --------------------------------------------------------------------------------

export const pinInput = z.strictObject({
  chart: z.enum(pinnableChartIds).describe('which chart'),
  query: viewQuery.default('').describe("the query string of the chart's page it is drawn from (lang is dropped)"),
});
export const pin = z.strictObject({
  id: z.number().int(),
  chart: z.enum(pinnableChartIds),
  page: z.enum(appPages).describe('the page the chart is on (its link back)'),
  query: z.string(),
  position: z.number().int().positive().describe('1 = first on the Dashboard'),
  createdAt,
});
export type Pin = z.infer<typeof pin>;
export const pinsResult = z.strictObject({ pins: z.array(pin) });
export const pinOrderInput = z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500).describe('every pin id, in the new order') });

const withPage = (row: Omit<Pin, 'page'>): Pin => ({ ...row, page: pinnableCharts[row.chart as PinnableChart] });

export async function listPins(db: Db): Promise<Pin[]> {
  const { rows } = await sql<Omit<Pin, 'page'>>`
    select id, chart, query, position, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as "createdAt" from dashboard_pins order by position, id`.execute(db.kysely);
  return rows.map(withPage);
}

export async function createPin(db: Db, input: z.output<typeof pinInput>): Promise<Pin> {
  const { rows } = await sql<Omit<Pin, 'page'>>`
    insert into dashboard_pins (chart, query, position, created_at)
    values (${input.chart}, ${input.query}, (select coalesce(max(position), 0) + 1 from dashboard_pins), now())
    returning id, chart, query, position, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as "createdAt"`.execute(db.kysely);
  return withPage(rows[0]!);
}

/** Removes a pin; the ones after it move up, so positions stay 1..n. */
export async function deletePin(db: Db, id: number): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    await deleteRow(trx, 'dashboard_pins', id, `no pin ${id}`);
    await renumber(trx);
  });
}

/** Puts the pins in the order of `ids`, which must name every pin once. */
export async function orderPins(db: Db, ids: number[]): Promise<Pin[]> {
  await db.kysely.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: number }>`select id from dashboard_pins order by id`.execute(trx);
    const kept = rows.map((r) => r.id);
    const given = new Set(ids);
    if (given.size !== ids.length || ids.length !== kept.length || kept.some((k) => !given.has(k))) {
      throw new KeptError('ids', `expected every pin id once (the Dashboard has ${kept.length ? kept.join(', ') : 'no pins'}); got ${ids.join(', ')}`);
    }
    for (const [i, pinId] of ids.entries()) await sql`update dashboard_pins set position = ${i + 1} where id = ${pinId}`.execute(trx);
  });
  return listPins(db);
}

async function renumber(db: Kysely<unknown>): Promise<void> {
  await sql`
    update dashboard_pins set position = r.n
    from (select id, row_number() over (order by position, id)::integer as n from dashboard_pins) r
    where dashboard_pins.id = r.id`.execute(db);
}

// --- Annotations -----------------------------------------------------------------------------------

export const annotationInput = z.strictObject({
  date: isoDate.describe('the day it marks (YYYY-MM-DD, reporting time zone)'),
  note: z.string().trim().min(1, 'expected a note').max(500, 'expected at most 500 characters').describe('what happened, e.g. "Black Friday email"'),
  author: z.string().trim().min(1).max(100, 'expected at most 100 characters').optional().describe('who added it'),
});
export const annotationRange = z
  .strictObject({
    from: isoDate.optional().describe('first day (inclusive)'),
    to: isoDate.optional().describe('day after the last day (exclusive)'),
  })
  .refine((r) => !r.from || !r.to || r.from < r.to, { path: ['to'], message: 'expected a date after from' });
export const annotation = z.strictObject({ id: z.number().int(), date: isoDate, note: z.string(), author: z.string().nullable(), createdAt });
export type Annotation = z.infer<typeof annotation>;
export const annotationsResult = z.strictObject({ annotations: z.array(annotation) });

export async function listAnnotations(db: Db, range: z.output<typeof annotationRange> = {}): Promise<Annotation[]> {
  const { rows } = await sql<Annotation>`
    select id, strftime(date, '%Y-%m-%d') as date, note, author, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as "createdAt" from annotations
    where (${range.from ?? null}::date is null or date >= ${range.from ?? null}::date) and (${range.to ?? null}::date is null or date < ${range.to ?? null}::date)
    order by date, id`.execute(db.kysely);
  return rows;
}

export async function createAnnotation(db: Db, input: z.output<typeof annotationInput>): Promise<Annotation> {
  const { rows } = await sql<Annotation>`
    insert into annotations (date, note, author, created_at) values (${input.date}::date, ${input.note}, ${input.author ?? null}, now())
    returning id, strftime(date, '%Y-%m-%d') as date, note, author, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as "createdAt"`.execute(db.kysely);
  return rows[0]!;
}

export async function deleteAnnotation(db: Db, id: number): Promise<void> {
  await deleteRow(db, 'annotations', id, `no annotation ${id}`);
}

// --- Shared ----------------------------------------------------------------------------------------

const keptTables = ['saved_views', 'dashboard_pins', 'annotations'] as const;

async function deleteRow(db: Db | Kysely<unknown>, table: (typeof keptTables)[number], id: number, missing: string): Promise<void> {
  const kysely = 'kysely' in db ? db.kysely : db;
  const { rows } = await sql<{ id: number }>`delete from ${sql.table(table)} where id = ${id} returning id`.execute(kysely);
  if (!rows.length) throw new KeptError('id', missing, true);
}

/** Every kept row as it is stored, for `aida rebuild` to carry into the warehouse it makes anew. */
export interface KeptRows {
  views: Record<string, unknown>[];
  pins: Record<string, unknown>[];
  annotations: Record<string, unknown>[];
}

export async function readKept(db: Db): Promise<KeptRows> {
  const read = (query: ReturnType<typeof sql<Record<string, unknown>>>) => query.execute(db.kysely).then((r) => r.rows);
  return {
    views: await read(sql`select id, name, page, query, created_at from saved_views`),
    pins: await read(sql`select id, chart, query, position, created_at from dashboard_pins`),
    annotations: await read(sql`select id, strftime(date, '%Y-%m-%d') as date, note, author, created_at from annotations`),
  };
}

/** Writes `kept` into an empty warehouse with their ids, order and times; its sequences continue after them. */
export async function restoreKept(db: Db, kept: KeptRows): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    for (const v of kept.views) await sql`insert into saved_views values (${v.id}, ${v.name}, ${v.page}, ${v.query}, ${v.created_at})`.execute(trx);
    for (const p of kept.pins) await sql`insert into dashboard_pins values (${p.id}, ${p.chart}, ${p.query}, ${p.position}, ${p.created_at})`.execute(trx);
    for (const a of kept.annotations) await sql`insert into annotations values (${a.id}, ${a.date}::date, ${a.note}, ${a.author}, ${a.created_at})`.execute(trx);
    // a new row never takes an id already used
    for (const table of keptTables) {
      const { rows } = await sql<{ n: number }>`select coalesce(max(id), 0)::integer as n from ${sql.table(table)}`.execute(trx);
      if (rows[0]!.n > 0) await sql`select nextval(${`${table}_id`}) from range(${rows[0]!.n})`.execute(trx);
    }
  });
}
