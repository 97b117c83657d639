// A long list on a page: the API sends its first page (limit/offset, page.total); this keeps the rows
// "Show more" fetched after it, and draws the footer — "200 of 3,412", Show 200 more, Download all (CSV).
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Formats } from '../i18n/format.ts';
import type { Translate } from '../i18n/index.ts';

/** Rows fetched per "Show more". */
export const morePage = 200;

export class ListPages<Row> implements ReactiveController {
  private base: unknown;
  private extra: Row[] = [];
  private loading = false;
  private error = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    /** the rows [offset, offset + limit) of the same list (same parameters as the first page) */
    private readonly fetchRows: (offset: number, limit: number) => Promise<Row[]>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The rows to show: the first page of `result`, then what "Show more" added to that same result. */
  rows(result: object, first: Row[]): Row[] {
    if (result !== this.base) {
      this.base = result;
      this.extra = [];
      this.error = '';
    }
    return this.extra.length ? [...first, ...this.extra] : first;
  }

  private async more(result: object, offset: number): Promise<void> {
    this.loading = true;
    this.host.requestUpdate();
    try {
      const rows = await this.fetchRows(offset, morePage);
      if (this.base === result) this.extra = [...this.extra, ...rows];
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.loading = false;
      this.host.requestUpdate();
    }
  }

  /** "n of total" with Show more (while rows remain) and Download all; nothing when the list is whole. */
  footer(t: Translate, f: Formats, result: object, shown: number, total: number, downloadAll: () => Promise<void>): TemplateResult | typeof nothing {
    if (total <= shown && !this.error) return nothing;
    const next = Math.min(morePage, total - shown);
    return html`<div class="toolbar list-footer" data-list-shown=${shown} data-list-total=${total}>
      <span class="muted" role="status">${t('list.shown', { n: f.int(shown), total: f.int(total) })}</span>
      ${next > 0 ? html`<button type="button" data-more ?disabled=${this.loading} @click=${() => this.more(result, shown)}>${this.loading ? t('state.loading') : t('list.more', { n: f.int(next) })}</button>` : nothing}
      <button type="button" data-download-all @click=${() => downloadAll().catch((e: Error) => { this.error = e.message; this.host.requestUpdate(); })}>${t('list.downloadAll', { total: f.int(total) })}</button>
      ${this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}
    </div>`;
  }
}
