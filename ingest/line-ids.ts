// The id of a request line in a server log: its text and which occurrence of that text in the file it is
// (identical lines are separate requests). A slice of a followed file continues the file's count.
import { sql, type Kysely } from 'kysely';

/** SQL: the event id of the line with text `text` that is occurrence `occurrence` (1-based) of it. */
export function lineEventIdSql(text: string, occurrence: string): string {
  return `md5(${text} || '#' || (${occurrence}))`;
}

/**
 * Creates `target(__text, base)`: for each request line of `raw`, how many occurrences of its text are
 * already loaded (ids for occurrences 1, 2, … found in `events`). A slice past a file's start holds only
 * new bytes, so its lines continue from there; probing in widening rounds keeps a common text cheap.
 */
export async function continuedLineIds(conn: Kysely<unknown>, raw: string, target: string): Promise<string> {
  const t = sql.table(target);
  await sql`create or replace temp table ${t} as select distinct __text, 0::bigint as base from ${sql.table(raw)} where __present and __parsed`.execute(conn);
  let probed = sql`select __text from ${t}`;
  for (let width = 4; ; width *= 64) {
    await sql`
      update ${t} t set base = hits.n from (
        select p.__text, count(*)::bigint as n
        from (select c.__text, k.k from (${probed}) c cross join range(1, ${width + 1}) k(k)) p
        semi join events e on e.event_id = ${sql.raw(lineEventIdSql('p.__text', 'p.k'))}
        group by 1
      ) hits where hits.__text = t.__text`.execute(conn);
    // a text whose first `width` occurrences are all loaded may have more: probe those again, wider
    const saturated = (await sql<{ n: number }>`select count(*)::integer as n from ${t} where base = ${width}`.execute(conn)).rows[0]!.n;
    if (saturated === 0) return target;
    probed = sql`select __text from ${t} where base = ${width}`;
  }
}
