// <aida-chart>: draws one chart function at the width it is given (with the tab's annotations, which
// time charts draw), and offers its downloads (the endpoint's CSV, the SVG, a PNG) and, for a chart
// that can be pinned, "Pin to dashboard". The first chart drawn marks `aida:first-chart` for the web bench.
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PinnableChart } from '../../queries/shared/app-pages.ts';
import { annotationList, loadAnnotations, onAnnotations } from '../annotation-list.ts';
import { api, downloadCsv, saveBlob, type CsvSource } from '../api.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { keptQuery } from '../url-state.ts';
import { svgText, svgToPng } from './svg-export.ts';

let firstChartMarked = false;

export type DrawChart<T> = (data: T, options: ChartOptions) => SVGSVGElement;

@customElement('aida-chart')
export class AidaChart extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      :host { display: block; min-width: 0; }
      .plot { min-height: 4rem; }
      .plot svg { display: block; max-width: 100%; height: auto; }
      .downloads { display: flex; gap: 0.4rem; justify-content: flex-end; margin-top: 0.35rem; }
      .downloads button { font-size: 0.78rem; padding: 0.15rem 0.5rem; }
      .download-error { color: var(--danger); font-size: 0.8rem; }
      @media print { .downloads { display: none; } }
    `,
  ];

  /** the data passed to `draw` (redrawn when it changes identity) */
  @property({ attribute: false }) data: unknown;
  @property({ attribute: false }) draw?: DrawChart<never>;
  /** chart options beyond width/document (view, currency...); compared by value */
  @property({ attribute: false }) options: Omit<ChartOptions, 'width' | 'document'> & Record<string, unknown> = {};
  @property() locale: Locale = 'en';
  /** base file name for downloads */
  @property() name = 'chart';
  @property({ attribute: false }) csv?: CsvSource;
  /** which chart this is, to offer "Pin to dashboard" (drawn there from this page's query string) */
  @property() pin?: PinnableChart;
  @state() private pinned = false;
  @state() private width = 0;
  @state() private downloadError = '';
  private svg?: SVGSVGElement;
  private drawnKey = '';
  private observer?: ResizeObserver;
  private unsubscribe?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onAnnotations(() => this.requestUpdate());
    loadAnnotations().catch((e: Error) => console.warn(`aida: annotations not loaded (${e.message}); charts are drawn without them`));
    this.observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0 && Math.abs(w - this.width) >= 8) this.width = w;
    });
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.unsubscribe?.();
  }

  override render() {
    const t = translator(this.locale);
    const title = this.svg?.getAttribute('aria-label') ?? this.name;
    return html`<div class="plot" role="figure" aria-label=${title}></div>
      <div class="downloads" role="group" aria-label=${t('download.label', { chart: title })}>
        ${this.downloadError ? html`<span class="download-error" role="alert">${this.downloadError}</span>` : ''}
        ${this.pin
          ? html`<button type="button" class="pin" ?disabled=${this.pinned} @click=${this.savePin} aria-label="${t(this.pinned ? 'pin.done' : 'pin.add')}: ${title}">${t(this.pinned ? 'pin.done' : 'pin.add')}</button>`
          : ''}
        ${this.csv ? html`<button type="button" @click=${this.saveCsv} aria-label="${t('download.csv')}: ${title}">CSV</button>` : ''}
        <button type="button" @click=${this.saveSvg} aria-label="${t('download.svg')}: ${title}">SVG</button>
        <button type="button" @click=${this.savePng} aria-label="${t('download.png')}: ${title}">PNG</button>
      </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (!this.draw || this.data === undefined) return;
    const width = this.width || this.getBoundingClientRect().width || 640;
    const annotations = annotationList();
    const key = `${Math.round(width)}|${this.locale}|${JSON.stringify(this.options)}|${annotations.map((a) => a.id).join(',')}`;
    if (this.svg && key === this.drawnKey && !changed.has('data') && !changed.has('draw')) return;
    this.drawnKey = key;
    const svg = (this.draw as DrawChart<unknown>)(this.data, { ...this.options, annotations, width, locale: this.locale, document });
    const host = this.renderRoot.querySelector('.plot')!;
    host.replaceChildren(svg);
    host.setAttribute('aria-label', svg.getAttribute('aria-label') ?? this.name);
    const retitled = this.svg?.getAttribute('aria-label') !== svg.getAttribute('aria-label');
    this.svg = svg;
    if (retitled) this.requestUpdate();
    if (!firstChartMarked) {
      firstChartMarked = true;
      performance.mark('aida:first-chart');
    }
    this.dispatchEvent(new CustomEvent('aida-chart-drawn', { bubbles: true, composed: true }));
  }

  private async savePin(): Promise<void> {
    this.downloadError = '';
    try {
      await api.createPin({ chart: this.pin!, query: keptQuery() });
      this.pinned = true;
    } catch (e) {
      this.downloadError = (e as Error).message;
    }
  }

  private async saveCsv(): Promise<void> {
    this.downloadError = '';
    try {
      await downloadCsv(this.csv!, `${this.name}.csv`);
    } catch (e) {
      this.downloadError = (e as Error).message;
    }
  }

  private saveSvg(): void {
    if (this.svg) saveBlob(new Blob([svgText(this.svg)], { type: 'image/svg+xml' }), `${this.name}.svg`);
  }

  private async savePng(): Promise<void> {
    this.downloadError = '';
    try {
      if (this.svg) saveBlob(await svgToPng(this.svg), `${this.name}.png`);
    } catch (e) {
      this.downloadError = (e as Error).message;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-chart': AidaChart;
  }
}
