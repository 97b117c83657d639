// How a date or timestamp is read (SPEC §4): the forms aida knows, the per-value classes the deciding
// pass counts (form; which day/month orders a numeric date allows), and the SQL that reads a value.
import { sqlString } from '../../queries/db/quote.ts';

/** Day/month/year order of a numeric date such as 02/03/2026 (ymd: two-digit 26/03/04). */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';
export const dateOrders: DateOrder[] = ['dmy', 'mdy', 'ymd'];

export type Form = 'epoch_ms' | 'epoch_s' | 'iso_offset' | 'iso_naive' | 'clf' | 'year_first' | 'numeric' | 'chinese' | 'month_name';

export const orderLabel: Record<DateOrder, string> = { dmy: 'day/month/year', mdy: 'month/day/year', ymd: 'year/month/day' };
export const forms: Form[] = ['epoch_ms', 'epoch_s', 'iso_offset', 'iso_naive', 'clf', 'year_first', 'numeric', 'chinese', 'month_name'];
export const formLabel: Record<Form, string> = {
  epoch_ms: 'epoch milliseconds', epoch_s: 'epoch seconds', iso_offset: 'ISO-8601 with offset', iso_naive: 'ISO-8601',
  clf: 'DD/Mon/YYYY:HH:MM:SS ±zzzz', year_first: 'YYYY/M/D', numeric: 'numeric day/month', chinese: 'YYYY年M月D日', month_name: 'month name',
};

export const timestampForms =
  'ISO-8601 with or without offset, YYYY-MM-DD HH:MM:SS, YYYY/MM/DD, DD/Mon/YYYY:HH:MM:SS ±zzzz, D/M/Y or M/D/Y (also with dots or dashes, as the column decides), ' +
  'DD-Mon-YYYY, March 4, 2026, 4 March 2026, 2026年3月4日, each with an optional 24- or 12-hour time, or epoch seconds/milliseconds';

const time = String.raw`(?:(?:[ T]|, ?)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp]\.?[Mm]\.?)?)?`;
const months = 'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december';
const monthName = String.raw`^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,? )?(?:\d{1,2}(?:st|nd|rd|th)?[ -](?:${months})\.?,?[ -]\d{4}|(?:${months})\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})${time}$`;
/** a numeric date with a one- or two-digit first field, the only kind whose order can be in doubt */
const numeric = String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})${time}$`;

/** The form of one value, as SQL (null: no form aida knows). */
export function formSql(x: string): string {
  // ISO first, behind a cheap LIKE: it is the form of most large files
  return `case
    when ${x} like '____-__-__%' then case
      when regexp_matches(${x}, '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{1,2}:\\d{2}.*(Z|UTC|GMT|[+-]\\d{2}:?\\d{2}|[+-]\\d{2})$', 'i') then 'iso_offset' else 'iso_naive' end
    when regexp_full_match(${x}, '\\d{12,13}') then 'epoch_ms'
    when regexp_full_match(${x}, '\\d{9,10}(\\.\\d+)?') then 'epoch_s'
    when regexp_matches(${x}, '^\\d{1,2}/[A-Za-z]{3}/\\d{4}:') then 'clf'
    when regexp_matches(${x}, '^\\d{4}[/.-]\\d{1,2}[/.-]\\d{1,2}') then 'year_first'
    when regexp_matches(${x}, ${sqlString(numeric)}) then 'numeric'
    when regexp_matches(${x}, '^\\d{4}年\\d{1,2}月\\d{1,2}日') then 'chinese'
    when regexp_matches(lower(${x}), ${sqlString(monthName)}) then 'month_name'
  end`;
}

/**
 * For a numeric date, which orders could read it, as a bit mask (1 dmy, 2 mdy, 4 ymd; 0 none, e.g.
 * 13/13/2026). Dotted dates are never month-first (no locale writes 03.25.2026); ymd needs two-digit fields.
 */
export function ordersMaskSql(x: string): string {
  return ordersMaskOfFieldsSql(numericFieldsSql(x), x);
}

/** The three fields of a numeric date as a struct {a, b, c} of text (computed once in the deciding pass). */
export function numericFieldsSql(x: string): string {
  return `regexp_extract(${x}, ${sqlString(numeric)}, ['a', 'b', 'c'])`;
}

export function ordersMaskOfFieldsSql(fields: string, x: string): string {
  const f = (k: string) => `try_cast((${fields}).${k} as integer)`;
  const len = (k: string) => `length((${fields}).${k})`;
  const dotted = `regexp_matches(${x}, '^\\d+\\.')`;
  return `(case when ${f('a')} between 1 and 31 and ${f('b')} between 1 and 12 then 1 else 0 end
    + case when ${f('a')} between 1 and 12 and ${f('b')} between 1 and 31 and not ${dotted} then 2 else 0 end
    + case when ${len('a')} = 2 and ${len('c')} = 2 and ${f('b')} between 1 and 12 and ${f('c')} between 1 and 31 then 4 else 0 end)`;
}

export const orderBit: Record<DateOrder, number> = { dmy: 1, mdy: 2, ymd: 4 };

/** How one column's dates are read: the order of its numeric dates, and whether its values disagreed. */
export interface DateReading {
  order: DateOrder;
  /** values only one order reads were found for two orders: only values `order` alone reads are read */
  conflict: boolean;
  /** the form most values have, parsed first */
  main?: Form;
}

const clock = ['', ' %H:%M', ' %H:%M:%S', ' %H:%M:%S.%f', ' %I:%M %p', ' %I:%M:%S %p'];
const formats = (date: string) => `[${clock.map((c) => `'${date}${c}'`).join(', ')}]`;
/** one spelling of the date-time separator, the clock and its AM/PM */
const tidy = (x: string) => `regexp_replace(regexp_replace(${x}, '^([^ T,]+)(?:T|,? )', '\\1 '), '\\s*([AaPp])\\.?[Mm]\\.?$', ' \\1M')`;

function formValueSql(form: Form, x: string, tz: string, order: DateOrder): string {
  const zone = sqlString(tz);
  const local = (ts: string) => `timezone(${zone}, ${ts})`;
  switch (form) {
    case 'epoch_ms':
      return `make_timestamp(try_cast(${x} as bigint) * 1000)::timestamptz`;
    case 'epoch_s':
      return `make_timestamp(cast(round(try_cast(${x} as double) * 1000000) as bigint))::timestamptz`;
    case 'iso_offset':
      return `coalesce(try_cast(regexp_replace(${x}, '\\s*(UTC|GMT)$', 'Z', 'i') as timestamptz), try_strptime(${x}, '%Y-%m-%d %H:%M:%S %z'), try_strptime(${x}, '%Y-%m-%dT%H:%M:%S%z'))`;
    case 'iso_naive':
      return local(`try_cast(${x} as timestamp)`);
    case 'clf':
      return `try_strptime(${x}, '%d/%b/%Y:%H:%M:%S %z')`;
    case 'year_first':
      return local(`try_strptime(${tidy(`regexp_replace(${x}, '^(\\d{4})[/.-](\\d{1,2})[/.-](\\d{1,2})', '\\1-\\2-\\3')`)}, ${formats('%Y-%m-%d')})`);
    case 'numeric': {
      const slashed = tidy(`regexp_replace(${x}, '^(\\d+)[.-](\\d+)[.-](\\d+)', '\\1/\\2/\\3')`);
      const date = { dmy: ['%d/%m/%Y', '%d/%m/%y'], mdy: ['%m/%d/%Y', '%m/%d/%y'], ymd: ['%y/%m/%d', '%y/%m/%d'] }[order];
      // the year's width picks %Y or %y: %Y would read 26 as the year 26
      return local(`case when regexp_matches(${x}, '^\\d+[/.-]\\d+[/.-]\\d{4}') then try_strptime(${slashed}, ${formats(date[0]!)}) else try_strptime(${slashed}, ${formats(date[1]!)}) end`);
    }
    case 'chinese':
      return local(`try_strptime(trim(regexp_replace(${x}, '^(\\d{4})年(\\d{1,2})月(\\d{1,2})日\\s*', '\\1-\\2-\\3 ')), ${formats('%Y-%m-%d')})`);
    case 'month_name': {
      // 4 March 2026, March 4, 2026, Mar 4 2026, 04-Mar-2026, Wed, 4 Mar 2026 → "4 mar 2026" or "mar 4 2026"
      const plain = `trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower(${x}), 'sept([. ])', 'sep\\1'), '^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? ', ''), '(\\d)(st|nd|rd|th)', '\\1'), '^(\\d{1,2})-([a-z]+)\\.?-(\\d{4})|([a-z]+)\\.? (\\d{1,2}),? (\\d{4})|(\\d{1,2}) ([a-z]+)\\.?,? (\\d{4})', '\\1\\5\\7 \\2\\4\\8 \\3\\6\\9'))`;
      const list = ['%d %B %Y', '%d %b %Y'].flatMap((d) => clock.map((c) => `'${d}${c}'`));
      return local(`try_strptime(${tidy(plain)}, [${list.join(', ')}])`);
    }
  }
}

/** Cheap shape checks so the fast path never reads a value of another form (DuckDB's cast is lenient). */
const guards: Record<Form, (x: string) => string> = {
  epoch_ms: (x) => `length(${x}) between 12 and 13`,
  epoch_s: (x) => `length(${x}) between 9 and 17 and ${x} not like '%-%' and ${x} not like '%/%' and ${x} not like '%:%'`,
  iso_offset: (x) => `${x} like '____-__-__%'`,
  iso_naive: (x) => `${x} like '____-__-__%'`,
  clf: (x) => `${x} like '%/___/____:%'`,
  year_first: (x) => `regexp_matches(${x}, '^\\d{4}[/.-]')`,
  numeric: (x) => `regexp_matches(${x}, '^\\d{1,2}[/.-]\\d{1,2}[/.-]\\d')`,
  chinese: (x) => `${x} like '%年%'`,
  month_name: (x) => `regexp_matches(${x}, '[A-Za-z]{3}')`,
};


/**
 * A TIMESTAMPTZ expression for the text expression `x` in its column's reading; times without an offset
 * are read in `tz`. The column's main form is tried first (one cheap parse per row); the dispatch on the
 * value's shape only sees rows that form did not read.
 */
export function timestampSql(x: string, tz: string, reading: DateReading): string {
  const numericValue = (v: string) => {
    const value = formValueSql('numeric', v, tz, reading.order);
    // in a column of both orders, a value another order also reads (02/03/2026) cannot be read with certainty
    return reading.conflict ? `case when ${ordersMaskSql(v)} = ${orderBit[reading.order]} then ${value} end` : value;
  };
  const valueOf = (form: Form) => (form === 'numeric' ? numericValue(x) : formValueSql(form, x, tz, reading.order));
  const dispatch = `case ${formSql(x)} ${forms.map((form) => `when '${form}' then ${valueOf(form)}`).join(' ')} end`;
  const main = reading.main;
  return main ? `coalesce(case when ${guards[main](x)} then ${valueOf(main)} end, ${dispatch})` : dispatch;
}

/** Why `x` (not null) has no timestamp: what follows the quoted value in its reject reason. */
export function timestampProblemSql(x: string, reading: DateReading): string {
  const label = orderLabel[reading.order];
  const conflict = reading.conflict
    ? `when ${formSql(x)} = 'numeric' and ${ordersMaskSql(x)} not in (0, ${orderBit[reading.order]}) and ${ordersMaskSql(x)} & ${orderBit[reading.order]} <> 0
         then 'cannot be read with certainty: the column mixes dates only day/month/year reads and dates only month/day/year reads; it is read as ${label}, the order of most of them'
       when ${formSql(x)} = 'numeric' and ${ordersMaskSql(x)} & ${orderBit[reading.order]} = 0 and ${ordersMaskSql(x)} <> 0
         then 'is not a date in the column''s order ${label}: the column mixes dates only day/month/year reads and dates only month/day/year reads, and most are ${label}'`
    : '';
  return `case ${conflict}
    when ${formSql(x)} = 'numeric' and ${ordersMaskSql(x)} & ${orderBit[reading.order]} = 0 then 'is not a date in the column''s order ${label}'
    else 'is not a timestamp (${timestampForms})' end`;
}
