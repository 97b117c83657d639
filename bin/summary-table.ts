// The table `aida ingest`, `aida demo --load` print after loading: one line per file, then the notes,
// how each file's numbers and dates were read, warnings and where the rejected rows are.
import path from 'node:path';
import type { FileSummary } from '../ingest/pipeline.ts';

export function summaryTable(rows: FileSummary[]): string {
  const header = ['file', 'status', 'kind', 'loaded', 'duplicate', 'rejected', 'seconds'];
  // a dry run says what would happen: "would load", and nothing was written
  const status = (r: FileSummary) => (r.dryRun ? `would ${r.status === 'loaded' ? 'load' : r.status === 'skipped' ? 'skip' : 'fail'}` : r.status);
  const rejected = (r: FileSummary) => `${r.rowsRejected}${r.rowsExcluded ? ` (${r.rowsExcluded} excluded)` : ''}`;
  const body = rows.map((r) => [path.basename(r.file), status(r), r.kind ?? '', String(r.rowsLoaded), String(r.rowsDuplicate), rejected(r), r.seconds.toFixed(2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const notes = rows.filter((r) => r.message).map((r) => `${r.status === 'failed' ? 'error' : 'note'}: ${r.message}`);
  // how each file's numbers and dates were read; a reading the file left to the config is a warning
  const readings = rows.filter((r) => r.readings?.length).map((r) =>
    `read ${path.basename(r.file)}: ${r.readings!.map((c) => `${c.header} as ${c.reading} (by ${c.decided_by}${c.decided_by === 'values' || c.decided_by === 'form' ? '' : `: ${c.evidence}`})`).join('; ')}`);
  const warnings = rows.flatMap((r) => (r.warnings ?? []).map((w) => `warning: ${w}`));
  const samples = rows.filter((r) => r.rejectSamples?.length).flatMap((r) => [
    `would reject in ${path.basename(r.file)}${r.rowsRejected > r.rejectSamples!.length ? ` (the first ${r.rejectSamples!.length} of ${r.rowsRejected})` : ''}:`,
    ...r.rejectSamples!.map((x) => `  line ${x.line}: ${x.reason}`),
  ]);
  const dry = rows.some((r) => r.dryRun);
  const rejectNote = dry ? ['dry run: nothing was written (database and inbox unchanged)'] : rows.some((r) => r.rowsRejected > 0) ? ['rejected rows are in the rejects table: aida sql "from rejects where file_id = <id>"'] : [];
  return [line(header), ...body.map(line), ...notes, ...readings, ...warnings, ...samples, ...rejectNote].join('\n');
}
