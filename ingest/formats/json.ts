// NDJSON (one object per line) and JSON arrays of objects. Values are kept as text; nested values as
// their JSON. A line that is not a JSON object is a reject with its line number.
import fs from 'node:fs';
import { FileError, type Source } from '../source.ts';
import { ident, sqlString } from '../../queries/db/quote.ts';
import { locateRows, readLines } from './lines.ts';
import type { ReadResult } from './read-result.ts';
import { sql, type Kysely } from 'kysely';

const isObject = `coalesce(case when json_valid(__text) then json_type(__text) = 'OBJECT' end, false)`;

export async function readNdjson(conn: Kysely<unknown>, file: string, table: string): Promise<ReadResult> {
  await readLines(conn, file, `${table}_lines`);
  const lines = `${table}_lines`;
  const keys = (await sql<{ k: string }>`select k from (select unnest(json_keys(__text)) as k, rowid as r from ${sql.table(lines)} where ${sql.raw(isObject)}) group by k order by min(r)`.execute(conn)).rows;
  const cols = keys.map((k) => `json_extract_string(__text, ${sqlString(`$."${k.k.replaceAll('"', '\\"')}"`)}) as ${ident(k.k)}`);
  await sql`create temp table ${sql.table(table)} as select rowid + 1 as __line, ${sql.raw(['__text', ...cols].join(', '))} from ${sql.table(lines)} where __text is not null and trim(__text) <> '' and ${sql.raw(isObject)} order by rowid`.execute(conn);
  const bad = (await sql<{ line: number; raw: string }>`select rowid + 1 as line, __text as raw from ${sql.table(lines)} where __text is not null and trim(__text) <> '' and not (${sql.raw(isObject)}) order by rowid`.execute(conn)).rows;
  const total = (await sql<{ n: number }>`select count(*) as n from ${sql.table(lines)} where __text is not null and trim(__text) <> ''`.execute(conn)).rows[0]!.n;
  await sql`drop table ${sql.table(lines)}`.execute(conn);
  return {
    headers: keys.map((k) => k.k),
    rows: total,
    readerRejected: bad.length,
    locate: async (rowids, conn) => ({
      rows: await locateRows(conn, table, rowids, '__line'),
      readerRejects: bad.map((b) => ({ line: b.line, raw: b.raw, reason: 'not a JSON object (expected one {...} per line)' })),
    }),
  };
}

/** A JSON array is rewritten as NDJSON (one element per line) after recording each element's line. */
export async function readJsonArray(conn: Kysely<unknown>, source: Source, table: string): Promise<ReadResult> {
  const text = fs.readFileSync(source.readable, 'utf8').replace(/^\uFEFF/, '');
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (err) {
    throw new FileError(source.file, `is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(items)) throw new FileError(source.file, 'is a JSON document but not an array of records');
  const startLines = elementStartLines(text);
  const ndjson = `${source.readable}.${process.pid}.ndjson`;
  fs.writeFileSync(ndjson, items.map((item) => JSON.stringify(item)).join('\n') + '\n');
  try {
    const result = await readNdjson(conn, ndjson, table);
    const toLine = (elementLine: number) => startLines[elementLine - 1] ?? elementLine;
    return {
      ...result,
      locate: async (rowids, conn) => {
        const located = await result.locate(rowids, conn);
        for (const loc of located.rows.values()) loc.line = toLine(loc.line);
        return {
          rows: located.rows,
          readerRejects: located.readerRejects.map((r) => ({ ...r, line: toLine(r.line), reason: 'array element is not a JSON object' })),
        };
      },
    };
  } finally {
    fs.rmSync(ndjson, { force: true });
  }
}

/** The 1-based line on which each top-level element of a JSON array starts. */
function elementStartLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
    if (depth === 1 && expectElement) {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}
