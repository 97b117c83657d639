// CSV/TSV: DuckDB's reader does the parsing (all columns as text, malformed rows captured); a JS
// scanner finds the physical line and text of rows that end up rejected, since DuckDB numbers
// records, not lines (a quoted field may span lines).
import fs from 'node:fs';
import { maxLineBytes } from '../source.ts';
import { sqlString } from '../../queries/db/quote.ts';
import type { ReadResult, RowLocation } from './read-result.ts';
import { sql, type Kysely } from 'kysely';

/** rejects keep at most this much of a row's text; the whole file stays in the inbox */
const MAX_RAW = 100_000;

/** Where a report's header row may be: exports put a title and a date range above it (SPEC §4). */
const HEADER_WITHIN = 20;

/** How a CSV is laid out: its delimiter, and which record is the header (0 unless title lines come first). */
export interface CsvLayout {
  delimiter: string;
  /** records (non-blank lines outside quotes) before the header: a report's title and date-range lines */
  headerRecord: number;
  /** physical lines before the header, blank ones included (DuckDB's `skip`) */
  headerLine: number;
  header: string;
}

/**
 * The delimiter that splits the header into the most fields, and the header: the first of the first
 * 20 records with the most fields, when every record above it has at most two (a title such as
 * "Campaign report", a date range, "Report Start: 1/1/2026, 12:00 AM") and the record below it has as
 * many; else the first record.
 */
export function csvLayout(sample: string): CsvLayout {
  const records = firstRecords(sample.replace(/^\uFEFF/, ''), HEADER_WITHIN + 1);
  let best: CsvLayout = { delimiter: ',', headerRecord: 0, headerLine: 0, header: records[0]?.text ?? '' };
  let bestCount = 0;
  for (const d of [',', '\t', ';', '|']) {
    const counts = records.map((r) => filledFields(r.text, d));
    const most = Math.max(0, ...counts);
    let at = counts.indexOf(most);
    // a header has only short lines above it and a record of as many fields below it (else a wide row is no header)
    const below = records[at + 1];
    if (counts.slice(0, at).some((c) => c > 2) || (at > 0 && below && splitRecord(below.text, d).length !== splitRecord(records[at]!.text, d).length)) at = 0;
    if (counts[at]! > bestCount) {
      best = { delimiter: d, headerRecord: at, headerLine: records[at]!.line, header: records[at]!.text };
      bestCount = counts[at]!;
    }
  }
  return best;
}

export function sniffDelimiter(sample: string): string {
  return csvLayout(sample).delimiter;
}

/** The first `n` records (quote-aware, blank lines skipped), each with the count of lines above it. */
function firstRecords(text: string, n: number): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let quoted = false;
  let start = 0;
  let line = 0;
  let startLine = 0;
  for (let i = 0; i <= text.length && out.length < n; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (i === text.length || ((ch === '\n' || ch === '\r') && !quoted)) {
      const record = text.slice(start, i);
      if (record.trim()) out.push({ text: record, line: startLine });
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      start = i + 1;
      startLine = line;
    } else if (ch === '\n') line++;
  }
  return out;
}

/** Fields of a record up to its last non-empty one (a title line padded with delimiters counts as one). */
function filledFields(record: string, d: string): number {
  const fields = splitRecord(record, d);
  let n = fields.length;
  while (n > 0 && !fields[n - 1]!.trim()) n--;
  return n;
}

function splitRecord(line: string, delim: string): string[] {
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
  return names;
}

/** The header's column names (quote-aware), made unique and non-empty as DuckDB needs them. */
export function headerNames(header: string, delim: string): string[] {
  if (!header.trim()) return [];
  const seen = new Map<string, number>();
  return splitRecord(header, delim).map((n, i) => {
    const base = n || `column${i + 1}`;
    const k = seen.get(base.toLowerCase()) ?? 0;
    seen.set(base.toLowerCase(), k + 1);
    return k ? `${base}_${k}` : base;
  });
}

export async function readCsv(conn: Kysely<unknown>, file: string, sample: string, table: string): Promise<ReadResult> {
  const layout = csvLayout(sample);
  const { delimiter: delim, headerRecord, headerLine } = layout;
  const options = `header = true, skip = ${headerLine}, all_varchar = true, delim = ${sqlString(delim)}, quote = '"', escape = '"', auto_detect = false, max_line_size = ${maxLineBytes}, store_rejects = true, rejects_table = '${table}_rej', rejects_scan = '${table}_scan'`;
  const headerCols = headerNames(layout.header, delim).map((name) => ({ name }));
  if (headerCols.length === 0) return { headers: [], rows: 0, readerRejected: 0, locate: async () => ({ rows: new Map(), readerRejects: [] }) };
  const columns = headerCols.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(', ');
  await sql`create temp table ${sql.table(table)} as select * from read_csv(${sql.lit(file)}, columns = {${sql.raw(columns)}}, ${sql.raw(options)})`.execute(conn);
  // DuckDB numbers a rejected row by its physical line; records are counted from the file's first (a title line is one)
  const rejected = (await sql<{ line: number; reason: string }>`select line, string_agg(error_type || ': ' || error_message, '; ') as reason from ${sql.table(`${table}_rej`)} group by line order by line`.execute(conn)).rows;
  const rows = (await sql<{ n: number }>`select count(*)::bigint as n from ${sql.table(table)}`.execute(conn)).rows[0]!.n;
  await sql`drop table if exists ${sql.table(`${table}_rej`)}; drop table if exists ${sql.table(`${table}_scan`)}`.execute(conn);
  const titles = Array.from({ length: headerRecord }, (_, i) => i);
  return {
    headers: headerCols.map((c) => c.name),
    rows: rows + rejected.length + titles.length,
    readerRejected: rejected.length + titles.length,
    locate: async (rowids) => {
      // DuckDB names a rejected row by its line counting newlines outside quotes; the good rows are numbered around those records
      const badAt = rejected.length ? await locateCsvRecords(file, [], rejected.map((r) => r.line)) : new Map<number, LocatedRecord>();
      const bad = rejected.map((r) => ({ ...r, found: [...badAt.values()].find((f) => f.unquotedLine === r.line) }));
      const recordOfRow = makeRecordOfRow(bad.flatMap((b) => (b.found ? [b.found.record] : [])), headerRecord);
      const lastData = rows > 0 ? recordOfRow(rows - 1) : headerRecord;
      const records = new Map(rowids.map((id) => [id, recordOfRow(id)]));
      const found = await locateCsvRecords(file, [...records.values(), ...titles]);
      const at = (rec: number) => ({ line: found.get(rec)?.line ?? -1, raw: found.get(rec)?.raw ?? '' });
      return {
        rows: new Map(rowids.map((id) => [id, at(records.get(id)!)])),
        readerRejects: [
          ...titles.map((rec) => ({ ...at(rec), reason: REPORT_TITLE })),
          ...bad.map((b) => {
            const where = { line: b.found?.line ?? -1, raw: b.found?.raw ?? '' };
            // one text below the last data row: a report's footer ("©2026 Microsoft Corporation. All rights reserved.")
            if (b.found && rows > 0 && b.found.record > lastData && filledFields(where.raw, delim) <= 1 && /[\p{L}\p{N}]/u.test(where.raw)) return { ...where, reason: REPORT_FOOTER };
            return { ...where, reason: `malformed CSV row: ${b.reason.split('\n')[0]}` };
          }),
        ],
      };
    },
  };
}

/** The reasons of a line above a report's header row, and of a lone text below its data. */
export const REPORT_TITLE = 'report title or date range above the header row, not a data row';
export const REPORT_FOOTER = 'report footer below the data, not a data row';

/** The good rows are the data records DuckDB did not reject, in order: row i → its record number. */
function makeRecordOfRow(rejectedRecords: number[], headerRecord: number): (row: number) => number {
  const sorted = [...rejectedRecords].sort((a, b) => a - b);
  return (row) => {
    let rec = headerRecord + row + 1; // data records follow the header
    for (const r of sorted) {
      if (r <= rec) rec++;
      else break;
    }
    return rec;
  };
}

/**
 * The record (0-based from the file's first) that starts on a line, with its text. */
export interface LocatedRecord extends RowLocation {
  record: number;
  /** its line as DuckDB's reader numbers rejects (newlines inside quotes not counted) */
  unquotedLine: number;
}

/**
 * Scans the file once, quote-aware, to find where the wanted records (and those DuckDB numbers with the
 * wanted lines) start, 1-based, and their text. Record 0 is the file's first (the header, or a report's
 * title line); blank lines are not records, as in DuckDB's reader.
 */
export async function locateCsvRecords(file: string, wanted: number[], wantedLines: number[] = []): Promise<Map<number, LocatedRecord>> {
  const want = new Set(wanted);
  const wantLine = new Set(wantedLines);
  const found = new Map<number, LocatedRecord>();
  if (want.size === 0 && wantLine.size === 0) return found;
  const max = want.size ? Math.max(...want) : -1;
  const maxLine = wantLine.size ? Math.max(...wantLine) : -1;
  let line = 1;
  let unquotedLine = 1; // lines as DuckDB's reader counts them: a quoted newline does not start one
  let record = -1; // the first record is 0
  let quoted = false;
  let atRecordStart = true;
  let startLine = 1;
  let recordLine = 1;
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
          if (ch === 10) {
            line++;
            unquotedLine++;
          }
          continue; // blank line
        }
        atRecordStart = false;
        record++;
        if (record > max && unquotedLine > maxLine) break scan;
        startLine = line;
        segStart = i;
        capture = want.has(record) || wantLine.has(unquotedLine) ? [] : null;
        recordLine = unquotedLine;
        captured = 0;
      }
      if (ch === 34) quoted = !quoted;
      else if (ch === 10) {
        line++;
        if (!quoted) {
          unquotedLine++;
          keep(text.slice(segStart, i));
          if (capture) found.set(record, { record, unquotedLine: recordLine, line: startLine, raw: capture.join('').replace(/\r$/, '') });
          capture = null;
          atRecordStart = true;
        }
      }
    }
    if (!atRecordStart) keep(text.slice(segStart));
  }
  if (capture) found.set(record, { record, unquotedLine: recordLine, line: startLine, raw: (capture as string[]).join('').replace(/\r$/, '') });
  return found;
}
