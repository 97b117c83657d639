// GET /api/openapi.json, generated from the same zod schemas the routes validate with (z.toJSONSchema),
// so the document cannot drift from what the server accepts.
import { z } from 'zod';
import { healthResult } from '../queries/health.ts';
import { schemaResult } from '../queries/schema.ts';
import type { ServerConfig as Config } from './config.ts';
import { problemTypes } from './problems.ts';
import { ingestQuery } from './routes/ingest.ts';
import { annotationInput, annotationRange, annotationsResult, annotation, pinInput, pin, pinOrderInput, pinsResult, savedView, savedViewInput, savedViewsResult } from '../queries/kept.ts';
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
  Object.assign(paths, keptPaths());
  return {
    openapi: '3.1.0',
    info: {
      title: 'aida API',
      version,
      description: 'Marketing-funnel analytics on DuckDB. Dates are YYYY-MM-DD in the reporting time zone; `to` is exclusive. Errors are application/problem+json.',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'metrics' }, { name: 'kept' }, { name: 'sql' }, { name: 'ingest' }, { name: 'server' }],
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

/** Saved views, Dashboard pins and annotations (server/routes/kept.ts): list as viewer, change as analyst. */
function keptPaths(): Record<string, unknown> {
  const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: jsonSchema(schema, io) } });
  const idParameter = (what: string) => [{ name: 'id', in: 'path', required: true, description: `the ${what}'s id`, schema: { type: 'integer', minimum: 1 } }];
  const list = (operationId: string, summary: string, result: z.ZodType, parameters: unknown[] = []) => ({
    get: { operationId, summary, tags: ['kept'], ...needs('viewer'), parameters, responses: { 200: { description: 'the list', content: json(result) }, ...errors(400, 401, 403) } },
  });
  const create = (operationId: string, summary: string, body: z.ZodType, result: z.ZodType, example: string) => ({
    operationId, summary, tags: ['kept'], ...needs('analyst'), 'x-aida-example': example,
    requestBody: { required: true, content: json(body, 'input') },
    responses: { 201: { description: 'kept', content: json(result) }, ...errors(400, 401, 403) },
  });
  const remove = (operationId: string, what: string) => ({
    delete: { operationId, summary: `Deletes a ${what}.`, tags: ['kept'], ...needs('analyst'), parameters: idParameter(what), responses: { 204: { description: 'deleted' }, ...errors(400, 401, 403, 404) } },
  });
  return {
    '/api/views': {
      ...list('listViews', 'Saved views: a named page and URL query string, opened from the menu or as /view/<id>.', savedViewsResult),
      post: create('createView', 'Saves a view (name, page, query string; lang is dropped so it opens in the reader\'s language).', savedViewInput, savedView, `{"name":"Email last week","page":"funnel","query":"preset=last-week&channel=email"}`),
    },
    '/api/views/{id}': remove('deleteView', 'saved view'),
    '/api/pins': {
      ...list('listPins', 'The charts pinned to the Dashboard, in their order, each with the query string it is drawn from.', pinsResult),
      post: create('createPin', 'Pins a chart (drawn live from its query) at the end of the Dashboard.', pinInput, pin, `{"chart":"funnel-trend","query":"grain=month&preset=year-to-date"}`),
    },
    '/api/pins/order': { post: { ...create('orderPins', 'Reorders the Dashboard: every pin id once, in the new order.', pinOrderInput, pinsResult, '{"ids":[3,1,2]}'), responses: { 200: { description: 'the pins in their new order', content: json(pinsResult) }, ...errors(400, 401, 403) } } },
    '/api/pins/{id}': remove('deletePin', 'pin'),
    '/api/annotations': {
      ...list('listAnnotations', 'Annotations (a dated note, drawn on every time chart), by date; from/to limit the days.', annotationsResult, queryParameters(annotationRange)),
      post: create('createAnnotation', 'Adds an annotation (also: aida annotate DATE "NOTE").', annotationInput, annotation, `{"date":"2026-11-27","note":"Black Friday email","author":"ana"}`),
    },
    '/api/annotations/{id}': remove('deleteAnnotation', 'annotation'),
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
