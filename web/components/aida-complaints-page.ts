// <aida-complaints-page>: complaints per 1,000 valid orders by category and severity, response and
// resolution times, and repurchase after a complaint vs without one, by resolution time.
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type ComplaintsResult } from '../api.ts';
import { complaintsChart, severities } from '../charts/complaints-chart.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { queryKeys } from '../page-queries.ts';
import { UrlState, queryObject } from '../url-state.ts';
import { noteText, type Note } from '../i18n/notes.ts';
import { emptyView, notesView, taskView, urlTask } from './task-view.ts';
import { tableRegion } from './table-region.ts';
import './aida-chart.ts';
import './aida-controls.ts';

const keys = queryKeys.complaints;

export const drawComplaints = (r: ComplaintsResult, o: ChartOptions) =>
  complaintsChart(r.cells.map((c) => ({ category: c.category, label: c.label ? `${c.category} ${c.label}` : c.category, severity: c.severity, complaints: c.complaints, perThousand: c.per1000Orders })), o);

@customElement('aida-complaints-page')
export class AidaComplaintsPage extends LitElement {
  static override styles = [tokens, shared];
  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);

  private readonly task = urlTask(this, this.url, keys, api.complaints);

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    const notes = (list: readonly Note[]) => notesView(list.map((n) => noteText(t, f, n)), t);
    const hours = (h: number | null) => f.duration(h === null ? null : h * 3600);
    const sev = (s: string) => (severities.includes(s) ? t(`severity.${s}` as 'severity.minor') : s);
    return html`<h1>${t('complaints.title')}</h1>
      <aida-controls .locale=${this.locale} .resolved=${this.task.value?.period}></aida-controls>
      ${taskView(this.task, t, (r) => {
        if (!r.complaints) return html`${emptyView(t('state.noComplaints'))}${notes(r.notes)}`;
        const q = { path: 'complaints', query: queryObject(this.url.query(keys)) };
        const days = r.repurchase.windowDays;
        const judged = [r.repurchase.complained, r.repurchase.notComplained].some((g) => (g.denominator ?? 0) > 0);
        // a group nobody in it can be judged for says why in its row, not as "– 0/0"; with no group
        // judged at all, the n/N and interval columns are left out (the reason takes their place)
        const group = (label: string, g: ComplaintsResult['repurchase']['complained']) =>
          html`<tr><th scope="row">${label}</th><td class="n">${f.int(g.customers)}</td>${g.denominator
            ? html`<td class="n">${f.pct(g.value)}</td><td class="n">${f.int(g.numerator)} / ${f.int(g.denominator)}</td><td class="n">${g.ci ? `${f.pct(g.ci[0])}–${f.pct(g.ci[1])}` : '–'}</td>`
            : html`<td colspan=${judged ? 3 : 1} class="muted wrap" data-why>${g.customers ? t('complaints.group.tooRecent', { n: f.int(g.customers), days }) : t('complaints.group.none')}</td>`}</tr>`;
        return html`<div class="kpis">
            <div class="kpi"><span class="v" data-kpi="complaints">${f.int(r.complaints)}</span><span class="l">${t('complaints.count')}</span></div>
            <div class="kpi"><span class="v" data-kpi="per-1000">${f.num(r.per1000Orders, 2)}</span><span class="l">${t('complaints.perThousand')}</span></div>
            <div class="kpi"><span class="v">${hours(r.response.medianHours)}</span><span class="l">${t('complaints.firstResponse')}</span></div>
            <div class="kpi"><span class="v">${hours(r.resolution.medianHours)}</span><span class="l">${t('complaints.resolution')}</span></div>
            ${r.severities.map((s) => html`<div class="kpi"><span class="v">${f.int(s.complaints)}</span><span class="l">${sev(s.severity)}</span></div>`)}
          </div>
          <div class="grid">
            <section class="card"><aida-chart .data=${r} .draw=${drawComplaints} .locale=${this.locale} name="complaints" pin="complaints" .csv=${q}></aida-chart></section>
            <section class="card">
              <h2 id="after">${t('complaints.repurchaseTitle')} (${f.int(r.repurchase.windowDays)} ${t('unit.days')})</h2>
              ${judged ? nothing : emptyView(t('complaints.noRepurchaseYet', { days }))}
              ${tableRegion(t('complaints.repurchaseTitle'), html`<table class="data" aria-labelledby="after">
                <thead><tr><th scope="col"><span class="visually-hidden">${t('complaints.repurchaseTitle')}</span></th><th scope="col" class="n">${t('customers.customers')}</th><th scope="col" class="n">${t('cohorts.rate')}</th>${judged ? html`<th scope="col" class="n">n / N</th><th scope="col" class="n">95%</th>` : nothing}</tr></thead>
                <tbody>
                  ${group(t('complaints.withComplaint'), r.repurchase.complained)}
                  ${group(t('complaints.without'), r.repurchase.notComplained)}
                  ${r.repurchase.byResolution.map((b) => group(`${t('complaints.bucket')}: ${t(`complaints.bucket.${b.bucket}`)}`, b))}
                </tbody>
              </table>`)}
              <h2 style="margin-top: 1rem">${t('complaints.category')}</h2>
              ${tableRegion(t('complaints.category'), html`
                <table class="data" aria-label=${t('complaints.category')}>
                  <thead><tr><th scope="col">${t('complaints.category')}</th><th scope="col" class="n">${t('complaints.count')}</th><th scope="col" class="n">${t('complaints.perThousand')}</th><th scope="col" class="n">${t('complaints.firstResponse')}</th><th scope="col" class="n">${t('complaints.resolution')}</th></tr></thead>
                  <tbody>${r.categories.map((c) => html`<tr data-category=${c.category}><th scope="row">${c.category} <span class="muted">${c.label ?? ''}</span></th><td class="n">${f.int(c.complaints)}</td><td class="n">${f.num(c.per1000Orders, 2)}</td><td class="n">${hours(c.response.medianHours)}</td><td class="n">${hours(c.resolution.medianHours)}</td></tr>`)}</tbody>
                </table>`)}
              ${notes(r.notes)}
            </section>
          </div>`;
      })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-complaints-page': AidaComplaintsPage;
  }
}
