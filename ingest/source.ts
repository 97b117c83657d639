// Step 1 of the pipeline: look at the file's bytes. Hash them (idempotence), keep a copy in the inbox
// (raw inputs are kept, SPEC §4), detect compression, text encoding and format, and make a plain UTF-8
// file DuckDB can read when the original is gzipped or in another encoding.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import zlib from 'node:zlib';

export type Format = 'csv' | 'ndjson' | 'json' | 'parquet' | 'access-log';
export const formats: Format[] = ['csv', 'ndjson', 'json', 'parquet', 'access-log'];
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
}

export async function sha256File(file: string, onBytes?: (n: number) => void): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
    hash.update(chunk as Buffer);
    onBytes?.((chunk as Buffer).length);
  }
  return hash.digest('hex');
}

/** Copies the original into the inbox as <sha256> (once; the name makes it content-addressed). */
export async function keepRaw(file: string, sha256: string, inboxDir: string): Promise<string> {
  fs.mkdirSync(inboxDir, { recursive: true });
  const target = path.join(inboxDir, sha256);
  if (!fs.existsSync(target)) {
    const partial = `${target}.partial-${process.pid}`;
    await fs.promises.copyFile(file, partial);
    await fs.promises.rename(partial, target);
  }
  return target;
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

export function detectFormat(sample: string): Format {
  const text = sample.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('[')) return 'json';
  if (text.startsWith('{')) return 'ndjson';
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (accessLogLine.test(firstLine)) return 'access-log';
  return 'csv';
}

export interface PrepareOptions {
  format?: Format;
  encoding?: Encoding;
  workDir: string;
  onBytes?: (n: number) => void;
}

/** Reads the head, decides how to read the file, and (if needed) writes a plain UTF-8 copy. */
export async function prepareSource(file: string, raw: { path: string; bytes: number; sha256: string }, opts: PrepareOptions): Promise<Source> {
  const head = await readHead(raw.path, 64 * 1024);
  const gzip = head[0] === GZIP[0] && head[1] === GZIP[1];
  if (!gzip && head.subarray(0, 4).toString('latin1') === 'PAR1') {
    return { file, bytes: raw.bytes, sha256: raw.sha256, gzip, encoding: 'utf-8', format: opts.format ?? 'parquet', readable: raw.path, temporary: false, sample: '' };
  }
  const decodedHead = gzip ? await gunzipHead(raw.path, 64 * 1024) : head;
  const encoding = opts.encoding ?? detectEncoding(decodedHead);
  const sample = new TextDecoder(encoding).decode(decodedHead);
  const format = opts.format ?? detectFormat(sample);
  if (format === 'parquet') throw new FileError(file, 'is not a Parquet file (no PAR1 header)');
  const needsCopy = gzip || encoding !== 'utf-8';
  if (!needsCopy) return { file, bytes: raw.bytes, sha256: raw.sha256, gzip, encoding, format, readable: raw.path, temporary: false, sample };
  fs.mkdirSync(opts.workDir, { recursive: true });
  const readable = path.join(opts.workDir, `${raw.sha256}.${process.pid}.txt`);
  await decodeToUtf8(file, raw.path, readable, gzip, encoding, opts.onBytes);
  return { file, bytes: raw.bytes, sha256: raw.sha256, gzip, encoding, format, readable, temporary: true, sample };
}

/** gunzip (verifying the stream is complete) and transcode to UTF-8 without a BOM. */
async function decodeToUtf8(file: string, from: string, to: string, gzip: boolean, encoding: Encoding, onBytes?: (n: number) => void): Promise<void> {
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
    await pipeline(input, ...(stages as [NodeJS.ReadWriteStream]), fs.createWriteStream(to));
  } catch (err) {
    fs.rmSync(to, { force: true });
    const message = (err as Error).message;
    if (gzip && /unexpected end of file|incorrect header check|invalid|corrupt/i.test(message)) {
      throw new FileError(file, `the gzip stream is truncated or damaged (${message}); nothing was loaded`);
    }
    throw new FileError(file, `cannot be decoded as ${gzip ? 'gzip ' : ''}${encoding}: ${message}`);
  }
}
