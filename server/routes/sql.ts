// POST /api/sql (analyst): one read-only query through queries/sql/. JSON gives the first rows (limit,
// at most sql.max_rows and sql.max_result_mb); format=csv streams the whole result; format=parquet
// writes it in a private scratch instance and sends the file. Downloads stop at sql.max_export_mb or
// sql.export_timeout_seconds with a failed transfer (never a complete-looking file), and a client that
// takes nothing for sql.send_timeout_seconds loses its download, its slot and its read transaction.
import fs from 'node:fs';
import path from 'node:path';
import type { HttpBindings } from '@hono/node-server';
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { csvPieces, exportDir, openSql, removeStaleExports, runSql, SqlFailed, SqlRefused, writeParquet, type SqlCursor } from '../../queries/sql.ts';
import { requireRole } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { GateBusy } from '../gate.ts';
import { ApiProblem, validationHook } from '../problems.ts';

const maxSqlChars = 100_000;
/** A 100,000-character query is at most 600 KB of JSON (\uXXXX escapes): bigger bodies are not read. */
const maxBodyBytes = 1024 * 1024;

export function sqlBody(maxRows: number) {
  return z
    .object({
      sql: z.string().min(1, 'expected a query').max(maxSqlChars, 'expected at most 100,000 characters').describe('one SELECT (or EXPLAIN SELECT) statement'),
      limit: z.number().int().positive().max(maxRows, `expected at most ${maxRows} (sql.max_rows)`).optional().describe(`rows to return as JSON (default and maximum: sql.max_rows = ${maxRows})`),
    })
    .strict();
}

export const sqlQuery = z
  .object({ format: z.enum(['json', 'csv', 'parquet']).optional().describe('json (default): the first rows; csv or parquet: the full result as a download') })
  .strict();

/** Refused (the console's checks) and failed (DuckDB's own error) are different problems. */
function refusal(err: unknown): never {
  if (err instanceof SqlRefused) throw new ApiProblem(err.reason === 'timeout' ? 'sql-timeout' : 'sql-refused', err.message);
  if (err instanceof SqlFailed) throw new ApiProblem('sql-error', err.message, undefined, {}, 400, err.hint);
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

/**
 * A download from `pieces`. Any error after the status was sent errors the stream, which makes the
 * server drop the connection: the client sees a failed transfer. A consumer that has not asked for
 * the next piece within `sendTimeoutMs` is cut off the same way, and `abort` closes its socket.
 */
function download(pieces: AsyncIterator<string | Uint8Array>, finish: () => Promise<void>, sendTimeoutMs: number, abort: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let watchdog: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      clearTimeout(watchdog);
      try {
        const next = await pieces.next();
        if (next.done) {
          await finish();
          ctrl.close();
          return;
        }
        ctrl.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
        watchdog = setTimeout(() => {
          void finish();
          ctrl.error(new Error(`the client took nothing for ${sendTimeoutMs / 1000} s (sql.send_timeout_seconds)`));
          abort();
        }, sendTimeoutMs);
      } catch (err) {
        await finish();
        ctrl.error(err);
      }
    },
    cancel: async () => {
      clearTimeout(watchdog);
      await pieces.return?.();
      await finish();
    },
  });
}

async function* fileChunks(file: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 64 * 1024 })) yield new Uint8Array(chunk as Buffer);
}

/** Closes the client's socket when the app runs under @hono/node-server (app.request() has none). */
function socketCloser(c: Context): () => void {
  return () => (c.env as Partial<HttpBindings> | undefined)?.outgoing?.destroy();
}

export function sqlRoutes(deps: AppDeps) {
  const { config, db } = deps;
  const limits = config.sql;
  const mb = 2 ** 20;
  // export folders (and spill) of a server that crashed or was killed are removed when the next one starts
  removeStaleExports();
  return new Hono().post(
    '/',
    requireRole(config, 'analyst'),
    async (c, next) => {
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
        throw new ApiProblem('bad-request', 'send the query as JSON, { "sql": "...", "limit": 100 }, with content-type: application/json');
      }
      await next();
    },
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new ApiProblem('bad-request', `the request body is larger than ${maxBodyBytes / mb} MB; a query may have at most ${maxSqlChars.toLocaleString('en')} characters`, undefined, {}, 413);
      },
    }),
    zValidator('query', sqlQuery, validationHook),
    zValidator('json', sqlBody(limits.max_rows), validationHook),
    async (c) => {
      const { format = 'json' } = c.req.valid('query');
      const body = c.req.valid('json');
      const release = await slot(deps);
      if (format === 'json') {
        try {
          const result = await runSql(db, body.sql, {
            timeoutSeconds: limits.timeout_seconds, maxRows: body.limit ?? limits.max_rows, maxBytes: limits.max_result_mb * mb,
          }).catch(refusal);
          return c.json(result);
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
      const exportLimits = { maxBytes: limits.max_export_mb * mb, wallSeconds: limits.export_timeout_seconds };
      try {
        cursor = await openSql(db, body.sql, { timeoutSeconds: limits.timeout_seconds, wallSeconds: limits.export_timeout_seconds }).catch(refusal);
        const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
        const sendTimeoutMs = limits.send_timeout_seconds * 1000;
        if (format === 'csv') {
          const pieces = csvPieces(cursor, exportLimits);
          // errors before any byte is sent (the first rows) are still a 400
          const first = await pieces.next().catch(refusal);
          const all = (async function* () {
            if (!first.done) yield first.value;
            yield* pieces;
          })();
          return c.body(download(all, finish, sendTimeoutMs, socketCloser(c)), 200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="aida-query-${stamp}.csv"`,
          });
        }
        tmp = exportDir();
        const file = path.join(tmp, 'result.parquet');
        await writeParquet(cursor, file, exportLimits).catch(refusal);
        await cursor.close();
        return c.body(download(fileChunks(file), finish, sendTimeoutMs, socketCloser(c)), 200, {
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
