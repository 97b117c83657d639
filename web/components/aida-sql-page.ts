// <aida-sql-page>: the analyst's SQL console. CodeMirror editor (loaded on demand) with completion from
// GET /api/schema, Ctrl/Cmd+Enter runs POST /api/sql, results in a virtualised grid with row count and
// time, a quick chart, CSV export of the full result, and a history kept in localStorage. The query is
// in the URL (?q=), so a link reruns it. Refusals show the server's reason as worded; a query DuckDB
// failed on shows DuckDB's message and its hint ("Did you mean ...") as an error.
import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError, api, downloadCsv, type SchemaResult, type SqlResult } from '../api.ts';
import { authVersion } from '../auth.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { chooseColumns, columnKind, quickChart } from '../charts/quick-chart.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { UrlState, setParams } from '../url-state.ts';
import { errorView } from './task-view.ts';
import type { SqlEditor } from './sql-editor.ts';
import './aida-chart.ts';
import './aida-data-grid.ts';

interface HistoryEntry {
  sql: string;
  at: string;
  rowCount?: number;
  elapsedMs?: number;
}

const historyKey = 'aida.sql.history';
const historyMax = 50;

function readHistory(): HistoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(historyKey) ?? '[]');
    return Array.isArray(parsed) ? (parsed as HistoryEntry[]).filter((h) => typeof h?.sql === 'string') : [];
  } catch {
    return [];
  }
}

function writeHistory(entries: HistoryEntry[]): void {
  try {
    localStorage.setItem(historyKey, JSON.stringify(entries.slice(0, historyMax)));
  } catch {
    // storage full or blocked: the history is a convenience
  }
}

type QuickData = { result: SqlResult; x: string | null; y: string | null };
const drawQuick = (d: QuickData, o: ChartOptions) => quickChart(d.result.columns, d.result.rows as unknown[][], { x: d.x, y: d.y }, o);

@customElement('aida-sql-page')
export class AidaSqlPage extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      .layout { display: grid; grid-template-columns: minmax(0, 1fr) 16rem; gap: 1rem; }
      @media (max-width: 60rem) { .layout { grid-template-columns: minmax(0, 1fr); } }
      .editor:empty { display: none; }
      textarea.fallback { width: 100%; min-height: 8rem; font-family: ui-monospace, monospace; }
      .run { display: flex; gap: 0.75rem; align-items: center; margin: 0.6rem 0; flex-wrap: wrap; }
      .stats { color: var(--muted); font-variant-numeric: tabular-nums; }
      aside ul { list-style: none; padding: 0; margin: 0; max-height: 30rem; overflow: auto; }
      aside li button { width: 100%; text-align: left; font: 12px ui-monospace, monospace; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin-bottom: 0.3rem; }
      aside li small { display: block; color: var(--muted); font: 11px system-ui, sans-serif; }
      details.schema { margin-top: 1rem; }
      details.schema li { font: 12px ui-monospace, monospace; }
    `,
  ];

  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);
  @state() private history: HistoryEntry[] = readHistory();
  @state() private editorReady = false;
  @state() private exportError = '';
  @query('.editor') private editorHost!: HTMLElement;
  private editor?: SqlEditor;
  private text = this.url.get('q') ?? '';

  private readonly schema = new Task(this, {
    task: ([], { signal }) => api.schema({}, signal),
    args: () => [authVersion()] as const,
  });

  private readonly run = new Task(this, {
    autoRun: false,
    task: async ([sql]: readonly [string], { signal }) => api.sql({ sql }, signal),
    onComplete: (r) => this.remember(r),
  });

  override firstUpdated(): void {
    void this.loadEditor();
    if (this.text.trim()) void this.run.run([this.text]);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.editor?.destroy();
    this.editor = undefined;
  }

  override updated(): void {
    const s = this.schema.value as SchemaResult | undefined;
    if (s && this.editor && this.schemaApplied !== s) {
      this.schemaApplied = s;
      this.editor.setSchema(s.objects);
    }
    // back/forward to another ?q= puts that query in the editor
    const q = this.url.get('q') ?? '';
    if (this.editor && q && q !== this.text) {
      this.text = q;
      this.editor.setValue(q);
    }
  }

  private schemaApplied?: SchemaResult;

  private async loadEditor(): Promise<void> {
    const t = translator(this.locale);
    const { createSqlEditor } = await import('./sql-editor.ts');
    this.editorHost.replaceChildren();
    this.editor = createSqlEditor(this.editorHost, {
      doc: this.text,
      label: t('sql.editor'),
      placeholder: t('sql.empty'),
      onRun: () => this.execute(),
      onChange: (text) => (this.text = text),
    });
    this.editorReady = true;
  }

  private execute(): void {
    const sql = this.text.trim();
    if (!sql) return;
    setParams({ q: sql }, { replace: true });
    void this.run.run([sql]);
  }

  private remember(r: SqlResult): void {
    const sql = this.text.trim();
    const entry: HistoryEntry = { sql, at: new Date().toISOString(), rowCount: r.rowCount, elapsedMs: r.elapsedMs };
    this.history = [entry, ...this.history.filter((h) => h.sql !== sql)].slice(0, historyMax);
    writeHistory(this.history);
  }

  private load(sql: string): void {
    this.text = sql;
    if (this.editor) this.editor.setValue(sql);
    else this.requestUpdate();
    setParams({ q: sql }, { replace: true });
    this.editor?.focus();
  }

  private async exportCsv(): Promise<void> {
    this.exportError = '';
    try {
      await downloadCsv({ path: 'sql', post: { sql: this.text.trim() } }, 'aida-query.csv');
    } catch (e) {
      this.exportError = (e as Error).message;
    }
  }

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    const running = this.run.status === TaskStatus.PENDING;
    return html`<h1>${t('sql.title')}</h1>
      <div class="layout">
        <div>
          <div class="editor" role="group" aria-label=${t('sql.editor')}></div>
          ${this.editorReady
              ? nothing
              : html`<textarea class="fallback" aria-label=${t('sql.editor')} .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}
                  @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.execute(); } }}></textarea>
                  <p class="muted">${t('sql.editorLoading')}</p>`}
          <div class="run">
            <button type="button" class="primary" @click=${() => this.execute()} ?disabled=${running} aria-keyshortcuts="Control+Enter Meta+Enter">${running ? t('sql.running') : t('sql.run')}</button>
            <span class="muted">${t('sql.runHint')}</span>
            ${this.run.value && this.run.status === TaskStatus.COMPLETE
              ? html`<span class="stats" role="status" data-rows=${this.run.value.rowCount}>
                    ${this.run.value.truncated ? t('sql.rowsTruncated', { n: f.int(this.run.value.rowCount) }) : t('sql.rows', { n: f.int(this.run.value.rowCount) })}
                    · ${t('sql.elapsed', { ms: f.int(this.run.value.elapsedMs) })}</span>
                  <button type="button" @click=${() => this.exportCsv()}>${t('download.csv')}</button>`
              : nothing}
            ${this.exportError ? html`<span class="error" role="alert">${this.exportError}</span>` : nothing}
          </div>
          ${this.renderResult(t)}
        </div>
        <aside aria-labelledby="history-title">
          <h2 id="history-title">${t('sql.history')}</h2>
          ${this.history.length
            ? html`<ul class="history">${this.history.map((h) => html`<li><button type="button" title=${h.sql} @click=${() => this.load(h.sql)}>${h.sql}<small>${h.at.slice(0, 16).replace('T', ' ')}${h.rowCount !== undefined ? ` · ${t('sql.rows', { n: f.int(h.rowCount) })}` : ''}</small></button></li>`)}</ul>
                <button type="button" @click=${() => { this.history = []; writeHistory([]); }}>${t('sql.clearHistory')}</button>`
            : html`<p class="muted">${t('sql.noHistory')}</p>`}
          ${this.renderSchema(t)}
        </aside>
      </div>`;
  }

  private renderResult(t: ReturnType<typeof translator>) {
    switch (this.run.status) {
      case TaskStatus.INITIAL:
        return html`<p class="muted">${t('sql.empty')}</p>`;
      case TaskStatus.PENDING:
        return html`<div role="status" class="status">${t('sql.running')}</div>`;
      case TaskStatus.ERROR: {
        const e = this.run.error;
        if (e instanceof ApiError && e.problem?.type?.endsWith('#problem-sql-error')) {
          return html`<div class="error" role="alert" data-sql-error>${t('sql.failed', { detail: e.problem.detail ?? e.message })}${e.problem.hint ? html`<br /><span data-hint>${t('sql.hint', { hint: e.problem.hint })}</span>` : nothing}</div>`;
        }
        if (e instanceof ApiError && e.status === 400) return html`<div class="error" role="alert" data-refusal>${t('sql.refused', { detail: e.problem?.detail ?? e.message })}</div>`;
        return errorView(e, t, () => this.execute());
      }
      case TaskStatus.COMPLETE: {
        const r = this.run.value!;
        const choice = chooseColumns(r.columns, { x: this.url.get('x') ?? null, y: this.url.get('y') ?? null });
        const numeric = r.columns.filter((c) => columnKind(c.type) === 'number');
        return html`<aida-data-grid style="--grid-height: ${Math.min(416, (r.rows.length + 1) * 26 + 24)}px" .columns=${r.columns} .rows=${r.rows as unknown[][]} label=${t('sql.results')} locale=${this.locale}></aida-data-grid>
          <section class="card" style="margin-top: 1rem" aria-label=${t('sql.quickChart')}>
            <div class="toolbar">
              <label class="field">${t('sql.x')}
                <select name="x" @change=${(e: Event) => setParams({ x: (e.target as HTMLSelectElement).value }, { replace: true })}>
                  ${r.columns.map((c) => html`<option value=${c.name} ?selected=${c.name === choice.x}>${c.name}</option>`)}
                </select>
              </label>
              <label class="field">${t('sql.y')}
                <select name="y" @change=${(e: Event) => setParams({ y: (e.target as HTMLSelectElement).value }, { replace: true })}>
                  ${numeric.map((c) => html`<option value=${c.name} ?selected=${c.name === choice.y}>${c.name}</option>`)}
                </select>
              </label>
            </div>
            <aida-chart .data=${{ result: r, ...choice }} .draw=${drawQuick} .locale=${this.locale} name="query-chart" .csv=${{ path: 'sql', post: { sql: this.text.trim() } }}></aida-chart>
          </section>`;
      }
    }
  }

  private renderSchema(t: ReturnType<typeof translator>) {
    const s = this.schema.value as SchemaResult | undefined;
    if (!s) return nothing;
    return html`<details class="schema"><summary>${t('sql.schema')}</summary>
      <ul>${s.objects.map((o) => html`<li title=${o.description ?? ''}><button type="button" @click=${() => this.load(o.kind === 'macro' ? `FROM ${o.name}(${(o.parameters ?? []).map(() => "''").join(', ')})` : `FROM ${o.name} LIMIT 100`)}>${o.name}<small>${o.kind}${o.columns.length ? ` · ${o.columns.length} columns` : ''}</small></button></li>`)}</ul>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-sql-page': AidaSqlPage;
  }
}
