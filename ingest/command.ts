// `aida ingest`, `aida rebuild` and `aida demo`: argument handling, the progress bar, the summary
// table and exit codes (0 all loaded, 1 a file failed, 2 usage).
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { installAnalystViews } from '../queries/analyst-views.ts';
import { loadConfig, type Config } from '../queries/config.ts';
import { DatabaseLockedError, openDb, type Db } from '../queries/db/open.ts';
import { handOffToken, requestHeader, runningServer, type ServerInfo } from '../queries/db/server-info.ts';
import { inboxDir } from '../queries/sql.ts';
import { kinds, type Kind } from './columns.ts';
import { derive, derivedIsStale } from './derive.ts';
import { ingestFile, type FileSummary, type Progress } from './pipeline.ts';
import { profileNames } from './profiles/index.ts';
import { encodings, formats, type Encoding, type Format } from './source.ts';

export class UsageError extends Error {}

export const ingestHelp = `Usage: aida ingest [options] FILE|DIR|GLOB...

Loads log files into the warehouse. Each file is loaded whole or not at all; loading the same file
again does nothing; rows that cannot be loaded are kept in the rejects table with their line number.

Options:
  --kind K        web | sales | campaigns | complaints (default: detected from the columns)
  --format F      ${formats.join(' | ')} (default: detected from the content)
  --log-format S  read each line by an nginx-style log_format, e.g. '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent'
  --profile P     ${profileNames.join(' | ')} (default: detected from the header)
  --encoding E    ${encodings.join(' | ')} (default: detected)
  --json          print a machine-readable summary instead of the table
  --db PATH       database file (default data/aida.duckdb, env AIDA_DB)
  --config PATH   config file (default aida.config.json, env AIDA_CONFIG)
  -h, --help      this help

While \`aida serve\` holds the database, the files are uploaded to it (it is the single writer) with
the same progress and summary; set AIDA_TOKEN to an admin token if the server has tokens.

Exit codes: 0 every file loaded (rejected rows are warnings), 1 a file failed, 2 usage error.`;

export function dbPath(flag?: string): string {
  return flag ?? process.env.AIDA_DB ?? 'data/aida.duckdb';
}

export { inboxDir } from '../queries/sql.ts';

/** Files named directly, every file under a directory (sorted), or the matches of a glob. */
export function expandInputs(inputs: string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    if (/[*?[]/.test(input)) {
      const matches = glob(input);
      if (matches.length === 0) throw new UsageError(`${input}: no file matches`);
      out.push(...matches);
    } else if (fs.existsSync(input) && fs.statSync(input).isDirectory()) {
      const files = fs.readdirSync(input, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && !d.name.startsWith('.')).map((d) => path.join(d.parentPath, d.name)).sort();
      out.push(...files);
    } else out.push(input);
  }
  return out;
}

/** `dir/*.csv`-style patterns: wildcards (* and ?) in the last path segment. */
function glob(pattern: string): string[] {
  const dir = path.dirname(pattern);
  if (/[*?[]/.test(dir)) throw new UsageError(`${pattern}: wildcards are supported in the file name only`);
  const re = new RegExp(`^${path.basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => re.test(f)).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile()).sort();
}

export interface IngestRun {
  files: string[];
  kind?: Kind;
  format?: Format;
  logFormat?: string;
  profile?: string;
  encoding?: Encoding;
}

export async function ingestFiles(db: Db, config: Config, dbFile: string, run: IngestRun, onProgress?: (p: Progress) => void): Promise<FileSummary[]> {
  await ensureDerived(db, config);
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
        ...(onProgress ? { onProgress } : {}),
      }),
    );
  }
  return results;
}

/**
 * Rebuilds the derived tables when they were made under another config or an older schema, and
 * (re)installs the analyst views and macros, which follow the config too.
 */
export async function ensureDerived(db: Db, config: Config): Promise<boolean> {
  const rebuilt = await db.transaction(async (conn) => {
    if (!(await derivedIsStale(conn, config))) return false;
    await derive(conn, config, { fileId: 0, newEvents: false, replacedOrders: false, all: true });
    return true;
  });
  await installAnalystViews(db, config);
  return rebuilt;
}

function option<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

export function summaryTable(rows: FileSummary[]): string {
  const header = ['file', 'status', 'kind', 'loaded', 'duplicate', 'rejected', 'seconds'];
  const body = rows.map((r) => [path.basename(r.file), r.status, r.kind ?? '', String(r.rowsLoaded), String(r.rowsDuplicate), String(r.rowsRejected), r.seconds.toFixed(2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const notes = rows.filter((r) => r.message).map((r) => `${r.status === 'failed' ? 'error' : 'note'}: ${r.message}`);
  // how each file's numbers and dates were read; a reading the file left to the config is a warning
  const readings = rows.filter((r) => r.readings?.length).map((r) =>
    `read ${path.basename(r.file)}: ${r.readings!.map((c) => `${c.header} as ${c.reading} (by ${c.decided_by}${c.decided_by === 'values' || c.decided_by === 'form' ? '' : `: ${c.evidence}`})`).join('; ')}`);
  const warnings = rows.flatMap((r) => (r.warnings ?? []).map((w) => `warning: ${w}`));
  const rejectNote = rows.some((r) => r.rowsRejected > 0) ? ['rejected rows are in the rejects table: aida sql "from rejects where file_id = <id>"'] : [];
  return [line(header), ...body.map(line), ...notes, ...readings, ...warnings, ...rejectNote].join('\n');
}

/** What the progress bar shows: the pipeline's phases, and the upload when a server does the work. */
type BarProgress = Omit<Progress, 'phase'> & { phase: Progress['phase'] | 'upload' };

function progressBar(): { onProgress: (p: BarProgress) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { format: '{file} {phase} [{bar}] {percentage}% {doneMB}/{totalMB} MB {rate}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let current = '';
  let startedAt = Date.now();
  return {
    onProgress: (p) => {
      const mb = (n: number) => (n / 1e6).toFixed(1);
      const seconds = (Date.now() - startedAt) / 1000;
      const rate = p.rows && seconds > 0 ? `${Math.round(p.rows / seconds).toLocaleString('en')} rows/s` : `${mb(p.bytesDone / Math.max(seconds, 0.001))} MB/s`;
      const phaseDone = p.phase === 'hash' || p.phase === 'decode' || p.phase === 'upload' ? p.bytesDone : p.bytesTotal;
      const payload = { file: path.basename(p.file), phase: p.phase.padEnd(6), doneMB: mb(phaseDone), totalMB: mb(p.bytesTotal), rate };
      if (current !== p.file) {
        if (current) bar.stop();
        current = p.file;
        startedAt = Date.now();
        bar.start(Math.max(p.bytesTotal, 1), 0, payload);
      }
      bar.update(p.phase === 'done' ? p.bytesTotal : phaseDone, payload);
    },
    stop: () => bar.stop(),
  };
}

export async function ingestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      kind: { type: 'string' }, format: { type: 'string' }, 'log-format': { type: 'string' }, profile: { type: 'string' }, encoding: { type: 'string' },
      json: { type: 'boolean' }, db: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' },
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
  const files = expandInputs(positionals);
  const file = dbPath(values.db);
  const run: IngestRun = { files, ...(kind ? { kind } : {}), ...(format ? { format } : {}), ...(values['log-format'] ? { logFormat: values['log-format'] } : {}), ...(values.profile ? { profile: values.profile } : {}), ...(encoding ? { encoding } : {}) };
  const bar = process.stderr.isTTY && !values.json ? progressBar() : undefined;
  let db: Db | undefined;
  try {
    let results: FileSummary[];
    try {
      db = await openDb(file);
      results = await ingestFiles(db, config, file, run, bar?.onProgress);
    } catch (err) {
      // a running `aida serve` holds the database: it is the single writer, so it does the job (SPEC §4.5)
      const server = err instanceof DatabaseLockedError ? runningServer(file, err.pid) : null;
      if (!server) throw err;
      results = await handOff(server, handOffToken(config, 'admin'), run, bar?.onProgress);
    }
    bar?.stop();
    console.log(values.json ? JSON.stringify({ files: results }, null, 2) : summaryTable(results));
    return results.some((r) => r.status === 'failed') ? 1 : 0;
  } finally {
    bar?.stop();
    await db?.close();
  }
}

/** NDJSON lines of POST /api/ingest: the pipeline's progress, then the file's summary (or an error). */
export type IngestEvent = ({ type: 'progress' } & Progress) | { type: 'summary'; summary: FileSummary } | { type: 'error'; message: string };

/** Where a running `aida serve` announces itself: next to the database it holds. */
/** Uploads each file to the server and relays its progress; the summaries look like a local run's. */
async function handOff(server: ServerInfo, token: string | undefined, run: IngestRun, onProgress?: (p: BarProgress) => void): Promise<FileSummary[]> {
  const results: FileSummary[] = [];
  for (const file of run.files) {
    const started = Date.now();
    const failed = (message: string): FileSummary => ({ file, status: 'failed', rowsIn: 0, rowsLoaded: 0, rowsDuplicate: 0, rowsRejected: 0, seconds: (Date.now() - started) / 1000, message });
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) {
      results.push(failed(`${file}: ${stat ? 'is not a regular file' : 'no such file'}`));
      continue;
    }
    if (run.logFormat) {
      results.push(failed(`${file}: --log-format is not passed to a running aida serve; stop it and ingest again`));
      continue;
    }
    const query = new URLSearchParams({ name: path.resolve(file) });
    for (const key of ['kind', 'format', 'profile', 'encoding'] as const) if (run[key]) query.set(key, run[key]!);
    let sent = 0;
    const body = Readable.toWeb(fs.createReadStream(file).on('data', (chunk) => {
      sent += chunk.length;
      onProgress?.({ file, phase: 'upload', bytesDone: sent, bytesTotal: stat.size });
    }));
    let res: Response;
    try {
      res = await fetch(`${server.url}/api/ingest?${query}`, {
        method: 'POST',
        body: body as ReadableStream,
        headers: { 'content-type': 'application/octet-stream', [requestHeader]: '1', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        duplex: 'half',
      } as RequestInit);
    } catch (err) {
      results.push(failed(`${file}: not loaded: the running aida server (${server.url}, pid ${server.pid}) holds the database but cannot be reached (${(err as Error).message})`));
      continue;
    }
    if (!res.ok || !res.body) {
      const problem = (await res.json().catch(() => ({}))) as { detail?: string };
      const hint = res.status === 401 || res.status === 403 ? ' (set AIDA_TOKEN to an admin token of that server)' : '';
      results.push(failed(`${file}: not loaded: the aida server at ${server.url} answered ${res.status}: ${problem.detail ?? res.statusText}${hint}`));
      continue;
    }
    let summary: FileSummary | undefined;
    let buffer = '';
    const decoder = new TextDecoder();
    const handle = (line: string) => {
      if (!line.trim()) return;
      const event = JSON.parse(line) as IngestEvent;
      if (event.type === 'progress') onProgress?.({ ...event, file });
      else if (event.type === 'summary') summary = { ...event.summary, file };
      else summary = failed(event.message);
    };
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      lines.forEach(handle);
    }
    handle(buffer);
    results.push(summary ?? failed(`${file}: not loaded: the aida server at ${server.url} ended the answer without a summary`));
  }
  return results;
}

export const rebuildHelp = `Usage: aida rebuild [--db PATH] [--config PATH] [--derived-only]

Rebuilds the warehouse from the raw copies kept in the inbox (data/inbox/<sha256>), in the order they
were first loaded, into a fresh database file that replaces the old one when complete. With
--derived-only, recomputes only sessions, stage hits and rollups (after changing stages, channels,
time zone or session timeout in the config).`;

export async function rebuildCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, config: { type: 'string' }, 'derived-only': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(rebuildHelp);
    return 0;
  }
  const config = loadConfig(values.config);
  const file = dbPath(values.db);
  if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist: nothing to rebuild`);
  if (values['derived-only']) {
    const db = await openDb(file);
    try {
      await db.exec("update meta set value = 'stale' where key = 'derived_fingerprint'");
      await ensureDerived(db, config);
      console.log('derived tables rebuilt');
      return 0;
    } finally {
      await db.close();
    }
  }
  const old = await openDb(file);
  const history = await old.all<{ sha256: string; path: string; kind: string; format: string; profile: string | null }>(
    "select sha256, path, kind, format, profile from ingests where status = 'loaded' order by file_id",
  );
  await old.close();
  const inbox = inboxDir(config, file);
  const missing = history.filter((h) => !fs.existsSync(path.join(inbox, h.sha256)));
  if (missing.length) {
    console.error(`cannot rebuild: ${missing.length} raw input(s) are not in ${inbox}, e.g. ${missing[0]!.path} (${missing[0]!.sha256})`);
    return 1;
  }
  const fresh = `${file}.rebuild-${process.pid}`;
  fs.rmSync(fresh, { force: true });
  const db = await openDb(fresh);
  let failed = false;
  try {
    for (const h of history) {
      const [result] = await ingestFiles(db, config, file, {
        files: [path.join(inbox, h.sha256)],
        kind: h.kind as Kind,
        format: h.format as Format,
        ...(h.profile ? { profile: h.profile } : {}),
      });
      await db.exec('update ingests set path = $1 where file_id = $2', [h.path, result!.fileId!]);
      console.log(`${h.path}: ${result!.status} (${result!.rowsLoaded} loaded, ${result!.rowsDuplicate} duplicate, ${result!.rowsRejected} rejected)`);
      if (result!.status === 'failed') failed = true;
    }
  } finally {
    await db.close();
  }
  if (failed) {
    fs.rmSync(fresh, { force: true });
    fs.rmSync(`${fresh}.wal`, { force: true });
    return 1;
  }
  fs.renameSync(fresh, file);
  fs.rmSync(`${file}.wal`, { force: true });
  console.log(`rebuilt ${file} from ${history.length} file(s)`);
  return 0;
}
