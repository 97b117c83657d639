// <aida-products-page>: top products by revenue (quantity, orders, customers, cancelled quantity and
// value apart) and revenue by country for the period, each as a bar chart and a table.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, downloadCsv, type CountriesResult, type ProductsResult } from '../api.ts';
import { countryRevenueChart, topProductsChart } from '../charts/product-chart.ts';
import type { ChartOptions } from '../charts/frame.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale, type Translate } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';
import { pageFilters, queryKeys } from '../page-queries.ts';
import { UrlState, queryObject, setParams } from '../url-state.ts';
import { noteText, type Note } from '../i18n/notes.ts';
import { ListPages } from './list-pages.ts';
import { emptyView, notesView, taskView, urlTask } from './task-view.ts';
import { tableRegion } from './table-region.ts';
import './aida-chart.ts';
import './aida-controls.ts';

const productKeys = queryKeys.products;
const countryKeys = queryKeys.countries;
const limits = ['10', '20', '50', '100'];

export const drawProducts = (r: ProductsResult, o: ChartOptions) => topProductsChart(r.products, { ...o, ...(r.currency ? { currency: r.currency } : {}) });
/** The country of orders without one (queries/shared/touches.ts `unknownValue`; web/ may not import queries/): named in the reader's language. */
const noCountry = '(none)';
const countryName = (t: Translate, country: string) => (country === noCountry ? t('value.none') : country);
const drawCountries = (r: CountriesResult, o: ChartOptions) => {
  const t = translator(o.locale);
  return countryRevenueChart(r.countries.map((c) => ({ ...c, country: countryName(t, c.country) })), { ...o, ...(r.currency ? { currency: r.currency } : {}) });
};

@customElement('aida-products-page')
export class AidaProductsPage extends LitElement {
  static override styles = [tokens, shared, css`tr.total th, tr.total td { font-weight: 600; background: var(--page); }`];
  @property() locale: Locale = 'en';
  private readonly url = new UrlState(this);

  private readonly products = urlTask(this, this.url, productKeys, api.products);
  /** products after the top N (the chart keeps to the top N; the table grows) */
  private readonly pages = new ListPages<ProductsResult['products'][number]>(this, async (offset, limit) =>
    (await api.products({ ...queryObject(this.url.query(productKeys)), offset: String(offset), limit: String(limit) })).products);
  private readonly countries = urlTask(this, this.url, countryKeys, api.countries);

  override render() {
    const t = translator(this.locale);
    const f = formats(this.locale);
    const notes = (list: readonly Note[]) => notesView(list.map((n) => noteText(t, f, n)), t);
    const limit = this.url.get('limit') ?? '10';
    return html`<h1>${t('products.title')}</h1>
      <aida-controls .locale=${this.locale} .dims=${pageFilters.products.controls} .resolved=${this.products.value?.period}></aida-controls>
      <div class="toolbar">
        <label class="field">${t('products.limit')}
          <select name="limit" @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; setParams({ limit: v === '10' ? null : v }); }}>
            ${limits.map((l) => html`<option value=${l} ?selected=${limit === l}>${l}</option>`)}
          </select>
        </label>
      </div>
      <section class="card">
        ${taskView(this.products, t, (r) => {
          if (!r.products.length) return html`${emptyView(t('state.noProducts'))}${notes(r.notes)}`;
          const cur = r.currency ?? undefined;
          const rows = this.pages.rows(r, r.products);
          return html`<aida-chart .data=${r} .draw=${drawProducts} .locale=${this.locale} name="top-products" pin="top-products"
              .csv=${{ path: 'products', query: queryObject(this.url.query(productKeys)) }}></aida-chart>
            <h2 id="top-products">${t('products.table')} <span class="muted" data-product-count>${t('products.productCount', { n: f.int(r.productCount) })}</span></h2>
            ${tableRegion(t('products.table'), html`
              <table class="data" aria-labelledby="top-products">
                <thead><tr>
                  <th scope="col" class="n">${t('products.rank')}</th><th scope="col">${t('products.sku')}</th><th scope="col">${t('products.description')}</th>
                  ${(['revenue', 'share', 'quantity', 'orders', 'customers', 'cancelledQuantity', 'cancelledValue'] as const).map((k) => html`<th scope="col" class="n">${t(`products.${k}`)}</th>`)}
                </tr></thead>
                <tbody>
                  ${rows.map(
                    (p) => html`<tr data-sku=${p.sku ?? ''}>
                      <td class="n">${p.rank}</td><th scope="row">${p.sku ?? t('products.noSku')}</th><td>${p.description ?? ''}</td>
                      <td class="n" data-revenue>${f.money(p.revenue, cur)}</td><td class="n">${f.pct(p.share)}</td><td class="n">${f.num(p.quantity)}</td>
                      <td class="n">${f.int(p.orders)}</td><td class="n">${f.int(p.customers)}</td>
                      <td class="n">${f.num(p.cancelledQuantity)}</td><td class="n">${f.money(p.cancelledValue, cur)}</td>
                    </tr>`,
                  )}
                  <tr class="total"><td></td><th scope="row" colspan="2">${t('products.total')}</th>
                    <td class="n" data-total-revenue>${f.money(r.totals.revenue, cur)}</td><td class="n">${f.pct(r.totals.revenue > 0 ? 1 : null)}</td><td class="n">${f.num(r.totals.quantity)}</td>
                    <td class="n">${f.int(r.totals.orders)}</td><td class="n">${f.int(r.totals.customers)}</td>
                    <td class="n">${f.num(r.totals.cancelledQuantity)}</td><td class="n">${f.money(r.totals.cancelledValue, cur)}</td></tr>
                </tbody>
              </table>`)}
            ${this.pages.footer(t, f, r, rows.length, r.page.total, () => downloadCsv({ path: 'products', query: queryObject(this.url.query(productKeys)) }, 'products.csv'))}
            ${notes(r.notes)}`;
        })}
      </section>
      <section class="card" style="margin-top: 1rem">
        ${taskView(this.countries, t, (r) => {
          if (!r.countries.length) return html`${emptyView(t('state.noOrders'))}${notes(r.notes)}`;
          const cur = r.currency ?? undefined;
          return html`<aida-chart .data=${r} .draw=${drawCountries} .locale=${this.locale} name="revenue-by-country"
              .csv=${{ path: 'countries', query: queryObject(this.url.query(countryKeys)) }}></aida-chart>
            <h2 id="countries">${t('products.countryTable')}</h2>
            ${tableRegion(t('products.countryTable'), html`
              <table class="data" aria-labelledby="countries">
                <thead><tr>
                  <th scope="col">${t('products.country')}</th>
                  ${(['revenue', 'share', 'orders', 'customers'] as const).map((k) => html`<th scope="col" class="n">${t(`products.${k}`)}</th>`)}
                </tr></thead>
                <tbody>
                  ${r.countries.map(
                    (c) => html`<tr data-country=${c.country}><th scope="row">${countryName(t, c.country)}</th><td class="n" data-revenue>${f.money(c.revenue, cur)}</td>
                      <td class="n">${f.pct(c.share)}</td><td class="n">${f.int(c.orders)}</td><td class="n">${f.int(c.customers)}</td></tr>`,
                  )}
                  <tr class="total"><th scope="row">${t('products.allCountries')}</th><td class="n" data-total-revenue>${f.money(r.totals.revenue, cur)}</td>
                    <td class="n">${f.pct(r.totals.revenue > 0 ? 1 : null)}</td><td class="n">${f.int(r.totals.orders)}</td><td class="n">${f.int(r.totals.customers)}</td></tr>
                </tbody>
              </table>`)}
            ${notes(r.notes)}`;
        })}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-products-page': AidaProductsPage;
  }
}
