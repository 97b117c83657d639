// The one warehouse table read back row by row into TypeScript (retention_base, kept by ingest/derive.ts
// and read by queries/retention.ts): its columns as they arrive after queries/db/values.ts converts them.
export interface RetentionBaseTable {
  period_grain: 'month' | 'week';
  cohort_start: Date;
  size: number;
  k: number;
  standard_customers: number;
  last_customers: number;
  repeat_customers: number;
  revenue: number;
}
