// Rendering a page Task's states the same way everywhere: a skeleton while loading (or the previous
// result, dimmed, while a new one loads), the error with what to do about it, then the content.
import { Task, TaskStatus } from '@lit/task';
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { ApiError, type Query } from '../api.ts';
import { authRequired, authVersion } from '../auth.ts';
import { queryObject, type UrlState } from '../url-state.ts';
import type { Translate } from '../i18n/index.ts';

export function loadingView(t: Translate): TemplateResult {
  return html`<div role="status" aria-live="polite"><span class="visually-hidden">${t('state.loading')}</span><div class="skeleton"></div></div>`;
}

export function errorView(error: unknown, t: Translate, retry: () => void): TemplateResult {
  if (error instanceof ApiError && error.status === 401) {
    return html`<div class="error" role="alert">${t('state.unauthorized')} <button type="button" @click=${() => authRequired()}>${t('state.enterToken')}</button></div>`;
  }
  if (error instanceof ApiError && error.status === 403) return html`<div class="error" role="alert">${t('state.forbidden')} ${error.message}</div>`;
  const message = error instanceof Error ? error.message : String(error);
  return html`<div class="error" role="alert">${t('state.error', { message })} <button type="button" @click=${retry}>${t('state.retry')}</button></div>`;
}

/** An empty state; a command in `backticks` (the `aida ingest …` that adds what is missing) shows as code. */
export function emptyView(message: string): TemplateResult {
  const parts = message.split('`');
  return html`<p class="empty" role="status">${parts.map((p, i) => (i % 2 ? html`<code>${p}</code>` : p))}</p>`;
}

export function notesView(notes: string[] | undefined, t: Translate): TemplateResult | typeof nothing {
  if (!notes?.length) return nothing;
  return html`<ul class="notes" aria-label=${t('state.notes')}>${notes.map((n) => html`<li>${n}</li>`)}</ul>`;
}

/** The task's content; while a newer request runs, the last result stays visible (aria-busy). */
export function taskView<T>(task: Task<readonly unknown[], T>, t: Translate, complete: (value: T) => unknown): unknown {
  switch (task.status) {
    case TaskStatus.INITIAL:
      return loadingView(t);
    case TaskStatus.PENDING:
      return task.value === undefined ? loadingView(t) : html`<div aria-busy="true" class="stale">${complete(task.value)}</div>`;
    case TaskStatus.ERROR:
      return errorView(task.error, t, () => void task.run());
    case TaskStatus.COMPLETE:
      return html`<div aria-busy="false">${complete(task.value as T)}</div>`;
  }
}

/**
 * A page's Task for one GET endpoint: it runs again whenever the listed URL parameters (or the token)
 * change, and passes its AbortSignal so a superseded request is cancelled.
 */
export function urlTask<T>(host: ReactiveControllerHost, url: UrlState, keys: readonly string[], load: (query: Query, signal: AbortSignal) => Promise<T>): Task<readonly [string, number], T> {
  return new Task(host, {
    task: ([qs], { signal }) => load(queryObject(qs), signal),
    args: () => [url.query(keys), authVersion()] as const,
  });
}
