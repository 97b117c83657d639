// CSV/TSV: DuckDB's reader does the parsing (all columns as text, malformed rows captured); a JS
// scanner finds the physical line and text of rows that end up rejected, since DuckDB numbers
// records, not lines (a quoted field may span lines).
import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { allOn } from '../../queries/db/open.ts';
import { maxLineBytes } from '../source.ts';
import { sqlString } from '../sql-text.ts';
import type { ReadResult, RowLocation } from './read-result.ts';

/** rejects keep at most this much of a row's text; the whole file stays in the inbox */
const MAX_RAW = 100_000;

/** The delimiter that splits the header line into the most fields (outside quotes). */
export function sniffDelimiter(sample: string): string {
  const header = firstRecord(sample.replace(/^\uFEFF/, ''));
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';', '|']) {
    let count = 0;
    let quoted = false;
    for (const ch of header) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

function firstRecord(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if ((ch === '\n' || ch === '\r') && !quoted) return text.slice(0, i);
  }
  return text;
}

/** The header's column names (quote-aware), made unique and non-empty as DuckDB needs them. */
export function headerNames(sample: string, delim: string): string[] {
  const line = firstRecord(sample.replace(/^\uFEFF/, ''));
  if (!line.trim()) return [];
  const names: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === delim && !quoted) {
      names.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  names.push(cur.trim());
  const seen = new Map<string, number>();
  return names.map((n, i) => {
    const base = n || `column${i + 1}`;
    const k = seen.get(base.toLowerCase()) ?? 0;
    seen.set(base.toLowerCase(), k + 1);
    return k ? `${base}_${k}` : base;
  });
}

export async function readCsv(conn: DuckDBConnection, file: string, sample: string, table: string): Promise<ReadResult> {
  const delim = sniffDelimiter(sample);
  const options = `header = true, all_varchar = true, delim = ${sqlString(delim)}, quote = '"', escape = '"', auto_detect = false, max_line_size = ${maxLineBytes}, store_rejects = true, rejects_table = '${table}_rej', rejects_scan = '${table}_scan'`;
  const headerCols = headerNames(sample, delim).map((name) => ({ name }));
  if (headerCols.length === 0) return { headers: [], rows: 0, readerRejected: 0, locate: async () => ({ rows: new Map(), readerRejects: [] }) };
  const columns = headerCols.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(', ');
  await conn.run(`create temp table ${table} as select * from read_csv(${sqlString(file)}, columns = {${columns}}, ${options})`);
  const rejected = await allOn<{ rec: number; reason: string }>(
    conn,
    `select line - 1 as rec, string_agg(error_type || ': ' || error_message, '; ') as reason from ${table}_rej group by line order by line`,
  );
  const rows = (await allOn<{ n: number }>(conn, `select count(*)::bigint as n from ${table}`))[0]!.n;
  await conn.run(`drop table if exists ${table}_rej; drop table if exists ${table}_scan`);
  const recordOfRow = makeRecordOfRow(rejected.map((r) => r.rec));
  return {
    headers: headerCols.map((c) => c.name),
    rows: rows + rejected.length,
    readerRejected: rejected.length,
    locate: async (rowids) => {
      const records = new Map(rowids.map((id) => [id, recordOfRow(id)]));
      const found = await locateCsvRecords(file, [...records.values(), ...rejected.map((r) => r.rec)]);
      return {
        rows: new Map(rowids.map((id) => [id, found.get(records.get(id)!) ?? { line: -1, raw: '' }])),
        readerRejects: rejected.map((r) => ({
          line: found.get(r.rec)?.line ?? -1,
          raw: found.get(r.rec)?.raw ?? '',
          reason: `malformed CSV row: ${r.reason.split('\n')[0]}`,
        })),
      };
    },
  };
}

/** The good rows are the data records DuckDB did not reject, in order: row i → its record number. */
function makeRecordOfRow(rejectedRecords: number[]): (row: number) => number {
  const sorted = [...rejectedRecords].sort((a, b) => a - b);
  return (row) => {
    let rec = row + 1; // data records are numbered from 1 (the header is record 0)
    for (const r of sorted) {
      if (r <= rec) rec++;
      else break;
    }
    return rec;
  };
}

/**
 * Scans the file once, quote-aware, to find where the wanted data records start (1-based line, header
 * = line 1) and their text. Blank lines are not records, as in DuckDB's reader.
 */
export async function locateCsvRecords(file: string, wanted: number[]): Promise<Map<number, RowLocation>> {
  const want = new Set(wanted);
  const found = new Map<number, RowLocation>();
  if (want.size === 0) return found;
  const max = Math.max(...want);
  let line = 1;
  let record = -1; // the header is record 0, data records count from 1
  let quoted = false;
  let atRecordStart = true;
  let startLine = 1;
  let capture: string[] | null = null;
  let captured = 0;
  const keep = (piece: string) => {
    if (!capture || captured >= MAX_RAW) return;
    capture.push(piece);
    captured += piece.length;
  };
  const decoder = new TextDecoder('utf-8');
  scan: for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    let segStart = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (atRecordStart) {
        if (ch === 10 || ch === 13) {
          if (ch === 10) line++;
          continue; // blank line
        }
        atRecordStart = false;
        record++;
        if (record > max) break scan;
        startLine = line;
        segStart = i;
        capture = want.has(record) ? [] : null;
        captured = 0;
      }
      if (ch === 34) quoted = !quoted;
      else if (ch === 10) {
        line++;
        if (!quoted) {
          keep(text.slice(segStart, i));
          if (capture) found.set(record, { line: startLine, raw: capture.join('').replace(/\r$/, '') });
          capture = null;
          atRecordStart = true;
        }
      }
    }
    if (!atRecordStart) keep(text.slice(segStart));
  }
  if (capture) found.set(record, { line: startLine, raw: (capture as string[]).join('').replace(/\r$/, '') });
  return found;
}
