// Issue 13, the byte level: a line of any size is loaded or rejected with its line (guarantee 1), NUL
// bytes are refused with a reason, and a file that grows while it is ingested is kept under the hash
// of exactly what was loaded.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

let w: TempWarehouse;
beforeAll(async () => {
  w = await tempWarehouse();
});
afterAll(async () => w.close());

const header = 'event_id,ts,visitor_id,event,url';
const rejectsOf = (fileId: number | undefined) => w.rows<{ line: number; raw: string; reason: string }>(`select line, raw, reason from rejects where file_id = ${fileId} order by line`);
const inboxFiles = () => fs.readdirSync(path.join(w.dir, 'inbox')).filter((n) => /^[0-9a-f]{64}$/.test(n));

/** Writes a file in pieces (a 150 MB line is not built as one string). */
function writePieces(name: string, pieces: (string | Buffer)[]): string {
  const file = path.join(w.dir, name);
  const fd = fs.openSync(file, 'w');
  for (const p of pieces) fs.writeSync(fd, typeof p === 'string' ? Buffer.from(p) : p);
  fs.closeSync(fd);
  return file;
}

describe('a line of any size', () => {
  it('rejects a 150 MB line in the middle of a CSV with its line number; the rows around it load', async () => {
    const mb = Buffer.alloc(1 << 20, 'a');
    const file = writePieces('huge-line.csv', [
      `${header}\n`, //                                              line 1
      'h1,2026-10-01T10:00:00Z,v1,pageview,/\n', //                   line 2
      'h2,2026-10-01T10:00:00Z,v1,pageview,/', ...Array(150).fill(mb), '\n', // line 3: 150 MB + 37 bytes
      'h3,2026-10-01T10:01:00Z,v1,pageview,/\n', //                   line 4
    ]);
    const s = await w.ingest(file);
    // 3 data rows: 2 loaded + 0 duplicate + 1 rejected
    expect(s).toMatchObject({ status: 'loaded', rowsIn: 3, rowsLoaded: 2, rowsDuplicate: 0, rowsRejected: 1 });
    const [r] = await rejectsOf(s.fileId);
    expect(r!.line).toBe(3);
    // (150 × 1048576 + 37) / 1048576 = 150.00004 → "150.0 MB"
    expect(r!.reason).toBe('line is 150.0 MB long; one record may be at most 8 MB (the whole file is kept in the inbox)');
    expect(r!.raw).toBe(`h2,2026-10-01T10:00:00Z,v1,pageview,/${'a'.repeat(1000 - 37)}`); // its first 1000 bytes
    expect((await w.rows<{ id: string }>("select event_id as id from events where event_id like 'h_' order by 1")).map((e) => e.id)).toEqual(['h1', 'h3']);
  });

  it('rejects a 9 MB NDJSON line the same way (rowid = line stays true after it)', async () => {
    const file = writePieces('huge.ndjson', [
      '{"event_id":"n1","ts":"2026-10-01T10:00:00Z","visitor_id":"v1","event":"pageview","url":"/"}\n',
      `{"event_id":"n2","url":"${'b'.repeat(9 << 20)}"}\n`,
      '{"event_id":"n3","ts":"2026-10-01T10:00:00Z","visitor_id":"v1","event":"pageview","url":"/x"}\n',
      '{"event_id":"n4","ts":"nope","visitor_id":"v1","event":"pageview","url":"/y"}\n',
    ]);
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', rowsIn: 4, rowsLoaded: 2, rowsRejected: 2 });
    const rejects = await rejectsOf(s.fileId);
    expect(rejects.map((r) => r.line)).toEqual([2, 4]);
    expect(rejects[0]!.reason).toBe('line is 9.0 MB long; one record may be at most 8 MB (the whole file is kept in the inbox)');
    expect(rejects[1]!.reason).toMatch(/^ts 'nope' is not a timestamp/);
  });

  it('refuses a file whose header line alone is over the limit', async () => {
    const file = writePieces('huge-header.csv', [`${header},${'c'.repeat(9 << 20)}\n`, 'x,2026-10-01T10:00:00Z,v1,pageview,/,1\n']);
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'failed', rowsIn: 0 });
    expect(s.message).toBe(`${file}: its first line is 9.0 MB long; a header or record may be at most 8.0 MB; nothing was loaded`);
  });
});

describe('NUL bytes', () => {
  it('rejects a NUL inside a value with the field, the value and what was expected', async () => {
    const file = w.file('nul-value.csv', `${header}\nz1,2026-10-01T10:00:00Z,v1,page\0view,/\nz2,2026-10-01T10:00:00Z,v1,pageview,/\n`);
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', rowsIn: 2, rowsLoaded: 1, rowsRejected: 1 });
    const [r] = await rejectsOf(s.fileId);
    expect(r).toEqual({ line: 2, raw: 'z1,2026-10-01T10:00:00Z,v1,page\0view,/', reason: "event 'page\\0view' contains a NUL byte (\\0); expected text without NUL bytes" });
    expect(await w.rows("select event_id from events where event_id like 'z_' order by 1")).toEqual([{ event_id: 'z2' }]);
  });

  it('rejects a header followed by 9 MB of NUL bytes (one over-long line), not "loaded, 0 rows"', async () => {
    const file = writePieces('nul-tail.csv', [`${header}\n`, Buffer.alloc(9 << 20)]);
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', rowsIn: 1, rowsLoaded: 0, rowsRejected: 1 });
    const [r] = await rejectsOf(s.fileId);
    expect(r!.line).toBe(2);
    expect(r!.reason).toBe('line is 9.0 MB long; one record may be at most 8 MB (the whole file is kept in the inbox)');
    expect(r!.raw).toBe('\\0'.repeat(1000)); // shown, not stored as raw NULs
  });

  it('rejects a header followed by a short line of NULs with a reason', async () => {
    const file = writePieces('nul-short.csv', [`${header}\n`, Buffer.alloc(1000), '\n']);
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', rowsIn: 1, rowsLoaded: 0, rowsRejected: 1 });
    const [r] = await rejectsOf(s.fileId);
    expect(r!.line).toBe(2);
    // one field where the header has 5: DuckDB's reader rejects it (its reason repeats per missing column)
    expect(r!.reason).toBe('malformed CSV row: MISSING COLUMNS: Expected Number of Columns: 5 Found: 1; MISSING COLUMNS: Expected Number of Columns: 5 Found: 2; MISSING COLUMNS: Expected Number of Columns: 5 Found: 3; MISSING COLUMNS: Expected Number of Columns: 5 Found: 4');
  });

  it('refuses a file of nothing but NULs (and leaves no raw copy)', async () => {
    const before = inboxFiles();
    const file = writePieces('zeros.csv', [Buffer.alloc(1 << 16)]);
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'failed', rowsIn: 0 });
    expect(s.message).toBe(`${file}: contains nothing but NUL bytes (\\0): not a text file of records (a damaged or preallocated copy?); nothing was loaded`);
    expect(inboxFiles()).toEqual(before);
  });

  it('refuses a first line with NULs', async () => {
    const file = w.file('nul-header.csv', `event_id,t\0s,visitor_id\nq,2026-10-01T10:00:00Z,v\n`);
    const s = await w.ingest(file);
    expect(s.status).toBe('failed');
    expect(s.message).toBe(`${file}: has NUL bytes (\\0) in its first line: not a text file of records (binary, or UTF-16 without a byte-order mark? try --encoding); nothing was loaded`);
  });
});

describe('a file that grows while it is ingested', () => {
  it('is kept under the sha256 of exactly the bytes loaded, and every kept row is accounted for', async () => {
    const file = path.join(w.dir, 'growing.csv');
    const lines = Array.from({ length: 300_000 }, (_, i) => `g${i},2026-10-02T10:00:00Z,v${i % 50},pageview,/g${i}`);
    fs.writeFileSync(file, `${header}\n${lines.join('\n')}\n`);
    let appended = false;
    const s = await w.ingest(file, {
      onProgress: (p) => {
        // while the copy is under way, another writer appends 1000 rows
        if (p.phase === 'hash' && !appended) {
          appended = true;
          fs.appendFileSync(file, Array.from({ length: 1000 }, (_, i) => `late${i},2026-10-02T11:00:00Z,v1,pageview,/late\n`).join(''));
        }
      },
    });
    expect(appended).toBe(true);
    expect(s.status).toBe('loaded');
    const [{ sha256 }] = (await w.rows<{ sha256: string }>(`select sha256 from ingests where file_id = ${s.fileId}`)) as [{ sha256: string }];
    const kept = fs.readFileSync(path.join(w.dir, 'inbox', sha256));
    expect(createHash('sha256').update(kept).digest('hex')).toBe(sha256);
    // rows in the kept copy, counted independently: its lines minus the header
    const keptRows = kept.toString('utf8').split('\n').filter(Boolean).length - 1;
    expect(s.rowsIn).toBe(keptRows);
    expect(s.rowsLoaded + s.rowsDuplicate + s.rowsRejected).toBe(keptRows);
  });
});
