// <aida-views-menu>: the header's saved views. Each is a link (/view/<id>, to share) that opens its page
// with its query string in the reader's language; the current view is saved under a name; a view is
// deleted from its row. Kept by the server (GET/POST/DELETE /api/views).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type SavedView } from '../api.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { currentPage, keptQuery, openQuery } from '../url-state.ts';

@customElement('aida-views-menu')
export class AidaViewsMenu extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      :host { display: block; position: relative; }
      summary { cursor: pointer; color: var(--accent); padding: 0.35rem 0.2rem; list-style-position: inside; }
      .panel { position: absolute; right: 0; z-index: 5; margin-top: 0.25rem; width: min(22rem, calc(100vw - 2rem)); background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 0.75rem; box-shadow: 0 4px 14px rgb(0 0 0 / 12%); }
      ul { list-style: none; margin: 0 0 0.75rem; padding: 0; max-height: 50vh; overflow-y: auto; }
      li { display: flex; gap: 0.5rem; align-items: center; padding: 0.25rem 0; border-bottom: 1px solid var(--line); }
      li a { flex: 1; min-width: 0; overflow-wrap: anywhere; }
      li button { font-size: 0.8rem; padding: 0.1rem 0.45rem; }
      form { display: flex; gap: 0.5rem; align-items: flex-end; flex-wrap: wrap; }
      form label { flex: 1 1 10rem; }
      form input { width: 100%; box-sizing: border-box; border: 1px solid var(--line); border-radius: var(--radius); padding: 0.3rem 0.45rem; background: white; }
      .status { font-size: 0.85rem; margin: 0.5rem 0 0; overflow-wrap: anywhere; }
      .error { padding: 0.4rem 0.6rem; font-size: 0.85rem; margin: 0.5rem 0 0; }
    `,
  ];
  @property() locale: Locale = 'en';
  @state() private views: SavedView[] | null = null;
  @state() private problem = '';
  @state() private saved = '';
  /** a click outside the menu or Escape closes it, as a menu does */
  private readonly outside = (e: Event) => {
    if (e instanceof KeyboardEvent ? e.key === 'Escape' : !e.composedPath().includes(this)) this.close();
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.listen(false);
  }

  private listen(on: boolean): void {
    for (const type of ['click', 'keydown'] as const) (on ? document.addEventListener : document.removeEventListener).call(document, type, this.outside, true);
  }

  private close(): void {
    const details = this.renderRoot.querySelector('details');
    if (details) details.open = false;
  }

  override render() {
    const t = translator(this.locale);
    return html`<details @toggle=${this.toggled}>
      <summary>${t('views.menu')}</summary>
      <div class="panel">
        ${this.views === null
          ? nothing
          : this.views.length
            ? html`<ul aria-label=${t('views.menu')}>${this.views.map(
                (v) => html`<li data-view=${v.id}>
                  <a href="/view/${v.id}" @click=${(e: MouseEvent) => this.open(e, v)}>${v.name}</a>
                  <button type="button" @click=${() => this.deleteView(v)} aria-label=${t('views.delete', { name: v.name })}>✕</button>
                </li>`,
              )}</ul>`
            : html`<p class="muted">${t('views.none')}</p>`}
        <form @submit=${this.save}>
          <label class="field">${t('views.name')}<input type="text" name="view-name" required maxlength="120" autocomplete="off" /></label>
          <button type="submit" class="primary">${t('views.save')}</button>
        </form>
        ${this.saved ? html`<p class="status" role="status">${this.saved}</p>` : nothing}
        ${this.problem ? html`<p class="error" role="alert">${t('state.error', { message: this.problem })}</p>` : nothing}
      </div>
    </details>`;
  }

  private toggled(e: Event): void {
    const open = (e.target as HTMLDetailsElement).open;
    this.listen(open);
    if (open) void this.load();
  }

  private async load(): Promise<void> {
    this.problem = '';
    try {
      this.views = (await api.views()).views;
    } catch (err) {
      this.problem = (err as Error).message;
    }
  }

  private open(e: MouseEvent, v: SavedView): void {
    // a new tab opens /view/<id> itself; a plain click opens the view in place
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.close();
    openQuery(v.page, v.query);
  }

  private async save(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = String(new FormData(form).get('view-name') ?? '').trim();
    const t = translator(this.locale);
    this.problem = '';
    this.saved = '';
    try {
      const view = await api.createView({ name, page: currentPage(), query: keptQuery() });
      form.reset();
      this.saved = t('views.saved', { name: view.name, link: `${location.origin}/view/${view.id}` });
      await this.load();
    } catch (err) {
      this.problem = (err as Error).message;
    }
  }

  private async deleteView(v: SavedView): Promise<void> {
    this.problem = '';
    try {
      await api.deleteView(v.id);
      await this.load();
    } catch (err) {
      this.problem = (err as Error).message;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-views-menu': AidaViewsMenu;
  }
}
