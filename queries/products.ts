// Top products for a period (from `order_items`): revenue, quantity, orders and customers of sold lines,
// with the cancelled lines of the same products shown beside them, never mixed into the sales.
import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery, rows } from './define.ts';
import { cancelledOrderSql, soldLineSql } from './shared/orders.ts';
import { metricKinds, resolvePeriod } from './shared/data-range.ts';
import { checkPeriod, isoDate, periodParams } from './shared/period.ts';
import type { OrderDimension } from './shared/dimensions.ts';
import { filterParams, unknownValue } from './shared/touches.ts';
import { noteOf, notes as notesResult } from './shared/notes.ts';
import { pageResult, wholeList } from './shared/page.ts';

export const topProductsParams = periodParams
  .extend({
    country: filterParams.shape.country.describe("the order's country; one value or a comma list ((none) = no country)"),
  } satisfies Record<OrderDimension, z.ZodType>)
  .superRefine(checkPeriod);

const count = z.number().int().nonnegative();

const productFigures = z.object({
  quantity: z.number().nonnegative().describe('Σ quantity of sold lines (valid order, quantity > 0, unit price > 0)'),
  revenue: z.number().nonnegative().describe('Σ line amount (quantity × unit price) of sold lines'),
  orders: count.describe('valid orders with a sold line of the product'),
  customers: count.describe('distinct customer ids among those orders (guest orders count for none)'),
  cancelledQuantity: z.number().nonnegative().describe('Σ |quantity| of lines of cancelled orders in the period'),
  cancelledValue: z.number().nonnegative().describe('Σ |quantity| × unit price of those lines'),
});

const topProductsResult = z
  .object({
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    productCount: count.describe('products with any sold or cancelled line in the period'),
    products: z.array(
      productFigures
        .extend({
          rank: z.number().int().positive(),
          sku: z.string().nullable().describe('null for lines without a SKU: those are grouped by description'),
          description: z.string().nullable().describe("the product's latest description in the period"),
          share: z.number().min(0).max(1).nullable().describe("revenue / the period's product revenue; null when that is 0"),
        })
        .strict(),
    ),
    totals: productFigures.strict().describe('over every product, not only the page in `products`'),
    page: pageResult.describe('the page of `products` (by rank) this answer holds: the API sends the top 10 unless limit/offset say otherwise; format=csv all'),
    currency: z.string().nullable().describe('the one currency of the lines; null when there are none or several'),
    notes: notesResult,
  })
  .strict();
export type TopProductsResult = z.infer<typeof topProductsResult>;
type ProductRow = TopProductsResult['products'][number];

interface ProductSql {
  rank: number;
  sku: string | null;
  description: string | null;
  quantity: number | null;
  revenue: number | null;
  orders: number;
  customers: number;
  cancelled_quantity: number | null;
  cancelled_value: number | null;
}

export const topProducts = defineQuery({
  name: 'products',
  summary: 'Top products by revenue of sold lines in the period, with quantity, orders, customers and cancelled quantity/value apart',
  params: topProductsParams,
  result: topProductsResult,
  run: async (ctx, p) => {
    const period = await resolvePeriod(ctx, p, metricKinds.products);
    const country = p.country?.length ? sql`and coalesce(o.country, ${unknownValue}) in (${sql.join(p.country)})` : sql``;
    const lines = sql`
      select i.sku, case when i.sku is null then i.description end as name_key, i.description, i.quantity, i.unit_price, i.amount,
        i.currency, o.order_id, o.customer_id, o.ts, i.line,
        ${sql.raw(soldLineSql('i', 'o'))} as sold, ${sql.raw(cancelledOrderSql('o'))} as cancelled
      from order_items i join orders o using (order_id)
      where o.ts >= ${period.start} and o.ts < ${period.end} ${country}`;
    const figures = (where = sql`true`) => sql`
      sum(l.quantity) filter (where l.sold and ${where})::double as quantity,
      sum(l.amount) filter (where l.sold and ${where})::double as revenue,
      count(distinct l.order_id) filter (where l.sold and ${where})::integer as orders,
      count(distinct l.customer_id) filter (where l.sold and ${where})::integer as customers,
      sum(abs(l.quantity)) filter (where l.cancelled and ${where})::double as cancelled_quantity,
      sum(abs(l.amount)) filter (where l.cancelled and l.unit_price > 0 and ${where})::double as cancelled_value`;
    const [summary] = await rows<Omit<ProductSql, 'rank' | 'sku' | 'description'> & { products: number; currencies: number; currency: string | null; lines: number; other_lines: number }>(
      ctx,
      sql`
        with l as (${lines})
        select ${figures()},
          count(distinct (l.sku, l.name_key)) filter (where l.sold or l.cancelled)::integer as products,
          count(distinct l.currency)::integer as currencies, min(l.currency) as currency,
          count(*)::integer as lines, (count(*) filter (where not l.sold and not l.cancelled))::integer as other_lines
        from l`,
    );
    const ranked = await rows<ProductSql>(
      ctx,
      sql`
        with l as (${lines}),
        products as (
          select l.sku, l.name_key, arg_max(l.description, (l.ts, l.order_id, l.line)) filter (where l.description is not null) as description, ${figures()}
          from l where l.sold or l.cancelled
          group by l.sku, l.name_key
        )
        select row_number() over (order by coalesce(revenue, 0) desc, sku, name_key)::integer as rank, sku, description,
          quantity, revenue, orders, customers, cancelled_quantity, cancelled_value
        from products
        order by rank`,
    );
    const s = summary!;
    const total = s.revenue ?? 0;
    const products = ranked.map((r): ProductRow => ({
      rank: r.rank,
      sku: r.sku,
      description: r.description,
      quantity: r.quantity ?? 0,
      revenue: r.revenue ?? 0,
      share: total > 0 ? (r.revenue ?? 0) / total : null,
      orders: r.orders,
      customers: r.customers,
      cancelledQuantity: r.cancelled_quantity ?? 0,
      cancelledValue: r.cancelled_value ?? 0,
    }));
    const notes = [noteOf('product_revenue'), noteOf('product_cancelled')];
    if (p.country?.length) notes.push(noteOf('only_order_countries', { countries: p.country }));
    if (s.other_lines) notes.push(noteOf('other_lines_not_counted', { lines: s.other_lines }));
    if (s.currencies > 1) notes.push(noteOf('line_currencies_not_converted', { currencies: s.currencies }));
    if (!s.lines) notes.push(noteOf('no_order_lines'));
    return {
      period: { from: period.from, to: period.to },
      productCount: s.products,
      products,
      totals: {
        quantity: s.quantity ?? 0,
        revenue: total,
        orders: s.orders,
        customers: s.customers,
        cancelledQuantity: s.cancelled_quantity ?? 0,
        cancelledValue: s.cancelled_value ?? 0,
      },
      currency: s.currencies === 1 ? s.currency : null,
      page: wholeList(products.length),
      notes,
    };
  },
  list: { field: 'products', defaultLimit: 10 },
  csv: (r) =>
    r.products.map((x) => ({
      from: r.period.from, to: r.period.to, rank: x.rank, sku: x.sku, description: x.description, quantity: x.quantity, revenue: x.revenue, share: x.share,
      orders: x.orders, customers: x.customers, cancelledQuantity: x.cancelledQuantity, cancelledValue: x.cancelledValue,
    })),
});
