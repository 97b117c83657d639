// Real data nobody here wrote: the UCI Online Retail export. Every input row is accounted for, and the
// order and customer counts equal an independent computation under the SPEC §5.3 rules, done here in
// plain TypeScript over the raw file (its own CSV parser, no SQL).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';
import { records } from '../support/csv-records.ts';

const file = path.resolve('../shared/data/online-retail/online_retail.csv.gz');


interface Oracle {
  lines: number;
  validOrders: number;
  customers: number;
  repeatCustomers: number;
  revenue: number;
}

function oracle(): Oracle {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const it = records(text);
  const header = it.next().value as string[];
  const col = (name: string) => header.indexOf(name);
  const [inv, qty, price, cust] = [col('InvoiceNo'), col('Quantity'), col('UnitPrice'), col('CustomerID')];
  let lines = 0;
  const amount = new Map<string, number>();
  const customerOf = new Map<string, string>();
  for (const r of it) {
    lines++;
    const invoice = r[inv]!.trim();
    if (invoice.toUpperCase().startsWith('C')) continue; // cancellations are never valid orders
    const q = Number(r[qty]);
    const p = Number(r[price]);
    if (!(q > 0 && p > 0)) continue;
    amount.set(invoice, (amount.get(invoice) ?? 0) + q * p);
    const c = r[cust]!.trim().replace(/\.0+$/, '');
    if (c) customerOf.set(invoice, c);
  }
  const ordersPerCustomer = new Map<string, number>();
  for (const [invoice, c] of customerOf) if ((amount.get(invoice) ?? 0) > 0) ordersPerCustomer.set(c, (ordersPerCustomer.get(c) ?? 0) + 1);
  return {
    lines,
    validOrders: [...amount.values()].filter((a) => a > 0).length,
    customers: ordersPerCustomer.size,
    repeatCustomers: [...ordersPerCustomer.values()].filter((n) => n >= 2).length,
    revenue: [...amount.values()].reduce((a, b) => a + b, 0),
  };
}

describe('online-retail (UCI, 541,909 line items)', () => {
  let w: TempWarehouse;
  let expected: Oracle;
  beforeAll(async () => {
    w = await tempWarehouse();
    expected = oracle();
  });
  afterAll(async () => w.close());

  it('accounts for every input row', async () => {
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', kind: 'sales', profile: 'online-retail' });
    expect(expected.lines).toBe(541_909);
    expect(s.rowsIn).toBe(541_909);
    expect(s.rowsLoaded + s.rowsDuplicate + s.rowsRejected).toBe(s.rowsIn);
    const [ledger] = await w.rows<{ rows_in: number; rows_loaded: number; rows_duplicate: number; rows_rejected: number }>(
      'select rows_in, rows_loaded, rows_duplicate, rows_rejected from ingests',
    );
    expect(ledger!.rows_in).toBe(ledger!.rows_loaded + ledger!.rows_duplicate + ledger!.rows_rejected);
    expect(await w.rows('select count(*)::integer as n from rejects')).toEqual([{ n: ledger!.rows_rejected }]);
  });

  it('has the same valid orders, customers and repeat customers as the independent computation', async () => {
    const [got] = await w.rows<{ orders: number; customers: number; revenue: number }>(`
      select count(*)::integer as orders, count(distinct customer_id)::integer as customers, sum(amount)::double as revenue
      from orders where status = 'paid' and amount > 0`);
    expect(got!.orders).toBe(expected.validOrders);
    expect(got!.revenue).toBeCloseTo(expected.revenue, 0);
    const [cust] = await w.rows<{ customers: number; repeat: number }>(`
      select count(*)::integer as customers, (count(*) filter (where n >= 2))::integer as repeat
      from (select customer_id, count(*) as n from orders where status = 'paid' and amount > 0 and customer_id is not null group by 1)`);
    expect(cust).toEqual({ customers: expected.customers, repeat: expected.repeatCustomers });
  });

  it('marks C invoices cancelled and normalises float-looking customer ids', async () => {
    const [c] = await w.rows<{ n: number }>("select count(*)::integer as n from orders where order_id like 'C%' and status <> 'cancelled'");
    expect(c!.n).toBe(0);
    const [f] = await w.rows<{ n: number }>("select count(*)::integer as n from orders where customer_id like '%.0'");
    expect(f!.n).toBe(0);
    expect(await w.rows("select customer_id from orders where order_id = '536365'")).toEqual([{ customer_id: '17850' }]);
  });
});
