// <aida-efficiency-page>: the Q0–Q5 ladder with the I1–I5 ratios, the overall index and chain product,
// a breakdown by channel/campaign/brand, and the decomposition of the change in purchases.
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type EfficiencyResult } from '../api.ts';
import { decompositionChart, efficiencyLadder } from '../charts/efficiency-chart.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale, type MessageKey } from '../i18n/index.ts';
import { dimensionName, levelName, sourceName } from '../i18n/names.ts';
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

const keys = queryKeys.efficiency;
const breakdowns = ['channel', 'campaign', 'brand'] as const;

/** Levels, ratios and factors named in the interface language, reasons and sources as text (the charts show them). */
export const drawLadder = (r: EfficiencyResult, o: ChartOptions) => {
  const t = translator(o.locale);
  const f = formats(o.locale);
  return efficiencyLadder(
    r.levels.map((l) => ({ ...l, label: levelName(t, l.key), source: l.source === null ? null : sourceName(t, l.source), reason: l.reason ? noteText(t, f, l.reason) : null })),
    r.ratios.map((x) => ({ ...x, label: levelName(t, x.key) })),
    { ...o, ...(r.comparison ? { comparison: { from: r.comparison.period.from, to: r.comparison.period.to, values: { levels: r.comparison.levels, ratios: r.comparison.ratios } } } : {}) },
  );
};
export const drawDecomposition = (r: EfficiencyResult, o: ChartOptions) =>
  decompositionChart((r.decomposition?.factors ?? []).map((x) => ({ ...x, label: levelName(translator(o.locale), x.key) })), o);

@customElement('aida-efficiency-page')
export class AidaEfficiencyPage extends LitElement {
  static override styles = [tokens, shared];
  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);

  private readonly task = urlTask(this, this.url, keys, api.efficiency);
  private readonly propertyKeys = propertyKeysTask(this, this.url);

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    const breakdown = this.url.get('breakdown') ?? '';
    const compare = this.url.get('compare') ?? '';
    return html`<h1>${t('efficiency.title')}</h1>
      <aida-controls .locale=${this.locale} .dims=${pageFilters.efficiency.controls} attribution properties .resolved=${this.task.value?.period}></aida-controls>
      <div class="toolbar">
        <label class="field">${t('funnel.breakdown')}
          <select name="breakdown" @change=${(e: Event) => setParams({ breakdown: (e.target as HTMLSelectElement).value })}>
            <option value="" ?selected=${!breakdown}>${t('funnel.breakdown.none')}</option>
            ${breakdowns.map((d) => html`<option value=${d} ?selected=${breakdown === d}>${t(d === 'brand' ? 'efficiency.brand' : (`dim.${d}` as MessageKey))}</option>`)}
            ${propertyBreakdownOptions(this.propertyKeys.value, breakdown, t)}
          </select>
        </label>
        ${compareField(t, compare)}
      </div>
      ${taskView(this.task, t, (r) => {
        const q = queryObject(this.url.query(keys));
        const level = (k: string) => r.levels.find((l) => l.key === k);
        if (!r.levels.some((l) => l.value)) return html`${emptyView(t('state.noData'))}${notesView(r.notes.map((n) => noteText(t, f, n)), t)}`;
        const noImpressions = level('Q0')?.value == null && level('Q1')?.value == null;
        return html`${noImpressions ? emptyView(t('state.noImpressions')) : nothing}
          <div class="kpis">
            <div class="kpi"><span class="v" data-kpi="overall-index">${f.pct(r.overallIndex)}</span><span class="l">${t('efficiency.overallIndex')}</span></div>
            <div class="kpi"><span class="v" data-kpi="chain-product">${f.pctSig(r.chainProduct)}</span><span class="l">${t('efficiency.chainProduct')}</span></div>
            <div class="kpi"><span class="v">${r.period.from} – ${r.period.to}</span><span class="l">${t('controls.label')}</span></div>
          </div>
          <div class="grid">
            <section class="card wide">
              <aida-chart .data=${r} .draw=${drawLadder} .locale=${this.locale} name="efficiency" pin="efficiency" .csv=${{ path: 'efficiency', query: q }}></aida-chart>
            </section>
            <section class="card">
              ${tableRegion(t('efficiency.ratio'), html`<table class="data" aria-label=${t('efficiency.ratio')}>
                <thead><tr><th scope="col">${t('efficiency.ratio')}</th><th scope="col" class="n">%</th><th scope="col" class="n">n / N</th><th scope="col" class="n">95%</th></tr></thead>
                <tbody>
                  ${r.ratios.map(
                    (x) => html`<tr data-ratio=${x.key}>
                      <th scope="row">${levelName(t, x.key)}</th>
                      <td class="n">${f.pctSig(x.value)}${x.small && x.value !== null ? html` <abbr title=${t('unit.small')}>*</abbr>` : nothing}</td>
                      <td class="n">${f.int(x.numerator)} / ${f.int(x.denominator)}</td>
                      <td class="n">${x.ci ? `${f.pctSig(x.ci[0])}–${f.pctSig(x.ci[1])}` : '–'}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`)}
              ${tableRegion(t('efficiency.level'), html`<table class="data" aria-label=${t('efficiency.level')} style="margin-top: 0.75rem">
                <thead><tr><th scope="col">${t('efficiency.level')}</th><th scope="col" class="n">${t('efficiency.value')}</th><th scope="col">${t('efficiency.source')}</th></tr></thead>
                <tbody>
                  ${r.levels.map(
                    (l) => html`<tr data-level=${l.key}>
                      <th scope="row">${levelName(t, l.key)}</th>
                      <td class="n">${l.value === null ? t('efficiency.missing') : f.int(l.value)}${l.estimate ? ` (${t('unit.estimate')})` : ''}${l.complete ? '' : ` (${t('unit.incomplete')})`}</td>
                      <td class="muted">${l.source !== null ? sourceName(t, l.source) : l.reason ? noteText(t, f, l.reason) : ''}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`)}
              ${notesView(r.notes.map((n) => noteText(t, f, n)), t)}
            </section>
            <section class="card">
              ${r.decomposition
                ? html`<aida-chart .data=${r} .draw=${drawDecomposition} .locale=${this.locale} name="efficiency-decomposition" pin="efficiency-decomposition" .csv=${{ path: 'efficiency', query: q }}></aida-chart>
                    <p class="muted">${t('efficiency.previous', { from: r.decomposition.previous.from, to: r.decomposition.previous.to, previous: f.int(r.decomposition.purchases.previous), current: f.int(r.decomposition.purchases.current) })}${r.decomposition.reason ? ` · ${noteText(t, f, r.decomposition.reason)}` : ''}</p>`
                : emptyView(t('efficiency.noDecomposition'))}
            </section>
            ${r.breakdown
              ? html`<section class="card wide">
                  ${tableRegion(`${t('efficiency.title')} · ${(r.breakdown.dimension === 'brand' ? t('efficiency.brand') : dimensionName(t, r.breakdown.dimension))}`, html`
                    <table class="data" aria-label="${t('efficiency.title')} · ${(r.breakdown.dimension === 'brand' ? t('efficiency.brand') : dimensionName(t, r.breakdown.dimension))}">
                      <thead><tr><th scope="col">${(r.breakdown.dimension === 'brand' ? t('efficiency.brand') : dimensionName(t, r.breakdown.dimension))}</th>${r.levels.map((l) => html`<th scope="col" class="n">${l.key}</th>`)}${r.ratios.map((x) => html`<th scope="col" class="n">${x.key}</th>`)}</tr></thead>
                      <tbody>
                        ${r.breakdown.values.map(
                          (v) => html`<tr><th scope="row">${v.value}</th>${v.levels.map((l) => html`<td class="n">${f.int(l.value)}</td>`)}${v.ratios.map((x) => html`<td class="n">${f.pct(x.value)}</td>`)}</tr>`,
                        )}
                      </tbody>
                    </table>`)}
                </section>`
              : nothing}
          </div>`;
      })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-efficiency-page': AidaEfficiencyPage;
  }
}
