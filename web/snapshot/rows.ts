// Which of the snapshot's figures a report shows: those the business has data for. A figure without a
// value in any of its 12 weeks (a sales-only shop's visitors and I-chain) would be a row of dashes;
// it is left out and named in the notes instead, with the reason (what to load) beside it.
import type { SnapshotResult } from '../api.ts';

type Metric = SnapshotResult['metrics'][number];

export function shownMetrics(metrics: Metric[]): { shown: Metric[]; hidden: Metric[] } {
  const has = (m: Metric) => m.series.some((p) => p.value !== null);
  // a week outside the data has no values anywhere: then every row stays, each saying "–"
  if (!metrics.some(has)) return { shown: metrics, hidden: [] };
  return { shown: metrics.filter(has), hidden: metrics.filter((m) => !has(m)) };
}
