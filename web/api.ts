// The API client: a typed hono client over the server's AppType (type-only import), with the Bearer token on every request, problem+json errors as ApiError (with the server's
// `detail` worded as it was), AbortSignals passed through, and downloads of CSV exports.
import { hc, type InferRequestType, type InferResponseType } from 'hono/client';
import type { AppType } from '../server/app.ts';
import { authRequired, token } from './auth.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem?: { type?: string; title?: string; detail?: string; hint?: string; errors?: { parameter: string; message: string }[] },
  ) {
    super(message);
  }
}

/** A GET URL with its parameters sorted, so the same request matches however it was built. */
function requestKey(input: RequestInfo | URL): string {
  const u = new URL(input instanceof Request ? input.url : String(input), location.origin);
  u.searchParams.sort();
  return `${u.pathname}?${u.searchParams}`;
}

/** Responses started before the page's code loaded (see prefetch); each is handed out once. */
const prefetched = new Map<string, Promise<Response>>();

/** Starts GET requests now; the first identical authFetch takes the response instead of asking again. */
export function prefetch(paths: { path: string; query: Query }[]): void {
  for (const { path, query } of paths) {
    const target = url(path, query);
    prefetched.set(requestKey(target), authFetch(target));
  }
}

/** fetch with the tab's token; a 401 asks the shell for a token. */
export async function authFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  if ((init.method ?? 'GET').toUpperCase() === 'GET') {
    const key = requestKey(input);
    const early = prefetched.get(key);
    if (early) {
      prefetched.delete(key);
      return early;
    }
  }
  const headers = new Headers(init.headers);
  // the server refuses a POST without it (CSRF, issue 13); web/ cannot import the name (server/hand-off/protocol.ts requestHeader)
  headers.set('x-aida-request', '1');
  const t = token();
  if (t) headers.set('authorization', `Bearer ${t}`);
  const res = await fetch(input, { ...init, headers });
  if (res.status === 401) authRequired();
  return res;
}

/** The body of a successful response, or an ApiError carrying the problem's detail. */
export async function readJson<T>(res: Response): Promise<T> {
  if (res.ok) return (await res.json()) as T;
  throw await errorOf(res);
}

async function errorOf(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const problem = (await res.json().catch(() => null)) as ApiError['problem'] | null;
    if (problem) {
      const params = problem.errors?.map((e) => `${e.parameter}: ${e.message}`).join('; ');
      return new ApiError(res.status, problem.detail ?? problem.title ?? `${res.status} ${res.statusText}`, { ...problem, ...(params && !problem.detail ? { detail: params } : {}) });
    }
  }
  const text = await res.text().catch(() => '');
  return new ApiError(res.status, text.trim().slice(0, 300) || `${res.status} ${res.statusText}`);
}

export type Query = Record<string, string>;

function url(path: string, query: Query = {}): string {
  const qs = new URLSearchParams(query);
  qs.sort();
  const s = qs.toString();
  return `/api/${path}${s ? `?${s}` : ''}`;
}

/** Saves a Blob as a file (an object URL on a temporary link). */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** What a "download CSV" control fetches: the endpoint with format=csv (GET), or the SQL export (POST). */
export type CsvSource = { path: string; query: Query } | { path: string; post: unknown };

export async function downloadCsv(source: CsvSource, filename: string): Promise<void> {
  const res =
    'post' in source
      ? await authFetch(url(source.path, { format: 'csv' }), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(source.post) })
      : await authFetch(url(source.path, { ...source.query, format: 'csv' }));
  if (!res.ok) throw await errorOf(res);
  saveBlob(await res.blob(), filename);
}


// ---- the typed endpoints ------------------------------------------------------------------------

const client = hc<AppType>(typeof location === 'undefined' ? 'http://localhost' : location.origin, { fetch: authFetch });
const api_ = client.api;

/** The 200 body type AppType gives an endpoint (what the server's JSON carries). */
type Body<F extends (...args: never[]) => unknown> = Exclude<InferResponseType<F, 200>, null | ReadableStream>;
/** Query parameters as the page has them (URL strings); the server validates the values (400 names a bad one). */
type QueryOf<F extends (...args: never[]) => unknown> = InferRequestType<F> extends { query: infer Q } ? Q : never;

async function call<T>(response: Promise<Response>): Promise<T> {
  return readJson<T>(await response);
}

function get<F extends (args: { query: never }, options?: { init?: RequestInit }) => Promise<Response>>(endpoint: F) {
  return (query: Query, signal?: AbortSignal) =>
    call<Body<F>>(endpoint({ query: query as QueryOf<F> as never }, signal ? { init: { signal } } : undefined));
}

export const api = {
  funnel: get<typeof api_.funnel.$get>(api_.funnel.$get),
  funnelTrends: get<typeof api_.funnel.trends.$get>(api_.funnel.trends.$get),
  funnelCorrelation: get<typeof api_.funnel.correlation.$get>(api_.funnel.correlation.$get),
  funnelTimeToConvert: get<(typeof api_.funnel)['time-to-convert']['$get']>(api_.funnel['time-to-convert'].$get),
  paths: get<typeof api_.paths.$get>(api_.paths.$get),
  efficiency: get<typeof api_.efficiency.$get>(api_.efficiency.$get),
  retention: get<typeof api_.retention.$get>(api_.retention.$get),
  repurchase: get<typeof api_.repurchase.$get>(api_.repurchase.$get),
  tiers: get<typeof api_.customers.tiers.$get>(api_.customers.tiers.$get),
  lifecycle: get<typeof api_.customers.lifecycle.$get>(api_.customers.lifecycle.$get),
  atRisk: get<typeof api_.customers['at-risk']['$get']>(api_.customers['at-risk'].$get),
  products: get<typeof api_.products.$get>(api_.products.$get),
  countries: get<typeof api_.countries.$get>(api_.countries.$get),
  campaigns: get<typeof api_.campaigns.$get>(api_.campaigns.$get),
  complaints: get<typeof api_.complaints.$get>(api_.complaints.$get),
  snapshot: get<typeof api_.snapshot.$get>(api_.snapshot.$get),
  properties: get<typeof api_.properties.$get>(api_.properties.$get),
  schema: get<typeof api_.schema.$get>(api_.schema.$get),
  sql: (body: { sql: string; limit?: number }, signal?: AbortSignal) =>
    call<Body<typeof api_.sql.$post>>(api_.sql.$post({ json: body, query: {} }, signal ? { init: { signal } } : undefined)),
  // what users keep (server/routes/kept.ts): saved views, Dashboard pins, annotations
  views: (signal?: AbortSignal) => call<Body<typeof api_.views.$get>>(api_.views.$get({ query: {} }, signal ? { init: { signal } } : undefined)),
  createView: (json: { name: string; page: string; query: string }) => call<SavedView>(api_.views.$post({ json: json as never })),
  deleteView: (id: number) => done(api_.views[':id'].$delete({ param: { id: String(id) } })),
  pins: (signal?: AbortSignal) => call<Body<typeof api_.pins.$get>>(api_.pins.$get({ query: {} }, signal ? { init: { signal } } : undefined)),
  createPin: (json: { chart: string; query: string }) => call<Pin>(api_.pins.$post({ json: json as never })),
  orderPins: (ids: number[]) => call<Body<typeof api_.pins.order.$post>>(api_.pins.order.$post({ json: { ids } })),
  deletePin: (id: number) => done(api_.pins[':id'].$delete({ param: { id: String(id) } })),
  annotations: (signal?: AbortSignal) => call<Body<typeof api_.annotations.$get>>(api_.annotations.$get({ query: {} }, signal ? { init: { signal } } : undefined)),
  createAnnotation: (json: { date: string; note: string; author?: string }) => call<Annotation>(api_.annotations.$post({ json })),
  deleteAnnotation: (id: number) => done(api_.annotations[':id'].$delete({ param: { id: String(id) } })),
};

/** A 204 answer, or the ApiError of a refusal. */
async function done(response: Promise<Response>): Promise<void> {
  const res = await response;
  if (!res.ok) throw await errorOf(res);
}

type Result<K extends keyof typeof api> = Awaited<ReturnType<(typeof api)[K]>>;
export type FunnelResult = Result<'funnel'>;
export type FunnelTrendResult = Result<'funnelTrends'>;
export type FunnelCorrelationResult = Result<'funnelCorrelation'>;
export type TimeToConvertResult = Result<'funnelTimeToConvert'>;
export type PathsResult = Result<'paths'>;
export type EfficiencyResult = Result<'efficiency'>;
export type RetentionResult = Result<'retention'>;
export type RepurchaseResult = Result<'repurchase'>;
export type TiersResult = Result<'tiers'>;
export type LifecycleResult = Result<'lifecycle'>;
export type AtRiskResult = Result<'atRisk'>;
export type ProductsResult = Result<'products'>;
export type CountriesResult = Result<'countries'>;
export type CampaignsResult = Result<'campaigns'>;
export type ComplaintsResult = Result<'complaints'>;
export type SnapshotResult = Result<'snapshot'>;
export type PropertiesResult = Result<'properties'>;
export type SchemaResult = Awaited<ReturnType<typeof api.schema>>;
export type SqlResult = Awaited<ReturnType<typeof api.sql>>;
export type SavedView = Body<typeof api_.views.$get>['views'][number];
export type Pin = Body<typeof api_.pins.$get>['pins'][number];
export type Annotation = Body<typeof api_.annotations.$get>['annotations'][number];
