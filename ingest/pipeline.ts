// One file through the pipeline: hash → keep raw → decode → read → map → validate → dedupe → load →
// derive, all of it after the hash inside one transaction, so a file is either fully in or fully out.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IngestConfig as Config } from './config.ts';
import type { Db } from '../queries/db/open.ts';
import { appendRows } from '../queries/db/raw.ts';
import { detectKind, mapColumns, missingColumns, type ColumnMap, type Kind } from './columns.ts';
import { derive } from './derive.ts';
import { sniffDelimiter } from './formats/csv.ts';
import type { ReadResult } from './formats/read-result.ts';
import { nulValues, readSource } from './formats/read.ts';
import { isLineItems, loadCampaigns, loadComplaints, loadEventOrders, loadOrders, stageNewEvents, type LoadCounts } from './load.ts';
import { detectProfile, missingSignature, profileByName, profileColumns, profileNames } from './profiles/index.ts';
import type { Profile } from './profiles/profile.ts';
import { FileError, isDiskFull, isLogFormat, keepRaw, prepareSource, type Encoding, type Format, type Source } from './source.ts';
import { stage, valueColumns } from './stage.ts';
import { decideReadings, type ColumnReading, type Decided } from './values/readings.ts';
import { sql, type Kysely } from 'kysely';
import { commitFollowOffset, type Slice } from './follow-offsets.ts';
import { continuedLineIds } from './line-ids.ts';
import type { PhaseClock } from './phase-clock.ts';

export interface IngestOptions {
  kind?: Kind;
  format?: Format;
  /** an nginx-style log_format the lines are read by (--log-format) */
  logFormat?: string;
  profile?: string;
  encoding?: Encoding;
  config: Config;
  /** where raw copies are kept; relative paths are resolved against the database's folder's parent */
  inboxDir: string;
  onProgress?: (p: Progress) => void;
  /** report what would load, reject and dedupe, and write nothing: no rows, no inbox copy (--dry-run) */
  dryRun?: boolean;
  /** web events whose path matches one of these globs are not loaded: rejected as excluded (--exclude-path) */
  excludePaths?: string[];
  /** the file is a slice of a file that grows (aida ingest --follow) */
  slice?: Slice;
  /** times each phase (the bench's per-phase report) */
  clock?: PhaseClock;
}


export interface Progress {
  file: string;
  phase: 'hash' | 'decode' | 'read' | 'load' | 'derive' | 'done';
  bytesDone: number;
  bytesTotal: number;
  rows?: number;
}

export interface FileSummary {
  file: string;
  status: 'loaded' | 'skipped' | 'failed';
  fileId?: number;
  kind?: Kind;
  format?: Format;
  profile?: string | null;
  encoding?: Encoding;
  rowsIn: number;
  rowsLoaded: number;
  rowsDuplicate: number;
  rowsRejected: number;
  seconds: number;
  message?: string;
  /** how each numeric and date column was read, and what decided it (as kept in ingests.value_formats) */
  readings?: ColumnReading[];
  /** readings the file left open (taken from the config) or columns with two readings (rows rejected) */
  warnings?: string[];
  /** why a failed file failed, when it is the machine's state and not the file */
  cause?: 'disk-full';
  /** of rowsRejected, the web events --exclude-path skipped */
  rowsExcluded?: number;
  /** a dry run: nothing was written; `rejectSamples` are the first rejects it would record */
  dryRun?: boolean;
  rejectSamples?: { line: number; reason: string }[];
}

/** How many rejects a dry run shows per file. */
const rejectSampleSize = 20;

export async function ingestFile(db: Db, file: string, opts: IngestOptions): Promise<FileSummary> {
  const started = Date.now();
  const summary = (s: Partial<FileSummary> & Pick<FileSummary, 'status'>): FileSummary => ({
    file, rowsIn: 0, rowsLoaded: 0, rowsDuplicate: 0, rowsRejected: 0, seconds: (Date.now() - started) / 1000, ...s,
  });
  let createdRaw: string | undefined;
  try {
    if (opts.profile && !profileByName(opts.profile)) throw new FileError(file, `unknown profile '${opts.profile}' (known: ${profileNames.join(', ')})`);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) throw new FileError(file, 'no such file');
    if (!stat.isFile()) throw new FileError(file, 'is not a regular file');
    let done = 0;
    const progress = (phase: Progress['phase'], rows?: number) => opts.onProgress?.({ file, phase, bytesDone: done, bytesTotal: stat.size, ...(rows !== undefined ? { rows } : {}) });
    // one read: the inbox copy is hashed as it is written, so its name is the hash of what was loaded
    const raw = await keepRaw(file, opts.inboxDir, (n) => {
      done += n;
      progress('hash');
    }, { copy: !opts.dryRun });
    if (raw.created) createdRaw = raw.path;
    opts.clock?.lap('hash and inbox copy');
    // a slice of new bytes is loaded even if the same bytes came before
    const previous = opts.slice?.newBytes
      ? undefined
      : (await sql<{ file_id: number; finished_at: Date }>`select file_id, finished_at from ingests where sha256 = ${raw.sha256} and status = 'loaded'`.execute(db.kysely)).rows[0];
    if (previous) {
      const follow = opts.slice?.follow;
      if (follow && !opts.dryRun) {
        // the same bytes as a loaded file: that file's reading is this one's
        const r = (await sql<{ kind: Kind; format: Format; profile: string | null; encoding: Encoding | null }>`select kind, format, profile, encoding from ingests where file_id = ${previous.file_id}`.execute(db.kysely)).rows[0]!;
        await db.kysely.transaction().execute((trx) => commitFollowOffset(trx, follow, { ...r, encoding: r.encoding ?? 'utf-8' }));
      }
      return summary({ status: 'skipped', fileId: previous.file_id, ...(opts.dryRun ? { dryRun: true } : {}), message: `already loaded as file ${previous.file_id} on ${previous.finished_at.toISOString().slice(0, 19).replace('T', ' ')} UTC (same sha256); nothing to do` });
    }
    if (raw.bytes === 0) throw new FileError(file, 'is empty (0 bytes): no header, nothing to load');
    done = 0;
    const source = await prepareSource(file, raw, {
      ...(opts.format ? { format: opts.format } : {}),
      ...(opts.logFormat ? { logFormat: opts.logFormat } : {}),
      ...(opts.encoding ? { encoding: opts.encoding } : {}),
      // a dry run leaves the inbox as it was: its decoded copies go to the system's temp folder
      workDir: opts.dryRun ? path.join(os.tmpdir(), `aida-dry-run-${process.pid}`) : path.join(opts.inboxDir, 'tmp'),
      maxDecodedBytes: opts.config.ingest.max_decompressed_mb * 1e6,
      onBytes: (n) => {
        done += n;
        progress('decode');
      },
    });
    opts.clock?.lap('decode');
    try {
      // one connection for the whole load (its temp tables); the pool closes it afterwards, as it changed things
      const result = await db.kysely.connection().execute((conn) => loadSource(conn, source, opts, started, (phase, rows) => progress(phase, rows)));
      progress('done', result.rowsIn);
      createdRaw = undefined; // loaded: the raw copy is kept
      return { ...result, seconds: (Date.now() - started) / 1000 };
    } finally {
      if (source.temporary) fs.rmSync(source.readable, { force: true });
    }
  } catch (err) {
    if (isDiskFull(err)) return summary({ status: 'failed', cause: 'disk-full', message: `${file}: not loaded: the disk is full (no space left on the device holding the database or the inbox); nothing was loaded, free some space and load it again` });
    if (err instanceof FileError) return summary({ status: 'failed', message: err.message });
    // anything else is aida's fault, not the file's: still one line, and the database is unchanged
    return summary({ status: 'failed', message: `${file}: not loaded (internal error: ${(err as Error).message.split('\n')[0]})` });
  } finally {
    // a file that did not load leaves nothing in the inbox (a raw copy it made would keep the disk full)
    if (createdRaw) fs.rmSync(createdRaw, { force: true });
  }
}

interface Plan {
  kind: Kind;
  profile?: Profile;
  map: ColumnMap;
}

function plan(file: string, headers: string[], format: Format, opts: IngestOptions): Plan {
  const profile = opts.profile ? profileByName(opts.profile) : detectProfile(headers, format);
  if (profile) {
    if (opts.kind && opts.kind !== profile.kind) throw new FileError(file, `--kind ${opts.kind} does not fit profile ${profile.name}, which is ${profile.kind} data`);
    const missing = missingSignature(profile, headers);
    if (missing.length) throw new FileError(file, `does not look like a ${profile.name} export: missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`);
    const map: ColumnMap = { ...mapColumns(profile.kind, headers) };
    for (const [canonical, actual] of Object.entries(profileColumns(profile, headers))) {
      if (actual) map[canonical] = actual;
      else delete map[canonical];
    }
    return { kind: profile.kind, profile, map };
  }
  if (headers.length === 0) throw new FileError(file, 'has no header row and no data');
  const kind = opts.kind ?? detectKind(headers);
  if (!kind) {
    throw new FileError(
      file,
      `cannot tell what kind of data this is from its columns (${headers.slice(0, 12).join(', ')}${headers.length > 12 ? ', ...' : ''}): web needs ts, visitor_id, event; sales needs order_id, ts and amount (or quantity and unit_price); campaigns needs date, campaign; complaints needs complaint_id, ts, customer_id, category. Rename the columns or pass --kind and --profile`,
    );
  }
  const map = mapColumns(kind, headers);
  const missing = missingColumns(kind, map);
  if (missing.length) throw new FileError(file, `is not a ${kind} file: missing column ${missing.join('; ')}`);
  return { kind, map };
}

async function loadSource(
  conn: Kysely<unknown>,
  source: Source,
  opts: IngestOptions,
  started: number,
  progress: (phase: Progress['phase'], rows?: number) => void,
): Promise<FileSummary> {
  const { config } = opts;
  progress('read');
  let read: ReadResult;
  try {
    read = await readSource(conn, source, '_in_raw');
  } catch (err) {
    if (err instanceof FileError) throw err;
    throw new FileError(source.file, `cannot be read as ${source.format}: ${(err as Error).message.split('\n')[0]}`);
  }
  progress('load', read.rows);
  opts.clock?.lap('read (text table)');
  const { kind, profile, map } = plan(source.file, read.headers, source.format, opts);
  const rowFilter = isLogFormat(source.format) ? 'r.__present and r.__parsed' : undefined;
  const excludePaths = kind === 'web' ? (opts.excludePaths ?? []) : [];
  const decided = await decideReadings(conn, {
    file: source.file, raw: '_in_raw', config,
    columns: valueColumns({ kind, headers: read.headers, map, ...(profile ? { profile } : {}) }),
    ...(source.format === 'csv' ? { delimiter: sniffDelimiter(source.sample) } : {}),
    ...(rowFilter ? { rowFilter } : {}),
  });
  opts.clock?.lap('value readings');
  const salt = await saltOf(conn, !opts.dryRun);
  for (const t of tempTables) await sql`drop table if exists ${sql.table(t)}`.execute(conn);
  // a request line's id counts its occurrences in the whole followed file, not only in this slice
  const lineBase = profile?.name === 'access-log' && opts.slice?.newBytes ? await continuedLineIds(conn, '_in_raw', '_in_line_base') : undefined;
  await stage(conn, {
    kind, raw: '_in_raw', table: '_in_staged', headers: read.headers, map, config, salt, readings: decided,
    ...(profile ? { profile } : {}),
    ...(read.rowJson ? { rowJson: read.rowJson } : {}),
    ...(rowFilter ? { rowFilter } : {}),
    ...(excludePaths.length ? { excludePaths } : {}),
    ...(lineBase ? { lineBase } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  for (const nul of await nulValues(conn, '_in_raw', read.headers)) {
    await sql`update _in_staged set __reason = concat_ws('; ', __reason, ${nul.reason}) where __row = ${nul.row}`.execute(conn);
  }
  // Temp tables are made outside the transaction (rowids inside one are not positions); everything that
  // changes the database happens inside it.
  // A controlled transaction: a dry run reads what it would have done and rolls back; a followed file's
  // offset is committed with the slice's rows. The driver's rollback reports the error that caused it
  // (after a full disk there may be nothing left to roll back).
  opts.clock?.lap('NUL check');
  const web = kind === 'web' ? await prepareWeb(conn, read, opts, profile) : undefined;
  const trx = await conn.startTransaction().execute();
  try {
    const result = await loadStaged(trx, source, read, { kind, profile, map, decided }, opts, started, progress, web);
    if (opts.dryRun) {
      const { rows: samples } = await sql<{ line: number; reason: string }>`select line, reason from rejects where file_id = ${result.fileId!} order by line limit ${rejectSampleSize}`.execute(trx);
      await trx.rollback().execute();
      const { fileId: _none, ...wouldBe } = result;
      return { ...wouldBe, dryRun: true, rejectSamples: samples.map((r) => ({ line: Number(r.line), reason: r.reason })) };
    }
    if (opts.slice?.follow) await commitFollowOffset(trx, opts.slice.follow, { kind: result.kind!, format: source.format, profile: result.profile ?? null, encoding: source.encoding });
    opts.clock?.lap('ingests row');
    await trx.commit().execute();
    opts.clock?.lap('commit');
    return result;
  } catch (err) {
    if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
    throw err;
  }
}

async function loadStaged(
  conn: Kysely<unknown>,
  source: Source,
  read: ReadResult,
  { kind, profile, map, decided }: Plan & { decided: Decided },
  opts: IngestOptions,
  started: number,
  progress: (phase: Progress['phase'], rows?: number) => void,
  web?: PreparedWeb,
): Promise<FileSummary> {
  const { config } = opts;
  const fileId = web?.fileId ?? (await nextFileId(conn));
  let counts: LoadCounts;
  switch (kind) {
    case 'web':
      counts = web!.counts;
      if (profile?.orderEvents) await loadEventOrders(conn, fileId, profile.orderEvents, config);
      break;
    case 'sales':
      counts = await loadOrders(conn, fileId, isLineItems(map), config);
      break;
    case 'campaigns':
      counts = await loadCampaigns(conn, fileId, config);
      break;
    case 'complaints':
      counts = await loadComplaints(conn, fileId, config);
      break;
  }
  progress('derive', read.rows);
  opts.clock?.lap('dedupe and load');
  // a dry run counts, and derives nothing (its transaction is rolled back)
  if (!opts.dryRun && (kind === 'web' || kind === 'sales')) await derive(conn, config, { fileId, newEvents: kind === 'web', replacedOrders: kind === 'sales', all: false }, opts.clock);
  const rejected = await appendRejects(conn, fileId, web?.rejects ?? (await locateRejects(conn, read, opts.slice?.lineShift ?? 0)));
  opts.clock?.lap('rejects');
  const excluded = web?.excluded ?? 0;
  const rowsIn = read.rows;
  if (rowsIn !== counts.loaded + counts.duplicate + rejected) {
    throw new Error(`internal accounting error for ${source.file}: ${rowsIn} rows in, ${counts.loaded} loaded + ${counts.duplicate} duplicate + ${rejected} rejected`);
  }
  await sql`insert into ingests (file_id, path, sha256, kind, format, profile, rows_in, rows_loaded, rows_duplicate, rows_rejected, started_at, finished_at, status, value_formats,
       log_format, encoding, exclude_paths, rows_excluded, slice_start, slice_line_shift, slice_new_bytes)
     values (${fileId}, ${opts.slice?.follow?.path ?? path.resolve(source.file)}, ${source.sha256}, ${kind}, ${source.format}, ${profile?.name ?? null}::varchar, ${rowsIn}, ${counts.loaded}, ${counts.duplicate}, ${rejected}, ${new Date(started)}, now(), 'loaded', ${JSON.stringify(decided.readings)},
       ${source.logFormat ?? null}::varchar, ${source.encoding}, ${opts.excludePaths?.length ? JSON.stringify(opts.excludePaths) : null}::varchar, ${excluded}, ${opts.slice?.start ?? null}::bigint, ${opts.slice?.lineShift ?? null}::bigint, ${opts.slice?.newBytes ?? null}::boolean)`.execute(conn);
  const warnings = [...decided.warnings, ...(opts.excludePaths?.length && kind !== 'web' ? [`--exclude-path applies to web events only; ${path.basename(source.file)} is ${kind} data, nothing was excluded`] : [])];
  return {
    file: source.file, status: 'loaded', fileId, kind, format: source.format, profile: profile?.name ?? null, encoding: source.encoding,
    rowsIn, rowsLoaded: counts.loaded, rowsDuplicate: counts.duplicate, rowsRejected: rejected, seconds: 0,
    readings: decided.readings, warnings, ...(opts.excludePaths?.length ? { rowsExcluded: excluded } : {}),
  };
}

const tempTables = ['_in_agents', '_in_clients', '_in_line_occ', '_in_line_base', '_in_staged', '_in_new_events', '_in_rows', '_in_classified', '_in_replaced_orders'];

async function nextFileId(conn: Kysely<unknown>): Promise<number> {
  return ((await sql<{ id: number | null }>`select max(file_id) as id from ingests`.execute(conn)).rows[0]?.id ?? 0) + 1;
}

/** A web file's rows, counted, deduplicated and located before its transaction. */
interface PreparedWeb {
  fileId: number;
  counts: LoadCounts;
  rejects: Reject[];
  excluded: number;
}

/**
 * A web file's reasons are final once it is staged: its rejects are located and its new events picked
 * (`_in_new_events`) before the transaction, so the raw and staged tables are dropped (their memory
 * freed: a drop inside the transaction would keep them until the commit) before sessions and the
 * derived tables are built. A file id taken here is still the next one: ingest is the one writer.
 */
async function prepareWeb(conn: Kysely<unknown>, read: ReadResult, opts: IngestOptions, profile?: Profile): Promise<PreparedWeb> {
  const fileId = await nextFileId(conn);
  const rejects = await locateRejects(conn, read, opts.slice?.lineShift ?? 0);
  const excluded = opts.excludePaths?.length ? (await sql<{ n: number }>`select count(*)::bigint as n from _in_staged where __excluded`.execute(conn)).rows[0]!.n : 0;
  const counts = await stageNewEvents(conn, fileId);
  // purchase events become orders inside the transaction, from the staged rows
  const done = ['_in_raw', '_in_agents', '_in_clients', '_in_line_occ', '_in_line_base', ...(profile?.orderEvents ? [] : ['_in_staged'])];
  for (const t of done) await sql`drop table if exists ${sql.table(t)}`.execute(conn);
  opts.clock?.lap('dedupe, rejects located');
  return { fileId, counts, rejects, excluded };
}

interface Reject {
  line: number;
  raw: string;
  reason: string;
}

/** Reader rejects and rows that failed validation, each with its line and raw text. */
async function locateRejects(conn: Kysely<unknown>, read: ReadResult, lineShift: number): Promise<Reject[]> {
  const failed = (await sql<{ row: number; reason: string }>`select __row as row, __reason as reason from _in_staged where __reason is not null order by __row`.execute(conn)).rows;
  if (failed.length === 0 && read.readerRejected === 0) return [];
  const located = await read.locate(failed.map((f) => f.row), conn);
  const rows = [
    ...located.readerRejects,
    ...failed.map((f) => ({ line: located.rows.get(f.row)?.line ?? -1, raw: located.rows.get(f.row)?.raw ?? '', reason: f.reason })),
  ].sort((a, b) => a.line - b.line);
  // a slice's lines are numbered as in the followed file (a line that cannot be located stays -1)
  if (lineShift) for (const r of rows) if (r.line > 0) r.line += lineShift;
  return rows;
}

async function appendRejects(conn: Kysely<unknown>, fileId: number, rows: Reject[]): Promise<number> {
  if (rows.length === 0) return 0;
  await appendRows(conn, 'rejects', false, (appender) => {
    for (const r of rows) {
      appender.appendInteger(fileId);
      appender.appendBigInt(BigInt(r.line));
      appender.appendVarchar(r.raw);
      appender.appendVarchar(r.reason);
      appender.endRow();
    }
  });
  return rows.length;
}

/** The per-database salt for hashing visitor IPs (never stored alongside the IPs, which are not stored). */
async function saltOf(conn: Kysely<unknown>, persist: boolean): Promise<string> {
  const rows = (await sql<{ value: string }>`select value from meta where key = 'visitor_salt'`.execute(conn)).rows;
  if (rows[0]) return rows[0].value;
  const salt = (await sql<{ s: string }>`select md5(gen_random_uuid()::varchar) as s`.execute(conn)).rows[0]!.s;
  // a dry run writes nothing: its salt is used once and forgotten
  if (persist) await sql`insert into meta values ('visitor_salt', ${salt})`.execute(conn);
  return salt;
}
