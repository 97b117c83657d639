// Loads a list of files into an open database one after another (what `aida ingest`, `aida demo --load`,
// `aida rebuild` and POST /api/ingest all run), the derived tables brought up to date first.
import type { Db } from '../queries/db/open.ts';
import { inboxDir } from '../queries/db/paths.ts';
import type { Kind } from './columns.ts';
import type { IngestConfig } from './config.ts';
import { ensureDerived } from './ensure-derived.ts';
import type { Slice } from './follow-offsets.ts';
import { ingestFile, type FileSummary, type Progress } from './pipeline.ts';
import type { Encoding, Format } from './source.ts';

export interface IngestRun {
  files: string[];
  kind?: Kind;
  format?: Format;
  /** an nginx-style log_format for lines no built-in layout reads */
  logFormat?: string;
  profile?: string;
  encoding?: Encoding;
  /** count what would load and write nothing (--dry-run) */
  dryRun?: boolean;
  /** --exclude-path globs: web events whose path matches are rejected as excluded */
  excludePaths?: string[];
  /** the (one) file is a slice of a followed file */
  slice?: Slice;
}

export async function ingestFiles(db: Db, config: IngestConfig, dbFile: string, run: IngestRun, onProgress?: (p: Progress) => void): Promise<FileSummary[]> {
  if (!run.dryRun) await ensureDerived(db, config);
  const results: FileSummary[] = [];
  for (const file of run.files) {
    results.push(
      await ingestFile(db, file, {
        config,
        inboxDir: inboxDir(config, dbFile),
        ...(run.kind ? { kind: run.kind } : {}),
        ...(run.format ? { format: run.format } : {}),
        ...(run.logFormat ? { logFormat: run.logFormat } : {}),
        ...(run.profile ? { profile: run.profile } : {}),
        ...(run.encoding ? { encoding: run.encoding } : {}),
        ...(run.dryRun ? { dryRun: true } : {}),
        ...(run.excludePaths?.length ? { excludePaths: run.excludePaths } : {}),
        ...(run.slice ? { slice: run.slice } : {}),
        ...(onProgress ? { onProgress } : {}),
      }),
    );
  }
  return results;
}
