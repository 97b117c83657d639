// Lists an endpoint sends one page of (at-risk customers, follow-ups due, campaigns, products): the
// `limit`/`offset` parameters, the `page` a result carries, and the slice. A query computes its whole
// list (cached per data version, so the next page costs a slice); the route answers JSON with one page
// and format=csv with all of it (server/routes/metrics.ts).
import { z } from 'zod';

export const maxPageLimit = 10_000;

/** limit/offset of a list, with the list's own default page size. */
export function pageParams(defaultLimit: number) {
  return z.object({
    limit: z.coerce.number().int().min(1).max(maxPageLimit).default(defaultLimit).describe(`rows of the list in the JSON answer (default ${defaultLimit}, at most ${maxPageLimit}); format=csv always has every row`),
    offset: z.coerce.number().int().min(0).default(0).describe('rows of the list to skip (default 0)'),
  });
}
export type PageWindow = z.infer<ReturnType<typeof pageParams>>;

const count = z.number().int().nonnegative();
export const pageResult = z
  .strictObject({ total: count.describe('rows in the whole list'), offset: count, limit: count })
  .describe('which rows of the list this answer holds: [offset, offset + limit) of total');
export type PageInfo = z.infer<typeof pageResult>;

/** The page of a whole list: all of it (what a query returns before the route slices it). */
export function wholeList(total: number): PageInfo {
  return { total, offset: 0, limit: total };
}

/** How a query names its list: the array field that is paged, and the page size it defaults to. */
export interface ListSpec<R> {
  field: { [K in keyof R]: R[K] extends unknown[] ? K : never }[keyof R] & string;
  defaultLimit: number;
}

/** The result with only [offset, offset + limit) of its list, and `page` saying so. */
export function pageOf<R extends { page: PageInfo }>(result: R, list: ListSpec<R>, window: PageWindow): R {
  const rows = result[list.field] as unknown[];
  return { ...result, [list.field]: rows.slice(window.offset, window.offset + window.limit), page: { total: rows.length, offset: window.offset, limit: window.limit } };
}
