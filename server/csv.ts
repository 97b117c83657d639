// Tidy CSV (RFC 4180, BOM first) of a metric's rows: the header is every key in order of first appearance; cells
// are written by queries/shared/csv.ts (formulas neutralised) like every CSV aida writes.
import { csvBom, csvLine, csvStart } from '../queries/shared/csv.ts';

export function tidyCsv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return csvBom;
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const k of Object.keys(row)) {
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  return csvStart(keys) + rows.map((r) => csvLine(keys.map((k) => r[k]))).join('');
}

/** `funnel-2026-10-01_2026-11-01.csv`-style names from the route and its query. */
export function csvFilename(name: string, query: Record<string, string>): string {
  const parts = [name.replaceAll('/', '-')];
  if (query.from || query.to) parts.push(`${query.from ?? 'start'}_${query.to ?? 'end'}`);
  for (const key of ['week', 'grain', 'mode', 'breakdown']) if (query[key]) parts.push(query[key]!);
  return `${parts.join('-').replace(/[^\w.-]+/g, '_')}.csv`;
}
