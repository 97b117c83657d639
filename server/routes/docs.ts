// GET /api/openapi.json and GET /api/docs (a plain HTML page rendered from the same document; no CDN,
// no script). Both are public: they describe the API and hold no data.
import { Hono } from 'hono';
import { openApiDocument } from '../openapi.ts';
import { problemTypes } from '../problems.ts';
import type { AppDeps } from '../deps.ts';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

interface Parameter {
  name: string;
  required: boolean;
  description?: string;
  schema: { type?: string; enum?: unknown[]; default?: unknown; pattern?: string; minimum?: number; maximum?: number };
}

function typeOf(schema: Parameter['schema']): string {
  if (schema.enum) return schema.enum.map(String).join(' | ');
  const bounds = [schema.minimum !== undefined ? `≥ ${schema.minimum}` : '', schema.maximum !== undefined ? `≤ ${schema.maximum}` : ''].filter(Boolean).join(', ');
  return `${schema.type ?? 'any'}${bounds ? ` (${bounds})` : ''}`;
}

function parameterTable(params: Parameter[]): string {
  if (!params.length) return '';
  const rows = params.map((p) => `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <em>required</em>' : ''}</td><td>${esc(typeOf(p.schema))}</td><td>${p.schema.default !== undefined ? `<code>${esc(p.schema.default)}</code>` : ''}</td><td>${esc(p.description)}</td></tr>`);
  return `<table><thead><tr><th>parameter</th><th>type</th><th>default</th><th>meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function docsHtml(doc: ReturnType<typeof openApiDocument>): string {
  const sections = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops as Record<string, { summary: string; parameters?: Parameter[]; 'x-aida-role'?: string; 'x-aida-example'?: string; requestBody?: { content: Record<string, { schema: { properties?: Record<string, { description?: string; type?: string }> } }> } }>).map(([method, op]) => {
      const id = `${method}-${path.replace(/[^\w]+/g, '-')}`;
      const body = op.requestBody?.content['application/json']?.schema.properties;
      const bodyTable = body ? parameterTable(Object.entries(body).map(([name, s]) => ({ name, required: (op.requestBody?.content['application/json']?.schema as { required?: string[] } | undefined)?.required?.includes(name) === true, schema: s, ...(s.description ? { description: s.description } : {}) }))) : '';
      const example = op['x-aida-example'] ? `curl -X POST -H 'Authorization: Bearer $TOKEN' -H 'content-type: application/json' -d '${op['x-aida-example']}' '${path}'`
        : method === 'delete' ? `curl -X DELETE -H 'Authorization: Bearer $TOKEN' '${path.replace('{id}', '1')}'`
        : method === 'get' ? `curl -H 'Authorization: Bearer $TOKEN' '${path}'` : path === '/api/sql' ? `curl -H 'Authorization: Bearer $TOKEN' -H 'content-type: application/json' -d '{"sql":"from v_orders limit 5"}' '${path}'` : `curl -H 'Authorization: Bearer $TOKEN' --data-binary @orders.csv '${path}?name=orders.csv'`;
      return `<section id="${esc(id)}"><h3><span class="method">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code>${op['x-aida-role'] ? ` <span class="role">${esc(op['x-aida-role'])}</span>` : ' <span class="role">public</span>'}</h3>
<p>${esc(op.summary)}</p>${parameterTable(op.parameters ?? [])}${bodyTable ? `<p>JSON body:</p>${bodyTable}` : ''}<pre>${esc(example)}</pre></section>`;
    }),
  );
  const problems = Object.entries(problemTypes).map(([type, p]) => `<dt id="problem-${esc(type)}"><code>${esc(type)}</code> — ${p.status} ${esc(p.title)}</dt><dd>${esc(p.about)}</dd>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} ${esc(doc.info.version)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f3f4f7;padding:.6rem;overflow:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #dde;padding:.3rem .5rem;text-align:left;vertical-align:top}
.method{background:#2b5cab;color:#fff;padding:0 .4rem;border-radius:3px;font-size:13px}.role{font-size:12px;border:1px solid #889;border-radius:3px;padding:0 .3rem;font-weight:normal}
section{border-top:1px solid #ccd;padding-top:.5rem;margin-top:1.5rem}dt{font-weight:600;margin-top:.6rem}
</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description)} Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<h2>Authentication</h2>
<p>With no tokens configured and the server on loopback, everything is open. Once tokens are configured (<code>auth.tokens</code> or <code>AIDA_TOKENS</code>), every API request except <code>/api/health</code>, <code>/api/docs</code> and <code>/api/openapi.json</code> needs <code>Authorization: Bearer &lt;token&gt;</code>: no or an unknown token is 401, a role too low is 403. Roles: <b>viewer</b> (metrics), <b>analyst</b> (+ SQL, schema, exports), <b>admin</b> (+ ingest).</p>
<h2>Caching</h2><p>Metric responses carry an <code>ETag</code> made from the data version and the query; send it back as <code>If-None-Match</code> to get <code>304</code> until new data is loaded.</p>
<h2>Endpoints</h2>
${sections.join('\n')}
<h2>Problems</h2><p>Errors are <code>application/problem+json</code>: <code>{ type, title, status, detail, errors? }</code>; <code>errors</code> lists <code>{ parameter, message, expected? }</code> for each bad parameter.</p>
<dl>${problems.join('\n')}</dl>
</body></html>`;
}

export function docsRoutes(deps: AppDeps) {
  const doc = openApiDocument(deps.config, deps.version);
  const html = docsHtml(doc);
  return new Hono()
    .get('/openapi.json', (c) => c.json(doc))
    .get('/docs', (c) => c.html(html));
}
