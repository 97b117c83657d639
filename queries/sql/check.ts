// The SQL console's gate (SPEC §6): a query runs only if DuckDB's own parser sees exactly one SELECT
// (or EXPLAIN [ANALYZE] of one) whose every function, table function and table is on the allow-list.
// The text that is prepared is the text that was checked: an EXPLAIN is rebuilt around its checked part.
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { StatementType } from '../db/duckdb.ts';
import type { Db } from '../db/open.ts';
import { sqlString } from '../db/quote.ts';
import { allowedFor, hiddenRelations, type Allowed } from './allowed.ts';
import { lex, maxNesting } from './lexical.ts';
import { publicError, publicMessage } from './messages.ts';

/** A query that is not run (or was stopped): `reason` says which layer refused it. */
export class SqlRefused extends Error {
  constructor(
    readonly reason: 'empty' | 'syntax' | 'nesting' | 'statements' | 'statement-type' | 'function' | 'table' | 'timeout' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

/** A query the console allows that DuckDB failed on: DuckDB's own message, and its hint when it has one. */
export class SqlFailed extends Error {
  readonly hint?: string;
  constructor(err: unknown) {
    const { message, hint } = publicError(err);
    super(message);
    if (hint) this.hint = hint;
  }
}

const readOnly = 'the SQL console is read-only: only SELECT (or EXPLAIN SELECT) statements run here';

const statementNames = Object.fromEntries(Object.entries(StatementType).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v, k])) as Record<number, string>;

function typeName(type: StatementType): string {
  const name = statementNames[type] ?? `type ${type}`;
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** DuckDB's parse tree of `text` (json_serialize_sql parses without binding); null unless it is SELECTs. */
async function parseTree(conn: DuckDBConnection, text: string): Promise<{ statements: unknown[] } | null> {
  // json_serialize_sql only takes a constant: the text as a string literal
  const reader = await conn.runAndReadAll(`select json_serialize_sql(${sqlString(text)}) as tree`);
  const tree = JSON.parse(String(reader.getRowsJS()[0]![0])) as { error: boolean; statements: unknown[] };
  return tree.error ? null : tree;
}

type Node = Record<string, unknown>;

const unquote = (name: string) => name.replace(/^"(.*)"$/, '$1').replaceAll('""', '"').toLowerCase();

/** Every name the tree calls or reads, checked against the allow-lists; the first refusal is thrown. */
function checkTree(statement: unknown, allowed: Allowed): void {
  const ctes = new Set<string>();
  const tables: { schema: string; catalog: string; name: string; written: string }[] = [];
  const refuseFunction = (name: string) => {
    throw new SqlRefused('function', `${name}() is not allowed in the SQL console: ${hintFor(name)}`);
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (node.cte_map && typeof node.cte_map === 'object') {
      for (const entry of ((node.cte_map as Node).map as { key: string }[] | undefined) ?? []) ctes.add(entry.key.toLowerCase());
    }
    if (node.type === 'TABLE_FUNCTION') {
      const fn = node.function as Node;
      const name = String(fn.function_name).toLowerCase();
      if (!allowed.table.has(name)) refuseFunction(name);
      walk(fn.children);
      for (const [k, v] of Object.entries(node)) if (k !== 'function') walk(v);
      return;
    }
    if (node.type === 'BASE_TABLE') {
      tables.push({ schema: String(node.schema_name ?? '').toLowerCase(), catalog: String(node.catalog_name ?? '').toLowerCase(), name: String(node.table_name).toLowerCase(), written: String(node.table_name) });
    }
    if (node.type === 'SHOW_REF' && typeof node.table_name === 'string' && node.table_name && !node.query) {
      const name = unquote(node.table_name);
      if (name !== 'tables' && !allowed.relations.has(name)) tables.push({ schema: '', catalog: '', name, written: name });
    }
    if (typeof node.function_name === 'string') {
      const name = node.function_name.toLowerCase();
      // a name DuckDB does not know at all is a typo: its binder fails with "Did you mean ..."
      if (!allowed.scalar.has(name) && allowed.functions.has(name)) refuseFunction(name);
    }
    for (const v of Object.values(node)) walk(v);
  };
  walk(statement);
  for (const t of tables) {
    const qualified = t.schema && t.schema !== 'main' ? `${t.schema}.${t.name}` : t.name;
    const cte = !t.schema && !t.catalog && ctes.has(t.name);
    if (cte && allowed.known.has(t.name) && !allowed.relations.has(t.name)) {
      throw new SqlRefused('table', `a CTE may not be named ${t.name} in the SQL console (that name belongs to a table the console cannot read): rename it`);
    }
    if (cte || allowed.relations.has(qualified)) continue;
    if (hiddenRelations.has(t.name)) throw new SqlRefused('table', `${t.name} is not readable from the SQL console (it holds the visitor salt)`);
    // a plain name the catalog does not know at all is a typo: the binder fails with "Did you mean ..."
    // (no file behind it: a name without a dot or quote is never a replacement scan)
    if (!t.schema && !t.catalog && /^[a-z_][a-z0-9_]*$/.test(t.name) && !allowed.known.has(t.name)) continue;
    if (!/^[a-z_][a-z0-9_]*$/.test(t.name)) {
      throw new SqlRefused('table', `the SQL console reads the warehouse's tables and views, not files: '${t.written}' is not one of them`);
    }
    throw new SqlRefused('table', `no table or view named ${qualified} is readable from the SQL console (it reads the warehouse's tables and v_* views, and DuckDB's catalog views such as duckdb_tables and information_schema.columns)`);
  }
}

function hintFor(name: string): string {
  if (/^(read_|parquet_|sniff_)|^glob$/.test(name)) return 'it reads files (the console reads only the warehouse)';
  if (/^(query|query_table|json_\w+_sql|json_serialize_plan)$/.test(name)) return 'it runs or parses SQL text the console has not checked';
  if (/^(enable|disable|verify)_|setting|log|profil/.test(name)) return 'it changes or reads server settings or logs';
  if (/checkpoint|nextval|currval|setseed|sleep|variable|database/.test(name)) return 'it touches database or session state';
  if (/json/.test(name)) return 'it recurses without limit on deeply nested JSON and can crash the server';
  return "it is not on the console's allow-list (DuckDB's scalar and aggregate functions, the warehouse's macros, and table functions such as range, unnest, generate_series and duckdb_tables)";
}

/**
 * Decides whether `text` may run, with DuckDB's parser: returns the prepared statement or throws
 * SqlRefused naming the reason. Nothing but a checked SELECT is ever bound (binding some statements
 * already acts: EXPORT DATABASE creates its directory).
 */
export async function checkSql(db: Db, conn: DuckDBConnection, text: string): Promise<DuckDBPreparedStatement> {
  if (text.includes('\0')) throw new SqlRefused('syntax', 'the query contains a NUL character');
  const lexed = lex(text);
  if (lexed.empty) throw new SqlRefused('empty', 'there is no statement to run');
  if (lexed.depth > maxNesting) {
    throw new SqlRefused('nesting', `the query nests brackets ${lexed.depth} deep; the SQL console allows at most ${maxNesting}`);
  }
  if (lexed.problem) throw new SqlRefused('syntax', lexed.problem);
  let count: number;
  try {
    count = (await conn.extractStatements(text)).count;
  } catch (err) {
    throw new SqlRefused('syntax', publicMessage(err).replace(/^Failed to extract statements: /, ''));
  }
  if (count === 0) throw new SqlRefused('empty', 'there is no statement to run');
  if (count > 1) throw new SqlRefused('statements', `exactly one statement is allowed, this text has ${count}: run them one at a time`);
  const explain = lexed.explain;
  if (explain?.options) throw new SqlRefused('statement-type', 'EXPLAIN options are not supported in the SQL console: write EXPLAIN or EXPLAIN ANALYZE before the SELECT');
  const checked = explain ? explain.rest : text;
  const tree = await parseTree(conn, checked);
  if (!tree) {
    const keyword = (/^[a-z_]+/i.exec(checked.trimStart())?.[0] ?? '').toUpperCase();
    throw new SqlRefused('statement-type', keyword === 'PRAGMA'
      ? 'PRAGMA statements are not allowed; use the table-function form, e.g. SELECT * FROM pragma_table_info(\'orders\')'
      : `${readOnly}, and this is not a SELECT statement${keyword ? ` (it starts with ${keyword})` : ''}`);
  }
  if (tree.statements.length !== 1) throw new SqlRefused('statements', `exactly one statement is allowed, this text has ${tree.statements.length}`);
  checkTree(tree.statements[0], await allowedFor(db));
  const run = explain ? `explain ${explain.analyze ? 'analyze ' : ''}${checked}` : checked;
  let prepared: DuckDBPreparedStatement;
  try {
    const statements = await conn.extractStatements(run);
    if (statements.count !== 1) throw new SqlRefused('statements', 'exactly one statement is allowed');
    prepared = await statements.prepare(0);
  } catch (err) {
    if (err instanceof SqlRefused) throw err;
    throw new SqlFailed(err);
  }
  // the binder's verdict must agree with the parser's
  const expected = explain ? StatementType.EXPLAIN : StatementType.SELECT;
  if (prepared.statementType !== expected) {
    const type = prepared.statementType;
    prepared.destroySync();
    throw new SqlRefused('statement-type', `${readOnly}, and this is ${typeName(type)} statement`);
  }
  return prepared;
}
