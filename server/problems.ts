// Errors as application/problem+json (RFC 9457): one shape for every 4xx/5xx the API answers, with
// `errors` naming each bad parameter. `type` points at the problem's section of the docs page.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';

export interface ParameterProblem {
  parameter: string;
  message: string;
  /** what a valid value looks like, where it can be said briefly */
  expected?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ParameterProblem[];
  /** sql-error: DuckDB's suggestion, e.g. `Did you mean "orders"?` */
  hint?: string;
}

/** Problem types (their anchors on /api/docs). */
export const problemTypes = {
  'invalid-parameters': { title: 'Invalid parameters', status: 400, about: 'A query parameter or body field is unknown, missing or malformed; `errors` names each one.' },
  'sql-refused': { title: 'SQL refused', status: 400, about: 'The ad-hoc query was not run (not exactly one SELECT, a function or table not on the console\'s allow-list, nested too deep, an export over sql.max_export_mb...); `detail` says why.' },
  'sql-error': { title: 'SQL error', status: 400, about: 'The console allowed the query and DuckDB failed on it (a misspelt table or column, a type mismatch...): `detail` is DuckDB\'s message and `hint` its suggestion ("Did you mean ..."), when it has one.' },
  'sql-timeout': { title: 'SQL stopped', status: 400, about: 'The ad-hoc query ran longer than sql.timeout_seconds (or its export longer than sql.export_timeout_seconds) and was interrupted.' },
  'sql-busy': { title: 'SQL console busy', status: 503, about: 'sql.max_concurrent queries are running and the queue is full or the wait ran out; retry after the Retry-After seconds.' },
  unauthorized: { title: 'Token needed', status: 401, about: 'Tokens are configured and the request has no valid `Authorization: Bearer <token>`.' },
  forbidden: { title: 'Role too low', status: 403, about: 'The token is valid but its role (viewer < analyst < admin) does not allow this endpoint.' },
  'not-found': { title: 'Not found', status: 404, about: 'No API endpoint at this path.' },
  'ingest-busy': { title: 'Ingest queue full', status: 503, about: 'Too many uploads are waiting for the single writer.' },
  'wrong-host': { title: 'Wrong host', status: 421, about: 'The Host header does not name this server (loopback names, or the --host it was started with when tokens are configured): a DNS-rebinding page is refused.' },
  'cross-site': { title: 'Cross-site request refused', status: 403, about: 'The Origin is another site, or a POST came without an Authorization header or `X-Aida-Request: 1` (which a cross-site page cannot send).' },
  'dashboard-busy': { title: 'Dashboards busy', status: 503, about: 'dashboards.max_concurrent queries are running and dashboards.max_queue are waiting (or the wait passed dashboards.queue_timeout_seconds); retry after the Retry-After seconds.' },
  'too-large': { title: 'Upload too large', status: 413, about: 'The upload is larger than ingest.max_upload_mb; `detail` names the cap.' },
  'disk-full': { title: 'Disk full', status: 507, about: 'The disk holding the database or the inbox is full: the server is read-only until space is freed and it is restarted.' },
  'bad-request': { title: 'Bad request', status: 400, about: 'The request could not be read (e.g. a JSON body that is not JSON).' },
  internal: { title: 'Internal error', status: 500, about: 'aida failed; `detail` has the cause. The database is unchanged.' },
} as const;
export type ProblemType = keyof typeof problemTypes;

export function problemBody(type: ProblemType, detail: string, errors?: ParameterProblem[], status?: number, hint?: string): Problem {
  const t = problemTypes[type];
  return { type: `/api/docs#problem-${type}`, title: t.title, status: status ?? t.status, detail, ...(errors ? { errors } : {}), ...(hint ? { hint } : {}) };
}

/** A problem thrown anywhere below a route; app.onError renders it. */
export class ApiProblem extends Error {
  constructor(
    readonly problemType: ProblemType,
    detail: string,
    readonly errors?: ParameterProblem[],
    readonly headers: Record<string, string> = {},
    readonly status: number = problemTypes[problemType].status,
    readonly hint?: string,
  ) {
    super(detail);
  }
}

export function problemResponse(body: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status: body.status, headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers } });
}

function expectedOf(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'invalid_value':
      return `one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `${issue.origin === 'string' ? 'length' : issue.origin === 'array' ? 'count' : 'value'} ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      return `${issue.origin === 'string' ? 'length' : issue.origin === 'array' ? 'count' : 'value'} ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    default:
      return undefined;
  }
}

/** One entry per bad parameter (its first issue); unknown keys each get their own entry. */
export function parameterProblems(issues: readonly z.core.$ZodIssue[], known: string[] = []): ParameterProblem[] {
  const out = new Map<string, ParameterProblem>();
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.set(key, { parameter: key, message: 'unknown parameter', ...(known.length ? { expected: `one of ${known.join(', ')}` } : {}) });
      }
      continue;
    }
    const parameter = issue.path.map(String).join('.') || '(input)';
    if (out.has(parameter)) continue;
    const expected = expectedOf(issue);
    out.set(parameter, { parameter, message: issue.message, ...(expected ? { expected } : {}) });
  }
  return [...out.values()];
}

export function invalidParameters(errors: ParameterProblem[]): ApiProblem {
  const list = errors.map((e) => `${e.parameter}: ${e.message}${e.expected ? ` (expected ${e.expected})` : ''}`).join('; ');
  return new ApiProblem('invalid-parameters', `invalid parameter${errors.length === 1 ? '' : 's'} ${list}`, errors);
}

/** The one validation hook every validator uses, so every 400 has the same shape. */
export function validationHook(result: { success: boolean; error?: unknown }, _c: Context): void {
  if (!result.success) throw invalidParameters(parameterProblems((result.error as z.ZodError).issues));
}

/** Absolute server paths in a message a client will read, cut to their last part (`…/name`). */
export function withoutServerPaths(text: string): string {
  return text.replace(/(?<![\w.:/])(?:\/[^\s'"`/()]+)+\/([^\s'"`/()]*)/g, '…/$1');
}

/** app.onError: problems as they are, a parameter error from a query as a 400, anything else as a 500. */
export function renderError(err: Error, c: Context): Response {
  if (err instanceof ApiProblem) return problemResponse(problemBody(err.problemType, err.message, err.errors, err.status, err.hint), err.headers);
  if (err instanceof z.ZodError) {
    const problem = invalidParameters(parameterProblems(err.issues));
    return problemResponse(problemBody('invalid-parameters', problem.message, problem.errors));
  }
  // metric modules throw errors carrying the parameter they blame (e.g. an unknown funnel name)
  const parameter = (err as { parameter?: unknown }).parameter;
  if (typeof parameter === 'string') {
    const problem = invalidParameters([{ parameter, message: err.message }]);
    return problemResponse(problemBody('invalid-parameters', problem.message, problem.errors));
  }
  if (err instanceof URIError) return problemResponse(problemBody('bad-request', 'the URL is not valid percent-encoding (a % must be followed by two hex digits forming UTF-8)'));
  if (err instanceof HTTPException) {
    const status = err.status;
    return problemResponse(problemBody(status === 401 ? 'unauthorized' : status === 404 ? 'not-found' : status >= 500 ? 'internal' : 'bad-request', err.message || 'the request could not be read', undefined, status));
  }
  console.error(`aida: ${c.req.method} ${c.req.path} failed:`, err);
  return problemResponse(problemBody('internal', withoutServerPaths(err.message.split('\n')[0] ?? 'internal error')));
}
