// <aida-customers-page>: A/B/C tiers (Pareto curve against the 15/35/50 rule of thumb, tier migration),
// lifecycle stages with who is due for follow-up, and the churn early-warning list.
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, downloadCsv, type AtRiskResult, type LifecycleResult, type TiersResult } from '../api.ts';
import { lifecycleChart, paretoChart } from '../charts/customer-chart.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale, type MessageKey } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { queryKeys } from '../page-queries.ts';
import { UrlState, queryObject, setParams } from '../url-state.ts';
import { noteText, type Note } from '../i18n/notes.ts';
import { ListPages } from './list-pages.ts';
import { emptyView, notesView, taskView, urlTask } from './task-view.ts';
import { tableRegion } from './table-region.ts';
import './aida-chart.ts';
import './aida-controls.ts';

const tierKeys = queryKeys.tiers;
const asOfKeys = queryKeys.asOf;

export const drawPareto = (r: TiersResult, o: ChartOptions) => paretoChart(r.tiers, { ...o, rule: r.ruleOfThumb, curve: r.pareto });
const drawLifecycle = (r: LifecycleResult, o: ChartOptions) => {
  const t = translator(o.locale);
  return lifecycleChart(r.stages.map((s) => ({ stage: s.stage, label: `${s.stage} ${t(`lifecycle.${s.key}` as MessageKey)}`, customers: s.customers })), o);
};

@customElement('aida-customers-page')
export class AidaCustomersPage extends LitElement {
  static override styles = [tokens, shared];
  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);

  private readonly tiers = urlTask(this, this.url, tierKeys, api.tiers);
  private readonly lifecycle = urlTask(this, this.url, asOfKeys, api.lifecycle);
  private readonly atRisk = urlTask(this, this.url, asOfKeys, api.atRisk);
  /** the next pages of the two lists (the API sends 200 rows at a time) */
  private readonly page = (offset: number, limit: number) => ({ ...queryObject(this.url.query(asOfKeys)), offset: String(offset), limit: String(limit) });
  private readonly duePages = new ListPages<LifecycleResult['due'][number]>(this, async (offset, limit) => (await api.lifecycle(this.page(offset, limit))).due);
  private readonly riskPages = new ListPages<AtRiskResult['customers'][number]>(this, async (offset, limit) => (await api.atRisk(this.page(offset, limit))).customers);

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    const notes = (list: readonly Note[]) => notesView(list.map((n) => noteText(t, f, n)), t);
    const asOf = this.url.get('as_of') ?? this.lifecycle.value?.asOf ?? '';
    return html`<h1>${t('customers.title')}</h1>
      <aida-controls .locale=${this.locale} .resolved=${this.tiers.value?.period}></aida-controls>
      ${taskView(this.tiers, t, (r) => {
        if (!r.customers) return html`${emptyView(t('state.noCustomers'))}${notes(r.notes)}`;
        const q = { path: 'customers/tiers', query: queryObject(this.url.query(tierKeys)) };
        return html`<div class="grid">
          <section class="card">
            <aida-chart .data=${r} .draw=${drawPareto} .locale=${this.locale} name="customer-tiers" pin="customer-tiers" .csv=${q}></aida-chart>
          </section>
          <section class="card">
            <div class="kpis">
              <div class="kpi"><span class="v" data-kpi="customers">${f.int(r.customers)}</span><span class="l">${t('customers.customers')}</span></div>
              <div class="kpi"><span class="v">${f.money(r.revenue)}</span><span class="l">${t('customers.revenue')}</span></div>
            </div>
            ${tableRegion(t('customers.paretoTitle'), html`<table class="data" aria-label=${t('customers.paretoTitle')}>
              <thead><tr><th scope="col">${t('customers.tier')}</th><th scope="col" class="n">${t('customers.customers')}</th><th scope="col" class="n">%</th><th scope="col" class="n">${t('customers.revenue')}</th><th scope="col" class="n">%</th><th scope="col" class="n">${t('customers.ruleOfThumb')}</th></tr></thead>
              <tbody>
                ${r.tiers.map((x) => {
                  const rule = r.ruleOfThumb.find((y) => y.tier === x.tier);
                  return html`<tr data-tier=${x.tier}><th scope="row">${x.tier}</th><td class="n">${f.int(x.customers)}</td><td class="n">${f.pct(x.customerShare)}</td><td class="n">${f.money(x.revenue)}</td><td class="n">${f.pct(x.revenueShare)}</td><td class="n muted">${rule ? `${f.pct(rule.customerShare, 0)} / ${f.pct(rule.revenueShare, 0)}` : ''}</td></tr>`;
                })}
              </tbody>
            </table>`)}
            ${r.migration.length && r.migrationMonths
              ? html`<h2 style="margin-top: 1rem">${t('customers.migrationTitle')} (${r.migrationMonths.from} → ${r.migrationMonths.to})</h2>
                  ${tableRegion(t('customers.migrationTitle'), html`<table class="data" aria-label=${t('customers.migrationTitle')}>
                    <thead><tr><th scope="col"><span class="visually-hidden">${t('customers.tier')}</span></th>${['A', 'B', 'C', 'none'].map((to) => html`<th scope="col" class="n">→ ${to === 'none' ? t('customers.migration.none') : to}</th>`)}</tr></thead>
                    <tbody>${['A', 'B', 'C', 'new'].map((from) => html`<tr><th scope="row">${from === 'new' ? t('customers.migration.new') : from}</th>${['A', 'B', 'C', 'none'].map((to) => html`<td class="n">${from === 'new' && to === 'none' ? '' : f.int(r.migration.find((m) => m.from === from && m.to === to)?.customers ?? 0)}</td>`)}</tr>`)}</tbody>
                  </table>`)}`
              : nothing}
            ${notes(r.notes)}
          </section>
        </div>`;
      })}
      <div class="toolbar" style="margin-top: 1rem">
        <label class="field">${t('customers.asOf')}
          <input type="date" name="as_of" .value=${asOf} @change=${(e: Event) => setParams({ as_of: (e.target as HTMLInputElement).value })} />
        </label>
      </div>
      <div class="grid">
        <section class="card">
          ${taskView(this.lifecycle, t, (r) => {
            const q = { path: 'customers/lifecycle', query: queryObject(this.url.query(asOfKeys)) };
            return html`<aida-chart .data=${r} .draw=${drawLifecycle} .locale=${this.locale} name="lifecycle" .csv=${q}></aida-chart>
              ${tableRegion(t('customers.lifecycleTitle'), html`<table class="data" aria-label=${t('customers.lifecycleTitle')}>
                <thead><tr><th scope="col">${t('customers.stage')}</th><th scope="col" class="n">${t('customers.customers')}</th><th scope="col" class="n">${t('customers.due')}</th><th scope="col">${t('customers.cadence')}</th></tr></thead>
                <tbody>${r.stages.map((s) => html`<tr data-stage=${s.stage}><th scope="row">${s.stage} ${t(`lifecycle.${s.key}` as MessageKey)}</th><td class="n">${f.int(s.customers)}</td><td class="n">${f.int(s.due)}</td><td class="muted wrap">${noteText(t, f, s.cadence)}</td></tr>`)}</tbody>
              </table>`)}
              ${notes(r.notes)}`;
          })}
        </section>
        <section class="card">
          <h2>${t('customers.due')}</h2>
          ${taskView(this.lifecycle, t, (r) => {
            const due = this.duePages.rows(r, r.due);
            return due.length
              ? html`${tableRegion(t('customers.due'), html`<table class="data" aria-label=${t('customers.due')}>
                    <thead><tr><th scope="col">${t('customers.customer')}</th><th scope="col">${t('customers.stage')}</th><th scope="col">${t('customers.reason')}</th><th scope="col" class="n">${t('customers.daysSince')}</th><th scope="col" class="n">${t('customers.revenue')}</th><th scope="col">${t('customers.tier')}</th></tr></thead>
                    <tbody>${due.map((d) => html`<tr><td>${d.customerId}</td><td>${d.stage}</td><td class="wrap">${noteText(t, f, d.reason)}</td><td class="n">${f.int(d.daysSince)}</td><td class="n">${f.money(d.revenue)}</td><td>${d.tier ?? ''}</td></tr>`)}</tbody>
                  </table>`)}${this.duePages.footer(t, f, r, due.length, r.page.total, () => this.download('customers/lifecycle', 'follow-ups-due.csv'))}`
              : emptyView(t('state.noneDue'));
          })}
        </section>
      </div>
      <section class="card" style="margin-top: 1rem">
        <h2>${t('customers.atRisk')}</h2>
        ${taskView(this.atRisk, t, (r) => {
          const list = this.riskPages.rows(r, r.customers);
          return list.length
            ? html`<div class="kpis">
                  <div class="kpi"><span class="v" data-kpi="at-risk">${f.int(r.summary.atRisk)}</span><span class="l">${t('customers.atRisk')}</span></div>
                  <div class="kpi"><span class="v">${f.money(r.summary.revenueAtRisk)}</span><span class="l">${t('customers.revenueAtRisk')}</span></div>
                </div>
                ${tableRegion(t('customers.atRisk'), html`<table class="data" aria-label=${t('customers.atRisk')}>
                  <thead><tr><th scope="col">${t('customers.customer')}</th><th scope="col">${t('customers.tier')}</th><th scope="col" class="n">${t('customers.orders')}</th><th scope="col" class="n">${t('customers.revenue')}</th><th scope="col">${t('customers.lastOrder')}</th><th scope="col" class="n">${t('customers.daysSince')}</th><th scope="col">${t('customers.expectedNext')}</th></tr></thead>
                  <tbody>${list.map((c) => html`<tr data-customer=${c.customerId}><td>${c.customerId}</td><td>${c.tier}</td><td class="n">${f.int(c.orders)}</td><td class="n">${f.money(c.revenue)}</td><td>${c.lastOrderAt.slice(0, 10)}</td><td class="n">${f.int(c.daysSinceLast)}</td><td>${c.expectedNextOrder.slice(0, 10)}</td></tr>`)}</tbody>
                </table>`)}
                ${r.page.total > list.length
                  ? this.riskPages.footer(t, f, r, list.length, r.page.total, () => this.download('customers/at-risk', 'at-risk-customers.csv'))
                  : html`<p><button type="button" @click=${() => this.download('customers/at-risk', 'at-risk-customers.csv')}>${t('download.csv')}</button></p>`}
                ${notes(r.notes)}`
            : html`${emptyView(t('state.noneAtRisk'))}${notes(r.notes)}`;
        })}
      </section>`;
  }

  /** The whole list (format=csv has every row, whatever the page). */
  private async download(path: 'customers/at-risk' | 'customers/lifecycle', filename: string): Promise<void> {
    await downloadCsv({ path, query: queryObject(this.url.query(asOfKeys)) }, filename);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-customers-page': AidaCustomersPage;
  }
}
