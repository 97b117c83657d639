// POST /api/sql (analyst): one read-only query through queries/sql.ts. JSON gives the first rows (limit,
// at most sql.max_rows); format=csv streams the whole result; format=parquet writes it in a private
// scratch instance and sends the file. A few queries at once, a short queue, then 429/503.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { csvLine, openSql, runSql, SqlRefused, writeParquet, type SqlCursor } from '../../queries/sql.ts';
import { requireRole } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { GateBusy } from '../gate.ts';
import { ApiProblem, validationHook } from '../problems.ts';

export function sqlBody(maxRows: number) {
  return z
    .object({
      sql: z.string().min(1, 'expected a query').max(100_000, 'expected at most 100,000 characters').describe('one SELECT (or EXPLAIN SELECT) statement'),
      limit: z.number().int().positive().max(maxRows, `expected at most ${maxRows} (sql.max_rows)`).optional().describe(`rows to return as JSON (default and maximum: sql.max_rows = ${maxRows})`),
    })
    .strict();
}

export const sqlQuery = z
  .object({ format: z.enum(['json', 'csv', 'parquet']).optional().describe('json (default): the first rows; csv or parquet: the full result as a download') })
  .strict();

function refusal(err: unknown): never {
  if (err instanceof SqlRefused) throw new ApiProblem(err.reason === 'timeout' ? 'sql-timeout' : 'sql-refused', err.message);
  throw err;
}

async function slot(deps: AppDeps): Promise<() => void> {
  try {
    return await deps.sqlGate.acquire();
  } catch (err) {
    if (!(err instanceof GateBusy)) throw err;
    const limit = `sql.max_concurrent = ${deps.config.sql.max_concurrent}`;
    if (err.why === 'queue-full') {
      throw new ApiProblem('sql-busy', `too many SQL queries at once (${err.message}; ${limit}): try again in a moment`, undefined, { 'retry-after': '2' }, 429);
    }
    throw new ApiProblem('sql-busy', `the SQL console is busy (${err.message}; ${limit}): try again in a moment`, undefined, { 'retry-after': '5' }, 503);
  }
}

/** Runs `finish` once, whatever ends the download (end, error, client gone). */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

function csvStream(cursor: SqlCursor, first: unknown[][] | null, finish: () => Promise<void>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: unknown[][] | null = first;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      try {
        if (!headerSent) {
          headerSent = true;
          ctrl.enqueue(encoder.encode(csvLine(cursor.columns.map((col) => col.name))));
        }
        const rows = pending ?? (await cursor.next());
        pending = null;
        if (!rows) {
          await finish();
          ctrl.close();
          return;
        }
        ctrl.enqueue(encoder.encode(rows.map((r) => csvLine(r)).join('')));
      } catch (err) {
        await finish();
        ctrl.error(err); // mid-download the status is sent: the client sees the transfer fail
      }
    },
    cancel: () => finish(),
  });
}

function fileStream(file: string, finish: () => Promise<void>): ReadableStream<Uint8Array> {
  const input = fs.createReadStream(file);
  input.on('close', () => void finish());
  return new ReadableStream<Uint8Array>({
    start(ctrl) {
      input.on('data', (chunk) => ctrl.enqueue(new Uint8Array(chunk as Buffer)));
      input.on('end', () => ctrl.close());
      input.on('error', (err) => ctrl.error(err));
    },
    cancel: () => {
      input.destroy();
    },
  });
}

export function sqlRoutes(deps: AppDeps) {
  const { config, db } = deps;
  const opts = { timeoutSeconds: config.sql.timeout_seconds };
  return new Hono().post(
    '/',
    requireRole(config, 'analyst'),
    async (c, next) => {
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
        throw new ApiProblem('bad-request', 'send the query as JSON, { "sql": "...", "limit": 100 }, with content-type: application/json');
      }
      await next();
    },
    zValidator('query', sqlQuery, validationHook),
    zValidator('json', sqlBody(config.sql.max_rows), validationHook),
    async (c) => {
      const { format = 'json' } = c.req.valid('query');
      const body = c.req.valid('json');
      const release = await slot(deps);
      if (format === 'json') {
        try {
          return c.json(await runSql(db, body.sql, { ...opts, maxRows: body.limit ?? config.sql.max_rows }).catch(refusal));
        } finally {
          release();
        }
      }
      let cursor: SqlCursor | undefined;
      let tmp: string | undefined;
      const finish = once(async () => {
        await cursor?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
        release();
      });
      try {
        cursor = await openSql(db, body.sql, opts).catch(refusal);
        const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
        if (format === 'csv') {
          const first = await cursor.next().catch(refusal); // errors before any byte is sent are still a 400
          return c.body(csvStream(cursor, first, finish), 200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="aida-query-${stamp}.csv"`,
          });
        }
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aida-parquet-'));
        const file = path.join(tmp, 'result.parquet');
        await writeParquet(cursor, file).catch(refusal);
        await cursor.close();
        return c.body(fileStream(file, finish), 200, {
          'content-type': 'application/vnd.apache.parquet',
          'content-length': String(fs.statSync(file).size),
          'content-disposition': `attachment; filename="aida-query-${stamp}.parquet"`,
        });
      } catch (err) {
        await finish();
        throw err;
      }
    },
  );
}
