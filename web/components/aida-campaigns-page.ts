// <aida-campaigns-page>: campaign economics (cost, reach, clicks, CTR, CPC, visits, purchasers, revenue,
// CPA, ROAS) per campaign with brand / direct-response subtotals, and the ROAS vs CPA chart.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, downloadCsv, type CampaignsResult } from '../api.ts';
import { campaignChart, charted } from '../charts/campaign-chart.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { formats, intlLocale } from '../i18n/format.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { queryKeys } from '../page-queries.ts';
import { UrlState, queryObject } from '../url-state.ts';
import { noteText, type Note } from '../i18n/notes.ts';
import { ListPages } from './list-pages.ts';
import { emptyView, notesView, taskView, urlTask } from './task-view.ts';
import { tableRegion } from './table-region.ts';
import './aida-chart.ts';
import './aida-controls.ts';

const keys = queryKeys.campaigns;

const currencyOf = (r: CampaignsResult) => r.campaigns.find((c) => c.currency)?.currency ?? undefined;
export const drawCampaigns = (r: CampaignsResult, o: ChartOptions) => campaignChart(r.campaigns.filter((c) => c.inLog), { ...o, currency: currencyOf(r) });

@customElement('aida-campaigns-page')
export class AidaCampaignsPage extends LitElement {
  static override styles = [tokens, shared, css`tr.subtotal th, tr.subtotal td { font-weight: 600; background: var(--page); }`];
  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);

  private readonly task = urlTask(this, this.url, keys, api.campaigns);
  /** campaigns after the first 200 the API sends */
  private readonly pages = new ListPages<CampaignsResult['campaigns'][number]>(this, async (offset, limit) =>
    (await api.campaigns({ ...queryObject(this.url.query(keys)), offset: String(offset), limit: String(limit) })).campaigns);

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    const notes = (list: readonly Note[]) => notesView(list.map((n) => noteText(t, f, n)), t);
    const reason = (n: Note | undefined) => (n ? noteText(t, f, n) : '');
    return html`<h1>${t('campaigns.title')}</h1>
      <aida-controls .locale=${this.locale} .resolved=${this.task.value?.period}></aida-controls>
      ${taskView(this.task, t, (r) => {
        if (!r.campaigns.some((c) => c.inLog)) return html`${emptyView(t('state.noCampaigns'))}${notes(r.notes)}`;
        const cur = currencyOf(r);
        const leftOut = r.campaigns.filter((c) => c.inLog && !charted(c));
        const q = { path: 'campaigns', query: queryObject(this.url.query(keys)) };
        const cells = (e: CampaignsResult['totals'] | CampaignsResult['campaigns'][number]) => html`
          <td class="n">${f.money(e.cost, cur)}</td><td class="n">${f.int(e.impressions)}</td><td class="n">${f.int(e.reach)}</td><td class="n">${f.int(e.clicks)}</td>
          <td class="n">${f.pct(e.ctr?.value ?? null, 2)}</td><td class="n">${f.money(e.cpc, cur)}</td><td class="n">${f.int(e.visits)}</td><td class="n" data-purchasers>${f.int(e.purchasers)}</td>
          <td class="n">${f.money(e.revenue, cur)}</td><td class="n" title=${reason(e.reasons.cpa)}>${f.money(e.cpa, cur)}</td><td class="n" title=${reason(e.reasons.roas)}>${f.times(e.roas)}</td>`;
        return html`<div class="kpis">
            <div class="kpi"><span class="v" data-kpi="cost">${f.money(r.totals.cost, cur)}</span><span class="l">${t('campaigns.cost')}</span></div>
            <div class="kpi"><span class="v" data-kpi="revenue">${f.money(r.totals.revenue, cur)}</span><span class="l">${t('campaigns.revenue')}</span></div>
            <div class="kpi"><span class="v" data-kpi="roas">${f.times(r.totals.roas)}</span><span class="l">${t('campaigns.roas')}</span></div>
            <div class="kpi"><span class="v" data-kpi="cpa">${f.money(r.totals.cpa, cur)}</span><span class="l">${t('campaigns.cpa')}</span></div>
            <div class="kpi"><span class="v">${r.period.from} – ${r.period.to}</span><span class="l">${t('controls.label')}</span></div>
          </div>
          <section class="card">
            <aida-chart .data=${r} .draw=${drawCampaigns} .locale=${this.locale} name="campaigns" pin="campaigns" .csv=${q}></aida-chart>
            ${leftOut.length ? html`<p class="muted" data-left-out>${t('campaigns.leftOut', { campaigns: new Intl.ListFormat(intlLocale[this.locale], { type: 'unit' }).format(leftOut.map((c) => c.campaign)) })}</p>` : nothing}
          </section>
          <section class="card" style="margin-top: 1rem">
            <h2 id="economics">${t('campaigns.table')}</h2>
            ${tableRegion(t('campaigns.table'), html`
              <table class="data" aria-labelledby="economics">
                <thead><tr>
                  <th scope="col">${t('campaigns.campaign')}</th><th scope="col">${t('campaigns.source')}</th>
                  ${(['cost', 'impressions', 'reach', 'clicks', 'ctr', 'cpc', 'visits', 'purchasers', 'revenue', 'cpa', 'roas'] as const).map((k) => html`<th scope="col" class="n">${t(`campaigns.${k}`)}</th>`)}
                </tr></thead>
                <tbody>
                  ${this.pages.rows(r, r.campaigns).map(
                    (c) => html`<tr data-campaign=${c.campaign}><th scope="row">${c.campaign}${c.brand ? html` <span class="muted">${t('campaigns.brandMark')}</span>` : nothing}${c.inLog ? nothing : html` <span class="muted" title=${t('campaigns.notInLog')}>*</span>`}</th><td>${c.source} / ${c.medium}</td>${cells(c)}</tr>`,
                  )}
                  ${r.subtotals.map((g) => html`<tr class="subtotal"><th scope="row">${t(`campaigns.group.${g.group as 'brand' | 'direct-response'}`)}</th><td>${f.int(g.campaigns)}</td>${cells(g)}</tr>`)}
                  <tr class="subtotal"><th scope="row">${t('campaigns.total')}</th><td>${f.int(r.totals.campaigns)}</td>${cells(r.totals)}</tr>
                </tbody>
              </table>`)}
            ${this.pages.footer(t, f, r, this.pages.rows(r, r.campaigns).length, r.page.total, () => downloadCsv({ path: 'campaigns', query: queryObject(this.url.query(keys)) }, 'campaigns.csv'))}
            ${notes(r.notes)}
          </section>`;
      })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-campaigns-page': AidaCampaignsPage;
  }
}
