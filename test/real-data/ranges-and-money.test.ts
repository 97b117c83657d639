// Real files years apart in one warehouse (issue 12 items 5 and 6): the Apache log (May 2015) beside the
// online-retail orders (2010-12 to 2011-12). Each metric's default period, complete flags and as-of
// follow the kinds it reads; money comes out of the views and the SQL console exact to the cent. Every
// expected value is computed here from the raw files in plain TypeScript (own parsing, integer money).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { isbot } from 'isbot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../ingest/pipeline.ts';
import { installAnalystViews } from '../../queries/analyst-views.ts';
import { serverFixture, type ServerFixture } from '../api/server-fixture.ts';
import { records } from '../support/csv-records.ts';
import { sql } from 'kysely';

const accessLog = path.resolve('../shared/data/apache-combined/access.log');
const onlineRetail = path.resolve('../shared/data/online-retail/online_retail.csv.gz');

const dayAfter = (day: string, n = 1) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
const months: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };

/** The last day (UTC) of a request by a person: not a crawler by isbot, and with an agent. */
function lastPersonDay(): string {
  let last = '';
  for (const line of fs.readFileSync(accessLog, 'utf8').split('\n')) {
    const m = /\[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{4})\]/.exec(line);
    if (!m) continue;
    const agent = /"([^"]*)"\s*$/.exec(line)?.[1]?.trim() ?? '';
    if (agent === '' || agent === '-' || isbot(agent)) continue;
    const iso = new Date(`${m[3]}-${months[m[2]!]}-${m[1]}T${m[4]}${m[5]!.slice(0, 3)}:${m[5]!.slice(3)}`).toISOString();
    if (iso > last) last = iso;
  }
  return last.slice(0, 10);
}

interface Retail {
  /** last InvoiceDate day (the timestamps carry no zone: read as UTC, the default input_timezone) */
  lastDay: string;
  /** valid orders' revenue in pence: non-C invoices, lines with quantity > 0 and price > 0 (DECIMAL(18,2) per invoice) */
  revenuePence: number;
  /** the same, for orders with a customer id */
  customerRevenuePence: number;
  /** YYYY-MM of each customer's first valid order */
  cohorts: Set<string>;
  /** the earliest of the customers' last valid order days */
  earliestLastOrderDay: string;
}

/** A price as given ("2.55", "0.001") in thousandths of a pound, without a float. */
function mills(price: string): number {
  const [whole, frac = ''] = price.trim().split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0').slice(0, 3));
}

function readRetail(): Retail {
  const it = records(zlib.gunzipSync(fs.readFileSync(onlineRetail)).toString('utf8'));
  const header = it.next().value as string[];
  const col = (name: string) => header.indexOf(name);
  const [inv, qty, when, price, cust] = [col('InvoiceNo'), col('Quantity'), col('InvoiceDate'), col('UnitPrice'), col('CustomerID')];
  let lastDay = '';
  const invoices = new Map<string, { mills: number; day: string; customer: string }>();
  for (const r of it) {
    const day = r[when]!.slice(0, 10);
    if (day > lastDay) lastDay = day;
    const invoice = r[inv]!.trim();
    if (invoice.toUpperCase().startsWith('C')) continue;
    const q = Number(r[qty]);
    const p = mills(r[price]!);
    const entry = invoices.get(invoice) ?? { mills: 0, day, customer: r[cust]!.trim().replace(/\.0+$/, '') };
    if (q > 0 && p > 0) entry.mills += q * p;
    invoices.set(invoice, entry);
  }
  let revenuePence = 0;
  let customerRevenuePence = 0;
  const spans = new Map<string, { first: string; last: string }>();
  for (const { mills: m, day, customer } of invoices.values()) {
    const pence = Math.round(m / 10); // the stored DECIMAL(18,2) amount (half up; only 4 lines have a third decimal)
    if (pence <= 0) continue;
    revenuePence += pence;
    if (!customer) continue;
    customerRevenuePence += pence;
    const s = spans.get(customer);
    spans.set(customer, { first: s && s.first < day ? s.first : day, last: s && s.last > day ? s.last : day });
  }
  const lasts = [...spans.values()].map((s) => s.last).sort();
  return { lastDay, revenuePence, customerRevenuePence, cohorts: new Set([...spans.values()].map((s) => s.first.slice(0, 7))), earliestLastOrderDay: lasts[0]! };
}

/** pence as the exact decimal JSON/CSV print: 445993235 → "4459932.35" (a double holds 15 digits exactly). */
const printed = (pence: number) => String(pence / 100);

describe('a 2015 web log beside 2010–11 orders', () => {
  let f: ServerFixture;
  let retail: Retail;
  let webDay: string;
  const get = async <T,>(p: string): Promise<T> => {
    const res = await f.app.request(p);
    expect(res.status, p).toBe(200);
    return (await res.json()) as T;
  };
  beforeAll(async () => {
    f = await serverFixture();
    retail = readRetail();
    webDay = lastPersonDay();
    for (const file of [accessLog, onlineRetail]) await ingestFile(f.db, file, { config: f.config, inboxDir: f.inbox });
    await installAnalystViews(f.db, f.config);
  }, 300_000);
  afterAll(async () => f?.close());

  it('reads the raw files as expected', () => {
    expect(retail.lastDay).toBe('2011-12-09');
    expect(webDay.slice(0, 7)).toBe('2015-05');
  });

  it('reports each kind its own range in /api/health', async () => {
    const h = await get<{ ranges: Record<string, { first: string; last: string } | null> }>('/api/health');
    expect(h.ranges.sales!.last.slice(0, 10)).toBe(retail.lastDay);
    expect(h.ranges.web!.last.slice(0, 10)).toBe(webDay);
    expect(h.ranges.campaigns).toBeNull();
    expect(h.ranges.complaints).toBeNull();
  });

  it('opens customers/tiers on the 28 days ending with the last order day, not on 2015', async () => {
    const t = await get<{ period: { from: string; to: string }; customers: number }>('/api/customers/tiers');
    // to = the day after 2011-12-09 = 2011-12-10; from = 28 days earlier = 2011-11-12
    expect(t.period).toEqual({ from: dayAfter(retail.lastDay, -27), to: dayAfter(retail.lastDay) });
    expect(t.period).toEqual({ from: '2011-11-12', to: '2011-12-10' });
    expect(t.customers).toBeGreaterThan(0);
  });

  it('runs every cohort to December 2011 and flags only that month incomplete', async () => {
    const r = await get<{ cohorts: { cohort: string; periods: { k: number; complete: boolean }[] }[] }>('/api/retention');
    expect(new Set(r.cohorts.map((c) => c.cohort))).toEqual(retail.cohorts);
    for (const c of r.cohorts) {
      const [y, m] = c.cohort.split('-').map(Number) as [number, number];
      const toDec2011 = (2011 - y) * 12 + (12 - m); // 2010-12 → k 0..12; 2011-12 → k 0 only
      expect(c.periods.map((p) => p.k), c.cohort).toEqual(Array.from({ length: toDec2011 + 1 }, (_, k) => k));
      expect(c.periods.map((p) => p.complete), c.cohort).toEqual(c.periods.map((p) => p.k < toDec2011));
    }
  });

  it('looks at customers as of the day after the last order (lifecycle, at-risk and v_customers)', async () => {
    const atRisk = await get<{ asOf: string }>('/api/customers/at-risk');
    const lifecycle = await get<{ asOf: string }>('/api/customers/lifecycle');
    // as_of is exclusive: the day after the orders' last day 2011-12-09
    expect(atRisk.asOf).toBe('2011-12-10');
    expect(lifecycle.asOf).toBe('2011-12-10');
    // the longest-gone customer's last order day to 2011-12-10 (with 2015 as the end it would be ~1,260+ days)
    const [v] = (await sql<{ days: number }>`select max(days_since_last_order)::integer as days from v_customers`.execute(f.db.kysely)).rows;
    expect(v!.days).toBe(daysBetween(retail.earliestLastOrderDay, '2011-12-10'));
    expect(v!.days).toBeLessThan(375);
  });

  it('opens the funnel on the 28 days ending with the last day of visits, in May 2015', async () => {
    const r = await get<{ period: { from: string; to: string } }>('/api/funnel');
    expect(r.period).toEqual({ from: dayAfter(webDay, -27), to: dayAfter(webDay) });
    expect(r.period.to.slice(0, 7)).toBe('2015-05');
  });

  it('keeps money DECIMAL in the views', async () => {
    const types = (await sql<{ table_name: string; column_name: string; data_type: string }>`
      select table_name, column_name, data_type from duckdb_columns()
      where (table_name, column_name) in (('v_orders', 'amount'), ('v_events', 'value'), ('v_campaigns', 'cost'), ('v_complaints', 'amount'), ('v_customers', 'revenue'))
      order by table_name`.execute(f.db.kysely)).rows;
    expect(types).toEqual([
      { table_name: 'v_campaigns', column_name: 'cost', data_type: 'DECIMAL(18,2)' },
      { table_name: 'v_complaints', column_name: 'amount', data_type: 'DECIMAL(18,2)' },
      { table_name: 'v_customers', column_name: 'revenue', data_type: 'DECIMAL(38,2)' },
      { table_name: 'v_events', column_name: 'value', data_type: 'DECIMAL(18,2)' },
      { table_name: 'v_orders', column_name: 'amount', data_type: 'DECIMAL(18,2)' },
    ]);
  });

  it('sums revenue exactly through the SQL API, as JSON and CSV', async () => {
    const query = 'select sum(amount) as revenue from v_orders where is_valid';
    const post = (q = '') => f.app.request(`/api/sql${q}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aida-request': '1' }, body: JSON.stringify({ sql: query }) });
    const json = await (await post()).text();
    expect(json).toContain(`"rows":[[${printed(retail.revenuePence)}]]`);
    expect(json).toContain('"type":"DECIMAL(38,2)"');
    expect(await (await post('?format=csv')).text()).toBe(`revenue\r\n${printed(retail.revenuePence)}\r\n`); // RFC 4180 line ends
  });

  it('gives the tiers revenue exact to the cent in the metric JSON', async () => {
    // lifetime tiers before 2011-12-10: every valid order with a customer id
    const text = await (await f.app.request('/api/customers/tiers?as_of=2011-12-10')).text();
    expect(text).toContain(`"revenue":${printed(retail.customerRevenuePence)},`);
  });

  it('prints the exact sum from `aida sql` in json, csv and table formats', async () => {
    await f.db.close(); // the CLI opens the file itself (one process holds a DuckDB file)
    const query = 'select sum(amount) as revenue from v_orders where is_valid';
    const aida = (format: string) => execFileSync(process.execPath, ['bin/aida.js', 'sql', '--db', f.dbFile, '--format', format, query], { encoding: 'utf8' });
    expect(JSON.parse(aida('json'))).toEqual([{ revenue: retail.revenuePence / 100 }]);
    expect(aida('json')).toContain(`"revenue": ${printed(retail.revenuePence)}\n`);
    expect(aida('csv').trim()).toBe(`revenue\n${printed(retail.revenuePence)}`);
    expect(aida('table').split('\n')[2]!.trim()).toBe(printed(retail.revenuePence));
  }, 60_000);
});
