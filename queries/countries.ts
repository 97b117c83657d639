// Places: revenue by the order's country for a period, and the one country (and city) a customer is
// shown with — where most of their valid orders went, ties to the latest such order.
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { defineQuery, rows } from './define.ts';
import { validOrderSql } from './shared/orders.ts';
import { metricKinds, resolvePeriod } from './shared/data-range.ts';
import { checkPeriod, isoDate, periodParams } from './shared/period.ts';
import { unknownValue } from './shared/touches.ts';
import { noteOf, notes as notesResult } from './shared/notes.ts';

/**
 * (customer_id, country, city) for every customer with a valid order that has a country: the country
 * of most of their valid orders (a tie goes to the country of the latest order), and the city of
 * their latest valid order in that country.
 */
export const customerPlacesSql: RawBuilder<unknown> = sql`
  select customer_id, arg_max(country, (orders, last_ts)) as country, arg_max(city, (orders, last_ts)) as city
  from (
    select o.customer_id, o.country, count(*) as orders, max(o.ts) as last_ts,
      arg_max(o.city, (o.ts, o.order_id)) filter (where o.city is not null) as city
    from orders o
    where o.customer_id is not null and o.country is not null and ${sql.raw(validOrderSql('o'))}
    group by o.customer_id, o.country
  )
  group by customer_id`;

const count = z.number().int().nonnegative();

const countriesResult = z
  .object({
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    countries: z.array(
      z
        .object({
          country: z.string().describe(`the order's country as the export gave it; ${unknownValue} for orders without one`),
          revenue: z.number(),
          orders: count.describe('valid orders'),
          customers: count.describe('distinct customer ids among them (guest orders count for none)'),
          share: z.number().min(0).max(1).nullable().describe("revenue / the period's revenue; null when that is 0"),
        })
        .strict(),
    ),
    totals: z.object({ revenue: z.number(), orders: count, customers: count }).strict(),
    currency: z.string().nullable().describe('the one currency of the orders; null when there are none or several'),
    notes: notesResult,
  })
  .strict();
export type CountriesResult = z.infer<typeof countriesResult>;
type CountryRow = CountriesResult['countries'][number];

export const revenueByCountry = defineQuery({
  name: 'countries',
  summary: "Revenue, valid orders, customers and revenue share by the order's country in the period",
  params: periodParams.superRefine(checkPeriod),
  result: countriesResult,
  run: async (ctx, p) => {
    const period = await resolvePeriod(ctx, p, metricKinds.countries);
    const list = await rows<{ country: string; revenue: number; orders: number; customers: number; currencies: number; currency: string | null; g: number }>(
      ctx,
      sql`
        select country, sum(amount)::double as revenue, count(*)::integer as orders, count(distinct customer_id)::integer as customers,
          count(distinct currency)::integer as currencies, min(currency) as currency, grouping(country)::integer as g
        from (
          select coalesce(o.country, ${unknownValue}) as country, o.amount, o.customer_id, o.currency from orders o
          where ${sql.raw(validOrderSql('o'))} and o.ts >= ${period.start} and o.ts < ${period.end}
        )
        group by grouping sets ((country), ())
        order by g, revenue desc, country`,
    );
    const total = list.find((r) => r.g === 1);
    const revenue = total?.revenue ?? 0;
    const countries = list
      .filter((r) => r.g === 0)
      .map((r): CountryRow => ({ country: r.country, revenue: r.revenue, orders: r.orders, customers: r.customers, share: revenue > 0 ? r.revenue / revenue : null }));
    const notes = [noteOf('country_revenue')];
    const none = countries.find((c) => c.country === unknownValue);
    if (none) notes.push(noteOf('orders_without_country', { orders: none.orders }));
    if ((total?.currencies ?? 0) > 1) notes.push(noteOf('order_currencies_not_converted', { currencies: total!.currencies }));
    if (!countries.length) notes.push(noteOf('countries_no_valid_orders'));
    return {
      period: { from: period.from, to: period.to },
      countries,
      totals: { revenue, orders: total?.orders ?? 0, customers: total?.customers ?? 0 },
      currency: total?.currencies === 1 ? total.currency : null,
      notes,
    };
  },
  csv: (r) => r.countries.map((c) => ({ from: r.period.from, to: r.period.to, ...c })),
});
