// <aida-app>: the shell. Header with the page links, the saved views and the language switch, the
// current page (from the URL path; /view/<id> opens a saved view), and the token prompt. Each page's
// code loads when the page is first opened.
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localeNames, locales, translator, type Locale, type MessageKey } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { api } from '../api.ts';
import { UrlState, goTo, openQuery, pageHref, pages, setLocale, viewLink, type Page } from '../url-state.ts';
import './aida-token-dialog.ts';
import './aida-views-menu.ts';

/** Each page's module, loaded when the page is first shown (the SQL page brings CodeMirror later still). */
const pageModules: Record<Page, () => Promise<unknown>> = {
  dashboard: () => import('./aida-dashboard-page.ts'),
  funnel: () => import('./aida-funnel-page.ts'),
  paths: () => import('./aida-paths-page.ts'),
  efficiency: () => import('./aida-efficiency-page.ts'),
  cohorts: () => import('./aida-cohorts-page.ts'),
  customers: () => import('./aida-customers-page.ts'),
  products: () => import('./aida-products-page.ts'),
  campaigns: () => import('./aida-campaigns-page.ts'),
  complaints: () => import('./aida-complaints-page.ts'),
  weekly: () => import('./aida-weekly-page.ts'),
  sql: () => import('./aida-sql-page.ts'),
};

const htmlLang: Record<Locale, string> = { en: 'en', 'zh-Hans': 'zh-Hans', 'zh-Hant': 'zh-Hant' };

@customElement('aida-app')
export class AidaApp extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      :host { display: block; min-height: 100vh; background: var(--page); }
      header { background: var(--panel); border-bottom: 1px solid var(--line); }
      .bar { max-width: 80rem; margin: 0 auto; padding: 0.5rem 1rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; align-items: center; }
      .brand { font-weight: 700; font-size: 1.2rem; letter-spacing: 0.02em; color: var(--ink); text-decoration: none; }
      .tagline { color: var(--muted); font-size: 0.8rem; }
      nav ul { display: flex; flex-wrap: wrap; gap: 0.15rem; list-style: none; margin: 0; padding: 0; }
      nav a { display: block; padding: 0.35rem 0.65rem; border-radius: var(--radius); color: var(--ink); text-decoration: none; }
      nav a:hover { background: var(--page); }
      nav a[aria-current='page'] { background: var(--accent); color: var(--accent-ink); }
      .lang { margin-left: auto; }
      aida-views-menu { align-self: flex-end; }
      main { max-width: 80rem; margin: 0 auto; padding: 1rem; }
      .skip { position: absolute; left: -999px; }
      .skip:focus { left: 1rem; top: 0.5rem; background: var(--panel); padding: 0.4rem 0.8rem; z-index: 10; }
      @media print {
        header, .skip { display: none; }
        :host { background: white; }
        main { max-width: none; padding: 0; }
      }
    `,
  ];

  private readonly url = new UrlState(this);
  private readonly loaded = new Set<Page>();
  @state() private loadError = '';
  @state() private viewError = '';
  private opening: number | null = null;

  override render() {
    const link = viewLink();
    if (link !== null) this.openView(link);
    const page = this.url.page;
    const locale = this.url.locale;
    const t = translator(locale);
    document.documentElement.lang = htmlLang[locale];
    document.title = `${t(`nav.${page}` as MessageKey)} · aida`;
    if (!this.loaded.has(page)) {
      this.loaded.add(page);
      // the element upgrades when its module has defined it
      pageModules[page]().catch((e: Error) => {
        this.loaded.delete(page);
        this.loadError = `${page}: ${e.message}`;
      });
    }
    return html`<a class="skip" href="#main" @click=${this.skip}>${t('app.skip')}</a>
      <header>
        <div class="bar">
          <a class="brand" href=${pageHref('funnel')} @click=${(e: MouseEvent) => this.follow(e, 'funnel')}>aida</a>
          <span class="tagline">${t('app.tagline')}</span>
          <aida-views-menu class="lang" .locale=${locale}></aida-views-menu>
          <label class="field">${t('app.language')}
            <select name="lang" @change=${(e: Event) => setLocale((e.target as HTMLSelectElement).value as Locale)}>
              ${locales.map((l) => html`<option value=${l} ?selected=${l === locale} lang=${htmlLang[l]}>${localeNames[l]}</option>`)}
            </select>
          </label>
        </div>
        <nav class="bar" aria-label=${t('nav.label')}>
          <ul>
            ${pages.map(
              (p) => html`<li><a href=${pageHref(p)} aria-current=${p === page ? 'page' : 'false'} @click=${(e: MouseEvent) => this.follow(e, p)}>${t(`nav.${p}` as MessageKey)}</a></li>`,
            )}
          </ul>
        </nav>
      </header>
      <main id="main" tabindex="-1">${this.loadError ? html`<p class="error" role="alert">${t('state.error', { message: this.loadError })}</p>` : ''}${this.viewError ? html`<p class="error" role="alert">${this.viewError}</p>` : ''}${link === null ? this.renderPage(page, locale) : ''}</main>
      <aida-token-dialog .locale=${locale}></aida-token-dialog>`;
  }

  /** /view/<id>: the saved view's page and query string replace the link (an unknown id says so). */
  private openView(id: number): void {
    if (this.opening === id) return;
    this.opening = id;
    this.viewError = '';
    api.views().then(
      ({ views }) => {
        this.opening = null;
        const view = views.find((v) => v.id === id);
        if (view) return openQuery(view.page, view.query, { replace: true });
        this.viewError = translator(this.url.locale)('views.notFound', { id });
        openQuery('dashboard', '', { replace: true });
      },
      (e: Error) => {
        this.opening = null;
        this.viewError = translator(this.url.locale)('state.error', { message: e.message });
      },
    );
  }

  private renderPage(page: Page, locale: Locale) {
    switch (page) {
      case 'dashboard':
        return html`<aida-dashboard-page .locale=${locale}></aida-dashboard-page>`;
      case 'funnel':
        return html`<aida-funnel-page .locale=${locale}></aida-funnel-page>`;
      case 'paths':
        return html`<aida-paths-page .locale=${locale}></aida-paths-page>`;
      case 'efficiency':
        return html`<aida-efficiency-page .locale=${locale}></aida-efficiency-page>`;
      case 'cohorts':
        return html`<aida-cohorts-page .locale=${locale}></aida-cohorts-page>`;
      case 'customers':
        return html`<aida-customers-page .locale=${locale}></aida-customers-page>`;
      case 'products':
        return html`<aida-products-page .locale=${locale}></aida-products-page>`;
      case 'campaigns':
        return html`<aida-campaigns-page .locale=${locale}></aida-campaigns-page>`;
      case 'complaints':
        return html`<aida-complaints-page .locale=${locale}></aida-complaints-page>`;
      case 'weekly':
        return html`<aida-weekly-page .locale=${locale}></aida-weekly-page>`;
      case 'sql':
        return html`<aida-sql-page .locale=${locale}></aida-sql-page>`;
    }
  }

  private follow(e: MouseEvent, page: Page): void {
    // let the browser handle new-tab clicks; a plain click navigates in place
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    goTo(page);
    this.renderRoot.querySelector<HTMLElement>('main')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }

  private skip(e: Event): void {
    e.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-app': AidaApp;
  }
}
