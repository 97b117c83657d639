// <aida-controls>: the shared date range, quick ranges (presets kept by name in the URL), filters and attribution. Every change goes
// to the URL (so the page's Task runs again, and a link or reload reproduces the view).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FilterDimension } from '../../queries/shared/dimensions.ts';
import { periodPresets } from '../../queries/shared/presets.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale, type MessageKey, type Translate } from '../i18n/index.ts';
import { defaultSuggestions } from '../filter-suggestions.ts';
import { propertyKeysTask, propertyValuesTask, valuesKeyOf } from '../property-options.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { UrlState, propertyParams, setParams } from '../url-state.ts';

@customElement('aida-controls')
export class AidaControls extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      :host { display: block; margin-bottom: 0.75rem; }
      form { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; }
      details { flex-basis: 100%; }
      summary { cursor: pointer; color: var(--accent); width: fit-content; }
      .filters { display: flex; flex-wrap: wrap; gap: 0.6rem; margin-top: 0.5rem; align-items: flex-end; }
      .filters input { width: 10rem; }
      .hint { flex-basis: 100%; font-size: 0.78rem; color: var(--muted); margin: 0; }
      .property { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: flex-end; flex-basis: 100%; }
      .property .legend { flex-basis: 100%; font-size: 0.85rem; color: var(--ink); }
      .chips { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem; flex-basis: 100%; }
      .chip { display: inline-flex; align-items: center; gap: 0.2rem; max-width: 100%; border: 1px solid var(--accent); border-radius: 999px; padding: 0 0.15rem 0 0.65rem; font-size: 0.85rem; overflow-wrap: anywhere; }
      .chip button { border: none; background: none; padding: 0; min-width: 1.75rem; min-height: 1.75rem; border-radius: 999px; line-height: 1; }
      @media print { :host { display: none; } }
    `,
  ];

  private readonly url = new UrlState(this);
  @property() locale: Locale = 'en';
  /** filter dimensions this page's endpoint accepts */
  @property({ attribute: false }) dims: readonly FilterDimension[] = [];
  @property({ type: Boolean }) period = true;
  @property({ type: Boolean }) attribution = false;
  /** the period the API resolved (shown when the URL leaves from/to to the default) */
  @property({ attribute: false }) resolved?: { from: string; to: string };
  /** values seen in the data, per dimension (from breakdowns) */
  @property({ attribute: false }) suggestions: Partial<Record<FilterDimension, string[]>> = {};
  /** what the endpoint does without from/to (most: the last 28 days of data; cohorts: all data) */
  @property() defaultRange: 'last-28' | 'all' = 'last-28';
  /** the endpoint takes `property:<key>=<value>` filters: offer a property filter (keys and values from the data) */
  @property({ type: Boolean }) properties = false;
  /** the property filter being written: its key and value */
  @state() private propertyKey = '';
  @state() private propertyValue = '';
  /** the key whose values are suggested: a listed key as soon as it is written, another once committed (see valuesKeyOf) */
  @state() private valuesKey = '';
  private readonly propertyKeys = propertyKeysTask(this, this.url, () => this.properties);
  private readonly propertyValues = propertyValuesTask(this, this.url, () => (this.properties ? this.valuesKey : ''));

  override render() {
    const t = translator(this.locale);
    const from = this.url.get('from') ?? this.resolved?.from ?? '';
    const to = this.url.get('to') ?? this.resolved?.to ?? '';
    const active = [...this.dims.filter((d) => this.url.get(d)), ...(this.properties ? propertyParams().map(([k]) => k) : [])];
    const preset = this.presetValue();
    return html`<form role="search" aria-label=${t('controls.label')} @submit=${(e: Event) => e.preventDefault()}>
      ${this.period
        ? html`<label class="field">${t('controls.from')}
              <input type="date" name="from" .value=${from} max=${to || nothing} @change=${(e: Event) => this.setDate('from', (e.target as HTMLInputElement).value)} />
            </label>
            <label class="field">${t('controls.to')}
              <input type="date" name="to" .value=${to} min=${from || nothing} @change=${(e: Event) => this.setDate('to', (e.target as HTMLInputElement).value)} />
            </label>
            <label class="field" title=${t('controls.presetHint')}>${t('controls.preset')}
              <select name="preset" @change=${(e: Event) => this.applyPreset((e.target as HTMLSelectElement).value)}>
                <option value="custom" ?selected=${preset === 'custom'} disabled>${t('controls.preset.custom')}</option>
                <option value="default" ?selected=${preset === 'default'}>${t(this.defaultRange === 'all' ? 'controls.preset.all' : 'controls.preset.default')}</option>
                ${periodPresets
                  .filter((p) => p !== (this.defaultRange === 'all' ? 'all' : 'last-28-days'))
                  .map((p) => html`<option value=${p} ?selected=${preset === p}>${t(`controls.preset.${p}`)}</option>`)}
              </select>
            </label>`
        : nothing}
      ${this.attribution
        ? html`<label class="field">${t('controls.attribution')}
            <select name="attribution" @change=${(e: Event) => setParams({ attribution: (e.target as HTMLSelectElement).value === 'first' ? null : 'last' })}>
              <option value="first" ?selected=${this.url.get('attribution') !== 'last'}>${t('controls.attribution.first')}</option>
              <option value="last" ?selected=${this.url.get('attribution') === 'last'}>${t('controls.attribution.last')}</option>
            </select>
          </label>`
        : nothing}
      ${this.dims.length || this.properties
        ? html`<details ?open=${active.length > 0}>
            <summary>${t('controls.filters')}${active.length ? ` (${t('controls.activeFilters', { n: active.length })})` : ''}</summary>
            <div class="filters">
              ${this.dims.map(
                (d) => html`<label class="field">${t(`dim.${d}` as MessageKey)}
                  <input type="text" name=${d} list="list-${d}" .value=${this.url.get(d) ?? ''} autocomplete="off"
                    @change=${(e: Event) => setParams({ [d]: (e.target as HTMLInputElement).value.trim() })} />
                  <datalist id="list-${d}">${[...new Set([...(defaultSuggestions[d] ?? []), ...(this.suggestions[d] ?? [])])].map((v) => html`<option value=${v}></option>`)}</datalist>
                </label>`,
              )}
              ${this.dims.length ? html`<p class="hint">${t('controls.filtersHint')}</p>` : nothing}
              ${this.properties ? this.propertyFilter(t) : nothing}
              ${active.length ? html`<button type="button" @click=${this.clearFilters}>${t('controls.clear')}</button>` : nothing}
            </div>
          </details>`
        : nothing}
    </form>`;
  }

  /** The URL's preset, else the default (no dates), else custom dates. */
  private presetValue(): string {
    const preset = this.url.get('preset');
    if (preset) return (periodPresets as readonly string[]).includes(preset) ? preset : 'custom';
    return !this.url.get('from') && !this.url.get('to') ? 'default' : 'custom';
  }

  private setDate(key: 'from' | 'to', value: string): void {
    // keep the other end explicit too, so the URL alone reproduces the range (a preset gives way to dates)
    const other = key === 'from' ? 'to' : 'from';
    const otherValue = this.url.get(other) ?? this.resolved?.[other] ?? null;
    setParams({ [key]: value || null, [other]: value ? otherValue : this.url.get(other) ?? null, preset: null });
  }

  /** A preset is kept by name (preset=last-week), so a link or a saved view moves with the data. */
  private applyPreset(value: string): void {
    setParams({ preset: value === 'default' ? null : value, from: null, to: null });
  }

  /** The property filter: a key, then a value (each suggested from the data), and a chip per filter value set. */
  private propertyFilter(t: Translate) {
    const f = formats(this.locale);
    const keys = this.propertyKeys.value?.properties ?? [];
    const values = this.propertyKey ? (this.propertyValues.value?.properties ?? []) : [];
    const chips = propertyParams().flatMap(([param, list]) => list.split(',').map((v) => v.trim()).filter(Boolean).map((value) => ({ param, key: param.slice('property:'.length), value })));
    const ready = this.propertyKey !== '' && this.propertyValue !== '';
    return html`<div class="property" role="group" aria-labelledby="property-legend">
        <span class="legend" id="property-legend">${t('controls.property')}</span>
        <label class="field">${t('controls.property.key')}
          <input type="text" name="property-key" list="list-property-keys" .value=${this.propertyKey} autocomplete="off"
            @input=${(e: Event) => this.writeKey((e.target as HTMLInputElement).value, false)}
            @change=${(e: Event) => this.writeKey((e.target as HTMLInputElement).value, true)} />
          <datalist id="list-property-keys">${keys.map((p) => html`<option value=${p.key} label=${t('controls.property.persons', { n: f.int(p.persons) })}></option>`)}</datalist>
        </label>
        <label class="field">${t('controls.property.value')}
          <input type="text" name="property-value" list="list-property-values" .value=${this.propertyValue} autocomplete="off" ?disabled=${!this.propertyKey}
            @input=${(e: Event) => (this.propertyValue = (e.target as HTMLInputElement).value.trim())}
            @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && ready && this.addProperty()} />
          <datalist id="list-property-values">${values.map((p) => html`<option value=${p.value ?? ''} label=${t('controls.property.persons', { n: f.int(p.persons) })}></option>`)}</datalist>
        </label>
        <button type="button" name="add-property" ?disabled=${!ready} @click=${this.addProperty}>${t('controls.property.add')}</button>
        ${this.propertyKeys.value && !keys.length ? html`<p class="hint">${t('controls.property.none')}</p>` : nothing}
        ${chips.length
          ? html`<ul class="chips" aria-label=${t('controls.property')}>
              ${chips.map((c) => {
                const label = t('controls.property.chip', { key: c.key, value: c.value });
                return html`<li class="chip" data-filter=${`${c.param}=${c.value}`}>${label}<button type="button" aria-label=${t('controls.property.remove', { filter: label })} title=${t('controls.property.remove', { filter: label })} @click=${() => this.removeProperty(c.param, c.value)}>×</button></li>`;
              })}
            </ul>`
          : nothing}
      </div>`;
  }

  private writeKey(text: string, committed: boolean): void {
    const key = text.trim();
    if (key !== this.propertyKey) this.propertyValue = '';
    this.propertyKey = key;
    this.valuesKey = valuesKeyOf(key, this.propertyKeys.value, committed);
  }

  /** Adds the written value to its key's filter (values of one key are alternatives; each key is one more filter). */
  private addProperty(): void {
    const param = `property:${this.propertyKey}`;
    const values = (this.url.get(param) ?? '').split(',').map((v) => v.trim()).filter(Boolean);
    if (!values.includes(this.propertyValue)) values.push(this.propertyValue);
    setParams({ [param]: values.join(',') });
    this.propertyKey = '';
    this.propertyValue = '';
    this.valuesKey = '';
  }

  private removeProperty(param: string, value: string): void {
    const rest = (this.url.get(param) ?? '').split(',').map((v) => v.trim()).filter((v) => v && v !== value);
    setParams({ [param]: rest.join(',') || null });
  }

  private clearFilters(): void {
    setParams(Object.fromEntries([...this.dims.map((d) => [d, null]), ...propertyParams().map(([k]) => [k, null])]));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-controls': AidaControls;
  }
}
