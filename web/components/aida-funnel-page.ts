// <aida-funnel-page>: the AIDA funnel with conversion and drop-off, a breakdown by channel/campaign/...
// with first- or last-touch attribution, the step table, the time to convert between steps, and the
// conversion trend by day/week/month — each with the comparison period when `compare` is set.
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type FunnelResult, type FunnelTrendResult, type TimeToConvertResult } from '../api.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { changeLabel, funnelBreakdownChart, funnelChart, funnelTrendChart, timeToConvertChart } from '../charts/funnel-chart.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale, type MessageKey } from '../i18n/index.ts';
import { dimensionName, stepName } from '../i18n/names.ts';
import { propertyBreakdownOptions, propertyKeysTask } from '../property-options.ts';
import { noteText } from '../i18n/notes.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { pageFilters, queryKeys } from '../page-queries.ts';
import { UrlState, queryObject, setParams } from '../url-state.ts';
import { emptyView, notesView, taskView, urlTask } from './task-view.ts';
import { compareField } from './compare-field.ts';
import { tableRegion } from './table-region.ts';
import './aida-chart.ts';
import './aida-controls.ts';
import './aida-funnel-correlation.ts';

const funnelKeys = queryKeys.funnel;
const trendKeys = queryKeys.funnelTrends;
const ttcKeys = queryKeys.funnelTimeToConvert;
const breakdowns = pageFilters.funnel.controls;
const modes = ['ordered', 'strict', 'any-order', 'unordered'] as const;
const sequential = (mode: string | undefined) => !mode || mode === 'ordered' || mode === 'strict';

/** The steps with their names in the interface language (the charts show `label`). */
const named = <S extends { key: string; label: string }>(r: { funnel: string; attentionStage: string }, steps: S[], o: ChartOptions): S[] =>
  steps.map((s) => ({ ...s, label: stepName(translator(o.locale), r.funnel, s, r.attentionStage) }));
export const drawFunnel = (r: FunnelResult, o: ChartOptions) =>
  funnelChart(named(r, r.steps, o), { ...o, ...(r.comparison ? { comparison: { ...r.comparison.period, values: r.comparison.steps } } : {}) });
const drawBreakdown = (r: FunnelResult, o: ChartOptions) =>
  funnelBreakdownChart((r.breakdown?.values ?? []).map((v) => ({ ...v, steps: named(r, v.steps, o) })), dimensionName(translator(o.locale), r.breakdown?.dimension ?? 'channel'), o);
export const drawTrend = (r: FunnelTrendResult, o: ChartOptions) =>
  funnelTrendChart(r.series, Object.fromEntries(named(r, r.steps, o).map((s) => [s.key, s.label])), {
    ...o, grain: r.grain, ...(r.comparison ? { comparison: { ...r.comparison.period, values: r.comparison.series } } : {}),
  });
/** The pair shown: `ttc` (its index in the result's pairs), else the first step to the last. */
const ttcPair = (r: TimeToConvertResult, asked: string | undefined) => {
  const i = asked === undefined ? r.pairs.length - 1 : Number(asked);
  return r.pairs[Number.isInteger(i) && i >= 0 && i < r.pairs.length ? i : r.pairs.length - 1];
};
const pairName = (r: TimeToConvertResult, p: TimeToConvertResult['pairs'][number], o: ChartOptions) => {
  const names = named(r, r.steps, o);
  return `${names[p.fromIndex - 1]?.label ?? p.from} → ${names[p.toIndex - 1]?.label ?? p.to}`;
};

@customElement('aida-funnel-page')
export class AidaFunnelPage extends LitElement {
  static override styles = [tokens, shared];
  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);

  private readonly funnel = urlTask(this, this.url, funnelKeys, api.funnel);

  private readonly trend = urlTask(this, this.url, trendKeys, api.funnelTrends);
  private readonly propertyKeys = propertyKeysTask(this, this.url);

  /** time to convert exists for ordered and strict funnels only: other modes ask nothing */
  private readonly ttc = urlTask(this, this.url, ttcKeys, (q, signal) => (sequential(q.mode) ? api.funnelTimeToConvert(q, signal) : Promise.resolve(null)));

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    const breakdown = this.url.get('breakdown') ?? '';
    const mode = this.url.get('mode') ?? 'ordered';
    const grain = this.url.get('grain') ?? 'week';
    const compare = this.url.get('compare') ?? '';
    const value = this.funnel.value;
    const suggestions = value?.breakdown ? { [value.breakdown.dimension]: value.breakdown.values.map((v) => v.value).filter((v) => !v.startsWith('(')) } : {};
    return html`<h1>${t('funnel.title')}</h1>
      <aida-controls .locale=${this.locale} .dims=${pageFilters.funnel.controls} attribution properties .resolved=${value?.period} .suggestions=${suggestions}></aida-controls>
      <div class="toolbar" role="group" aria-label=${t('funnel.title')}>
        <label class="field">${t('funnel.breakdown')}
          <select name="breakdown" @change=${(e: Event) => setParams({ breakdown: (e.target as HTMLSelectElement).value })}>
            <option value="" ?selected=${!breakdown}>${t('funnel.breakdown.none')}</option>
            ${breakdowns.map((d) => html`<option value=${d} ?selected=${breakdown === d}>${t(`dim.${d}` as MessageKey)}</option>`)}
            ${propertyBreakdownOptions(this.propertyKeys.value, breakdown, t)}
          </select>
        </label>
        <label class="field">${t('funnel.mode')}
          <select name="mode" @change=${(e: Event) => {
            const m = (e.target as HTMLSelectElement).value;
            setParams({ mode: m === 'ordered' ? null : m });
          }}>
            ${modes.map((m) => html`<option value=${m} ?selected=${mode === m}>${t(`funnel.mode.${m}`)}</option>`)}
          </select>
        </label>
        ${compareField(t, compare)}
      </div>
      ${taskView(this.funnel, t, (r) => {
        if (!r.steps.length || r.steps[0]!.count === 0) return html`${emptyView(t('state.noData'))}${notesView(r.notes.map((n) => noteText(t, f, n)), t)}`;
        const q = queryObject(this.url.query(funnelKeys));
        return html`<div class="grid">
            <section class="card" aria-labelledby="steps-title">
              <aida-chart .data=${r} .draw=${drawFunnel} .locale=${this.locale} name="funnel" pin="funnel" .csv=${{ path: 'funnel', query: q }}></aida-chart>
              <h2 id="steps-title" class="visually-hidden">${t('funnel.chartTitle')}</h2>
              <p class="muted">${r.period.from} – ${r.period.to} · ${t('funnel.windowDuration', { window: f.duration(r.windowDays * 86_400) })} · ${t(`funnel.mode.${r.mode}`)} · ${t(`controls.attribution.${r.attribution}`)}</p>
            </section>
            <section class="card">
              ${tableRegion(t('funnel.chartTitle'), html`<table class="data" aria-label=${t('funnel.chartTitle')}>
                <thead><tr><th scope="col">${t('funnel.step')}</th><th scope="col" class="n">${t('funnel.count')}</th>${r.comparison ? html`<th scope="col" class="n">${t(`funnel.compare.${r.comparison.compare}`)}</th>` : nothing}<th scope="col" class="n">${t('funnel.fromPrevious')}</th><th scope="col" class="n">${t('funnel.fromFirst')}</th><th scope="col" class="n">${t('funnel.dropOff')}</th><th scope="col" class="n">${t('funnel.median')}</th></tr></thead>
                <tbody>
                  ${r.steps.map(
                    (s, i) => html`<tr data-step=${s.key}>
                      <th scope="row">${stepName(t, r.funnel, s, r.attentionStage)}</th>
                      <td class="n" data-count>${f.int(s.count)}</td>
                      ${r.comparison ? html`<td class="n" data-change>${f.int(r.comparison.steps[i]?.count)} (${changeLabel(f, r.comparison.change[i]?.count.relative)})</td>` : nothing}
                      <td class="n" title=${s.ci ? t('unit.ci', { lo: f.pct(s.ci[0]), hi: f.pct(s.ci[1]) }) : ''}>${f.pct(s.rateFromPrevious)}${s.small && s.rateFromPrevious !== null ? html` <abbr title=${t('unit.small')}>*</abbr>` : nothing}</td>
                      <td class="n">${f.pct(s.rateFromFirst)}</td>
                      <td class="n">${s.dropOff === null ? '–' : `${f.int(s.dropOff)} (${f.pct(s.dropOffRate)})`}</td>
                      <td class="n">${f.duration(s.medianSecondsFromPrevious)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`)}
              ${notesView(r.notes.map((n) => noteText(t, f, n)), t)}
            </section>
            ${r.breakdown
              ? html`<section class="card wide">
                  <aida-chart .data=${r} .draw=${drawBreakdown} .locale=${this.locale} name="funnel-by-${r.breakdown.dimension}" .csv=${{ path: 'funnel', query: q }}></aida-chart>
                </section>`
              : nothing}
          </div>`;
      })}
      <section class="card" style="margin-top: 1rem" aria-labelledby="ttc-title">
        <h2 id="ttc-title">${t('funnel.ttc.title')}</h2>
        ${sequential(mode)
          ? taskView(this.ttc, t, (r) => {
              const pair = r ? ttcPair(r, this.url.get('ttc')) : undefined;
              if (!r || !pair) return emptyView(t('funnel.ttc.none'));
              const o = { locale: this.locale };
              return html`<div class="toolbar">
                  <label class="field">${t('funnel.ttc.pair')}
                    <select name="ttc" @change=${(e: Event) => setParams({ ttc: (e.target as HTMLSelectElement).value })}>
                      ${r.pairs.map((p, i) => html`<option value=${String(i)} ?selected=${p === pair}>${pairName(r, p, o)}</option>`)}
                    </select>
                  </label>
                </div>
                <aida-chart .data=${pair} .draw=${(p: typeof pair, co: ChartOptions) => timeToConvertChart(p, { ...co, title: `${t('funnel.ttc.title')}: ${pairName(r, p, co)}` })} .locale=${this.locale} name="funnel-time-to-convert" .csv=${{ path: 'funnel/time-to-convert', query: queryObject(this.url.query(ttcKeys)) }}></aida-chart>
                <p class="muted" data-ttc-stats>${t('funnel.ttc.stats', { median: f.duration(pair.medianSeconds), mean: f.duration(pair.meanSeconds), p90: f.duration(pair.p90Seconds), count: f.int(pair.count) })}</p>`;
            })
          : emptyView(t('funnel.ttc.ordered'))}
      </section>
      <section class="card" style="margin-top: 1rem">
        <div class="toolbar">
          <label class="field">${t('funnel.grain')}
            <select name="grain" @change=${(e: Event) => setParams({ grain: (e.target as HTMLSelectElement).value === 'week' ? null : (e.target as HTMLSelectElement).value })}>
              ${(['day', 'week', 'month'] as const).map((g) => html`<option value=${g} ?selected=${grain === g}>${t(`funnel.grain.${g}`)}</option>`)}
            </select>
          </label>
        </div>
        ${taskView(this.trend, t, (r) => html`<aida-chart .data=${r} .draw=${drawTrend} .locale=${this.locale} name="funnel-trend" pin="funnel-trend" .csv=${{ path: 'funnel/trends', query: queryObject(this.url.query(trendKeys)) }}></aida-chart>`)}
      </section>
      <aida-funnel-correlation .locale=${this.locale}></aida-funnel-correlation>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-funnel-page': AidaFunnelPage;
  }
}
