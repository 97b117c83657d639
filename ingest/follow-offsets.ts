// How far `aida ingest --follow` has read each file (table follow_offsets): a file is known by its
// identity (device, inode and a hash of its first bytes, so a reused inode or a truncated copy is a new file).
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Db } from '../queries/db/open.ts';
import type { Kind } from './columns.ts';
import type { Encoding, Format } from './source.ts';

/** A file as follow recognises it again after a rename or a restart. */
export const fileIdentity = z.object({
  device: z.string().regex(/^\d+$/),
  inode: z.string().regex(/^\d+$/),
  /** how many first bytes `headSha256` covers: min(headBytesMax, the bytes of the file's first slice) */
  headBytes: z.number().int().positive(),
  headSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type FileIdentity = z.infer<typeof fileIdentity>;

export const headBytesMax = 4096;

/** Where a slice of a followed file ends: the file's identity, its path, the offset and line count after it. */
export const followPosition = fileIdentity.extend({
  path: z.string().min(1).max(4096),
  offset: z.number().int().positive(),
  lines: z.number().int().nonnegative(),
});
export type FollowPosition = z.infer<typeof followPosition>;

/** Where a slice sits in the file it was cut from, and (when following) the position it commits. */
export const sliceSchema = z.object({
  /** its first byte's offset in the followed file */
  start: z.number().int().nonnegative(),
  /**
   * its bytes are new by construction (past the offset, or a file that replaced one follow read): request-line
   * ids continue the loaded ones and the same bytes again are not skipped; false for a file that may copy
   * others (a copytruncate copy appearing in a followed folder), whose lines dedupe as a plain ingest's
   */
  newBytes: z.boolean(),
  /** added to a line number of the slice to give the line in the followed file */
  lineShift: z.number().int(),
  /** written to follow_offsets in the slice's own transaction */
  follow: followPosition.optional(),
});
export type Slice = z.infer<typeof sliceSchema>;

/** How a followed file is read, decided by its first slice and kept for the rest. */
export interface FollowReading {
  kind: Kind;
  format: Format;
  profile: string | null;
  encoding: Encoding;
}

export interface FollowOffset extends FollowPosition, FollowReading {
  updatedAt: Date;
}

export async function readFollowOffsets(db: Db): Promise<FollowOffset[]> {
  const { rows } = await sql<{ device: string; inode: string; head_bytes: number; head_sha256: string; path: string; committed_offset: number; committed_lines: number; kind: Kind; format: Format; profile: string | null; encoding: Encoding; updated_at: Date }>`select * from follow_offsets order by updated_at`.execute(db.kysely);
  return rows.map((r) => ({
    device: r.device, inode: r.inode, headBytes: r.head_bytes, headSha256: r.head_sha256, path: r.path, offset: Number(r.committed_offset), lines: Number(r.committed_lines),
    kind: r.kind, format: r.format, profile: r.profile, encoding: r.encoding, updatedAt: r.updated_at,
  }));
}

/** Records the new offset of a file; `trx` is the transaction that loads the slice it ends. */
export async function commitFollowOffset(trx: Kysely<unknown>, c: FollowPosition, r: FollowReading): Promise<void> {
  await sql`delete from follow_offsets where device = ${c.device} and inode = ${c.inode} and head_sha256 = ${c.headSha256}`.execute(trx);
  await sql`insert into follow_offsets values (${c.device}, ${c.inode}, ${c.headBytes}, ${c.headSha256}, ${c.path}, ${c.offset}, ${c.lines}, ${r.kind}, ${r.format}, ${r.profile}::varchar, ${r.encoding}, now())`.execute(trx);
}
