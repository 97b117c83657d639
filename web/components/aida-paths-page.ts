// <aida-paths-page>: user paths after (or into) a step, or where people went who dropped after a funnel
// step — the flow drawn as a Sankey, and beside it a table for every number (hops, steps, moves, paths).
import { tableRegion } from './table-region.ts';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type PathsResult } from '../api.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { pathsChart } from '../charts/paths-chart.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale, type MessageKey, type Translate } from '../i18n/index.ts';
import { stepName } from '../i18n/names.ts';
import { noteText } from '../i18n/notes.ts';
import { pageFilters, queryKeys } from '../page-queries.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { UrlState, queryObject, setParams } from '../url-state.ts';
import { emptyView, notesView, taskView, urlTask } from './task-view.ts';
import './aida-chart.ts';
import './aida-controls.ts';

const keys = queryKeys.paths;
const anchorParams = ['start', 'end', 'dropped_after'] as const;
type AnchorParam = (typeof anchorParams)[number];
const aidaKeys = ['attention', 'interest', 'desire', 'action'] as const;
const droppable = ['attention', 'interest', 'desire'] as const;

/** The anchor's name: AIDA steps by key in the interface language, anything else as given. */
const anchorName = (t: Translate, r: Pick<PathsResult, 'anchor'>) => stepName(t, 'aida', r.anchor);
const stepText = (t: Translate, name: string) => (name === '(other)' ? t('paths.other') : name);
const drawPaths = (r: PathsResult, o: ChartOptions) => pathsChart({ ...r, anchorName: anchorName(translator(o.locale), r) }, o);

@customElement('aida-paths-page')
export class AidaPathsPage extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      .flow { display: grid; gap: var(--gap); grid-template-columns: minmax(0, 3fr) minmax(min(100%, 22rem), 2fr); align-items: start; }
      @media (max-width: 60rem) { .flow { grid-template-columns: minmax(0, 1fr); } }
      .step-input { width: 14rem; }
      td.path { white-space: normal; word-break: break-all; min-width: 10rem; }
      h2 { font-size: 1rem; margin: 0 0 0.5rem; }
      .card + .card { margin-top: var(--gap); }
    `,
  ];
  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);
  private readonly paths = urlTask(this, this.url, keys, api.paths);

  private anchorParam(): AnchorParam {
    return anchorParams.find((k) => this.url.get(k)) ?? 'start';
  }

  private setAnchor(param: AnchorParam, value: string): void {
    setParams(Object.fromEntries(anchorParams.map((k) => [k, k === param ? value : null])));
  }

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    const param = this.anchorParam();
    const value = this.url.get(param) ?? (param === 'dropped_after' ? 'interest' : param === 'start' ? 'visit' : '');
    const select = (name: string, current: string, options: readonly string[], label: (o: string) => string, fallback: string) =>
      html`<select name=${name} @change=${(e: Event) => setParams({ [name]: (e.target as HTMLSelectElement).value === fallback ? null : (e.target as HTMLSelectElement).value })}>
        ${options.map((o) => html`<option value=${o} ?selected=${current === o}>${label(o)}</option>`)}
      </select>`;
    return html`<h1>${t('paths.title')}</h1>
      <aida-controls .locale=${this.locale} .dims=${pageFilters.paths.controls} attribution properties .resolved=${this.paths.value?.period}></aida-controls>
      <div class="toolbar" role="group" aria-label=${t('paths.title')}>
        <label class="field">${t('paths.direction')}
          <select name="direction" @change=${(e: Event) => {
            const p = (e.target as HTMLSelectElement).value as AnchorParam;
            this.setAnchor(p, p === 'dropped_after' ? 'interest' : value && !(p === 'end' && value === 'visit') ? value : 'interest');
          }}>
            ${anchorParams.map((p) => html`<option value=${p} ?selected=${param === p}>${t(`paths.direction.${p}` as MessageKey)}</option>`)}
          </select>
        </label>
        <label class="field">${t('paths.step')}
          ${param === 'dropped_after'
            ? html`<select name="step" @change=${(e: Event) => this.setAnchor(param, (e.target as HTMLSelectElement).value)}>
                ${droppable.map((k) => html`<option value=${k} ?selected=${value === k}>${t(`step.${k}` as MessageKey)}</option>`)}
              </select>`
            : html`<input class="step-input" name="step" list="paths-steps" .value=${value} title=${t('paths.stepHint')} placeholder=${t('paths.stepHint')}
                @change=${(e: Event) => this.setAnchor(param, (e.target as HTMLInputElement).value.trim())} />
              <datalist id="paths-steps">
                ${[...aidaKeys, 'visit', 'event:add_to_cart', 'event:purchase', 'path:/'].map((k) => html`<option value=${k}>${(aidaKeys as readonly string[]).includes(k) ? t(`step.${k}` as MessageKey) : ''}</option>`)}
              </datalist>`}
        </label>
        <label class="field">${t('paths.depth')} ${select('depth', this.url.get('depth') ?? '3', ['1', '2', '3', '4', '5'], (o) => o, '3')}</label>
        <label class="field">${t('paths.top')} ${select('top', this.url.get('top') ?? '6', ['3', '6', '10', '15', '20'], (o) => o, '6')}</label>
        <label class="field">${t('paths.nodes')} ${select('nodes', this.url.get('nodes') ?? 'all', ['all', 'pages', 'events'], (o) => t(`paths.nodes.${o}` as MessageKey), 'all')}</label>
        <label class="field">${t('paths.scope')} ${select('scope', this.url.get('scope') ?? 'session', ['session', 'person'], (o) => t(`paths.scope.${o}` as MessageKey), 'session')}</label>
        <button type="button" name="preset" @click=${() => this.setAnchor('dropped_after', 'interest')}>${t('paths.preset')}</button>
      </div>
      ${taskView(this.paths, t, (r) => this.renderResult(r, t, f))}`;
  }

  private renderResult(r: PathsResult, t: Translate, f: ReturnType<typeof formats>) {
    const notes = notesView(r.notes.map((n) => noteText(t, f, n)), t);
    if (!r.persons) return html`${emptyView(t('state.noData'))}${notes}`;
    const step = anchorName(t, r);
    const after = r.direction === 'after';
    const summary = r.droppedBefore
      ? t('paths.summary.dropped', { persons: f.int(r.persons), step, next: stepName(t, 'aida', { key: r.droppedBefore, label: r.droppedBefore }) })
      : t(after ? 'paths.summary.after' : 'paths.summary.before', { persons: f.int(r.persons), step });
    const stoppedHead = t(after ? 'paths.table.stopped' : 'paths.table.began');
    const nameOf = (hop: number, name: string) => (hop === 0 ? step : stepText(t, name));
    return html`<div class="flow">
        <section class="card" aria-labelledby="paths-summary">
          <aida-chart .data=${r} .draw=${drawPaths} .locale=${this.locale} name="paths" .csv=${{ path: 'paths', query: queryObject(this.url.query(keys)) }}></aida-chart>
          <p id="paths-summary" class="muted">${r.period.from} – ${r.period.to} · ${summary} ${t('paths.collapsed')} · ${t(`paths.scope.${r.scope}`)}</p>
          ${notes}
        </section>
        <div>
          <section class="card">
            <h2>${t('paths.table.hops')}</h2>
            ${tableRegion(t('paths.table.hops'), html`<table class="data" aria-label=${t('paths.table.hops')} data-table="hops">
              <thead><tr><th scope="col">${t('paths.table.hop')}</th><th scope="col" class="n">${t('paths.table.persons')}</th><th scope="col" class="n">${stoppedHead}</th></tr></thead>
              <tbody>${r.hops.map((h) => html`<tr data-hop=${h.hop}>
                <th scope="row">${h.hop === 0 ? step : h.hop}</th><td class="n" data-persons>${f.int(h.persons)}</td>
                <td class="n" data-stopped>${f.int(h.stopped)}${h.stoppedRate === null ? '' : ` (${f.pct(h.stoppedRate)})`}</td></tr>`)}</tbody>
            </table>`)}
          </section>
          <section class="card">
            <h2>${t('paths.table.steps')}</h2>
            ${tableRegion(t('paths.table.steps'), html`<table class="data" aria-label=${t('paths.table.steps')} data-table="steps">
              <thead><tr><th scope="col">${t('paths.table.hop')}</th><th scope="col">${t('paths.table.name')}</th><th scope="col" class="n">${t('paths.table.persons')}</th><th scope="col" class="n">${stoppedHead}</th></tr></thead>
              <tbody>${r.steps.map((s) => html`<tr data-hop=${s.hop} data-name=${s.name}>
                <td>${s.hop}</td><td class="path" title=${s.folded > 1 ? t('paths.table.folded', { count: f.int(s.folded) }) : s.name}>${stepText(t, s.name)}${s.folded > 1 ? html` <span class="muted">(${t('paths.table.folded', { count: f.int(s.folded) })})</span>` : nothing}</td>
                <td class="n" data-persons>${f.int(s.persons)}</td><td class="n">${f.int(s.stopped)}</td></tr>`)}</tbody>
            </table>`)}
          </section>
        </div>
      </div>
      <div class="grid" style="margin-top: var(--gap)">
        <section class="card">
          <h2>${t('paths.table.sequences')}</h2>
          ${tableRegion(t('paths.table.sequences'), html`<table class="data" aria-label=${t('paths.table.sequences')} data-table="sequences">
            <thead><tr><th scope="col">${t('paths.table.path')}</th><th scope="col" class="n">${t('paths.table.persons')}</th></tr></thead>
            <tbody>
              ${r.sequences.map((s) => html`<tr><td class="path">${(after ? [step, ...s.steps.map((x) => stepText(t, x))] : [...s.steps.map((x) => stepText(t, x)), step]).join(' → ')}</td><td class="n">${f.int(s.persons)}</td></tr>`)}
              <tr><td class="path muted">${t('paths.table.otherSequences')}</td><td class="n">${f.int(r.otherSequences)}</td></tr>
            </tbody>
          </table>`)}
        </section>
        <section class="card">
          <h2>${t('paths.table.links')}</h2>
          ${tableRegion(t('paths.table.links'), html`<table class="data" aria-label=${t('paths.table.links')} data-table="links">
            <thead><tr><th scope="col">${t('paths.table.hop')}</th><th scope="col">${t('paths.table.from')}</th><th scope="col">${t('paths.table.to')}</th><th scope="col" class="n">${t('paths.table.persons')}</th></tr></thead>
            <tbody>${r.links.map((l) => {
              // in time order: after the anchor from the nearer hop to the farther; into it the other way
              const [from, to] = after ? [nameOf(l.hop - 1, l.from), stepText(t, l.to)] : [stepText(t, l.to), nameOf(l.hop - 1, l.from)];
              return html`<tr><td>${l.hop}</td><td class="path">${from}</td><td class="path">${to}</td><td class="n">${f.int(l.persons)}</td></tr>`;
            })}</tbody>
          </table>`)}
        </section>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-paths-page': AidaPathsPage;
  }
}
