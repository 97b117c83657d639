// Decides how each numeric and date column of a file is read, from all its values in one aggregate
// DuckDB pass, then from the file (other columns, the delimiter) and the config; words the outcome for
// `ingests.value_formats`, the summary and its warnings.
import path from 'node:path';
import type { IngestConfig as Config } from '../config.ts';
import { dateOrders, formLabel, forms, formSql, numericFieldsSql, orderBit, orderLabel, ordersMaskOfFieldsSql, type DateOrder, type DateReading } from './date-format.ts';
import { formatLabel, markOfSetting, numberClassSql, type DecimalMark, type NumberReading } from './number-format.ts';
import { sql, type Kysely } from 'kysely';

export type DecidedBy = 'values' | 'form' | 'other columns' | 'delimiter' | 'config' | 'majority';

/** What ingest records for one column: how it was read and what decided it. */
export interface ColumnReading {
  column: string;
  /** the file's header for it */
  header: string;
  kind: 'number' | 'date';
  reading: string;
  decided_by: DecidedBy;
  /** a value, column or setting that decided it */
  evidence: string;
  /** values that more than one reading could read */
  ambiguous: number;
}

export interface ValueColumn {
  name: string;
  header: string;
  kind: 'number' | 'date';
  /** SQL for the column's trimmed text in raw row `r` */
  text: string;
}

export interface Decided {
  numbers: Record<string, NumberReading>;
  dates: Record<string, DateReading>;
  readings: ColumnReading[];
  warnings: string[];
}

interface NumberCounts {
  point: number;
  comma: number;
  ambiguous: number;
  ex_point: string | null;
  ex_comma: string | null;
  ex_ambiguous: string | null;
}

const masks = [1, 2, 3, 4, 5, 6, 7];

/**
 * One pass over the raw table: per numeric column the count of each value class, per date column its
 * forms and, for numeric dates, the count of each set of orders that can read them, with a first example.
 */
export async function decideReadings(
  conn: Kysely<unknown>,
  input: { file: string; raw: string; columns: ValueColumn[]; delimiter?: string; config: Config; rowFilter?: string },
): Promise<Decided> {
  const { columns, config } = input;
  const decided: Decided = { numbers: {}, dates: {}, readings: [], warnings: [] };
  if (columns.length === 0) return decided;
  const texts = columns.map((c, i) => `${c.text} as t${i}`);
  const classes = columns.map((c, i) =>
    c.kind === 'number'
      ? `${numberClassSql(`t${i}`)} as k${i}`
      : `${formSql(`t${i}`)} as f${i}, case when f${i} = 'numeric' then ${ordersMaskOfFieldsSql(numericFieldsSql(`t${i}`), `t${i}`)} end as m${i}`,
  );
  const first = (i: number, cond: string) => `arg_min(t${i}, __r) filter (where ${cond})`;
  const aggregates = columns.flatMap((c, i) =>
    c.kind === 'number'
      ? [
        ...(['point', 'comma', 'ambiguous'] as const).map((k) => `count_if(k${i} = '${k}')::integer as n${i}_${k}`),
        ...(['point', 'comma', 'ambiguous'] as const).map((k) => `${first(i, `k${i} = '${k}'`)} as n${i}_ex_${k}`),
      ]
      : [
        ...forms.map((f) => `count_if(f${i} = '${f}')::integer as d${i}_${f}`),
        ...masks.map((m) => `count_if(m${i} = ${m})::integer as d${i}_m${m}`),
        `count_if(m${i} is not null and regexp_matches(t${i}, '^\\d+\\.'))::integer as d${i}_dotted`,
        ...masks.map((m) => `${first(i, `m${i} = ${m}`)} as d${i}_ex${m}`),
      ],
  );
  const where = input.rowFilter ? `where ${input.rowFilter}` : '';
  const [row] = (await sql<Record<string, unknown>>`select ${sql.raw(aggregates.join(', '))} from (select *, ${sql.raw(classes.join(', '))} from (select r.rowid as __r, ${sql.raw(texts.join(', '))} from ${sql.table(input.raw)} r ${sql.raw(where)}))`.execute(conn)).rows;
  const name = path.basename(input.file);
  decideNumbers(decided, columns, row!, input.delimiter, config, name);
  decideDates(decided, columns, row!, config, name);
  return decided;
}

const q = (v: string | null | undefined) => `'${v ?? ''}'`;

function decideNumbers(out: Decided, columns: ValueColumn[], row: Record<string, unknown>, delimiter: string | undefined, config: Config, file: string): void {
  const cols = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === 'number');
  const counts = new Map(cols.map(({ c, i }) => [c.name, {
    point: row[`n${i}_point`] as number, comma: row[`n${i}_comma`] as number, ambiguous: row[`n${i}_ambiguous`] as number,
    ex_point: row[`n${i}_ex_point`] as string | null, ex_comma: row[`n${i}_ex_comma`] as string | null, ex_ambiguous: row[`n${i}_ex_ambiguous`] as string | null,
  } satisfies NumberCounts]));
  // columns whose values alone decide: the evidence the other columns of the file borrow
  const byValues = new Map<string, DecimalMark>();
  for (const [col, n] of counts) {
    if (n.point > 0 && n.comma === 0) byValues.set(col, 'point');
    if (n.comma > 0 && n.point === 0) byValues.set(col, 'comma');
  }
  for (const { c } of cols) {
    const n = counts.get(c.name)!;
    let mark: DecimalMark;
    let by: DecidedBy;
    let evidence: string;
    const own = byValues.get(c.name);
    const conflict = n.point > 0 && n.comma > 0;
    if (own) {
      [mark, by, evidence] = [own, 'values', own === 'point' ? q(n.ex_point) : q(n.ex_comma)];
    } else if (conflict && n.point !== n.comma) {
      [mark, by] = [n.point > n.comma ? 'point' : 'comma', 'majority'];
      evidence = `${n.point} only a decimal point reads, e.g. ${q(n.ex_point)}; ${n.comma} only a decimal comma reads, e.g. ${q(n.ex_comma)}`;
    } else {
      const others = [...byValues].filter(([col]) => col !== c.name);
      const marks = new Set(others.map(([, m]) => m));
      if (marks.size === 1) {
        [mark, by, evidence] = [others[0]![1], 'other columns', others.map(([col]) => col).join(', ')];
      } else if (delimiter === ';') {
        [mark, by, evidence] = ['comma', 'delimiter', "';' (files separated by ';' use a decimal comma)"];
      } else {
        [mark, by, evidence] = [markOfSetting[config.number_format], 'config', `number_format = "${config.number_format}"`];
      }
    }
    out.numbers[c.name] = { mark, conflict };
    const ambiguous = conflict ? n.ambiguous + Math.min(n.point, n.comma) : n.ambiguous;
    out.readings.push({ column: c.name, header: c.header, kind: 'number', reading: formatLabel(mark), decided_by: by, evidence, ambiguous });
    const where = `${file}: column "${c.header}"${c.header === c.name ? '' : ` (${c.name})`}`;
    if (conflict) {
      out.warnings.push(`${where} mixes number formats (${n.point} only a decimal point reads, e.g. ${q(n.ex_point)}; ${n.comma} only a decimal comma reads, e.g. ${q(n.ex_comma)}): read as ${formatLabel(mark)}, ${by === 'majority' ? 'the format of most' : `as many are each way: by ${by} ${evidence}`}; the ${ambiguous} others are rejected`);
    } else if (by === 'config' && n.ambiguous > 0) {
      out.warnings.push(`${where}: ${n.ambiguous} value${n.ambiguous === 1 ? ' is' : 's are'} ambiguous (e.g. ${q(n.ex_ambiguous)}) and nothing in the file decides: read as ${formatLabel(mark)} by config ${evidence}`);
    }
  }
}

function decideDates(out: Decided, columns: ValueColumn[], row: Record<string, unknown>, config: Config, file: string): void {
  const cols = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === 'date');
  const info = cols.map(({ c, i }) => {
    const count = (m: number) => row[`d${i}_m${m}`] as number;
    const readable = masks.reduce((s, m) => s + count(m), 0);
    const possible = dateOrders.filter((o) => masks.every((m) => m & orderBit[o] || count(m) === 0));
    const support = (o: DateOrder) => masks.filter((m) => m & orderBit[o]).reduce((s, m) => s + count(m), 0);
    const example = (o: DateOrder) => {
      // the value that shows it best: one the fewest other orders read
      const m = masks.filter((m) => m & orderBit[o] && count(m) > 0).sort((a, b) => bits(a) - bits(b))[0];
      return m === undefined ? null : (row[`d${i}_ex${m}`] as string);
    };
    const seen = forms.filter((f) => (row[`d${i}_${f}`] as number) > 0);
    const main = [...seen].sort((a, b) => (row[`d${i}_${b}`] as number) - (row[`d${i}_${a}`] as number))[0];
    return { c, i, count, readable, possible, support, example, forms: seen, main, dotted: row[`d${i}_dotted`] as number };
  });
  const byValues = new Map(info.filter((d) => d.readable > 0 && d.possible.length === 1).map((d) => [d.c.name, d.possible[0]!]));
  for (const d of info) {
    let order: DateOrder;
    let by: DecidedBy;
    let evidence: string;
    let conflict = false;
    let ambiguous = 0;
    const own = byValues.get(d.c.name);
    if (d.readable === 0) {
      [order, by, evidence] = [config.date_order, 'form', d.forms.map((f) => formLabel[f]).join(', ') || 'no values'];
    } else if (own && d.dotted === d.readable) {
      [order, by, evidence] = [own, 'form', 'DD.MM.YYYY (dotted dates are day-first)'];
    } else if (own) {
      [order, by, evidence] = [own, 'values', q(d.example(own))];
    } else if (d.possible.length === 0) {
      conflict = true;
      // most values only one order reads win; the rest, and the values both read, are rejected
      const only = (o: DateOrder) => d.count(orderBit[o]);
      const ranked = [...dateOrders].sort((a, b) => only(b) - only(a) || d.support(b) - d.support(a) || rank(a, config) - rank(b, config));
      order = ranked[0]!;
      by = only(order) > only(ranked[1]!) ? 'majority' : 'config';
      evidence = dateOrders.filter((o) => only(o) > 0).map((o) => `${only(o)} only ${orderLabel[o]} reads, e.g. ${q(d.example(o))}`).join('; ');
      ambiguous = d.readable - only(order);
    } else {
      ambiguous = d.readable;
      const others = [...byValues].filter(([col, o]) => col !== d.c.name && d.possible.includes(o));
      const orders = new Set(others.map(([, o]) => o));
      if (orders.size === 1) {
        [order, by, evidence] = [others[0]![1], 'other columns', others.map(([col]) => col).join(', ')];
      } else {
        order = d.possible.includes(config.date_order) ? config.date_order : [...d.possible].sort((a, b) => rank(a, config) - rank(b, config))[0]!;
        [by, evidence] = ['config', `date_order = "${config.date_order}"${order === config.date_order ? '' : ` (which these values cannot be; ${orderLabel[order]} is the first that fits)`}`];
      }
    }
    out.dates[d.c.name] = { order, conflict, ...(d.main ? { main: d.main } : {}) };
    const reading = d.forms.map((f) => (f === 'numeric' ? orderLabel[order] : formLabel[f])).join(', ') || 'no values';
    out.readings.push({ column: d.c.name, header: d.c.header, kind: 'date', reading, decided_by: by, evidence, ambiguous });
    const where = `${file}: column "${d.c.header}"${d.c.header === d.c.name ? '' : ` (${d.c.name})`}`;
    if (conflict) {
      const why = by === 'majority' ? 'the order of most' : `as many are each way: by config date_order = "${config.date_order}"`;
      out.warnings.push(`${where} mixes date orders (${evidence}): read as ${orderLabel[order]}, ${why}; the ${ambiguous} other numeric dates are rejected`);
    } else if (by === 'config') {
      out.warnings.push(`${where}: all ${d.readable} numeric date${d.readable === 1 ? ' is' : 's are'} ambiguous (e.g. ${q(d.example(order))}) and nothing in the file decides: read as ${orderLabel[order]} by config ${evidence}`);
    }
  }
}

function bits(m: number): number {
  return (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1);
}

/** Tie-breaks: the configured order, then month-first (SPEC's M/D/YY), day-first, year-first. */
function rank(o: DateOrder, config: Config): number {
  return o === config.date_order ? -1 : ['mdy', 'dmy', 'ymd'].indexOf(o);
}
