// Path patterns (a stage's `paths`, a funnel's `path:` step): a glob where `*` is any run of characters
// and everything else is literal, matched with LIKE. Ingest's stage hits and the funnel both ask here.
import { sql, type RawBuilder } from 'kysely';

/** The LIKE pattern of a glob: LIKE's own `\`, `%` and `_` escaped with `\`, then `*` → `%`. */
export function globToLike(glob: string): string {
  return glob.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_').replaceAll('*', '%');
}

/** SQL condition: `column` (a trusted column reference) matches the glob. */
export function globMatchSql(column: string, glob: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.raw(column)} like ${sql.lit(globToLike(glob))} escape '\\'`;
}
