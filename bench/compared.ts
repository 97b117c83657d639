// What the query bench hands between aida and PostgreSQL: the funnel's numbers to compare, and the
// warehouse's column types to copy tables with.

/** The funnel's per-step numbers, to compare implementations: counts and median seconds between steps. */
export interface FunnelNumbers {
  attentionStage: string;
  period: { from: string; to: string };
  counts: number[];
  medians: (number | null)[];
}

/** Columns per table, as DuckDB describes them. */
export type TableColumns = Record<string, { name: string; type: string }[]>;
