// GET /api/openapi.json, generated from the same zod schemas the routes validate with (z.toJSONSchema),
// so the document cannot drift from what the server accepts.
import { z } from 'zod';
import { healthResult } from '../queries/health.ts';
import { schemaResult } from '../queries/schema.ts';
import type { ServerConfig as Config } from './config.ts';
import { problemTypes } from './problems.ts';
import { ingestQuery } from './routes/ingest.ts';
import { pageParams } from '../queries/shared/page.ts';
import { formatParam, metricQueries } from './routes/metrics.ts';
import { sqlBody, sqlQuery } from './routes/sql.ts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; description?: string };

/** A zod schema as JSON Schema: what a request may send (`input`, the default) or what a response holds (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** A metric's JSON response from its `result` schema; a metric without one yet is documented as any object. */
function resultSchema(query: { result?: z.ZodType }): JsonSchema {
  return query.result ? jsonSchema(query.result, 'output') : { type: 'object' };
}

/** Query parameters from an object schema: each property, its description, whether required. */
function queryParameters(schema: z.ZodType): unknown[] {
  const json = jsonSchema(schema);
  return Object.entries(json.properties ?? {}).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return { name, in: 'query', required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

/** What /api/health answers: with access the whole health, anonymous callers only status and version; `read-only` with its problem after a full disk. */
const publicHealth = healthResult.partial().extend({
  status: z.enum(['ok', 'read-only']),
  version: z.string(),
  problem: z.string().optional().describe('why the server is read-only, in plain words'),
});

const problem = { $ref: '#/components/schemas/Problem' };
const problemContent = { 'application/problem+json': { schema: problem } };
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { description: Object.values(problemTypes).find((t) => t.status === code)?.title ?? 'Error', content: problemContent }]));

type Role = 'viewer' | 'analyst' | 'admin';
const needs = (role: Role) => ({ security: [{ bearer: [] }], 'x-aida-role': role });

export function openApiDocument(config: Config, version: string) {
  const paths: Record<string, unknown> = {};
  for (const [path, query] of Object.entries(metricQueries)) {
    paths[`/api${path}`] = {
      get: {
        operationId: query.name.replace(/[/-](\w)/g, (_: string, ch: string) => ch.toUpperCase()),
        summary: query.summary,
        tags: ['metrics'],
        ...needs('viewer'),
        parameters: [...queryParameters(query.params), ...(query.list ? queryParameters(pageParams(query.list.defaultLimit)) : []), { name: 'format', in: 'query', required: false, description: formatParam.description, schema: { type: 'string', enum: formatParam.options } }],
        responses: {
          200: {
            description: 'The metric (JSON), or its tidy rows (CSV). ETag from the data version; send If-None-Match to get 304.',
            headers: { ETag: { schema: { type: 'string' } } },
            content: { 'application/json': { schema: resultSchema(query) }, 'text/csv': { schema: { type: 'string' } } },
          },
          304: { description: 'Not modified: the data and the query are the same as for the ETag sent' },
          ...errors(400, 401, 403),
        },
      },
    };
  }
  paths['/api/health'] = {
    get: {
      operationId: 'health', summary: 'Liveness; with a token (or without tokens configured) also row counts, the data version and the data range (first/last instant) per kind.', tags: ['server'],
      responses: { 200: { description: 'ok', content: { 'application/json': { schema: jsonSchema(publicHealth, 'output') } } } },
    },
  };
  paths['/api/schema'] = {
    get: {
      operationId: 'schema', summary: 'Tables, analyst views (v_*) and table macros with their columns, types and descriptions.', tags: ['sql'], ...needs('analyst'),
      responses: { 200: { description: 'the schema', content: { 'application/json': { schema: { $ref: '#/components/schemas/Schema' } } } }, ...errors(401, 403) },
    },
  };
  paths['/api/sql'] = {
    post: {
      operationId: 'sql',
      summary: `One read-only query (SELECT or EXPLAIN SELECT), stopped after ${config.sql.timeout_seconds} s; JSON returns at most ${config.sql.max_rows} rows, csv/parquet the full result as a download.`,
      tags: ['sql'], ...needs('analyst'),
      parameters: queryParameters(sqlQuery),
      requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(sqlBody(config.sql.max_rows)) } } },
      responses: {
        200: {
          description: 'The result',
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/SqlResult' } },
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
          },
        },
        ...errors(400, 401, 403),
        429: { description: 'Too many queries waiting', content: problemContent },
        503: { description: 'All query slots stayed busy', content: problemContent },
      },
    },
  };
  paths['/api/ingest'] = {
    post: {
      operationId: 'ingest', summary: 'Loads one file (the request body) through the server, the single writer; streams NDJSON progress events, then {"type":"summary"}.', tags: ['ingest'], ...needs('admin'),
      parameters: queryParameters(ingestQuery),
      requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
      responses: { 200: { description: 'NDJSON: {"type":"progress",phase,bytesDone,bytesTotal,rows?} ... then {"type":"summary",summary} or {"type":"error",message}', content: { 'application/x-ndjson': { schema: { type: 'string' } } } }, ...errors(400, 401, 403), 503: { description: 'Ingest queue full', content: problemContent } },
    },
  };
  paths['/api/ingest/follow-offsets'] = {
    get: {
      operationId: 'followOffsets', summary: 'How far aida ingest --follow has read each file (device, inode, head hash, committed byte offset and lines), for a follow that hands its slices to this server.', tags: ['ingest'], ...needs('admin'),
      responses: { 200: { description: '{"offsets": [...]}', content: { 'application/json': { schema: { type: 'object' } } } }, ...errors(401, 403) },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'aida API',
      version,
      description: 'Marketing-funnel analytics on DuckDB. Dates are YYYY-MM-DD in the reporting time zone; `to` is exclusive. Errors are application/problem+json.',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'metrics' }, { name: 'sql' }, { name: 'ingest' }, { name: 'server' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Needed once any token is configured (auth.tokens or AIDA_TOKENS); roles viewer < analyst < admin.' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', required: ['parameter', 'message'], properties: { parameter: { type: 'string' }, message: { type: 'string' }, expected: { type: 'string' } } } },
          },
        },
        SqlResult: {
          type: 'object',
          required: ['columns', 'rows', 'rowCount', 'truncated', 'elapsedMs'],
          properties: {
            columns: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' } } } },
            rows: { type: 'array', items: { type: 'array', items: {} } },
            rowCount: { type: 'integer' }, truncated: { type: 'boolean' }, elapsedMs: { type: 'integer' },
            truncatedBy: { enum: ['rows', 'bytes'], description: 'which limit cut the result: sql.max_rows (or limit) or sql.max_result_mb' },
          },
        },
        Schema: jsonSchema(schemaResult.extend({ dataVersion: z.string() }), 'output'),
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
