// `aida sql "QUERY"`: one read-only query from the terminal, printed as a table, CSV or JSON; sent to the
// running `aida serve` (POST /api/sql, the same runner) when it holds the database.
import { parseArgs } from 'node:util';
import { openDb, type Db } from '../../queries/db/open.ts';
import { databasePath, inboxDir } from '../../queries/db/paths.ts';
import { confineFileAccess, csvPieces, openSql, runSql, SqlFailed, SqlRefused } from '../../queries/sql.ts';
import type { HandOff } from '../../server/hand-off/client.ts';
import { loadConfig } from '../config.ts';

export const sqlHelp = `Usage: aida sql "<query>" [--format table|csv|json] [--db PATH]

Runs one read-only query against the warehouse (tables, v_* views and the funnel/retention macros)
and prints the result. The same rules as the web SQL console: one SELECT (or EXPLAIN SELECT) whose
functions and tables are on the console's allow-list (no files, settings or logs; see README), run in a
read-only transaction, stopped after sql.timeout_seconds; table/json print at most sql.max_result_mb.
While 'aida serve' holds the database, the query goes to it (POST /api/sql; AIDA_TOKEN if it has tokens).`;

function textCell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('.000Z', 'Z');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function formatTable(columns: string[], rows: unknown[][]): string {
  const cells = rows.map((r) => r.map(textCell));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((r) => r[i]!.length))));
  const fit = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const sep = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [columns.map((c, i) => fit(c, widths[i]!)).join(' | '), sep, ...cells.map((r) => r.map((c, i) => fit(c, widths[i]!)).join(' | ')), `(${rows.length} row${rows.length === 1 ? '' : 's'})`].join('\n');
}

export async function sqlCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'table' }, db: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(sqlHelp);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error('aida sql needs exactly one query argument (quote it); see aida sql --help');
    return 2;
  }
  if (!['table', 'csv', 'json'].includes(values.format!)) {
    console.error(`--format must be table, csv or json (got '${values.format}')`);
    return 2;
  }
  const config = loadConfig(values.config);
  const file = databasePath(values.db);
  let db: Db;
  try {
    db = await openDb(file);
  } catch (err) {
    // the hand-off is loaded only when the database cannot be opened
    const to = (await import('../../server/hand-off/client.ts')).handOffIfHeld(err, file, config, 'analyst');
    if (!to) throw err;
    return printThroughServer(to, positionals[0]!, values.format as 'table' | 'csv' | 'json');
  }
  try {
    await confineFileAccess(db, [inboxDir(config, file)]);
    const limits = config.sql;
    if (values.format === 'csv') {
      const cursor = await openSql(db, positionals[0]!, { timeoutSeconds: limits.timeout_seconds, wallSeconds: limits.export_timeout_seconds });
      try {
        for await (const piece of csvPieces(cursor, { maxBytes: limits.max_export_mb * 2 ** 20 }, '\n')) {
          if (!process.stdout.write(piece)) await new Promise((resolve) => process.stdout.once('drain', resolve));
        }
      } finally {
        await cursor.close();
      }
      return 0;
    }
    // a terminal gets every row, within the byte budget of a console answer
    const result = await runSql(db, positionals[0]!, { timeoutSeconds: limits.timeout_seconds, maxRows: Number.MAX_SAFE_INTEGER, maxBytes: limits.max_result_mb * 2 ** 20 });
    const columns = result.columns.map((c) => c.name);
    if (values.format === 'json') console.log(JSON.stringify(result.rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))), null, 2));
    else console.log(formatTable(columns, result.rows));
    if (result.truncated) console.error(`note: the first ${result.rowCount} rows (sql.max_result_mb = ${limits.max_result_mb}); use --format csv for all of them`);
    return 0;
  } catch (err) {
    if (err instanceof SqlFailed) console.error(`error: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`);
    else console.error(`error: ${err instanceof SqlRefused ? err.message : (err as Error).message.split('\n')[0]}`);
    return 1;
  } finally {
    await db.close();
  }
}

/** The database is held by `aida serve`: the same query through its POST /api/sql, printed as here. */
async function printThroughServer(to: HandOff, query: string, format: 'table' | 'csv' | 'json'): Promise<number> {
  const { sqlThroughServer } = await import('../../server/hand-off/client.ts');
  if (format === 'csv') {
    const got = await sqlThroughServer(to, query, 'csv');
    if (!got.ok) return refused(got.message);
    try {
      for await (const piece of got.csv) if (!process.stdout.write(piece)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    } catch (err) {
      console.error(`error: the download from ${to.server.url} was cut off (${(err as Error).message}); the output is incomplete`);
      return 1;
    }
    return 0;
  }
  const got = await sqlThroughServer(to, query, 'json');
  if (!got.ok) return refused(got.message);
  const { columns: cols, rows, truncated } = got.answer;
  const columns = cols.map((c) => c.name);
  if (format === 'json') console.log(JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))), null, 2));
  else console.log(formatTable(columns, rows));
  if (truncated) console.error(`note: the server returned its first ${rows.length} rows (sql.max_rows / sql.max_result_mb); use --format csv for all of them`);
  return 0;
}

function refused(message: string): number {
  console.error(`error: ${message}`);
  return 1;
}
