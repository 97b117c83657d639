// <aida-data-grid>: a results table that stays smooth at 10,000+ rows by rendering only the rows in
// view (fixed row height, spacer rows above and below). Keyboard: focus it and scroll with the arrow,
// Page and Home/End keys; rows carry aria-rowindex so assistive tech knows the full size. A column
// header is a button that sorts by it (again: descending, a third time: the query's order); numbers
// are shown in the locale's grouping with every digit kept.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formats } from '../i18n/format.ts';
import type { Locale } from '../i18n/index.ts';

const rowHeight = 26;
const numericType = /INT|DOUBLE|DECIMAL|FLOAT|REAL|NUMERIC/i;
const overscan = 12;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

type Sort = { column: number; direction: 'ascending' | 'descending' } | null;

/** Compares two cells of a column: numbers (also DECIMAL/HUGEINT text) by value, text by the locale; NULL last either way. */
function compareCells(a: unknown, b: unknown, numeric: boolean, collator: Intl.Collator): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (numeric) {
    const x = Number(a);
    const y = Number(b);
    if (x !== y) return x - y;
    // beyond a double's precision two texts can read the same: longer integer part, then the text
    return String(a).localeCompare(String(b));
  }
  return collator.compare(cellText(a), cellText(b));
}

/** Row indexes in `sort` order (stable: ties keep the query's order). */
export function sortedOrder(rows: unknown[][], sort: Sort, numeric: boolean, collator: Intl.Collator): number[] {
  const order = rows.map((_, i) => i);
  if (!sort) return order;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const c = sort.column;
  return order.sort((i, j) => {
    const a = rows[i]![c];
    const b = rows[j]![c];
    const an = a === null || a === undefined;
    const bn = b === null || b === undefined;
    if (an || bn) return an === bn ? i - j : an ? 1 : -1;
    return sign * compareCells(a, b, numeric, collator) || i - j;
  });
}

@customElement('aida-data-grid')
export class AidaDataGrid extends LitElement {
  static override styles = css`
    :host { display: block; }
    .viewport { overflow: auto; height: var(--grid-height, 26rem); border: 1px solid #d9dde4; border-radius: 6px; background: white; position: relative; }
    .viewport:focus-visible { outline: 3px solid #e69f00; outline-offset: 2px; }
    table { border-collapse: separate; border-spacing: 0; table-layout: fixed; font: 13px/1.2 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-variant-numeric: tabular-nums; }
    th, td { height: ${rowHeight}px; padding: 0 0.5rem; border-bottom: 1px solid #eef0f3; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; text-align: left; }
    th { position: sticky; top: 0; background: #f5f6f8; font: 600 12px system-ui, sans-serif; color: #1d2433; border-bottom: 1px solid #d9dde4; z-index: 1; }
    th small { display: block; font-weight: 400; color: #5b6576; }
    th button { all: unset; box-sizing: border-box; display: block; width: 100%; cursor: pointer; overflow: hidden; text-overflow: ellipsis; }
    th button:focus-visible { outline: 3px solid #e69f00; outline-offset: -3px; }
    th .arrow { color: #1d2433; margin-left: 0.25rem; }
    td.n { text-align: right; }
    td.null { color: #8c96a5; font-style: italic; }
    th.rownum, td.rownum { color: #8c96a5; text-align: right; width: 4rem; }
    tr.spacer td { padding: 0; border: 0; }
  `;

  @property({ attribute: false }) columns: { name: string; type: string }[] = [];
  @property({ attribute: false }) rows: unknown[][] = [];
  @property() label = 'Results';
  @property() locale: Locale = 'en';
  @state() private sort: Sort = null;
  @state() private start = 0;
  private order: number[] = [];
  @state() private visible = 30;
  private frame = 0;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('rows')) {
      this.start = 0;
      this.sort = null;
      this.renderRoot.querySelector('.viewport')?.scrollTo({ top: 0 });
    }
    if (changed.has('rows') || changed.has('sort') || changed.has('locale')) {
      const numeric = this.sort ? numericType.test(this.columns[this.sort.column]?.type ?? '') : false;
      this.order = sortedOrder(this.rows, this.sort, numeric, new Intl.Collator(this.locale));
    }
  }

  /** Ascending, then descending, then the query's own order. */
  private toggleSort(column: number): void {
    const s = this.sort;
    this.sort = s?.column !== column ? { column, direction: 'ascending' } : s.direction === 'ascending' ? { column, direction: 'descending' } : null;
  }

  override firstUpdated(): void {
    const viewport = this.renderRoot.querySelector<HTMLElement>('.viewport')!;
    new ResizeObserver(() => (this.visible = Math.ceil(viewport.clientHeight / rowHeight) + 1)).observe(viewport);
  }

  private onScroll(e: Event): void {
    const top = (e.target as HTMLElement).scrollTop;
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      const start = Math.max(0, Math.floor(top / rowHeight) - overscan);
      if (start !== this.start) this.start = start;
    });
  }

  /** What a cell shows: numbers in the locale's grouping (every digit kept), the rest as text. */
  private shown(v: unknown, numeric: boolean): string {
    return numeric && (typeof v === 'number' || typeof v === 'string') ? formats(this.locale).exact(v) : cellText(v);
  }

  private widths(numeric: boolean[]): number[] {
    const sample = this.rows.slice(0, 200);
    return this.columns.map((c, i) => {
      // the name has room for the sort arrow
      const longest = Math.max(c.name.length + 2, c.type.length * 0.8, ...sample.map((r) => this.shown(r[i], numeric[i]!).length));
      return Math.min(360, Math.max(70, Math.round(longest * 7.8 + 20)));
    });
  }

  override render() {
    const numeric = this.columns.map((c) => numericType.test(c.type));
    const sortOf = (j: number) => (this.sort?.column === j ? this.sort.direction : 'none');
    const end = Math.min(this.rows.length, this.start + this.visible + overscan * 2);
    const widths = this.widths(numeric);
    const total = widths.reduce((s, w) => s + w, 64);
    return html`<div class="viewport" tabindex="0" role="region" aria-label=${this.label} @scroll=${this.onScroll}>
      <table role="grid" aria-rowcount=${this.rows.length + 1} aria-colcount=${this.columns.length} style="width: ${total}px">
        <colgroup><col style="width: 64px" />${widths.map((w) => html`<col style="width: ${w}px" />`)}</colgroup>
        <thead>
          <tr aria-rowindex="1"><th class="rownum" scope="col">#</th>${this.columns.map(
            (c, j) => html`<th scope="col" aria-sort=${sortOf(j)} title="${c.name} ${c.type}"><button type="button" data-column=${j} @click=${() => this.toggleSort(j)}>${c.name}<span class="arrow" aria-hidden="true">${sortOf(j) === 'ascending' ? '▲' : sortOf(j) === 'descending' ? '▼' : ''}</span><small>${c.type}</small></button></th>`,
          )}</tr>
        </thead>
        <tbody>
          ${this.start > 0 ? html`<tr class="spacer" aria-hidden="true"><td colspan=${this.columns.length + 1} style="height: ${this.start * rowHeight}px"></td></tr>` : nothing}
          ${this.order.slice(this.start, end).map(
            (index, i) => html`<tr aria-rowindex=${this.start + i + 2}>
              <td class="rownum">${index + 1}</td>
              ${this.rows[index]!.map((v, j) => html`<td class=${v === null ? 'null' : numeric[j] ? 'n' : ''} title=${cellText(v)}>${v === null ? 'NULL' : this.shown(v, numeric[j]!)}</td>`)}
            </tr>`,
          )}
          ${end < this.rows.length ? html`<tr class="spacer" aria-hidden="true"><td colspan=${this.columns.length + 1} style="height: ${(this.rows.length - end) * rowHeight}px"></td></tr>` : nothing}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-data-grid': AidaDataGrid;
  }
}
