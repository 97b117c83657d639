// <aida-cohorts-page>: retention by cohort of first order (month/week, three modes, rate or revenue
// view), the repurchase curve, days to the second order, orders per customer and repeat revenue.
import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type RepurchaseResult, type RetentionResult } from '../api.ts';
import { cohortHeatmap, repurchaseCurve, secondOrderHistogram } from '../charts/cohort-chart.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { pageFilters, queryKeys } from '../page-queries.ts';
import { UrlState, queryObject, setParams } from '../url-state.ts';
import { noteText, type Note } from '../i18n/notes.ts';
import { emptyView, notesView, taskView, urlTask } from './task-view.ts';
import { tableRegion } from './table-region.ts';
import './aida-chart.ts';
import './aida-controls.ts';

const retentionKeys = queryKeys.retention;
const repurchaseKeys = queryKeys.repurchase;

export const drawHeatmap = (r: RetentionResult, o: ChartOptions & { view?: 'rate' | 'revenue' }) => cohortHeatmap(r.cohorts, o);
export const drawCurve = (r: RepurchaseResult, o: ChartOptions) => repurchaseCurve(r.windows, o);
export const drawHistogram = (r: RepurchaseResult, o: ChartOptions) => secondOrderHistogram(r.daysToSecond.histogram, r.daysToSecond, o);

@customElement('aida-cohorts-page')
export class AidaCohortsPage extends LitElement {
  static override styles = [tokens, shared];
  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);

  private readonly retention = urlTask(this, this.url, retentionKeys, api.retention);

  private readonly repurchase = urlTask(this, this.url, repurchaseKeys, api.repurchase);

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    const notes = (list: readonly Note[]) => notesView(list.map((n) => noteText(t, f, n)), t);
    const grain = this.url.get('grain') ?? 'month';
    const mode = this.url.get('mode') ?? 'standard';
    const view = this.url.get('view') === 'revenue' ? 'revenue' : 'rate';
    const select = (name: string, value: string, options: readonly string[], label: string, text: (o: string) => string, fallback: string) =>
      html`<label class="field">${label}
        <select name=${name} @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; setParams({ [name]: v === fallback ? null : v }); }}>
          ${options.map((o) => html`<option value=${o} ?selected=${value === o}>${text(o)}</option>`)}
        </select>
      </label>`;
    return html`<h1>${t('cohorts.title')}</h1>
      <aida-controls .locale=${this.locale} .dims=${pageFilters.cohorts.controls} defaultRange="all"></aida-controls>
      <div class="toolbar">
        ${select('grain', grain, ['month', 'week'], t('cohorts.grain'), (o) => t(`cohorts.grain.${o as 'month'}`), 'month')}
        ${select('mode', mode, ['standard', 'rolling', 'first-repeat'], t('cohorts.mode'), (o) => t(`cohorts.mode.${o as 'standard'}`), 'standard')}
        ${select('view', view, ['rate', 'revenue'], t('cohorts.view'), (o) => t(`cohorts.view.${o as 'rate'}`), 'rate')}
        <label class="field" title=${t('cohorts.firstProductHint')}>${t('cohorts.firstProduct')}
          <input name="first_product" type="search" placeholder="SKU" .value=${this.url.get('first_product') ?? ''}
            @change=${(e: Event) => setParams({ first_product: (e.target as HTMLInputElement).value.trim() || null })} />
        </label>
      </div>
      <section class="card">
        ${taskView(this.retention, t, (r) =>
          r.cohorts.length
            ? html`<aida-chart .data=${r} .draw=${drawHeatmap} .options=${{ view }} .locale=${this.locale} name="retention-${r.grain}-${r.mode}" pin="retention"
                  .csv=${{ path: 'retention', query: queryObject(this.url.query(retentionKeys)) }}></aida-chart>${notes(r.notes)}`
            : html`${emptyView(t('state.noOrders'))}${notes(r.notes)}`,
        )}
      </section>
      ${taskView(this.repurchase, t, (r) => {
        if (!r.windows.some((w) => w.eligible > 0) && !r.daysToSecond.customers) return html`<div style="margin-top: 1rem">${emptyView(t('state.noOrders'))}</div>`;
        const q = { path: 'repurchase', query: queryObject(this.url.query(repurchaseKeys)) };
        return html`<div class="grid" style="margin-top: 1rem">
          <section class="card"><aida-chart .data=${r} .draw=${drawCurve} .locale=${this.locale} name="repurchase" pin="repurchase" .csv=${q}></aida-chart></section>
          <section class="card"><aida-chart .data=${r} .draw=${drawHistogram} .locale=${this.locale} name="days-to-second-order" pin="days-to-second-order" .csv=${q}></aida-chart></section>
          <section class="card">
            <div class="kpis">
              <div class="kpi"><span class="v" data-kpi="repeat-share">${f.pct(r.repeatRevenue.share)}</span><span class="l">${t('cohorts.repeatShareLabel')}</span></div>
              <div class="kpi"><span class="v">${f.num(r.daysToSecond.median, 1)}</span><span class="l">${t('cohorts.medianDays')}</span></div>
            </div>
            ${tableRegion(t('customers.orders'), html`<table class="data" aria-label=${t('customers.orders')}>
              <thead><tr><th scope="col">${t('customers.orders')}</th><th scope="col" class="n">${t('cohorts.size')}</th></tr></thead>
              <tbody>${r.ordersPerCustomer.map((o) => html`<tr><td>${o.orders}</td><td class="n">${f.int(o.customers)}</td></tr>`)}</tbody>
            </table>`)}
            ${notes(r.notes)}
          </section>
        </div>`;
      })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-cohorts-page': AidaCohortsPage;
  }
}
