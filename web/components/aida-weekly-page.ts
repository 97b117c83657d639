// <aida-weekly-page>: the executive's page (GET /api/snapshot) for an ISO week, by default the last
// complete one: each headline figure against the previous week and the trailing 4-week average with a
// 12-week sparkline, notable movements, what moved purchases, and the top campaigns. Print-friendly:
// the controls and download buttons hide when printed.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, downloadCsv, type SnapshotResult } from '../api.ts';
import { decompositionChart } from '../charts/efficiency-chart.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { sparkline } from '../charts/sparkline.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { levelName, metricName } from '../i18n/names.ts';
import { noteText } from '../i18n/notes.ts';
import { notableText, weeklyChange, weeklyValue } from '../i18n/weekly-format.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { queryKeys } from '../page-queries.ts';
import { UrlState, queryObject, setParams } from '../url-state.ts';
import { emptyView, notesView, taskView, urlTask } from './task-view.ts';
import { tableRegion } from './table-region.ts';
import './aida-chart.ts';

const keys = queryKeys.snapshot;
type Metric = SnapshotResult['metrics'][number];
type Campaign = SnapshotResult['topCampaigns']['byRoas'][number];

export const drawDecomposition = (r: SnapshotResult, o: ChartOptions) => {
  const t = translator(o.locale);
  return decompositionChart((r.decomposition?.factors ?? []).map((x) => ({ ...x, label: levelName(t, x.key) })), { ...o, title: t('weekly.decompositionTitle') });
};

@customElement('aida-weekly-page')
export class AidaWeeklyPage extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      td.spark { padding: 0 0.6rem; }
      td.good { color: #007a56; }
      td.bad { color: var(--danger); }
      ul.notable { margin: 0; padding-left: 1.1rem; }
      @media print {
        .toolbar { display: none; }
        .card { border: none; padding: 0; break-inside: avoid; }
      }
    `,
  ];
  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);

  private readonly task = urlTask(this, this.url, keys, api.snapshot);

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    return html`<h1>${t('weekly.title')}${this.task.value ? html` · <span data-week>${this.task.value.week}</span>` : nothing}</h1>
      <div class="toolbar">
        <label class="field">${t('weekly.week')}
          <input type="week" name="week" .value=${this.url.get('week') ?? this.task.value?.week ?? ''} @change=${(e: Event) => setParams({ week: (e.target as HTMLInputElement).value })} />
        </label>
        <button type="button" @click=${() => window.print()}>${t('weekly.print')}</button>
      </div>
      ${taskView(this.task, t, (r) => {
        if (!r.data.last) return emptyView(t('state.noData'));
        const q = { path: 'snapshot', query: queryObject(this.url.query(keys)) };
        // an empty list says whether campaigns are missing, or none sold (or none has cost and revenue) this week
        const noCampaigns = r.notes.some((n) => n.code === 'snapshot_no_campaigns');
        const campaigns = (title: string, rows: Campaign[], none: 'weekly.noCampaignBuyers' | 'weekly.noCampaignRoas') => html`<section class="card">
          <h2>${title}</h2>
          ${rows.length
            ? tableRegion(title, html`<table class="data" aria-label=${title}>
                <thead><tr><th scope="col">${t('campaigns.campaign')}</th><th scope="col" class="n">${t('campaigns.purchasers')}</th><th scope="col" class="n">${t('campaigns.revenue')}</th><th scope="col" class="n">${t('campaigns.cost')}</th><th scope="col" class="n">${t('campaigns.roas')}</th></tr></thead>
                <tbody>${rows.map((c) => html`<tr><th scope="row">${c.campaign} <span class="muted">${c.source} / ${c.medium}</span></th><td class="n">${f.int(c.purchasers)}</td><td class="n">${weeklyValue(f, 'money', c.revenue, r.currency)}</td><td class="n">${weeklyValue(f, 'money', c.cost, r.currency)}</td><td class="n">${f.times(c.roas)}</td></tr>`)}</tbody>
              </table>`)
            : emptyView(t(noCampaigns ? 'state.noCampaigns' : none))}
        </section>`;
        return html`${r.complete ? nothing : emptyView(t('weekly.incomplete'))}
          <section class="card">
            <p class="muted">${r.from} – ${r.to} (${r.timezone})</p>
            ${tableRegion(t('weekly.title'), html`
              <table class="data" aria-label=${t('weekly.title')}>
                <thead><tr><th scope="col">${t('weekly.metric')}</th><th scope="col" class="n">${t('weekly.thisWeek')}</th><th scope="col" class="n">${t('weekly.previous')}</th><th scope="col" class="n">${t('weekly.avg4')}</th><th scope="col" class="n">${t('weekly.change')}</th><th scope="col">${t('weekly.trend')}</th></tr></thead>
                <tbody>
                  ${r.metrics.map(
                    (m) => {
                      const c = weeklyChange(t, f, m);
                      return html`<tr data-metric=${m.key} title=${m.reason ? noteText(t, f, m.reason) : ''}>
                      <th scope="row">${metricName(t, m.key)}</th>
                      <td class="n" data-value>${weeklyValue(f, m.unit, m.value, r.currency)}</td>
                      <td class="n" data-previous>${weeklyValue(f, m.unit, m.previous, r.currency)}</td>
                      <td class="n" data-trailing title=${m.unit === 'count' && m.trailing4 !== null && !Number.isInteger(m.trailing4) ? f.num(m.trailing4, 2) : ''}>${weeklyValue(f, m.unit, m.trailing4, r.currency)}</td>
                      <td class="n ${c.tone}" data-change title=${c.why ?? ''}>${c.text}</td>
                      <td class="spark">${m.series.some((s) => s.value !== null)
                        ? sparkline(m.series.map((s) => ({ period: s.week, value: s.value })), { label: t('weekly.sparklineTitle', { metric: metricName(t, m.key) }), locale: this.locale, format: (v) => weeklyValue(f, m.unit, v, r.currency) })
                        : nothing}</td>
                    </tr>`;
                    },
                  )}
                </tbody>
              </table>`, { full: true })}
            <p><a href="/api/snapshot${r.week ? `?week=${r.week}&format=csv` : '?format=csv'}" download @click=${(e: Event) => this.csv(e, q)}>${t('download.csv')}</a></p>
          </section>
          <div class="grid" style="margin-top: 1rem">
            <section class="card">
              <h2>${t('weekly.notable')}</h2>
              ${r.notable.length ? html`<ul class="notable">${r.notable.map((n) => html`<li>${notableText(t, f, n, r.currency)}</li>`)}</ul>` : html`<p class="muted">${t('weekly.noneNotable')}</p>`}
            </section>
            <section class="card">
              ${r.decomposition ? html`<aida-chart .data=${r} .draw=${drawDecomposition} .locale=${this.locale} name="weekly-${r.week}-decomposition" pin="weekly-decomposition" .csv=${q}></aida-chart>` : emptyView(t('efficiency.noDecomposition'))}
            </section>
            ${campaigns(t('weekly.topPurchasers'), r.topCampaigns.byPurchasers, 'weekly.noCampaignBuyers')}
            ${campaigns(t('weekly.topRoas'), r.topCampaigns.byRoas, 'weekly.noCampaignRoas')}
          </div>
          ${notesView(r.notes.map((n) => noteText(t, f, n)), t)}`;
      })}`;
  }

  private async csv(e: Event, q: { path: string; query: Record<string, string> }): Promise<void> {
    // through the client, so a token is sent when one is needed
    e.preventDefault();
    await downloadCsv(q, `aida-weekly-${this.task.value?.week ?? 'latest'}.csv`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-weekly-page': AidaWeeklyPage;
  }
}
