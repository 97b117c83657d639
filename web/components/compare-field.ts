// The "Compare with" control of the pages whose metrics take `compare=` (Funnel, Efficiency): none, the
// previous period or the same dates a year earlier, kept in the URL.
import { html, type TemplateResult } from 'lit';
import { compareKinds } from '../../queries/shared/presets.ts';
import type { Translate } from '../i18n/index.ts';
import { setParams } from '../url-state.ts';

export function compareField(t: Translate, current: string): TemplateResult {
  return html`<label class="field">${t('funnel.compare')}
    <select name="compare" @change=${(e: Event) => setParams({ compare: (e.target as HTMLSelectElement).value })}>
      <option value="" ?selected=${current === ''}>${t('funnel.compare.none')}</option>
      ${compareKinds.map((c) => html`<option value=${c} ?selected=${current === c}>${t(`funnel.compare.${c}`)}</option>`)}
    </select>
  </label>`;
}
