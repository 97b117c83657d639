// Every timestamp form of SPEC §4 as one DuckDB expression. A sample of the column picks the form
// most rows use (one cheap parse per row); the general CASE only sees rows that form did not parse.
import { sqlString } from './sql-text.ts';

type Form = 'epoch_ms' | 'epoch_s' | 'iso_offset' | 'iso_naive' | 'clf' | 'mdy' | 'dmy_dots';

const tests: [Form, RegExp][] = [
  ['epoch_ms', /^\d{12,13}$/],
  ['epoch_s', /^\d{9,10}(\.\d+)?$/],
  ['iso_offset', /^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}(:?\d{2})?)$/i],
  ['iso_naive', /^\d{4}-\d{2}-\d{2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$/],
  ['clf', /^\d{1,2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}$/],
  ['mdy', /^\d{1,2}\/\d{1,2}\/\d{2,4}( \d{1,2}:\d{2}(:\d{2})?)?$/],
];

export function classify(value: string): Form | null {
  for (const [form, re] of tests) if (re.test(value)) return form;
  return null;
}

function formSql(form: Form, x: string, tz: string): string {
  const zone = sqlString(tz);
  switch (form) {
    case 'epoch_ms':
      return `make_timestamp(try_cast(${x} as bigint) * 1000)::timestamptz`;
    case 'epoch_s':
      return `make_timestamp(cast(round(try_cast(${x} as double) * 1000000) as bigint))::timestamptz`;
    case 'iso_offset':
      return `coalesce(try_cast(regexp_replace(${x}, '\\s*(UTC|GMT)$', 'Z', 'i') as timestamptz), try_strptime(${x}, '%Y-%m-%d %H:%M:%S %z'), try_strptime(${x}, '%Y-%m-%dT%H:%M:%S%z'))`;
    case 'iso_naive':
      return `timezone(${zone}, try_cast(${x} as timestamp))`;
    case 'clf':
      return `try_strptime(${x}, '%d/%b/%Y:%H:%M:%S %z')`;
    case 'mdy':
      return `timezone(${zone}, coalesce(try_strptime(${x}, '%m/%d/%y %H:%M'), try_strptime(${x}, '%m/%d/%Y %H:%M'), try_strptime(${x}, '%m/%d/%Y %H:%M:%S'), try_strptime(${x}, '%m/%d/%y %H:%M:%S'), try_strptime(${x}, '%m/%d/%Y'), try_strptime(${x}, '%m/%d/%y')))`;
    case 'dmy_dots':
      return `timezone(${zone}, coalesce(try_strptime(${x}, '%d.%m.%Y %H:%M:%S'), try_strptime(${x}, '%d.%m.%Y %H:%M'), try_strptime(${x}, '%d.%m.%Y')))`;
  }
}

/** Cheap shape checks so the fast path never reads a value of another form (DuckDB's cast is lenient). */
const guards: Record<Form, (x: string) => string> = {
  epoch_ms: (x) => `length(${x}) between 12 and 13`,
  epoch_s: (x) => `length(${x}) between 9 and 17 and ${x} not like '%-%' and ${x} not like '%/%' and ${x} not like '%:%'`,
  iso_offset: (x) => `${x} like '____-__-__%'`,
  iso_naive: (x) => `${x} like '____-__-__%'`,
  clf: (x) => `${x} like '%/___/____:%'`,
  mdy: (x) => `${x} like '%/%/%' and ${x} not like '%/___/%'`,
  dmy_dots: (x) => `${x} like '%.%.%'`,
};

/** The general parser: dispatch on the shape of the value. */
function anyFormSql(x: string, tz: string): string {
  return `case
    when regexp_full_match(${x}, '\\d{12,13}') then ${formSql('epoch_ms', x, tz)}
    when regexp_full_match(${x}, '\\d{9,10}(\\.\\d+)?') then ${formSql('epoch_s', x, tz)}
    when regexp_matches(${x}, '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{1,2}:\\d{2}.*(Z|UTC|GMT|[+-]\\d{2}:?\\d{2}|[+-]\\d{2})$', 'i') then ${formSql('iso_offset', x, tz)}
    when regexp_matches(${x}, '^\\d{4}-\\d{2}-\\d{2}') then ${formSql('iso_naive', x, tz)}
    when regexp_matches(${x}, '^\\d{1,2}/[A-Za-z]{3}/\\d{4}:') then ${formSql('clf', x, tz)}
    when regexp_matches(${x}, '^\\d{1,2}/\\d{1,2}/\\d{2,4}') then ${formSql('mdy', x, tz)}
    when regexp_matches(${x}, '^\\d{1,2}\\.\\d{1,2}\\.\\d{4}') then ${formSql('dmy_dots', x, tz)}
  end`;
}

/**
 * A TIMESTAMPTZ expression for the text expression `x`. `sample` is a few of the column's values; times
 * without an offset are read in `tz`.
 */
export function timestampSql(x: string, tz: string, sample: string[]): string {
  const counts = new Map<Form, number>();
  for (const v of sample) {
    const form = classify(v.trim());
    if (form) counts.set(form, (counts.get(form) ?? 0) + 1);
  }
  const main = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return main ? `coalesce(case when ${guards[main](x)} then ${formSql(main, x, tz)} end, ${anyFormSql(x, tz)})` : anyFormSql(x, tz);
}

export const timestampForms =
  'ISO-8601 with or without offset, YYYY-MM-DD HH:MM:SS, DD/Mon/YYYY:HH:MM:SS ±zzzz, M/D/YY H:MM, or epoch seconds/milliseconds';
