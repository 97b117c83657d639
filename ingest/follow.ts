// `aida ingest --follow`: what was appended to a followed file since its committed offset, cut at the last
// newline into a slice the pipeline loads as one file. A file is found again by its identity, not its name.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { headBytesMax, type FollowOffset, type FollowPosition, type FollowReading, type Slice } from './follow-offsets.ts';
import { detectFormat, type Format } from './source.ts';

export interface SliceJob {
  /** the followed file, as it is named now */
  file: string;
  /** the slice's bytes (after the header line of a CSV file), ready to load */
  slicePath: string;
  /** whole lines taken from the followed file */
  lines: number;
  bytes: number;
  slice: Slice & { follow: FollowPosition };
  /** how the file's first slice was read: the rest are read the same way */
  reading?: FollowReading;
  /** the file had more new bytes than one slice takes: the next batch should not wait */
  more: boolean;
}

/** A file follow cannot read, and why (said once). */
export interface NotFollowed {
  file: string;
  reason: string;
}

export interface CutOptions {
  /** where slice files are written (the inbox's tmp folder) */
  workDir: string;
  /** --format, or log-format with --log-format */
  format?: Format;
  /** at most this many bytes per slice (a backlog is loaded in several batches) */
  maxSliceBytes: number;
  /**
   * a file at this path holds new requests even from its start: the followed file itself, or a name
   * follow has read before (the new file after a rotation, a truncated one); any other new file may be a copy
   */
  writtenAt: (file: string) => boolean;
}

/** Formats whose lines cannot be cut from a growing file and read on their own. */
const unfollowable: Partial<Record<Format, string>> = {
  json: 'a JSON array is not appended line by line',
  parquet: 'a Parquet file is not appended line by line',
  w3c: 'a W3C extended log needs its #Fields: line with every slice (not supported yet)',
};

let sliceCount = 0;

/** The committed offset this file continues from: same device and inode, and the same first bytes. */
export function knownOffset(file: string, stat: fs.BigIntStats, offsets: FollowOffset[]): FollowOffset | undefined {
  const mine = offsets.filter((o) => o.device === String(stat.dev) && o.inode === String(stat.ino)).reverse(); // newest first
  return mine.find((o) => stat.size >= BigInt(o.offset) && sha256(readRange(file, 0, o.headBytes)) === o.headSha256);
}

/**
 * The next slice of `file` (null when it has no new whole line), written to a file in `workDir`; or why
 * the file cannot be followed. A truncated file (copytruncate) or a reused inode starts again from 0.
 */
export function cutSlice(file: string, offsets: FollowOffset[], opts: CutOptions): SliceJob | NotFollowed | null {
  const stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  if (!stat?.isFile()) return null; // gone between listing and reading (a rotation): the next scan sees where
  const known = knownOffset(file, stat, offsets);
  const start = known?.offset ?? 0;
  const size = Number(stat.size);
  if (size <= start) return null;
  const window = readRange(file, start, Math.min(size - start, opts.maxSliceBytes));
  const end = window.lastIndexOf(10) + 1;
  if (end === 0) return null; // a partial last line waits for its newline
  const data = window.subarray(0, end);
  let lines = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) lines++;
  let reading: FollowReading | undefined;
  let identity: Pick<FollowPosition, 'headBytes' | 'headSha256'>;
  let preamble: Buffer = Buffer.alloc(0);
  let lineShift = 0;
  if (known) {
    reading = { kind: known.kind, format: known.format, profile: known.profile, encoding: known.encoding };
    identity = { headBytes: known.headBytes, headSha256: known.headSha256 };
    lineShift = known.lines;
    // a CSV slice is read with the file's header line in front of it
    if (known.format === 'csv') {
      preamble = firstLine(file);
      lineShift -= 1;
    }
  } else {
    const refused = refusal(data, opts.format);
    if (refused) return { file, reason: refused };
    const headBytes = Math.min(headBytesMax, data.length);
    identity = { headBytes, headSha256: sha256(data.subarray(0, headBytes)) };
  }
  fs.mkdirSync(opts.workDir, { recursive: true });
  const slicePath = path.join(opts.workDir, `follow-${process.pid}-${++sliceCount}.slice`);
  fs.writeFileSync(slicePath, preamble.length ? Buffer.concat([preamble, data]) : data);
  return {
    file, slicePath, lines, bytes: data.length, more: end < window.length || start + window.length < size,
    slice: {
      start, lineShift, newBytes: start > 0 || opts.writtenAt(path.resolve(file)),
      follow: { device: String(stat.dev), inode: String(stat.ino), ...identity, path: path.resolve(file), offset: start + data.length, lines: (known?.lines ?? 0) + lines },
    },
    ...(reading ? { reading } : {}),
  };
}

/** Why a file's first bytes cannot be followed, or null. */
function refusal(head: Buffer, forced?: Format): string | null {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip-compressed (a rotated copy does not grow; load it with aida ingest)';
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return unfollowable.parquet!;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'UTF-16 text (follow reads UTF-8 text; load it with aida ingest)';
  const format = forced ?? detectFormat(head.subarray(0, 64 * 1024).toString('utf8'));
  return unfollowable[format] ?? null;
}

/** Files named like rotated copies of `file` (access.log.1, access.log-20261203), for a single followed file. */
export function rotatedSiblings(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((n) => n !== base && (n.startsWith(`${base}.`) || n.startsWith(`${base}-`))).map((n) => path.join(dir, n)).sort();
}

function readRange(file: string, start: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = fs.readSync(fd, buf, got, length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/** The file's first line with its newline (a CSV header), read in pieces. */
function firstLine(file: string): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; ; at += 64 * 1024) {
    const piece = readRange(file, at, 64 * 1024);
    const nl = piece.indexOf(10);
    if (nl !== -1 || piece.length === 0) {
      parts.push(nl === -1 ? piece : piece.subarray(0, nl + 1));
      return Buffer.concat(parts);
    }
    parts.push(piece);
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
