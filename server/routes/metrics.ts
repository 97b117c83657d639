// Every metric module as GET /api/<name>, through one generic route: authorise (viewer), validate the
// query with the module's own zod params (unknown parameters are errors too), run it once per data
// version (cached, ETag/304), answer JSON or the module's tidy CSV. A module with a long list answers
// JSON with one page of it (limit/offset, queries/shared/page.ts) and CSV with all of it.
import { Hono, type MiddlewareHandler, type TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type { InferInput } from 'hono/validator';
import { z } from 'zod';
import { campaigns } from '../../queries/campaigns.ts';
import { complaints } from '../../queries/complaints.ts';
import { revenueByCountry } from '../../queries/countries.ts';
import { customerLifecycle, customersAtRisk, customerTiers } from '../../queries/customers.ts';
import type { Query } from '../../queries/define.ts';
import { pageOf, pageParams, type ListSpec, type PageInfo, type PageWindow } from '../../queries/shared/page.ts';
import { efficiency } from '../../queries/efficiency.ts';
import { funnel } from '../../queries/funnel/funnel.ts';
import { funnelCorrelation } from '../../queries/funnel/correlation.ts';
import { funnelTimeToConvert } from '../../queries/funnel/time-to-convert.ts';
import { funnelTrends } from '../../queries/funnel/trends.ts';
import { paths } from '../../queries/paths.ts';
import { properties } from '../../queries/properties.ts';
import { topProducts } from '../../queries/products.ts';
import { dataVersion } from '../../queries/health.ts';
import { repurchase } from '../../queries/repurchase.ts';
import { retention } from '../../queries/retention.ts';
import { snapshot } from '../../queries/snapshot.ts';
import { requireRole } from '../auth.ts';
import { etagOf, matchesEtag, normalisedQuery } from '../cache.ts';
import { csvFilename, tidyCsv } from '../csv.ts';
import type { AppDeps } from '../deps.ts';
import { GateBusy } from '../gate.ts';
import { ApiProblem, invalidParameters, parameterProblems } from '../problems.ts';

/** What a shed dashboard request is told: a short pause lets the queue drain (one slot serves ~10 queries/s). */
const retryAfterSeconds = 2;

type AnyQuery = Query<any, any>;

/** The metrics the API serves, by path under /api (also what openapi.ts documents). */
export const metricQueries = {
  '/funnel': funnel,
  '/funnel/trends': funnelTrends,
  '/funnel/correlation': funnelCorrelation,
  '/funnel/time-to-convert': funnelTimeToConvert,
  '/paths': paths,
  '/efficiency': efficiency,
  '/retention': retention,
  '/repurchase': repurchase,
  '/customers/tiers': customerTiers,
  '/customers/lifecycle': customerLifecycle,
  '/customers/at-risk': customersAtRisk,
  '/campaigns': campaigns,
  '/complaints': complaints,
  '/products': topProducts,
  '/countries': revenueByCountry,
  '/snapshot': snapshot,
  '/properties': properties,
} satisfies Record<string, AnyQuery>;

export const formatParam = z.enum(['json', 'csv']).describe('json (default), or csv: the tidy rows of the same result as a download');
type Format = z.infer<typeof formatParam>;

/** The parameter names a schema accepts (its JSON-schema properties: works through refinements and pipes). */
export function parameterNames(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
  return Object.keys(json.properties ?? {});
}

type MetricInput<P extends z.ZodType> = {
  in: { query: InferInput<z.input<P> & { format?: Format }, 'query'> };
  out: { query: { params: z.output<P>; format: Format; raw: Record<string, string>; window: PageWindow | null } };
};

/** The parameters a schema takes as a list, one value per repetition (`step=a&step=b`). */
export function repeatableNames(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { type?: string }> };
  return Object.entries(json.properties ?? {}).filter(([, v]) => v.type === 'array').map(([k]) => k);
}

/** `property:<key>=<values>` query parameters: one filter per key, gathered into the schema's `property` record. */
const propertyParam = /^property:(.+)$/;

/** The parameters the route itself takes beside the module's: paging, for a module with a list. */
const pageKeys = ['limit', 'offset'];

/**
 * Validates a metric's query string: each parameter once, known to the module (or `format`), and
 * valid by the module's schema. Every problem goes into one 400 naming each parameter.
 */
export function metricQuery<P extends z.ZodType>(schema: P, list?: { defaultLimit: number }): MiddlewareHandler<object, string, MetricInput<P>> {
  const known = parameterNames(schema);
  const paging = list ? pageParams(list.defaultLimit) : null;
  const accepted = [...known, ...(paging ? pageKeys : []), 'format'];
  const takesProperties = known.includes('property');
  const repeatable = repeatableNames(schema).filter((k) => k !== 'property');
  return async (c, next) => {
    const issues: z.core.$ZodIssue[] = [];
    const raw: Record<string, string> = {};
    const lists: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(c.req.queries())) {
      if (repeatable.includes(key)) {
        // in order (a funnel's steps): the cache key keeps the order too
        lists[key] = values;
        raw[key] = JSON.stringify(values);
      } else if (values.length > 1) {
        issues.push({ code: 'custom', path: [key], message: `given ${values.length} times; give it once (lists are comma-separated, e.g. ${key}=a,b)`, input: values });
      } else raw[key] = values[0]!;
    }
    const unknown = Object.keys(raw).filter((k) => !accepted.includes(k) && !(takesProperties && propertyParam.test(k)));
    if (unknown.length) issues.push({ code: 'unrecognized_keys', keys: unknown, path: [], message: 'unknown parameter', input: raw });
    const { format = 'json', ...rest } = raw;
    const fmt = formatParam.safeParse(format);
    if (!fmt.success) issues.push(...fmt.error.issues.map((i) => ({ ...i, path: ['format'] })));
    const input: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([k]) => known.includes(k)).map(([k, v]) => [k, lists[k] ?? v]));
    const properties = Object.entries(rest).flatMap(([k, v]) => (takesProperties && propertyParam.test(k) ? [[k.match(propertyParam)![1]!, v]] : []));
    if (properties.length) input.property = Object.fromEntries(properties);
    const parsed = await schema.safeParseAsync(input);
    if (!parsed.success) issues.push(...parsed.error.issues);
    const window = paging?.safeParse(Object.fromEntries(Object.entries(rest).filter(([k]) => pageKeys.includes(k))));
    if (window && !window.success) issues.push(...window.error.issues);
    if (issues.length || !parsed.success || !fmt.success || (window && !window.success)) throw invalidParameters(parameterProblems(issues, accepted));
    c.req.addValidatedData('query', { params: parsed.data, format: fmt.data, raw, window: window?.data ?? null });
    await next();
  };
}

/** One metric as a sub-app with a single GET '/' (mounted with .route('/name', ...)). */
export function metricRoute<P extends z.ZodType, R>(deps: AppDeps, query: Query<P, R>) {
  const ctx = { db: deps.db, config: deps.config };
  // a result is kept with its JSON text: serving a cached dashboard is then a string copy
  type Computed = { result: R; json: string };
  const inflight = new Map<string, Promise<Computed>>();
  const compute = (key: string, params: z.output<P>): Promise<Computed> => {
    const cached = deps.cache.get(key) as Computed | undefined;
    if (cached !== undefined) return Promise.resolve(cached);
    let running = inflight.get(key);
    if (!running) {
      // identical requests arriving together share one run
      running = deps.metricGate.run(() => query.run(ctx, params)).catch((err: unknown) => {
        // admission control: shed load with a 503 the dashboard retries, rather than queue without bound
        if (err instanceof GateBusy) throw new ApiProblem('dashboard-busy', `the dashboards are busy (${err.message}); try again in ${retryAfterSeconds} s`, undefined, { 'retry-after': String(retryAfterSeconds) });
        throw err;
      }).then((result) => {
        const computed = { result, json: JSON.stringify(result) };
        deps.cache.set(key, computed, computed.json.length);
        return computed;
      });
      running.finally(() => inflight.delete(key)).catch(() => undefined); // the route awaits and reports the same error
      inflight.set(key, running);
    }
    return running;
  };
  return new Hono().get('/', requireRole(deps.config, 'viewer'), metricQuery(query.params, query.list), async (c) => {
    const { params, format, raw, window } = c.req.valid('query');
    const version = await dataVersion(deps.db);
    // one computed result serves every page of its list (and its CSV)
    const { format: _, limit: _l, offset: _o, ...asKeyed } = raw;
    const asked = normalisedQuery(`http://x/?${new URLSearchParams(asKeyed)}`);
    const paged = query.list && window && format === 'json' ? `&limit=${window.limit}&offset=${window.offset}` : '';
    const headers = { etag: etagOf(version, `${query.name}?${asked}&format=${format}${paged}`), 'cache-control': 'private, no-cache', vary: 'authorization' };
    // 304 and CSV are left out of the route's type (`as never`), so the typed client sees the JSON shape
    if (matchesEtag(c.req.header('if-none-match'), headers.etag)) return new Response(null, { status: 304, headers }) as never;
    const { result, json } = await compute(`${version}|${query.name}|${asked}`, params);
    if (format === 'csv') {
      return new Response(tidyCsv(query.csv(result)), {
        headers: { ...headers, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${csvFilename(query.name, raw)}"` },
      }) as never;
    }
    // the JSON text made once per result (a page of a list: from the cached result), typed as c.json would type it for the client
    const body = query.list && window ? JSON.stringify(pageOf(result as R & { page: PageInfo }, query.list as ListSpec<R & { page: PageInfo }>, window)) : json;
    return new Response(body, { status: 200, headers: { ...headers, 'content-type': 'application/json' } }) as unknown as TypedResponse<JSONParsed<R & object>, 200, 'json'>;
  });
}

/** All metric routes, chained so the client sees each path's parameters and result type. */
export function metricRoutes(deps: AppDeps) {
  const q = metricQueries;
  return new Hono()
    .route('/funnel', metricRoute(deps, q['/funnel']))
    .route('/funnel/trends', metricRoute(deps, q['/funnel/trends']))
    .route('/funnel/correlation', metricRoute(deps, q['/funnel/correlation']))
    .route('/funnel/time-to-convert', metricRoute(deps, q['/funnel/time-to-convert']))
    .route('/paths', metricRoute(deps, q['/paths']))
    .route('/efficiency', metricRoute(deps, q['/efficiency']))
    .route('/retention', metricRoute(deps, q['/retention']))
    .route('/repurchase', metricRoute(deps, q['/repurchase']))
    .route('/customers/tiers', metricRoute(deps, q['/customers/tiers']))
    .route('/customers/lifecycle', metricRoute(deps, q['/customers/lifecycle']))
    .route('/customers/at-risk', metricRoute(deps, q['/customers/at-risk']))
    .route('/campaigns', metricRoute(deps, q['/campaigns']))
    .route('/complaints', metricRoute(deps, q['/complaints']))
    .route('/products', metricRoute(deps, q['/products']))
    .route('/countries', metricRoute(deps, q['/countries']))
    .route('/snapshot', metricRoute(deps, q['/snapshot']))
    .route('/properties', metricRoute(deps, q['/properties']));
}
