// How aida writes CSV (RFC 4180 quoting, spreadsheet formulas neutralised, a UTF-8 BOM first): every CSV
// aida writes — metric downloads, console exports, `aida sql --format csv` — goes through csvStart/csvLine.

/** A number as a spreadsheet reads it: nothing a formula could hide in. */
const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** What a spreadsheet would start evaluating (OWASP "CSV injection"): = + - @, tab, carriage return. */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One CSV field. A text that a spreadsheet would run as a formula (=HYPERLINK(...), +cmd, @SUM, -1+2)
 * gets a leading `'` (OWASP's advice: shown as text, the original visible); a plain number such as
 * `-12.5` or `+3e-7`, whether it comes as a number or as DuckDB's text of a DECIMAL, stays a number.
 * Quoted when it holds a comma, quote or line break.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (formulaStart.test(s) && !plainNumber.test(s)) s = `'${s}`;
  return csvQuoted(s);
}

/** RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled; any other stays as it is. */
export function csvQuoted(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * What every CSV file starts with: the UTF-8 byte order mark, without which Excel reads the file in the
 * system's legacy code page (Chinese, accents and € garbled); parsers that know CSV skip it.
 */
export const csvBom = '\uFEFF';

/** The first line of a CSV file: the BOM and the header. */
export function csvStart(header: readonly unknown[], eol = '\r\n'): string {
  return csvBom + csvLine(header, eol);
}

export function csvLine(cells: readonly unknown[], eol = '\r\n'): string {
  return cells.map(csvCell).join(',') + eol;
}
