// How a number is read (SPEC §4): the two formats a numeric column can be in, the per-value classes the
// deciding pass counts, and the SQL that reads a value in its column's format — or names why it cannot.
import type { IngestConfig as Config } from '../config.ts';
import { sqlString } from '../../queries/db/quote.ts';

/** `point`: 1,234.56 — `comma`: 1.234,56. Thousands may also be ' ’ space, U+00A0 or U+202F in either. */
export type DecimalMark = 'point' | 'comma';
export type NumberType = 'money' | 'price' | 'number' | 'int';

/** Decimal places kept: money (amounts, costs) to the cent, unit prices to 1/10,000 (0.001 price lists). */
export const scaleOf = { money: 2, price: 4 } as const;

/** What each value of config `number_format` means as a decimal mark. */
export const markOfSetting: Record<Config['number_format'], DecimalMark> = { decimal_point: 'point', decimal_comma: 'comma' };

export function formatLabel(mark: DecimalMark): string {
  return mark === 'point' ? '1,234.56 (decimal point)' : '1.234,56 (decimal comma)';
}

// RE2 pieces. Currency marks before or after the number (US$, £, €, ¥, ￥, EUR, CHF, 元 …), a sign before
// or after (also U+2212 −, as Excel writes it in some locales), accounting parentheses around the whole.
// A thousands group never follows a leading 0, so 0.001 reads one way only.
const ws = String.raw`[\s\x{00A0}\x{202F}]*`;
const currency = String.raw`(?:[A-Z]{1,3}\$|[£$€¥￥₹₩₽]|[A-Z]{3}|元)`;
const groups = (thousands: string) =>
  String.raw`(?:[1-9]\d{0,2}(?:${thousands}\d{3})+|[1-9]\d{0,2}(?:['’]\d{3})+|[1-9]\d{0,2}(?:[ \x{00A0}\x{202F}]\d{3})+|\d+)`;
const core: Record<DecimalMark, string> = {
  point: String.raw`${groups(',')}(?:\.\d+)?`,
  comma: String.raw`${groups(String.raw`\.`)}(?:,\d+)?`,
};
function fullPattern(mark: DecimalMark): string {
  const body = String.raw`(?:${currency}${ws})?(?:[+\-−]${ws})?(?:${currency}${ws})?${core[mark]}(?:${ws}[\-−])?(?:${ws}${currency})?`;
  return String.raw`${ws}(?:\(${ws}${body}${ws}\)|${body})${ws}`;
}

const fits = (x: string, mark: DecimalMark) => `regexp_full_match(${x}, ${sqlString(fullPattern(mark))})`;
const hasMark = (x: string) => `regexp_matches(${x}, '[.,]')`;

/**
 * The class of one value, as SQL: 'plain' (reads the same in both formats: 12, 1 234), 'point' or
 * 'comma' (reads one way only: 12.5, 1,234.50 / 12,5, 1.234,50), 'ambiguous' (1,234 or 1.234) or
 * 'unreadable'. The cheap shapes go first: most columns are plain numbers.
 */
export function numberClassSql(x: string): string {
  return `case
    when regexp_full_match(${x}, '-?\\d+') then 'plain'
    when regexp_full_match(${x}, '-?\\d+\\.\\d+') then case when regexp_full_match(${x}, '-?[1-9]\\d{0,2}\\.\\d{3}') then 'ambiguous' else 'point' end
    else case (${fits(x, 'point')})::int * 2 + (${fits(x, 'comma')})::int
      when 3 then case when ${hasMark(x)} then 'ambiguous' else 'plain' end
      when 2 then 'point' when 1 then 'comma' else 'unreadable' end
    end`;
}

/** How one column's numbers are read (what decided it is in readings.ts). */
export interface NumberReading {
  mark: DecimalMark;
  /** values of both one-way formats were found: only values that fit `mark` alone are read */
  conflict: boolean;
}

/** Canonical text (`-1234.50`) for `x` read with `mark`, or null when `x` does not fit it. */
function canonicalSql(x: string, reading: NumberReading): string {
  const { mark } = reading;
  const fast = mark === 'point' ? `when regexp_full_match(${x}, '-?\\d+(\\.\\d+)?') then ${x}` : `when regexp_full_match(${x}, '-?\\d+') then ${x}`;
  const other: DecimalMark = mark === 'point' ? 'comma' : 'point';
  // in a column of both formats, a value the other format also reads (1,234) cannot be read with certainty
  const certain = reading.conflict ? ` and not (${fits(x, other)} and ${hasMark(x)})` : '';
  const digits = mark === 'point' ? `regexp_replace(${x}, '[^0-9.]', '', 'g')` : `replace(regexp_replace(${x}, '[^0-9,]', '', 'g'), ',', '.')`;
  return `case ${reading.conflict ? '' : fast}
    when ${fits(x, mark)}${certain} then case when regexp_matches(${x}, '^[\\s]*\\(|[-−]') then '-' else '' end || ${digits} end`;
}

/** The typed value of `x` in its column's reading (null when it cannot be read). */
export function numberSql(x: string, type: NumberType, reading: NumberReading): string {
  const text = canonicalSql(x, reading);
  switch (type) {
    case 'money':
    case 'price': {
      // a value with more places than the column keeps is not rounded: it has no value (a reject)
      const scale = scaleOf[type];
      return `case when not regexp_matches(${text}, '\\.\\d{${scale}}0*[1-9]') then try_cast(${text} as decimal(18,${scale})) end`;
    }
    case 'number':
      return `try_cast(${text} as double)`;
    case 'int':
      return `case when regexp_full_match(${x}, '-?\\d+') then try_cast(${x} as bigint) else
        (case when regexp_full_match(${text}, '-?\\d+(\\.0+)?') then try_cast(regexp_replace(${text}, '\\.0+$', '') as bigint) end) end`;
  }
}

/** Why `x` (not null) has no value: what follows the quoted value in its reject reason. */
export function numberProblemSql(x: string, type: NumberType, reading: NumberReading): string {
  const other: DecimalMark = reading.mark === 'point' ? 'comma' : 'point';
  const format = `the column''s format ${formatLabel(reading.mark)}`;
  const what = type === 'int' ? 'a whole number' : 'a number';
  const mixed = `the column mixes values only ${formatLabel('point')} reads and values only ${formatLabel('comma')} reads, and is read as ${formatLabel(reading.mark)}`;
  const conflict = reading.conflict
    ? `when ${fits(x, other)} and ${fits(x, reading.mark)} and ${hasMark(x)} then 'cannot be read with certainty: ${mixed}'
       when ${fits(x, other)} then 'is not ${what} in ${format}: ${mixed}'`
    : '';
  const places = type === 'money' || type === 'price'
    ? `when regexp_matches(${canonicalSql(x, reading)}, '\\.\\d{${scaleOf[type]}}0*[1-9]') then 'has more than ${scaleOf[type]} decimal places (${type === 'money' ? 'money is kept to the cent' : 'unit prices are kept to 4 places'}): it is not rounded'`
    : '';
  return `case ${conflict} ${places}
    when not regexp_matches(${x}, '\\d') then 'is not ${type === 'int' ? what : 'a number such as 12.50'}'
    when ${fits(x, reading.mark)} then ${type === 'int' ? `'is not a whole number'` : `'is out of range for ${what}'`}
    else 'is not ${what} in ${format}' end`;
}
