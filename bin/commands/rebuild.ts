// `aida rebuild`: the warehouse made again from the raw copies in the inbox, in their first load order,
// into a fresh file that replaces the old one when complete; or (--derived-only) the derived tables.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Kind } from '../../ingest/columns.ts';
import { ensureDerived } from '../../ingest/ensure-derived.ts';
import { commitFollowOffset, readFollowOffsets } from '../../ingest/follow-offsets.ts';
import { ingestFiles } from '../../ingest/ingest-files.ts';
import type { Encoding, Format } from '../../ingest/source.ts';
import { openDb } from '../../queries/db/open.ts';
import { readKept, restoreKept } from '../../queries/kept.ts';
import { databasePath, inboxDir } from '../../queries/db/paths.ts';
import { loadConfig } from '../config.ts';
import { UsageError } from '../usage-error.ts';
import { sql } from 'kysely';

export const rebuildHelp = `Usage: aida rebuild [--db PATH] [--config PATH] [--derived-only]

Rebuilds the warehouse from the raw copies kept in the inbox (data/inbox/<sha256>), in the order they
were first loaded, into a fresh database file that replaces the old one when complete. With
--derived-only, recomputes only sessions, stage hits, funnel days and the retention base (after changing stages, channels,
time zone or session timeout in the config).`;

export async function rebuildCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, config: { type: 'string' }, 'derived-only': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(rebuildHelp);
    return 0;
  }
  const config = loadConfig(values.config);
  const file = databasePath(values.db);
  if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist: nothing to rebuild`);
  if (values['derived-only']) {
    const db = await openDb(file);
    try {
      await sql`update meta set value = 'stale' where key = 'derived_fingerprint'`.execute(db.kysely);
      await ensureDerived(db, config);
      console.log('derived tables rebuilt');
      return 0;
    } finally {
      await db.close();
    }
  }
  const old = await openDb(file);
  // everything an ingest was told (its --log-format, --exclude-path, a followed file's slice) is replayed
  const history = (
    await sql<{ sha256: string; path: string; kind: string; format: string; profile: string | null; log_format: string | null; encoding: string | null; exclude_paths: string | null; slice_start: number | null; slice_line_shift: number | null; slice_new_bytes: boolean | null }>`select sha256, path, kind, format, profile, log_format, encoding, exclude_paths, slice_start, slice_line_shift, slice_new_bytes from ingests where status = 'loaded' order by file_id`.execute(old.kysely)
  ).rows;
  // how far --follow has read each file is not in the inbox: it is carried over
  const offsets = await readFollowOffsets(old);
  // and so are the saved views, Dashboard pins and annotations
  const kept = await readKept(old);
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
        ...(h.log_format ? { logFormat: h.log_format } : {}),
        ...(h.encoding ? { encoding: h.encoding as Encoding } : {}),
        ...(h.exclude_paths ? { excludePaths: JSON.parse(h.exclude_paths) as string[] } : {}),
        ...(h.slice_start !== null ? { slice: { start: Number(h.slice_start), lineShift: Number(h.slice_line_shift ?? 0), newBytes: Boolean(h.slice_new_bytes) } } : {}),
      });
      await sql`update ingests set path = ${h.path} where file_id = ${result!.fileId!}`.execute(db.kysely);
      console.log(`${h.path}: ${result!.status} (${result!.rowsLoaded} loaded, ${result!.rowsDuplicate} duplicate, ${result!.rowsRejected} rejected)`);
      if (result!.status === 'failed') failed = true;
    }
    if (!failed) await db.kysely.transaction().execute(async (trx) => { for (const o of offsets) await commitFollowOffset(trx, o, o); });
    if (!failed) await restoreKept(db, kept);
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
