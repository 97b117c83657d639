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
import { formats, type Formats } from '../i18n/format.ts';
import { translateKey, translator, type Locale, type Translate } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { queryKeys } from '../page-queries.ts';
import { UrlState, queryObject, setParams } from '../url-state.ts';
import { emptyView, notesView, taskView, urlTask } from './task-view.ts';
import './aida-chart.ts';

const keys = queryKeys.snapshot;
type Metric = SnapshotResult['metrics'][number];
type Campaign = SnapshotResult['topCampaigns']['byRoas'][number];

const drawDecomposition = (r: SnapshotResult, o: ChartOptions) => decompositionChart(r.decomposition?.factors ?? [], { ...o, title: translator(o.locale)('weekly.decompositionTitle') });

function metricLabel(t: Translate, m: Pick<Metric, 'key' | 'label'>): string {
  return /^I[1-5]$/.test(m.key) ? translateKey(t, m.key, m.label) : translateKey(t, `metric.${m.key}`, m.label);
}

function formatValue(f: Formats, m: Pick<Metric, 'unit'>, v: number | null, currency: string): string {
  return m.unit === 'money' ? f.money(v, currency) : m.unit === 'rate' ? f.pctSig(v) : f.int(v);
}

@customElement('aida-weekly-page')
export class AidaWeeklyPage extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      td.spark { padding: 0 0.6rem; }
      td.up { color: #007a56; }
      td.down { color: var(--danger); }
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
        const change = (m: Metric) => {
          if (m.unit === 'rate') return m.difference === null ? '–' : t('weekly.points', { n: `${m.difference >= 0 ? '+' : ''}${f.num(m.difference * 100, 1)}` });
          return m.change === null ? '–' : `${m.change >= 0 ? '+' : ''}${f.pct(m.change)}`;
        };
        // green for better, red for worse: more at-risk customers is worse
        const sign = (m: Metric) => {
          const d = m.unit === 'rate' ? m.difference : m.change;
          if (d === null || d === 0) return '';
          return d > 0 !== (m.key === 'atRisk') ? 'up' : 'down';
        };
        const campaigns = (title: string, rows: Campaign[]) => html`<section class="card">
          <h2>${title}</h2>
          ${rows.length
            ? html`<table class="data" aria-label=${title}>
                <thead><tr><th scope="col">${t('campaigns.campaign')}</th><th scope="col" class="n">${t('campaigns.purchasers')}</th><th scope="col" class="n">${t('campaigns.revenue')}</th><th scope="col" class="n">${t('campaigns.cost')}</th><th scope="col" class="n">${t('campaigns.roas')}</th></tr></thead>
                <tbody>${rows.map((c) => html`<tr><th scope="row">${c.campaign} <span class="muted">${c.source} / ${c.medium}</span></th><td class="n">${f.int(c.purchasers)}</td><td class="n">${f.money(c.revenue, r.currency)}</td><td class="n">${f.money(c.cost, r.currency)}</td><td class="n">${f.times(c.roas)}</td></tr>`)}</tbody>
              </table>`
            : emptyView(t('state.noCampaigns'))}
        </section>`;
        return html`${r.complete ? nothing : emptyView(t('weekly.incomplete'))}
          <section class="card">
            <p class="muted">${r.from} – ${r.to} (${r.timezone})</p>
            <div class="scroll" style="max-height: none">
              <table class="data" aria-label=${t('weekly.title')}>
                <thead><tr><th scope="col">${t('weekly.metric')}</th><th scope="col" class="n">${t('weekly.thisWeek')}</th><th scope="col" class="n">${t('weekly.previous')}</th><th scope="col" class="n">${t('weekly.avg4')}</th><th scope="col" class="n">${t('weekly.change')}</th><th scope="col">${t('weekly.trend')}</th></tr></thead>
                <tbody>
                  ${r.metrics.map(
                    (m) => html`<tr data-metric=${m.key} title=${m.reason ?? ''}>
                      <th scope="row">${metricLabel(t, m)}</th>
                      <td class="n" data-value>${formatValue(f, m, m.value, r.currency)}</td>
                      <td class="n">${formatValue(f, m, m.previous, r.currency)}</td>
                      <td class="n">${formatValue(f, m, m.trailing4, r.currency)}</td>
                      <td class="n ${sign(m)}">${change(m)}</td>
                      <td class="spark">${m.series.some((s) => s.value !== null)
                        ? sparkline(m.series.map((s) => ({ period: s.week, value: s.value })), { label: t('weekly.sparklineTitle', { metric: metricLabel(t, m) }), locale: this.locale, format: (v) => formatValue(f, m, v, r.currency) })
                        : nothing}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            <p><a href="/api/snapshot${r.week ? `?week=${r.week}&format=csv` : '?format=csv'}" download @click=${(e: Event) => this.csv(e, q)}>${t('download.csv')}</a></p>
          </section>
          <div class="grid" style="margin-top: 1rem">
            <section class="card">
              <h2>${t('weekly.notable')}</h2>
              ${r.notable.length ? html`<ul class="notable">${r.notable.map((n) => html`<li>${n.sentence}</li>`)}</ul>` : html`<p class="muted">${t('weekly.noneNotable')}</p>`}
            </section>
            <section class="card">
              ${r.decomposition ? html`<aida-chart .data=${r} .draw=${drawDecomposition} .locale=${this.locale} name="weekly-${r.week}-decomposition" .csv=${q}></aida-chart>` : emptyView(t('efficiency.noDecomposition'))}
            </section>
            ${campaigns(t('weekly.topPurchasers'), r.topCampaigns.byPurchasers)}
            ${campaigns(t('weekly.topRoas'), r.topCampaigns.byRoas)}
          </div>
          ${notesView(r.notes, t)}`;
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
