// The summaries the customers, retention, repurchase and snapshot views read (migration 012, documented in
// queries/README.md): `customer_summary` (one row per customer), `customer_days` (per customer and order
// day) and `person_days` (per person and day with a stage hit). Kept inside the load's transaction by
// derive.ts, after the stage hits: only the persons the load touched and the customers of its orders
// are recomputed (everything with `scope.all`). Their SQL lives with the metrics that define them.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { customerDaysSql, personDaysSql } from '../queries/customers.ts';
import { customerSummarySql } from '../queries/retention.ts';
import type { IngestConfig as Config } from './config.ts';
import type { DeriveScope } from './derive-scope.ts';

/** Replaces `table`'s rows of the keys in `touched` (all rows without it) with `derived`'s. */
async function replaceRows(conn: Kysely<unknown>, table: string, key: string, derived: RawBuilder<unknown>, touched?: string): Promise<void> {
  if (touched) await sql`delete from ${sql.table(table)} t using ${sql.table(touched)} x where t.${sql.ref(key)} = x.${sql.ref(key)}`.execute(conn);
  else await sql`delete from ${sql.table(table)}`.execute(conn);
  await sql`insert into ${sql.table(table)} by name ${derived}`.execute(conn);
}

/**
 * Brings the summaries up to date after derive recomputed the stage hits of `_in_persons` (the persons
 * the load touched). Customers are recomputed when the load wrote their orders; when it replaced
 * stored orders (one may have moved to another customer), every customer is.
 */
export async function deriveSummaries(conn: Kysely<unknown>, config: Config, scope: DeriveScope): Promise<void> {
  if (scope.all) {
    await replaceRows(conn, 'person_days', 'person_id', personDaysSql(config));
  } else {
    await replaceRows(conn, 'person_days', 'person_id', personDaysSql(config, sql`select person_id from _in_persons`), '_in_persons');
  }
  let allCustomers = scope.all;
  if (!allCustomers && scope.replacedOrders) {
    const [r] = (await sql<{ n: number }>`select count(*)::integer as n from _in_replaced_orders`.execute(conn)).rows;
    allCustomers = (r?.n ?? 0) > 0;
  }
  if (allCustomers) {
    await replaceRows(conn, 'customer_summary', 'customer_id', customerSummarySql());
    await replaceRows(conn, 'customer_days', 'customer_id', customerDaysSql(config));
    return;
  }
  await sql`create temp table _in_summary_customers as
    select distinct customer_id from orders where source_file = ${sql.lit(scope.fileId)} and customer_id is not null`.execute(conn);
  const [touched] = (await sql<{ n: number }>`select count(*)::integer as n from _in_summary_customers`.execute(conn)).rows;
  if (touched?.n) {
    const only = sql`select customer_id from _in_summary_customers`;
    await replaceRows(conn, 'customer_summary', 'customer_id', customerSummarySql(only), '_in_summary_customers');
    await replaceRows(conn, 'customer_days', 'customer_id', customerDaysSql(config, only), '_in_summary_customers');
  }
  await sql`drop table _in_summary_customers`.execute(conn);
}
