// Map and validate: turn the raw text table into typed canonical columns for the file's kind. A row
// that fails gets a reason naming each bad field and what was expected; it goes to `rejects`.
import type { IngestConfig as Config } from './config.ts';
import { classifyAgents, hostSql, pathSql, queryParamSql } from './classify.ts';
import { normaliseHeader, type ColumnMap, type Kind } from './columns.ts';
import type { Profile } from './profiles/profile.ts';
import { globToLike } from '../queries/shared/patterns.ts';
import { lineEventIdSql } from './line-ids.ts';
import { ident, sqlString } from '../queries/db/quote.ts';
import { propertiesSql } from './properties.ts';
import { timestampProblemSql, timestampSql, type DateReading } from './values/date-format.ts';
import { numberProblemSql, numberSql, type NumberReading } from './values/number-format.ts';
import type { ValueColumn } from './values/readings.ts';
import { sql, type Kysely } from 'kysely';
import type { PhaseClock } from './phase-clock.ts';

type ColumnType = 'text' | 'id' | 'ts' | 'money' | 'price' | 'number' | 'int' | 'date' | 'severity' | 'lower';

const columnTypes: Record<Kind, Record<string, ColumnType>> = {
  web: {
    event_id: 'text', ts: 'ts', visitor_id: 'id', session_id: 'text', customer_id: 'id', event: 'lower', url: 'text', referrer: 'text',
    utm_source: 'text', utm_medium: 'text', utm_campaign: 'text', utm_content: 'text', utm_term: 'text', user_agent: 'text', ip: 'text',
    device: 'lower', country: 'text', order_id: 'id', value: 'money', status_code: 'int',
  },
  sales: {
    order_id: 'id', ts: 'ts', amount: 'money', quantity: 'number', unit_price: 'price', customer_id: 'id', visitor_id: 'id', currency: 'text',
    status: 'lower', coupon: 'text', items: 'int', utm_source: 'text', utm_medium: 'text', utm_campaign: 'text',
    sku: 'text', description: 'text', country: 'text', city: 'text',
  },
  campaigns: {
    date: 'date', campaign: 'text', source: 'text', medium: 'text', audience: 'int', impressions: 'int', reach: 'int', clicks: 'int', cost: 'money', currency: 'text',
  },
  complaints: {
    complaint_id: 'id', ts: 'ts', customer_id: 'id', category: 'text', order_id: 'id', severity: 'severity', amount: 'money',
    responded_at: 'ts', resolved_at: 'ts', status: 'lower',
  },
};

const sqlType: Record<ColumnType, string> = {
  text: 'varchar', lower: 'varchar', id: 'varchar', severity: 'varchar', ts: 'timestamptz', money: 'decimal(18,2)', price: 'decimal(18,4)', number: 'double', int: 'bigint', date: 'date',
};

const required: Record<Kind, string[]> = {
  web: ['ts', 'visitor_id', 'event'],
  sales: ['order_id', 'ts'],
  campaigns: ['date', 'campaign'],
  complaints: ['complaint_id', 'ts', 'customer_id', 'category'],
};

const severities = 'minor, general or serious (also 轻微/輕微, 一般, 严重/嚴重, low, medium, high)';

const severityWords: Record<string, string> = {
  minor: 'minor', low: 'minor', '轻微': 'minor', '輕微': 'minor', '轻': 'minor', '輕': 'minor',
  general: 'general', medium: 'general', normal: 'general', moderate: 'general', '一般': 'general', '中': 'general',
  serious: 'serious', high: 'serious', severe: 'serious', critical: 'serious', major: 'serious', '严重': 'serious', '嚴重': 'serious', '重': 'serious',
};

/** How the file's numeric and date columns are read, as decided from all their values. */
export interface Readings {
  numbers: Record<string, NumberReading>;
  dates: Record<string, DateReading>;
}

function numberReading(readings: Readings, name: string): NumberReading {
  const reading = readings.numbers[name];
  if (!reading) throw new Error(`no number format was decided for column ${name}`);
  return reading;
}

function dateReading(readings: Readings, name: string): DateReading {
  const reading = readings.dates[name];
  if (!reading) throw new Error(`no date reading was decided for column ${name}`);
  return reading;
}

function typed(type: ColumnType, x: string, tz: string, name: string, readings: Readings): string {
  switch (type) {
    case 'text':
      return x;
    case 'lower':
      return `lower(${x})`;
    case 'id':
      return `regexp_replace(${x}, '^(-?\\d+)\\.0+$', '\\1')`;
    case 'ts':
      return timestampSql(x, tz, dateReading(readings, name));
    case 'date':
      return `cast(timezone('UTC', ${timestampSql(x, 'UTC', dateReading(readings, name))}) as date)`;
    case 'money':
    case 'price':
    case 'number':
    case 'int':
      return numberSql(x, type, numberReading(readings, name));
    case 'severity':
      return `case lower(${x}) ${Object.entries(severityWords).map(([word, level]) => `when ${sqlString(word)} then '${level}'`).join(' ')} end`;
  }
}

/** What follows the quoted value in the reason of a value that `typed` could not read. */
function problem(type: ColumnType, x: string, name: string, readings: Readings): string {
  switch (type) {
    case 'ts':
    case 'date':
      return timestampProblemSql(x, dateReading(readings, name));
    case 'money':
    case 'price':
    case 'number':
    case 'int':
      return numberProblemSql(x, type, numberReading(readings, name));
    default:
      return sqlString(`is not ${severities}`);
  }
}

/** The numeric and date columns a file of this kind maps, with the SQL of their raw text (for deciding how to read them). */
export function valueColumns(input: Pick<StageInput, 'kind' | 'headers' | 'map' | 'profile'>): ValueColumn[] {
  const out: ValueColumn[] = [];
  for (const [name, type] of Object.entries(columnTypes[input.kind])) {
    const kind = type === 'ts' || type === 'date' ? 'date' : type === 'money' || type === 'price' || type === 'number' || type === 'int' ? 'number' : null;
    if (!kind) continue;
    const text = rawText(input, name);
    if (text === 'null') continue;
    out.push({ name, header: input.map[name] ?? name, kind, text });
  }
  return out;
}

/** The trimmed text of canonical column `name` in raw row `r`: a profile's expression, or the mapped header. */
function rawText(input: Pick<StageInput, 'headers' | 'map' | 'profile'>, name: string): string {
  const expr = input.profile?.expressions?.[name];
  if (expr) return `nullif(trim(${expr(headerSql(input.headers), input.headers)}), '')`;
  const header = input.map[name];
  return header ? `nullif(trim(r.${ident(header)}), '')` : 'null';
}

/** References a header (exact, else normalised) of raw row `r`, as profiles' SQL needs; 'null' when absent. */
function headerSql(headers: string[]): (header: string) => string {
  return (header) => {
    const actual = headers.find((h) => h === header) ?? headers.find((h) => normaliseHeader(h) === header);
    return actual ? `r.${ident(actual)}` : 'null';
  };
}

export interface StageInput {
  kind: Kind;
  raw: string;
  table: string;
  headers: string[];
  map: ColumnMap;
  profile?: Profile;
  config: Config;
  salt: string;
  readings: Readings;
  rowFilter?: string;
  /** the raw row as JSON, for formats that have one (ReadResult.rowJson) */
  rowJson?: string;
  /** web events whose path matches one of these globs are rejected as excluded (--exclude-path) */
  excludePaths?: string[];
  /** a table (__text, base) of occurrences already loaded: request-line ids continue from there (a followed file's slice) */
  lineBase?: string;
  clock?: PhaseClock;
}

/**
 * Creates the staging table `input.table`: __row (raw rowid), typed columns, __reason (null = good).
 * Web files first classify each distinct user agent once (bot, device) into `_in_agents`.
 */
export async function stage(conn: Kysely<unknown>, input: StageInput): Promise<void> {
  const { agents, before, staged } = stageSql(input);
  for (const statement of before) await sql.raw(statement).execute(conn);
  if (agents) await classifyAgents(conn, agents, input.config.bot_user_agents);
  input.clock?.lap('user agents, clients, repeated lines');
  await sql.raw(staged).execute(conn); // SQL text stageSql assembled from aida's own fragments, names quoted by queries/db/quote.ts
  input.clock?.lap('typed staging');
}

/** Columns of the inner select: a canonical column's trimmed text, and its typed value (see stageSql). */
const textColumn = (name: string) => `__txt_${name}`;
const valueColumn = (name: string) => `__val_${name}`;

/**
 * The staging table's SQL, and for web files the query of their distinct user agents. One pass in two
 * levels: the inner select reads each canonical column's text and typed value once; the outer one
 * names the typed columns and words each field's reason from them (a value is parsed once, not again
 * for its reason).
 */
function stageSql(input: StageInput): { agents?: string; before: string[]; staged: string } {
  const { kind, profile, map, config } = input;
  const types = columnTypes[kind];
  const rawTextOf = (name: string): string => {
    const text = rawText(input, name);
    // the order's time sits on its first line: every line of the order takes it
    if (text !== 'null' && !profile?.expressions?.[name] && name === 'ts' && profile?.orderFieldsOnFirstLine && map.order_id) {
      return `coalesce(${text}, max(${text}) over (partition by nullif(trim(r.${ident(map.order_id)}), '')))`;
    }
    return text;
  };
  const tz = config.input_timezone;
  // inner levels: every raw column, the row's position and each canonical text; then each parsed value
  const inner: string[] = ['r.*', 'r.rowid as __rowid'];
  const values: string[] = ['r.*'];
  const texts = new Map<string, string>();
  for (const [name, type] of Object.entries(types)) {
    const text = rawTextOf(name);
    if (text === 'null') continue;
    inner.push(`${text} as ${textColumn(name)}`);
    texts.set(name, `r.${textColumn(name)}`);
    if (type !== 'text' && type !== 'lower' && type !== 'id') values.push(`${typed(type, `r.${textColumn(name)}`, tz, name, input.readings)} as ${valueColumn(name)}`);
  }
  const textOf = (name: string): string => texts.get(name) ?? 'null';
  const select: string[] = ['r.__rowid as __row'];
  const reasons: string[] = [];
  const isAccessLog = profile?.name === 'access-log';
  for (const [name, type] of Object.entries(types)) {
    if (name === 'visitor_id' && kind === 'web' && isAccessLog) continue;
    const text = textOf(name);
    if (text === 'null') {
      select.push(`null::${sqlType[type]} as ${name}`);
      continue;
    }
    const parsed = type !== 'text' && type !== 'lower' && type !== 'id';
    const value = parsed ? `r.${valueColumn(name)}` : typed(type, text, tz, name, input.readings);
    select.push(`${value} as ${name}`);
    const label = map[name] && map[name] !== name ? `${name} (column "${map[name]}")` : name;
    if (parsed) {
      reasons.push(`case when ${text} is not null and ${value} is null then ${sqlString(`${label} `)} || ${quoted(text)} || ' ' || (${problem(type, text, name, input.readings)}) end`);
    }
    if (required[kind].includes(name)) reasons.push(`case when ${text} is null then ${sqlString(`${label} is empty (required)`)} end`);
  }
  if (kind === 'web') select.push(...webExtras(input, textOf, isAccessLog));
  if (kind === 'web' || kind === 'sales') select.push(`${propertiesSql(input, headerSql(input.headers))} as properties`);
  if (kind === 'sales' && !map.amount) {
    reasons.push(`case when ${textOf('quantity')} is null then 'quantity is empty (required: amount, or quantity and unit_price)' end`);
    reasons.push(`case when ${textOf('unit_price')} is null then 'unit_price is empty (required: amount, or quantity and unit_price)' end`);
  }
  const reason = `nullif(concat_ws('; ', ${reasons.length ? reasons.join(', ') : 'null'}), '')`;
  // a report's total row, or an event the user excluded, is not a bad record: that is its only reason
  const excluded = kind === 'web' && input.excludePaths?.length ? exclusionSql(pathSql(textOf('url')), input.excludePaths) : null;
  const only = [...(profile?.rowReason ? [profile.rowReason(headerSql(input.headers), input.headers)] : []), ...(excluded ? [excluded] : [])];
  select.push(`${only.length ? `coalesce(${only.join(', ')}, ${reason})` : reason} as __reason`);
  if (excluded) select.push(`${excluded} is not null as __excluded`);
  const where = input.rowFilter ? `where ${input.rowFilter}` : '';
  const from = `(select ${values.join(',\n    ')} from (select ${inner.join(',\n    ')} from ${input.raw} r ${where}) r) r`;
  const joins = [
    ...(input.lineBase ? [`left join ${input.lineBase} lb on lb.__text = r.__text`] : []),
    ...(isAccessLog ? [
      `left join _in_line_occ o on o.__rowid = r.__rowid`,
      `left join _in_clients c on c.ip is not distinct from ${textOf('ip')} and c.ua is not distinct from ${textOf('user_agent')}`,
    ] : []),
  ];
  const before = isAccessLog ? accessLogTables(input, rawTextOf, where) : [];
  const ua = textOf('user_agent');
  // a file without a user agent column says nothing about bots: only files that have one are classified
  if (kind !== 'web' || ua === 'null') return { before, staged: `create temp table ${input.table} as select ${select.join(',\n  ')} from ${from} ${joins.join(' ')}` };
  return {
    // a server log's agents are those of its clients, already distinct
    agents: isAccessLog ? 'select distinct ua from _in_clients' : `select distinct ${rawTextOf('user_agent')} as ua from ${input.raw} r ${where}`,
    before,
    staged: `create temp table ${input.table} as select ${select.join(',\n  ')} from ${from} left join _in_agents a on a.ua is not distinct from ${ua} ${joins.join(' ')}`,
  };
}

/**
 * A server log's visitor is a salted hash of client IP and user agent, computed once per distinct pair
 * (`_in_clients`); a request line's id counts its occurrences, which only lines that repeat need
 * (`_in_line_occ`: their later occurrences, numbered on narrow rows; every other line is occurrence 1).
 * Repeated lines are found by a 64-bit hash of their text (a collision only adds a line to number: the
 * numbering itself is by the exact text).
 */
function accessLogTables(input: StageInput, rawTextOf: (name: string) => string, where: string): string[] {
  const ip = rawTextOf('ip');
  const ua = rawTextOf('user_agent');
  const and = where ? `${where} and` : 'where';
  return [
    `create or replace temp table _in_clients as select ip, ua, left(md5(${sqlString(input.salt)} || coalesce(ip, '') || '|' || coalesce(ua, '')), 16) as visitor_id
     from (select distinct ${ip} as ip, ${ua} as ua from ${input.raw} r ${where})`,
    `create or replace temp table _in_line_occ as select __rowid, n from (
       select r.rowid as __rowid, row_number() over (partition by r.__text order by r.rowid) as n from ${input.raw} r
       ${and} hash(r.__text) in (select hash(r.__text) as h from ${input.raw} r ${where} group by h having count(*) > 1)
     ) where n > 1`,
  ];
}

/** SQL: why an event with this path is excluded (the first matching --exclude-path glob), else null. */
function exclusionSql(path: string, globs: string[]): string {
  // the same path glob as stages and funnel steps (queries/shared/patterns.ts): `*` any run, the rest literal
  return `case ${globs.map((g) => `when ${path} like ${sqlString(globToLike(g))} escape '\\' then 'path ' || ${quoted(path)} || ${sqlString(` excluded by --exclude-path '${g}'`)}`).join(' ')} end`;
}

function quoted(text: string): string {
  return `'''' || left(${text}, 80) || ''''`;
}

/** Columns only web events have: visitor id for logs, event id, path, hosts, utm from the URL, bot, device. */
function webExtras(input: StageInput, textOf: (name: string) => string, isAccessLog: boolean): string[] {
  const ua = textOf('user_agent');
  const url = textOf('url');
  const ip = textOf('ip');
  // bot and device come from `_in_agents` (joined as `a`), classified once per distinct user agent
  const out: string[] = [];
  // a server log's visitor and line occurrence come from `_in_clients` (c) and `_in_line_occ` (o), see accessLogTables
  if (isAccessLog) out.push(`c.visitor_id as visitor_id`);
  const visitor = isAccessLog ? 'c.visitor_id' : typed('id', textOf('visitor_id'), '', 'visitor_id', { numbers: {}, dates: {} });
  const eventId = isAccessLog
    ? lineEventIdSql('r.__text', `${input.lineBase ? 'coalesce(lb.base, 0) + ' : ''}coalesce(o.n, 1)`)
    : `coalesce(${textOf('event_id')}, md5(coalesce(${visitor}, '') || '|' || coalesce(${textOf('ts')}, '') || '|' || coalesce(lower(${textOf('event')}), '') || '|' || coalesce(${url}, '')))`;
  out.push(`${eventId} as __event_id`);
  out.push(`${pathSql(url)} as path`);
  out.push(`${hostSql(textOf('referrer'))} as referrer_host`);
  for (const p of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term']) {
    out.push(`${queryParamSql(url, p)} as __url_${p}`);
  }
  out.push(ua === 'null' ? 'false as is_bot' : 'a.is_bot as is_bot');
  out.push(ua === 'null' ? 'null::varchar as __ua_device' : 'a.device as __ua_device');
  return out;
}
