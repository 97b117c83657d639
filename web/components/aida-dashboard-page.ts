// <aida-dashboard-page>: the charts pinned with "Pin to dashboard", each drawn live from the page state
// it was pinned with (its period, preset and filters), with a link back to that page, and moved up,
// down or removed; and the annotations every time chart draws, added and deleted here.
import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { annotationList, loadAnnotations, onAnnotations } from '../annotation-list.ts';
import { api, type Pin } from '../api.ts';
import { authVersion } from '../auth.ts';
import { translator, type Locale, type MessageKey, type Translate } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { openQuery } from '../url-state.ts';
import { emptyView, taskView } from './task-view.ts';
import { pinnedCharts, pinnedQuery, pinnedState } from './pinned-charts.ts';
import './aida-chart.ts';

/** A pinned chart: its endpoint read with the pin's query, drawn by its page's chart function. */
@customElement('aida-pinned-chart')
export class AidaPinnedChart extends LitElement {
  static override styles = [tokens, shared];
  @property({ attribute: false }) pin?: Pin;
  @property() locale: Locale = 'en';

  private readonly data = new Task(this, {
    task: ([pin], { signal }) => {
      const spec = pinnedCharts[pin!.chart];
      return spec.load(pinnedQuery(spec, pin!.query), signal);
    },
    args: () => [this.pin, authVersion()] as const,
  });

  override render() {
    const pin = this.pin;
    if (!pin) return nothing;
    const spec = pinnedCharts[pin.chart];
    const t = translator(this.locale);
    return taskView(this.data, t, (data) => html`<aida-chart .data=${data} .draw=${spec.draw} .options=${spec.options?.(new URLSearchParams(pin.query)) ?? {}} .locale=${this.locale}
        name="dashboard-${pin.chart}" .csv=${{ path: spec.path, query: pinnedQuery(spec, pin.query) }}></aida-chart>`);
  }
}

@customElement('aida-dashboard-page')
export class AidaDashboardPage extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      .pin-bar { display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: center; margin-top: 0.5rem; font-size: 0.85rem; }
      .pin-bar .state { flex: 1 1 12rem; min-width: 0; overflow-wrap: anywhere; }
      .pin-bar button { font-size: 0.8rem; padding: 0.15rem 0.5rem; }
      form.annotate { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: flex-end; }
      form.annotate .note { flex: 1 1 14rem; }
      form.annotate .note input { width: 100%; box-sizing: border-box; }
      ul.annotations { list-style: none; padding: 0; margin: 0.75rem 0 0; }
      ul.annotations li { display: flex; flex-wrap: wrap; gap: 0.3rem 0.75rem; align-items: baseline; padding: 0.3rem 0; border-top: 1px solid var(--line); }
      ul.annotations .when { font-variant-numeric: tabular-nums; }
      ul.annotations .what { flex: 1 1 10rem; min-width: 0; overflow-wrap: anywhere; }
      input[name='note'], input[name='author'] { border: 1px solid var(--line); border-radius: var(--radius); padding: 0.3rem 0.45rem; background: white; }
    `,
  ];
  @property() locale: Locale = 'en';
  @state() private problem = '';
  @state() private annotationProblem = '';
  private unsubscribe?: () => void;

  private readonly pins = new Task(this, {
    task: async (_args, { signal }) => (await api.pins(signal)).pins,
    args: () => [authVersion()] as const,
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onAnnotations(() => this.requestUpdate());
    loadAnnotations().catch((e: Error) => (this.annotationProblem = e.message));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  override render() {
    const t = translator(this.locale);
    return html`<h1>${t('dashboard.title')}</h1>
      <p class="muted">${t('dashboard.intro')}</p>
      ${this.problem ? html`<p class="error" role="alert">${t('state.error', { message: this.problem })}</p>` : nothing}
      ${taskView(this.pins, t, (pins) =>
        pins.length
          ? html`<div class="grid">${pins.map((p, i) => this.pinCard(t, p, i, pins))}</div>`
          : emptyView(t('dashboard.empty')),
      )}
      ${this.annotationsCard(t)}`;
  }

  private pinCard(t: Translate, pin: Pin, i: number, pins: Pin[]) {
    const pageName = t(`nav.${pin.page}` as MessageKey);
    const href = `/${pin.page}${pin.query ? `?${pin.query}` : ''}`;
    return html`<section class="card" data-pin=${pin.chart} aria-label=${t('dashboard.chartActions', { n: i + 1 })}>
      <aida-pinned-chart .pin=${pin} .locale=${this.locale}></aida-pinned-chart>
      <div class="pin-bar">
        <span class="state muted">${pinnedState(t, pinnedCharts[pin.chart], pin.query)}</span>
        <a href=${href} @click=${(e: MouseEvent) => this.open(e, pin)}>${t('dashboard.open', { page: pageName })}</a>
        <button type="button" ?disabled=${i === 0} @click=${() => this.move(pins, i, -1)} aria-label="${t('dashboard.up')}: ${pageName}">↑</button>
        <button type="button" ?disabled=${i === pins.length - 1} @click=${() => this.move(pins, i, 1)} aria-label="${t('dashboard.down')}: ${pageName}">↓</button>
        <button type="button" @click=${() => this.unpin(pin)}>${t('dashboard.remove')}</button>
      </div>
    </section>`;
  }

  private annotationsCard(t: Translate) {
    const list = annotationList();
    return html`<section class="card" style="margin-top: 1rem" aria-labelledby="annotations-title">
      <h2 id="annotations-title">${t('annotations.title')}</h2>
      ${emptyView(t('annotations.intro'))}
      <form class="annotate" style="margin-top: 0.75rem" @submit=${this.addAnnotation}>
        <label class="field">${t('annotations.date')}<input type="date" name="date" required /></label>
        <label class="field note">${t('annotations.note')}<input type="text" name="note" required maxlength="500" /></label>
        <label class="field">${t('annotations.author')}<input type="text" name="author" maxlength="100" /></label>
        <button type="submit" class="primary">${t('annotations.add')}</button>
      </form>
      ${this.annotationProblem ? html`<p class="error" role="alert">${t('state.error', { message: this.annotationProblem })}</p>` : nothing}
      ${list.length
        ? html`<ul class="annotations">${list.map(
            (a) => html`<li data-annotation=${a.id}>
              <span class="when">${a.date}</span><span class="what">${a.note}${a.author ? html` <span class="muted">(${a.author})</span>` : nothing}</span>
              <button type="button" @click=${() => this.deleteAnnotation(a.id)} aria-label=${t('annotations.delete', { note: a.note })}>✕</button>
            </li>`,
          )}</ul>`
        : html`<p class="muted">${t('annotations.none')}</p>`}
    </section>`;
  }

  private open(e: MouseEvent, pin: Pin): void {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    openQuery(pin.page, pin.query);
    window.scrollTo(0, 0);
  }

  private async move(pins: Pin[], i: number, by: -1 | 1): Promise<void> {
    const ids = pins.map((p) => p.id);
    [ids[i], ids[i + by]] = [ids[i + by]!, ids[i]!];
    await this.change(() => api.orderPins(ids));
  }

  private async unpin(pin: Pin): Promise<void> {
    await this.change(() => api.deletePin(pin.id));
  }

  private async change(run: () => Promise<unknown>): Promise<void> {
    this.problem = '';
    try {
      await run();
      await this.pins.run();
    } catch (e) {
      this.problem = (e as Error).message;
    }
  }

  private async addAnnotation(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const author = String(data.get('author') ?? '').trim();
    this.annotationProblem = '';
    try {
      await api.createAnnotation({ date: String(data.get('date')), note: String(data.get('note')), ...(author ? { author } : {}) });
      form.reset();
      await loadAnnotations(true);
    } catch (err) {
      this.annotationProblem = (err as Error).message;
    }
  }

  private async deleteAnnotation(id: number): Promise<void> {
    this.annotationProblem = '';
    try {
      await api.deleteAnnotation(id);
      await loadAnnotations(true);
    } catch (err) {
      this.annotationProblem = (err as Error).message;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-dashboard-page': AidaDashboardPage;
    'aida-pinned-chart': AidaPinnedChart;
  }
}
