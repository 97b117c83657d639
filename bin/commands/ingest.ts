// `aida ingest FILE|DIR|GLOB...`: the options, the progress bar, the summary table and exit codes (0 all
// loaded, 1 a file failed, 2 usage); hands the files to a running `aida serve` when it holds the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kinds } from '../../ingest/columns.ts';
import { ingestFiles, type IngestRun } from '../../ingest/ingest-files.ts';
import type { FileSummary } from '../../ingest/pipeline.ts';
import { profileNames } from '../../ingest/profiles/index.ts';
import { encodings, formats } from '../../ingest/source.ts';
import { openDb, type Db } from '../../queries/db/open.ts';
import { databasePath, defaultDatabase } from '../../queries/db/paths.ts';
import { handOffIfHeld, ingestThroughServer } from '../../server/hand-off/client.ts';
import { loadConfig } from '../config.ts';
import { expandInputs } from '../expand-inputs.ts';
import { progressBar } from '../progress-bar.ts';
import { summaryTable } from '../summary-table.ts';
import { UsageError } from '../usage-error.ts';
import { follow } from './follow.ts';

export const ingestHelp = `Usage: aida ingest [options] FILE|DIR|GLOB...
       aida ingest --follow [options] FILE|DIR

Loads log files into the warehouse. Each file is loaded whole or not at all; loading the same file
again does nothing; rows that cannot be loaded are kept in the rejects table with their line number.

Options:
  --kind K        web | sales | campaigns | complaints (default: detected from the columns)
  --format F      ${formats.join(' | ')} (default: detected from the content)
  --log-format S  read each line by an nginx-style log_format, e.g. '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent'
  --profile P     ${profileNames.join(' | ')} (default: detected from the header)
  --encoding E    ${encodings.join(' | ')} (default: detected)
  --exclude-path G  web events whose path matches the glob G are not loaded (repeatable; e.g. '/static/*',
                  '*.css'); each is a reject with the reason "excluded by --exclude-path G", counted in the summary
  --dry-run       show what would load, reject (with the reasons) and dedupe per file; writes nothing
  --follow        keep loading what is appended to FILE (and its rotated copies), or to the files of DIR and
                  the files that appear there, in batches; Ctrl+C finishes the current batch and exits
  --interval S    seconds between --follow batches (default 2)
  --json          print a machine-readable summary instead of the table (--follow: one JSON line per slice)
  --db PATH       database file (default ${defaultDatabase}, env AIDA_DB)
  --config PATH   config file (default aida.config.json, env AIDA_CONFIG)
  -h, --help      this help

While \`aida serve\` holds the database, the files are uploaded to it (it is the single writer) with
the same progress and summary; set AIDA_TOKEN to an admin token if the server has tokens.

A folder with no files or a glob that matches none is an error (exit 1): nothing is loaded.

Exit codes: 0 every file loaded (rejected rows are warnings), 1 a file failed, 2 usage error.`;

function option<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

export async function ingestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      kind: { type: 'string' }, format: { type: 'string' }, 'log-format': { type: 'string' }, profile: { type: 'string' }, encoding: { type: 'string' },
      json: { type: 'boolean' }, db: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      'exclude-path': { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, follow: { type: 'boolean' }, interval: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(ingestHelp);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('aida ingest needs at least one FILE (see aida ingest --help)');
  const kind = option(values.kind, kinds, 'kind');
  const format = option(values.format, formats, 'format');
  const encoding = option(values.encoding, encodings, 'encoding');
  if (values.profile && !profileNames.includes(values.profile)) throw new UsageError(`--profile must be one of ${profileNames.join(', ')} (got '${values.profile}')`);
  const config = loadConfig(values.config);
  const file = databasePath(values.db);
  const excludePaths = values['exclude-path'] ?? [];
  const common = {
    ...(kind ? { kind } : {}), ...(format ? { format } : {}), ...(values['log-format'] ? { logFormat: values['log-format'] } : {}), ...(values.profile ? { profile: values.profile } : {}), ...(encoding ? { encoding } : {}),
    ...(excludePaths.length ? { excludePaths } : {}),
  };
  if (values.follow) {
    if (values['dry-run']) throw new UsageError('--dry-run shows one ingest and writes nothing; it cannot be combined with --follow');
    if (positionals.length !== 1) throw new UsageError('--follow takes one FILE or DIR');
    const interval = values.interval === undefined ? 2 : Number(values.interval);
    if (!(interval > 0 && interval <= 3600)) throw new UsageError(`--interval must be a number of seconds between 0 and 3600 (got '${values.interval}')`);
    return follow({ target: positionals[0]!, dbFile: file, config, run: common, intervalSeconds: interval, json: Boolean(values.json) });
  }
  if (values.interval !== undefined) throw new UsageError('--interval is for --follow');
  const { files, unmatched } = expandInputs(positionals);
  if (unmatched.length) {
    for (const u of unmatched) console.error(`aida ingest: ${u}`);
    console.error('aida ingest: nothing was loaded');
    return 1;
  }
  const dryRun = Boolean(values['dry-run']);
  const run: IngestRun = { files, ...common, ...(dryRun ? { dryRun } : {}) };
  const bar = process.stderr.isTTY && !values.json ? progressBar() : undefined;
  let db: Db | undefined;
  try {
    let results: FileSummary[];
    try {
      // a dry run against a database that does not exist yet counts against an empty one, made and removed in the temp folder
      const scratch = dryRun && !fs.existsSync(file) ? fs.mkdtempSync(path.join(os.tmpdir(), 'aida-dry-run-')) : undefined;
      try {
        db = await openDb(scratch ? path.join(scratch, 'empty.duckdb') : file);
        results = await ingestFiles(db, config, file, run, bar?.onProgress);
      } finally {
        if (scratch) {
          await db?.close();
          db = undefined;
          fs.rmSync(scratch, { recursive: true, force: true });
        }
      }
    } catch (err) {
      // a running `aida serve` holds the database: it is the single writer, so it does the job (SPEC §4.5)
      const to = handOffIfHeld(err, file, config, 'admin');
      if (!to) throw err;
      results = await ingestThroughServer(to, run.files, run, bar?.onProgress);
    }
    bar?.stop();
    console.log(values.json ? JSON.stringify({ ...(dryRun ? { dryRun } : {}), files: results }, null, 2) : summaryTable(results));
    return results.some((r) => r.status === 'failed') ? 1 : 0;
  } finally {
    bar?.stop();
    await db?.close();
  }
}
