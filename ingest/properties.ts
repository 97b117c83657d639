// What an input row keeps beyond its canonical columns (SPEC §3 `properties`): one JSON object per
// event or order, values in their JSON type where the format has types (NDJSON, Parquet), text in CSV.
import type { ColumnMap } from './columns.ts';
import type { Profile } from './profiles/profile.ts';
import { ident, sqlString } from '../queries/db/quote.ts';

export interface PropertiesInput {
  headers: string[];
  map: ColumnMap;
  profile?: Profile;
  /** the row as a JSON object, when the format has one (ReadResult.rowJson) */
  rowJson?: string;
}

/**
 * SQL for row `r`'s properties: every key or column no canonical column was read from, merged with the
 * profile's own object (GA4 event_params, Segment properties), which wins on a clash. JSON nulls and
 * empty values are left out; a row with nothing left has NULL. `col` references a raw header.
 */
export function propertiesSql(input: PropertiesInput, col: (header: string) => string): string {
  // a server log's fields are its layout's, every one of them read into a column or classified
  if (input.profile?.name === 'access-log') return 'null::json';
  // a profile names the keys it reads (`context.ip` is a nested one); else the mapped headers, as they are
  const consumed = input.profile?.consumed?.map((k) => k.split('.')) ?? Object.values(input.map).map((h) => [h]);
  let rest: string;
  if (input.rowJson) {
    rest = `${input.rowJson}, ${sqlString(JSON.stringify(removalPatch(consumed)))}`;
  } else {
    const top = new Set(consumed.map((path) => path[0]));
    const kept = input.headers.filter((h) => !top.has(h));
    rest = kept.length ? `json_object(${kept.map((h) => `${sqlString(h)}, nullif(trim(r.${ident(h)}), '')`).join(', ')})` : `'{}'`;
  }
  // nothing left over and nothing of the profile's own: no row has properties
  if (rest === `'{}'` && !input.profile?.properties) return 'null::json';
  const own = input.profile?.properties ? `, coalesce((${input.profile.properties(col)}), '{}')` : '';
  // merging into {} drops JSON nulls (RFC 7396), so an absent and a null key read the same
  return `nullif(json_merge_patch('{}', ${rest}${own})::varchar, '{}')::json`;
}

/** A JSON merge patch that removes each key path. */
function removalPatch(paths: string[][]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const parts of paths) {
    let at = patch;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[parts.at(-1)!] = null;
  }
  return patch;
}
