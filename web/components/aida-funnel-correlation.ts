// <aida-funnel-correlation>: under the funnel, what converters did differently between two of its steps —
// the pages, events and touch values that most raise or lower the odds of converting, with every count
// of their 2×2 tables, the odds ratio and its interval, Fisher's p and the false discovery rate.
import { tableRegion } from './table-region.ts';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type FunnelCorrelationResult } from '../api.ts';
import { formats, type Formats } from '../i18n/format.ts';
import { translator, type Locale, type MessageKey, type Translate } from '../i18n/index.ts';
import { stepName } from '../i18n/names.ts';
import { noteText } from '../i18n/notes.ts';
import { queryKeys } from '../page-queries.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { UrlState, setParams } from '../url-state.ts';
import { notesView, taskView, urlTask } from './task-view.ts';

type Item = FunnelCorrelationResult['raising'][number];

@customElement('aida-funnel-correlation')
export class AidaFunnelCorrelation extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      :host { display: block; margin-top: var(--gap); }
      h2 { font-size: 1rem; margin: 0 0 0.5rem; }
      h3 { font-size: 0.9rem; margin: 0.75rem 0 0.35rem; }
      td.item { white-space: normal; word-break: break-all; min-width: 10rem; }
      tr.weak td { color: var(--muted); }
    `,
  ];
  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);
  private readonly correlation = urlTask(this, this.url, queryKeys.funnelCorrelation, api.funnelCorrelation);

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    return html`<section class="card" aria-labelledby="correlation-title">
      ${taskView(this.correlation, t, (r) => {
        const name = (s: { key: string; label: string }) => stepName(t, r.funnel, s);
        const pick = (param: 'from_step' | 'to_step', current: string, label: string) => html`<label class="field">${label}
          <select name=${param} @change=${(e: Event) => setParams({ [param]: (e.target as HTMLSelectElement).value })}>
            ${r.steps.map((s) => html`<option value=${s.key} ?selected=${s.key === current}>${name(s)}</option>`)}
          </select></label>`;
        return html`<h2 id="correlation-title">${t('correlation.title', { from: name(r.from), to: name(r.to) })}</h2>
          <div class="toolbar">${pick('from_step', r.from.key, t('correlation.from'))}${pick('to_step', r.to.key, t('correlation.to'))}</div>
          <p class="muted">${t('correlation.summary', { converted: f.int(r.converted), reached: f.int(r.reached), tested: f.int(r.tested), minCell: f.int(r.minCell) })}</p>
          ${this.table(t('correlation.raising'), 'raising', r.raising, t, f)}
          ${this.table(t('correlation.lowering'), 'lowering', r.lowering, t, f)}
          ${notesView(r.notes.map((n) => noteText(t, f, n)), t)}`;
      })}
    </section>`;
  }

  private table(title: string, way: 'raising' | 'lowering', items: Item[], t: Translate, f: Formats) {
    const kind = (i: Item) => (i.kind === 'page' || i.kind === 'event' ? t(`correlation.kind.${i.kind}`) : t(`dim.${i.kind}` as MessageKey));
    const p = (x: number) => (x < 0.0001 ? `< ${f.num(0.0001, 4)}` : f.num(x, x < 0.01 ? 4 : 3));
    return html`<h3>${title}</h3>
      ${items.length
        ? html`${tableRegion(title, html`<table class="data" aria-label=${title} data-table=${way}>
            <thead><tr>
              <th scope="col">${t('correlation.item')}</th>
              <th scope="col" class="n">${t('correlation.convertedDid')}</th><th scope="col" class="n">${t('correlation.convertedDidNot')}</th>
              <th scope="col" class="n">${t('correlation.notConvertedDid')}</th><th scope="col" class="n">${t('correlation.notConvertedDidNot')}</th>
              <th scope="col" class="n">${t('correlation.oddsRatio')}</th><th scope="col" class="n">${t('correlation.p')}</th><th scope="col" class="n">${t('correlation.q')}</th>
            </tr></thead>
            <tbody>${items.map((i) => html`<tr class=${i.significant ? '' : 'weak'} data-item="${i.kind}:${i.value}" title=${i.significant ? '' : t('correlation.notSignificant')}>
              <td class="item">${kind(i)}: ${i.value}</td>
              <td class="n">${f.int(i.converted.did)}</td><td class="n">${f.int(i.converted.didNot)}</td>
              <td class="n">${f.int(i.notConverted.did)}</td><td class="n">${f.int(i.notConverted.didNot)}</td>
              <td class="n" data-odds title=${t('unit.ci', { lo: f.num(i.ci[0], 2), hi: f.num(i.ci[1], 2) })}>${f.num(i.oddsRatio, 2)}</td>
              <td class="n">${p(i.p)}</td><td class="n">${p(i.q)}${i.significant ? nothing : html` <abbr title=${t('correlation.notSignificant')}>ns</abbr>`}</td>
            </tr>`)}</tbody>
          </table>`)}`
        : html`<p class="muted">${t('correlation.none')}</p>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-funnel-correlation': AidaFunnelCorrelation;
  }
}
