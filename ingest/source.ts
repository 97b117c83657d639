// Step 1 of the pipeline: look at the file's bytes. Hash them (idempotence), keep a copy in the inbox
// (raw inputs are kept, SPEC §4), detect compression, text encoding and format, and make a plain UTF-8
// file DuckDB can read when the original is gzipped or in another encoding.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, Writable } from 'node:stream';
import zlib from 'node:zlib';

export type Format = 'csv' | 'ndjson' | 'json' | 'parquet' | LogFormat;
/** Server and CDN logs: one request per line, read by the access-log profile. */
export type LogFormat = 'access-log' | 'vhost-combined' | 'json-log' | 'w3c' | 'alb' | 's3' | 'haproxy' | 'log-format';
export const logFormats: LogFormat[] = ['access-log', 'vhost-combined', 'json-log', 'w3c', 'alb', 's3', 'haproxy', 'log-format'];
export const formats: Format[] = ['csv', 'ndjson', 'json', 'parquet', ...logFormats];
export const isLogFormat = (f: Format): f is LogFormat => (logFormats as Format[]).includes(f);
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5' | 'windows-1252';
export const encodings: Encoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'big5', 'windows-1252'];

/** A file that cannot be read at all: one line naming the file and the cause. */
export class FileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

export interface Source {
  file: string;
  bytes: number;
  sha256: string;
  gzip: boolean;
  encoding: Encoding;
  format: Format;
  /** Plain UTF-8 (or the original parquet) that DuckDB reads. */
  readable: string;
  /** A temporary file made for `readable`, removed after the load. */
  temporary: boolean;
  /** The first decoded characters, for format and header sniffing. */
  sample: string;
  /** Lines over maxLineBytes: blanked in `readable`, rejected by the reader (text formats but JSON arrays). */
  longLines: LongLine[];
  /** the nginx-style log_format of a `log-format` file (--log-format) */
  logFormat?: string;
}

/** One record may be at most this long, in every text format (DuckDB's max_line_size for the readers). */
export const maxLineBytes = 8 << 20;

/** A physical line longer than maxLineBytes: it is rejected by aida, not left to the reader. */
export interface LongLine {
  line: number;
  bytes: number;
  /** its first bytes, for the reject's raw text */
  head: string;
}

const headBytes = 1000;

/**
 * Watches bytes go by (in the copy pass or the decode pass, so no extra read): physical line numbers,
 * lines over maxLineBytes, and whether anything but NUL bytes was seen.
 */
export class LineScan {
  readonly long: LongLine[] = [];
  onlyNul = true;
  private line = 1;
  private length = 0;
  private head: Buffer[] = [];
  private headLength = 0;

  feed(chunk: Buffer): void {
    if (this.onlyNul && !isAllNul(chunk)) this.onlyNul = false;
    let at = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, at)) {
      if (this.length > 0) this.keepHead(chunk.subarray(at, nl)); // a line that began in an earlier chunk
      this.length += nl - at;
      this.endLine();
      at = nl + 1;
    }
    // only a line that spans chunks can be over the limit (chunks are smaller): keep its head
    this.keepHead(chunk.subarray(at));
    this.length += chunk.length - at;
  }

  private keepHead(piece: Buffer): void {
    if (this.headLength >= headBytes || piece.length === 0) return;
    const part = Buffer.from(piece.subarray(0, headBytes - this.headLength));
    this.head.push(part);
    this.headLength += part.length;
  }

  /** Call once after the last chunk. */
  finish(): void {
    if (this.length > 0) this.endLine();
  }

  private endLine(): void {
    if (this.length > maxLineBytes) {
      this.long.push({ line: this.line, bytes: this.length, head: Buffer.concat(this.head).toString('utf8').replaceAll('\0', '\\0') });
    }
    this.line++;
    this.length = 0;
    if (this.headLength) {
      this.head = [];
      this.headLength = 0;
    }
  }
}

const zeros = Buffer.alloc(4 << 20);
function isAllNul(chunk: Buffer): boolean {
  for (let at = 0; at < chunk.length; at += zeros.length) {
    const piece = chunk.subarray(at, at + zeros.length);
    if (!piece.equals(zeros.subarray(0, piece.length))) return false;
  }
  return true;
}

export interface RawCopy {
  path: string;
  /** the sha256 of exactly the bytes copied (a file still growing is kept as it was read) */
  sha256: string;
  bytes: number;
  /** false when the inbox already had this content */
  created: boolean;
  /** the bytes as lines: used when the file is plain UTF-8 text */
  lines: LineScan;
}

/**
 * Copies the original into the inbox as <sha256> in one read, hashing what it copies, so the name is
 * the hash of the kept bytes even if the file changes meanwhile (content-addressed, SPEC §4). With
 * `copy: false` (a dry run) it only hashes: the original is read in place and the inbox is not touched.
 */
export async function keepRaw(file: string, inboxDir: string, onBytes?: (n: number) => void, { copy = true } = {}): Promise<RawCopy> {
  // `aida rebuild` reads the inbox itself
  const kept = !copy || path.dirname(path.resolve(file)) === path.resolve(inboxDir);
  if (!kept) fs.mkdirSync(inboxDir, { recursive: true });
  const partial = path.join(inboxDir, `${randomUUID()}${partialSuffix}`);
  const hash = createHash('sha256');
  const lines = new LineScan();
  let bytes = 0;
  const watch = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      lines.feed(chunk);
      bytes += chunk.length;
      onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  try {
    await pipeline(fs.createReadStream(file, { highWaterMark: 4 << 20 }), watch, kept ? new Writable({ write: (_c, _e, done) => done() }) : fs.createWriteStream(partial));
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  lines.finish();
  const sha256 = hash.digest('hex');
  const target = path.join(inboxDir, sha256);
  if (kept) return { path: path.resolve(file), sha256, bytes, created: false, lines };
  if (fs.existsSync(target)) {
    fs.rmSync(partial, { force: true });
    return { path: target, sha256, bytes, created: false, lines };
  }
  await fs.promises.rename(partial, target);
  return { path: target, sha256, bytes, created: true, lines };
}

/** A copy into the inbox not finished yet: an interrupted run leaves these, and a start removes them. */
const partialSuffix = '.partial';

/** Removes what interrupted ingests left in the inbox (partial copies, decoded temporaries). */
export function removeLeftovers(inboxDir: string): string[] {
  const removed: string[] = [];
  if (!fs.existsSync(inboxDir)) return removed;
  for (const name of fs.readdirSync(inboxDir)) {
    if (name.endsWith(partialSuffix)) {
      fs.rmSync(path.join(inboxDir, name), { force: true });
      removed.push(name);
    }
  }
  const tmp = path.join(inboxDir, 'tmp');
  if (fs.existsSync(tmp)) {
    for (const name of fs.readdirSync(tmp)) {
      fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
      removed.push(path.join('tmp', name));
    }
  }
  return removed;
}

/** ENOSPC from Node or DuckDB's "No space left on device": the disk is full, not the file bad. */
export function isDiskFull(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'ENOSPC' || /no space left on device|ENOSPC|disk is full/i.test(e?.message ?? '');
}

const GZIP = [0x1f, 0x8b];

async function readHead(file: string, n: number): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function gunzipHead(file: string, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = fs.createReadStream(file).pipe(zlib.createGunzip());
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= n) break;
    }
  } catch {
    // a short or damaged file: whatever decompressed is the sample; the full pass reports the damage
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, n);
}

const commonHan = new Set(
  '的一是不了人我在有他这這中大来來上国國个個到说說们們为為子和你地出道也时時年得就那要下以生会會自着著去之过過家学學对對可她里裡后後小么麼心多天而能好都然没沒日于於起还還发發成事只作当當想看文无無开開手十用主行方又如前所本见見经經头頭面公同三已老从從动動两兩长長品订訂单單客户戶价價格金额額数數量销銷售商店名称稱类類型时间間期状狀态態投诉訴严嚴重轻輕微一般物流仓倉库庫运運送货貨'.split(''),
);

function hanScore(text: string): number {
  let score = 0;
  for (const ch of text) if (commonHan.has(ch)) score++;
  return score;
}

function decodes(buf: Buffer, encoding: string): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(buf);
  } catch {
    return null;
  }
}

/** BOM first; then strict UTF-8; then the Chinese encoding whose decoding reads most like Chinese. */
export function detectEncoding(head: Buffer): Encoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  // a sample may end inside a multi-byte character: drop up to 3 trailing bytes before judging
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) {
    if (decodes(head.subarray(0, head.length - cut), 'utf-8') !== null) return 'utf-8';
  }
  const candidates: Encoding[] = ['gb18030', 'big5'];
  let best: Encoding = 'windows-1252';
  let bestScore = 0;
  for (const enc of candidates) {
    const text = decodes(head.subarray(0, head.length - 1), enc) ?? decodes(head, enc);
    if (text === null) continue;
    const score = hanScore(text);
    if (score > bestScore) [best, bestScore] = [enc, score];
  }
  return best;
}

const accessLogLine = /^\S+ \S+ \S+ \[[^\]]+\] "[^"]*" \d{3} (\d+|-)/;
/** the first line of each other log layout (see formats/server-logs.ts) */
const logLines: [LogFormat, RegExp][] = [
  ['vhost-combined', /^\S+:\d+ \S+ \S+ \S+ \[[^\]]+\] "[^"]*" \d{3} (\d+|-)/],
  ['alb', /^(https?|h2|grpcs|wss?) \d{4}-\d{2}-\d{2}T\S+ \S+ \S+:\d+ /],
  ['s3', /^[0-9a-f]{64} \S+ \[[^\]]+\] \S+ /],
  ['haproxy', /(^|\s)\S+:\d+ \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2}(\.\d+)?\] \S+ \S+\/\S+ /],
  ['w3c', /^#(Software|Version|Fields|Date):/],
];

export function detectFormat(sample: string): Format {
  const text = sample.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('[')) return 'json';
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (text.startsWith('{')) return isJsonRequest(firstLine) ? 'json-log' : 'ndjson';
  if (accessLogLine.test(firstLine)) return 'access-log';
  return logLines.find(([, re]) => re.test(firstLine))?.[0] ?? 'csv';
}

/** An object with a response status and a request (nginx log_format JSON, Caddy, Traefik): a request log. */
function isJsonRequest(line: string): boolean {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    const has = (...keys: string[]) => keys.some((k) => k in o);
    return has('status', 'DownstreamStatus', 'response_status') && has('request', 'request_uri', 'uri', 'RequestPath', 'request_method');
  } catch {
    return false;
  }
}

export interface PrepareOptions {
  format?: Format;
  /** --log-format: lines are read by this nginx-style log_format */
  logFormat?: string;
  encoding?: Encoding;
  workDir: string;
  /** a gzipped or re-encoded file may not grow beyond this while decoding (ingest.max_decompressed_mb) */
  maxDecodedBytes: number;
  onBytes?: (n: number) => void;
}

/** Reads the head, decides how to read the file, and (if needed) writes a plain UTF-8 copy. */
export async function prepareSource(file: string, raw: RawCopy, opts: PrepareOptions): Promise<Source> {
  const head = await readHead(raw.path, 64 * 1024);
  const gzip = head[0] === GZIP[0] && head[1] === GZIP[1];
  const base = { file, bytes: raw.bytes, sha256: raw.sha256, gzip };
  if (!gzip && head.subarray(0, 4).toString('latin1') === 'PAR1') {
    return { ...base, encoding: 'utf-8', format: opts.format ?? 'parquet', readable: raw.path, temporary: false, sample: '', longLines: [] };
  }
  const decodedHead = gzip ? await gunzipHead(raw.path, 64 * 1024) : head;
  const encoding = opts.encoding ?? detectEncoding(decodedHead);
  const sample = new TextDecoder(encoding).decode(decodedHead);
  const format = opts.logFormat ? 'log-format' : (opts.format ?? detectFormat(sample));
  if (format === 'parquet') throw new FileError(file, 'is not a Parquet file (no PAR1 header)');
  const needsCopy = gzip || encoding !== 'utf-8';
  let readable = raw.path;
  let lines = raw.lines;
  if (needsCopy) {
    fs.mkdirSync(opts.workDir, { recursive: true });
    readable = path.join(opts.workDir, `${raw.sha256}.${process.pid}.txt`);
    lines = await decodeToUtf8(file, raw.path, readable, gzip, encoding, opts.maxDecodedBytes, opts.onBytes);
  }
  const source: Source = { ...base, encoding, format, readable, temporary: needsCopy, sample, longLines: [], ...(opts.logFormat ? { logFormat: opts.logFormat } : {}) };
  try {
    if (lines.onlyNul) throw new FileError(file, 'contains nothing but NUL bytes (\\0): not a text file of records (a damaged or preallocated copy?); nothing was loaded');
    const firstLine = sample.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    if (firstLine.includes('\0')) throw new FileError(file, 'has NUL bytes (\\0) in its first line: not a text file of records (binary, or UTF-16 without a byte-order mark? try --encoding); nothing was loaded');
    if (lines.long.length && format !== 'json') {
      if (lines.long[0]!.line === 1) throw new FileError(file, `its first line is ${mb(lines.long[0]!.bytes)} long; a header or record may be at most ${mb(maxLineBytes)}; nothing was loaded`);
      // the reader never sees an over-long line (DuckDB can drop one silently): it is blanked and rejected by line number
      const blanked = path.join(opts.workDir, `${raw.sha256}.${process.pid}.blanked.txt`);
      fs.mkdirSync(opts.workDir, { recursive: true });
      await blankLines(readable, blanked, new Set(lines.long.map((l) => l.line)));
      if (source.temporary) fs.rmSync(readable, { force: true });
      return { ...source, readable: blanked, temporary: true, longLines: lines.long };
    }
    return source;
  } catch (err) {
    if (source.temporary) fs.rmSync(source.readable, { force: true });
    throw err;
  }
}

const mb = (bytes: number) => `${(bytes / (1 << 20)).toFixed(1)} MB`;

/** A copy of `from` with the given 1-based lines emptied (their newline kept, so line numbers stay). */
async function blankLines(from: string, to: string, blank: Set<number>): Promise<void> {
  let line = 1;
  const drop = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const kept: Buffer[] = [];
      let at = 0;
      while (at < chunk.length) {
        const nl = chunk.indexOf(10, at);
        const end = nl === -1 ? chunk.length : nl + 1;
        if (!blank.has(line)) kept.push(chunk.subarray(at, end));
        else if (nl !== -1) kept.push(chunk.subarray(nl, end));
        if (nl === -1) break;
        line++;
        at = end;
      }
      done(null, Buffer.concat(kept));
    },
  });
  try {
    await pipeline(fs.createReadStream(from, { highWaterMark: 4 << 20 }), drop, fs.createWriteStream(to));
  } catch (err) {
    fs.rmSync(to, { force: true });
    throw err;
  }
}

/** gunzip (verifying the stream is complete) and transcode to UTF-8 without a BOM. */
async function decodeToUtf8(file: string, from: string, to: string, gzip: boolean, encoding: Encoding, maxBytes: number, onBytes?: (n: number) => void): Promise<LineScan> {
  const lines = new LineScan();
  let written = 0;
  const watch = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      if (written > maxBytes) {
        done(new FileError(file, `decompresses to more than ${Math.round(maxBytes / 1e6)} MB (the cap ingest.max_decompressed_mb); nothing was loaded — raise the cap in the config if the file is genuine`));
        return;
      }
      lines.feed(chunk);
      done(null, chunk);
    },
  });
  const decoder = new TextDecoder(encoding);
  let first = true;
  const transcode = new Transform({
    transform(chunk: Buffer, _enc, done) {
      let text = decoder.decode(chunk, { stream: true });
      if (first && text.length) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      done(null, Buffer.from(text, 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
  const input = fs.createReadStream(from, { highWaterMark: 4 << 20 });
  input.on('data', (chunk) => onBytes?.(chunk.length));
  const stages: NodeJS.ReadWriteStream[] = [];
  if (gzip) stages.push(zlib.createGunzip());
  if (encoding !== 'utf-8') stages.push(transcode);
  try {
    await pipeline(input, ...(stages as [NodeJS.ReadWriteStream]), watch, fs.createWriteStream(to));
  } catch (err) {
    fs.rmSync(to, { force: true });
    if (err instanceof FileError || isDiskFull(err)) throw err;
    const message = (err as Error).message;
    if (gzip && /unexpected end of file|incorrect header check|invalid|corrupt/i.test(message)) {
      throw new FileError(file, `the gzip stream is truncated or damaged (${message}); nothing was loaded`);
    }
    throw new FileError(file, `cannot be decoded as ${gzip ? 'gzip ' : ''}${encoding}: ${message}`);
  }
  lines.finish();
  return lines;
}
