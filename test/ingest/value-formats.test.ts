// Locale-aware values through the real pipeline (issue 12 items 1–2): each export's numbers and dates are
// read per column from all its values, and stored exactly — amounts to the cent, instants to the second
// in UTC (the zone each file is read in is stated) — or the row is rejected with a reason naming why.
// Column names are the aliases aida maps (order_number, order_date, created_at, invoice_date, ...); the
// value formats, delimiters and quoting are the exports'.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryTable } from '../../bin/summary-table.ts';
import type { FileSummary } from '../../ingest/pipeline.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

const open: TempWarehouse[] = [];
async function warehouse(config: Parameters<typeof tempWarehouse>[0] = {}): Promise<TempWarehouse> {
  const w = await tempWarehouse(config);
  open.push(w);
  return w;
}
afterAll(async () => {
  for (const w of open) await w.close();
});

function accounted(s: FileSummary): void {
  expect(s.status).toBe('loaded');
  expect(s.rowsIn).toBe(s.rowsLoaded + s.rowsDuplicate + s.rowsRejected);
}

interface Order {
  order_id: string;
  ts: string;
  amount: string;
}
async function orders(w: TempWarehouse): Promise<Order[]> {
  return w.rows<Order>("select order_id, strftime(ts at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as ts, amount::varchar as amount from orders order by order_id");
}
async function rejects(w: TempWarehouse, fileId: number | undefined): Promise<{ line: number; reason: string }[]> {
  return w.rows(`select line::integer as line, reason from rejects where file_id = ${fileId} order by line`);
}

describe('one export per locale', () => {
  it('German WooCommerce/Shopware CSV (";", decimal comma, "." thousands, DD.MM.YYYY HH:MM), read in Europe/Berlin', async () => {
    // Layout: "Advanced Order Export for WooCommerce" with format_csv_delimiter ";" under a German locale
    // (prices "1.234,50", dates "d.m.Y H:i"); Shopware's order export is ";"-separated the same way.
    const w = await warehouse({ input_timezone: 'Europe/Berlin' });
    const s = await w.ingest(w.file('woocommerce-de.csv', [
      'Order Number;Order Date;Customer ID;Order Total;Currency',
      '10001;02.03.2026 14:05;501;1.234,50;EUR',
      '10002;03.03.2026 09:00;502;10.000,00;EUR',
      '10003;11.03.2026 18:30;501;12,5;EUR',
      '10004;12.03.2026 08:15;503;1.234.5;EUR',
      '10005;13.03.2026 10:00;504;"0,99 €";EUR',
    ].join('\r\n') + '\r\n'));
    accounted(s);
    expect(s).toMatchObject({ rowsIn: 5, rowsLoaded: 4, rowsRejected: 1 });
    // CET is UTC+1 until 29 March 2026: 14:05 → 13:05Z
    expect(await orders(w)).toEqual([
      { order_id: '10001', ts: '2026-03-02T13:05:00Z', amount: '1234.50' },
      { order_id: '10002', ts: '2026-03-03T08:00:00Z', amount: '10000.00' },
      { order_id: '10003', ts: '2026-03-11T17:30:00Z', amount: '12.50' },
      { order_id: '10005', ts: '2026-03-13T09:00:00Z', amount: '0.99' },
    ]);
    // "1.234.5": a dot where the column's format has the decimal comma's thousands groups of three
    expect(await rejects(w, s.fileId)).toEqual([
      { line: 5, reason: "amount (column \"Order Total\") '1.234.5' is not a number in the column's format 1.234,56 (decimal comma)" },
    ]);
    expect(s.readings).toEqual([
      { column: 'amount', header: 'Order Total', kind: 'number', reading: '1.234,56 (decimal comma)', decided_by: 'values', evidence: "'1.234,50'", ambiguous: 0 },
      // no value here has a day over 12: the dotted form is what says day-first
      { column: 'ts', header: 'Order Date', kind: 'date', reading: 'day/month/year', decided_by: 'form', evidence: 'DD.MM.YYYY (dotted dates are day-first)', ambiguous: 0 },
    ]);
    expect(s.warnings).toEqual([]);
    // the same record is kept in ingests
    const [kept] = await w.rows<{ v: string }>(`select value_formats as v from ingests where file_id = ${s.fileId}`);
    expect(JSON.parse(kept!.v)).toEqual(s.readings);
  });

  it('French PrestaShop export (";", "1 234,50 €" with U+202F and U+00A0, DD/MM/YYYY HH:MM:SS), read in Europe/Paris', async () => {
    // Layout: PrestaShop back office Orders > Export (";"-separated, amounts as the French locale prints them)
    const w = await warehouse({ input_timezone: 'Europe/Paris' });
    const s = await w.ingest(w.file('prestashop-fr.csv', [
      'Order No;Customer;Total;Payment;Invoice Date',
      `FR-1;c1;"1${NNBSP}234,50 €";Carte bancaire;04/03/2026 14:05:09`,
      `FR-2;c2;"12${NBSP}000,00 €";Virement;25/03/2026 09:00:00`,
      'FR-3;c1;"89,90 €";PayPal;02/03/2026 18:00:00',
    ].join('\n') + '\n'));
    accounted(s);
    expect(s).toMatchObject({ rowsIn: 3, rowsLoaded: 3, rowsRejected: 0 });
    // 25/03 can only be day-first, so 04/03 is 4 March; CET = UTC+1
    expect(await orders(w)).toEqual([
      { order_id: 'FR-1', ts: '2026-03-04T13:05:09Z', amount: '1234.50' },
      { order_id: 'FR-2', ts: '2026-03-25T08:00:00Z', amount: '12000.00' },
      { order_id: 'FR-3', ts: '2026-03-02T17:00:00Z', amount: '89.90' },
    ]);
    expect(s.readings?.map((r) => [r.column, r.reading, r.decided_by, r.evidence])).toEqual([
      ['amount', '1.234,56 (decimal comma)', 'values', `'1${NNBSP}234,50 €'`],
      ['ts', 'day/month/year', 'values', "'25/03/2026 09:00:00'"],
    ]);
  });

  it('UK Shopify orders re-saved by Excel (",", "£1,234.50", (£5.00) refunds, DD/MM/YYYY HH:MM), read in Europe/London', async () => {
    // Layout: Shopify's "Created at"/"Total" columns after a UK Excel save: day-first dates, £ amounts quoted
    const w = await warehouse({ input_timezone: 'Europe/London' });
    const s = await w.ingest(w.file('shopify-uk.csv', [
      'Order ID,Created at,Customer,Total',
      'UK1001,02/03/2026 09:15,c1,"£1,234.50"',
      'UK1002,25/03/2026 10:00,c2,£12.00',
      'UK1003,04/11/2026 16:45,c1,(£5.00)',
      'UK1004,12/11/2026 08:00,c3,"£1,000"',
    ].join('\n') + '\n'));
    accounted(s);
    expect(s).toMatchObject({ rowsIn: 4, rowsLoaded: 4, rowsRejected: 0 });
    // GMT (UTC+0) on 2 and 25 March (BST starts 29 March) and in November; "£1,000" is 1000: the
    // column's other values decide a decimal point
    expect(await orders(w)).toEqual([
      { order_id: 'UK1001', ts: '2026-03-02T09:15:00Z', amount: '1234.50' },
      { order_id: 'UK1002', ts: '2026-03-25T10:00:00Z', amount: '12.00' },
      { order_id: 'UK1003', ts: '2026-11-04T16:45:00Z', amount: '-5.00' },
      { order_id: 'UK1004', ts: '2026-11-12T08:00:00Z', amount: '1000.00' },
    ]);
    expect(s.warnings).toEqual([]);
  });

  it('US QuickBooks/Excel export (",", "$1,999.00", ($120.00), M/D/YYYY h:mm AM/PM), read in America/New_York', async () => {
    // Layout: QuickBooks "Sales by Customer Detail" exported to Excel and saved as CSV (12-hour clock,
    // month-first dates, $ amounts with thousands commas, negatives in parentheses)
    const w = await warehouse({ input_timezone: 'America/New_York' });
    const s = await w.ingest(w.file('quickbooks-us.csv', [
      'Invoice No,Invoice Date,Customer,Amount',
      'INV-1,3/4/2026 9:05 AM,c1,"$1,999.00"',
      'INV-2,3/14/2026 2:30:15 PM,c2,$45.50',
      'INV-3,12/1/2026 12:00 PM,c1,"($120.00)"',
      'INV-4,12/2/2026 12:30 am,c3,"$12,000"',
    ].join('\r\n') + '\r\n'));
    accounted(s);
    expect(s).toMatchObject({ rowsIn: 4, rowsLoaded: 4, rowsRejected: 0 });
    // 3/14 can only be month-first. EST (UTC-5) on 4 March and in December; EDT (UTC-4) from 8 March:
    // 9:05 AM → 14:05Z, 2:30:15 PM → 18:30:15Z, 12:00 PM (noon) → 17:00Z, 12:30 am (after midnight) → 05:30Z
    expect(await orders(w)).toEqual([
      { order_id: 'INV-1', ts: '2026-03-04T14:05:00Z', amount: '1999.00' },
      { order_id: 'INV-2', ts: '2026-03-14T18:30:15Z', amount: '45.50' },
      { order_id: 'INV-3', ts: '2026-12-01T17:00:00Z', amount: '-120.00' },
      { order_id: 'INV-4', ts: '2026-12-02T05:30:00Z', amount: '12000.00' },
    ]);
    expect(s.readings?.find((r) => r.column === 'ts')).toMatchObject({ reading: 'month/day/year', decided_by: 'values', evidence: "'3/14/2026 2:30:15 PM'" });
  });

  it("Swiss export (\";\" but a decimal point: 1'234.50 CHF, CHF 89.90, DD.MM.YYYY), read in Europe/Zurich", async () => {
    // Layout: a Swiss shop export (de-CH: apostrophe thousands, decimal point, code after or before);
    // the values decide over the ";" delimiter, which alone would suggest a decimal comma
    const w = await warehouse({ input_timezone: 'Europe/Zurich' });
    const s = await w.ingest(w.file('shop-ch.csv', [
      'Order Number;Order Date;Customer ID;Order Total;Currency',
      "CH-1;04.03.2026;k1;1'234.50 CHF;CHF",
      'CH-2;05.03.2026;k2;CHF 89.90;CHF',
      "CH-3;06.03.2026;k1;12'000 CHF;CHF",
      'CH-4;07.03.2026;k3;-5.00 CHF;CHF',
    ].join('\n') + '\n'));
    accounted(s);
    expect(s).toMatchObject({ rowsIn: 4, rowsLoaded: 4, rowsRejected: 0 });
    // a date without a time is midnight in Zurich (CET, UTC+1) = 23:00Z the day before
    expect(await orders(w)).toEqual([
      { order_id: 'CH-1', ts: '2026-03-03T23:00:00Z', amount: '1234.50' },
      { order_id: 'CH-2', ts: '2026-03-04T23:00:00Z', amount: '89.90' },
      { order_id: 'CH-3', ts: '2026-03-05T23:00:00Z', amount: '12000.00' },
      { order_id: 'CH-4', ts: '2026-03-06T23:00:00Z', amount: '-5.00' },
    ]);
    expect(s.readings?.find((r) => r.column === 'amount')).toMatchObject({ reading: '1,234.56 (decimal point)', decided_by: 'values', evidence: "'1'234.50 CHF'" });
  });

  it('Chinese 淘宝/有赞-style export (2026年3月4日 14:05, ￥1,234.50, 88.00元), read in Asia/Shanghai', async () => {
    // Layout: a Taobao/Youzan order export (下单时间 "2026年3月4日 14:05", 实付金额 "￥1,234.50"); headers in English
    const w = await warehouse({ input_timezone: 'Asia/Shanghai' });
    const s = await w.ingest(w.file('youzan-cn.csv', [
      'order_no,order_time,customer_id,amount',
      'E2026030401,2026年3月4日 14:05,买家A,"￥1,234.50"',
      'E2026031502,2026年3月15日,买家B,¥88.00',
      'E2026031503,2026年3月15日 09:30:45,买家A,88.00元',
    ].join('\n') + '\n'));
    accounted(s);
    expect(s).toMatchObject({ rowsIn: 3, rowsLoaded: 3, rowsRejected: 0 });
    // China Standard Time is UTC+8: 14:05 → 06:05Z; a date alone is midnight local = 16:00Z the day before
    expect(await orders(w)).toEqual([
      { order_id: 'E2026030401', ts: '2026-03-04T06:05:00Z', amount: '1234.50' },
      { order_id: 'E2026031502', ts: '2026-03-14T16:00:00Z', amount: '88.00' },
      { order_id: 'E2026031503', ts: '2026-03-15T01:30:45Z', amount: '88.00' },
    ]);
    expect(s.readings?.find((r) => r.column === 'ts')).toMatchObject({ reading: 'YYYY年M月D日', decided_by: 'form' });
  });

  it('German SAP list export (";", trailing minus 1.234,50- for credit memos, DD.MM.YYYY)', async () => {
    // Layout: SAP ERP customer line items (FBL5N) "Export > Spreadsheet" as ";"-separated text under a
    // German user profile: amounts "1.234,50" with the sign after the number
    const w = await warehouse({ input_timezone: 'Europe/Berlin' });
    const s = await w.ingest(w.file('sap-fbl5n.csv', [
      'Invoice;Invoice Date;Customer;Amount;Currency',
      '1800000101;04.03.2026;400100;12.000,00;EUR',
      '1800000102;05.03.2026;400100;1.234,50-;EUR',
      '1800000103;06.03.2026;400200;980,00;EUR',
    ].join('\n') + '\n'));
    accounted(s);
    expect(s).toMatchObject({ rowsIn: 3, rowsLoaded: 3, rowsRejected: 0 });
    // midnight CET (UTC+1) = 23:00Z the day before
    expect(await orders(w)).toEqual([
      { order_id: '1800000101', ts: '2026-03-03T23:00:00Z', amount: '12000.00' },
      { order_id: '1800000102', ts: '2026-03-04T23:00:00Z', amount: '-1234.50' },
      { order_id: '1800000103', ts: '2026-03-05T23:00:00Z', amount: '980.00' },
    ]);
  });

  it('web events with an ISO currency code before the value (EUR 12.50, EUR 1,234.00)', async () => {
    // Layout: a tag-manager/analytics event export where the purchase value carries its currency code
    const w = await warehouse();
    const s = await w.ingest(w.file('events-eur.csv', [
      'ts,visitor_id,event,url,value',
      '2026-03-04T10:00:00Z,v1,purchase,/checkout,EUR 12.50',
      '2026-03-04T11:00:00Z,v2,purchase,/checkout,"EUR 1,234.00"',
      '2026-03-04T12:00:00Z,v3,purchase,/checkout,"EUR 1,250"',
      '2026-03-04T13:00:00Z,v4,purchase,/checkout,12.50 EUR',
    ].join('\n') + '\n'));
    accounted(s);
    expect(s).toMatchObject({ rowsIn: 4, rowsLoaded: 4, rowsRejected: 0 });
    // "EUR 1,250": the column's 12.50 and 1,234.00 decide a decimal point → 1250.00
    expect(await w.rows('select visitor_id, value::varchar as value from events order by ts')).toEqual([
      { visitor_id: 'v1', value: '12.50' },
      { visitor_id: 'v2', value: '1234.00' },
      { visitor_id: 'v3', value: '1250.00' },
      { visitor_id: 'v4', value: '12.50' },
    ]);
  });

  it('English month names, DD-Mon-YYYY and YYYY/MM/DD in complaint times; a day-first column decides its ambiguous neighbour', async () => {
    // Layout: a helpdesk (Zendesk/Freshdesk-style) ticket export: created in a "long date" form, the
    // response and resolution times as a UK spreadsheet writes them
    const w = await warehouse({ input_timezone: 'UTC' });
    const s = await w.ingest(w.file('tickets.csv', [
      'ticket_id,created_at,customer_id,category,amount,first_response_at,solved_at',
      't1,"March 4, 2026",c1,Y5,"£1,200.00",13/03/2026 10:00,02/04/2026 09:00',
      't2,4 March 2026 14:05,c2,W4,£80.00,05/03/2026 9:05 AM,06/03/2026 5:30 PM',
      't3,Mar 4 2026 9:05 pm,c3,L1,,05/03/2026 10:00,',
      't4,04-Mar-2026,c4,S1,(£15.50),,',
      't5,"Wed, 4 Mar 2026 10:00",c5,S1,,,',
      't6,2026/03/04 10:00,c6,S1,,,',
      't7,4 Marsch 2026,c7,S1,,,',
    ].join('\n') + '\n'));
    accounted(s);
    expect(s).toMatchObject({ rowsIn: 7, rowsLoaded: 6, rowsRejected: 1 });
    const rows = await w.rows<Record<string, string | null>>(`select complaint_id,
        strftime(ts at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as ts, amount::varchar as amount,
        strftime(responded_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as responded, strftime(resolved_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as resolved
      from complaints order by complaint_id`);
    // first_response_at has 13/03 (day-first only); solved_at (02/04, 06/03) is ambiguous on its own and
    // follows its neighbour: 2 April and 6 March, not 4 February and 3 June
    expect(rows).toEqual([
      { complaint_id: 't1', ts: '2026-03-04T00:00:00Z', amount: '1200.00', responded: '2026-03-13T10:00:00Z', resolved: '2026-04-02T09:00:00Z' },
      { complaint_id: 't2', ts: '2026-03-04T14:05:00Z', amount: '80.00', responded: '2026-03-05T09:05:00Z', resolved: '2026-03-06T17:30:00Z' },
      { complaint_id: 't3', ts: '2026-03-04T21:05:00Z', amount: null, responded: '2026-03-05T10:00:00Z', resolved: null },
      { complaint_id: 't4', ts: '2026-03-04T00:00:00Z', amount: '-15.50', responded: null, resolved: null },
      { complaint_id: 't5', ts: '2026-03-04T10:00:00Z', amount: null, responded: null, resolved: null },
      { complaint_id: 't6', ts: '2026-03-04T10:00:00Z', amount: null, responded: null, resolved: null },
    ]);
    expect((await rejects(w, s.fileId))[0]).toMatchObject({ line: 8, reason: expect.stringMatching(/^ts \(column "created_at"\) '4 Marsch 2026' is not a timestamp \(/) });
    expect(s.readings?.find((r) => r.column === 'resolved_at')).toMatchObject({ reading: 'day/month/year', decided_by: 'other columns', evidence: 'responded_at', ambiguous: 2 });
    expect(s.warnings).toEqual([]);
  });
});

describe('the column decides', () => {
  it('a campaign cost column of 1,234 / 12,50 / 5 is decimal comma (12,50 reads one way); impressions 1.234 follow it', async () => {
    // Layout: a Facebook Ads "Export table data" CSV (Reporting starts, Campaign name, Impressions,
    // Amount spent) from a German-locale account, saved with "," and quoted values
    const w = await warehouse();
    const s = await w.ingest(w.file('ads-de.csv', [
      'date,campaign,impressions,clicks,cost',
      '2026-03-04,spring,"1.234",10,"1,234"',
      '2026-03-05,spring,"20.000",12,"12,50"',
      '2026-03-06,spring,900,3,5',
    ].join('\n') + '\n'));
    accounted(s);
    const rows = await w.rows('select strftime(date, \'%Y-%m-%d\') as date, impressions::integer as impressions, clicks::integer as clicks, cost::varchar as cost from campaigns order by date');
    // cost: 12,50 → 12.50; 5 → 5.00; 1,234 → 1.234, a third decimal place money cannot keep: a reject,
    // not 1.23. impressions: "1.234" and "20.000" are ambiguous alone; the cost column's decimal comma makes
    // "." the thousands separator → 20000 (and 1234 on the rejected row)
    expect(rows).toEqual([
      { date: '2026-03-05', impressions: 20000, clicks: 12, cost: '12.50' },
      { date: '2026-03-06', impressions: 900, clicks: 3, cost: '5.00' },
    ]);
    expect(s.readings?.filter((r) => r.kind === 'number').map((r) => [r.column, r.reading, r.decided_by, r.evidence])).toEqual([
      ['impressions', '1.234,56 (decimal comma)', 'other columns', 'cost'],
      ['clicks', '1.234,56 (decimal comma)', 'other columns', 'cost'],
      ['cost', '1.234,56 (decimal comma)', 'values', "'12,50'"],
    ]);
    expect(s.warnings).toEqual([]);
    expect(await rejects(w, s.fileId)).toEqual([
      { line: 2, reason: "cost '1,234' has more than 2 decimal places (money is kept to the cent): it is not rounded" },
    ]);
  });

  it('whole-number columns read 1.234 as 1234 only when "." is the thousands separator; otherwise it is a reject', async () => {
    const w = await warehouse();
    // cost 12.50 decides a decimal point for the file: impressions "1.234" is then 1.234, not a whole number
    const s = await w.ingest(w.file('ads-us.csv', 'date,campaign,impressions,cost\n2026-03-04,a,"1.234",12.50\n2026-03-05,a,"1,234",3.00\n'));
    accounted(s);
    expect(await w.rows('select impressions::integer as i, cost::varchar as c from campaigns')).toEqual([{ i: 1234, c: '3.00' }]);
    expect(await rejects(w, s.fileId)).toEqual([{ line: 2, reason: "impressions '1.234' is not a whole number" }]);
  });

  it('an ambiguous column follows number_format and date_order, with a warning naming the file, column and reading', async () => {
    const text = 'order_id,order_date,customer_id,total\nA1,02/03/2026,c1,"1,500"\nA2,04/05/2026,c2,12\n';
    const byDefault = await warehouse();
    const s = await byDefault.ingest(byDefault.file('ambiguous.csv', text));
    accounted(s);
    // defaults: decimal_point (1,500 = 1500.00) and mdy (02/03 = 3 February, 04/05 = 5 April)
    expect(await orders(byDefault)).toEqual([
      { order_id: 'A1', ts: '2026-02-03T00:00:00Z', amount: '1500.00' },
      { order_id: 'A2', ts: '2026-04-05T00:00:00Z', amount: '12.00' },
    ]);
    expect(s.warnings).toEqual([
      'ambiguous.csv: column "total" (amount): 1 value is ambiguous (e.g. \'1,500\') and nothing in the file decides: read as 1,234.56 (decimal point) by config number_format = "decimal_point"',
      'ambiguous.csv: column "order_date" (ts): all 2 numeric dates are ambiguous (e.g. \'02/03/2026\') and nothing in the file decides: read as month/day/year by config date_order = "mdy"',
    ]);
    expect(s.readings?.map((r) => [r.column, r.decided_by, r.ambiguous])).toEqual([['amount', 'config', 1], ['ts', 'config', 2]]);
    // the summary table carries the warnings too
    const table = summaryTable([s]);
    expect(table).toContain(`warning: ${s.warnings![0]}`);
    expect(table).toContain(`warning: ${s.warnings![1]}`);
    expect(table).toContain('read ambiguous.csv: total as 1,234.56 (decimal point) (by config: number_format = "decimal_point"); order_date as month/day/year (by config: date_order = "mdy")');

    const configured = await warehouse({ number_format: 'decimal_comma', date_order: 'dmy' });
    const c = await configured.ingest(configured.file('ambiguous.csv', text));
    accounted(c);
    // decimal_comma: 1,500 = 1.50; dmy: 02/03 = 2 March, 04/05 = 4 May
    expect(await orders(configured)).toEqual([
      { order_id: 'A1', ts: '2026-03-02T00:00:00Z', amount: '1.50' },
      { order_id: 'A2', ts: '2026-05-04T00:00:00Z', amount: '12.00' },
    ]);
    expect(c.warnings).toEqual([
      'ambiguous.csv: column "total" (amount): 1 value is ambiguous (e.g. \'1,500\') and nothing in the file decides: read as 1.234,56 (decimal comma) by config number_format = "decimal_comma"',
      'ambiguous.csv: column "order_date" (ts): all 2 numeric dates are ambiguous (e.g. \'02/03/2026\') and nothing in the file decides: read as day/month/year by config date_order = "dmy"',
    ]);
  });

  it('a ";" file whose values leave the decimal mark open reads it as a decimal comma (the delimiter decides)', async () => {
    const w = await warehouse();
    const s = await w.ingest(w.file('semicolon.csv', 'order_id;ts;amount\nS1;2026-03-04 10:00:00;1.500\nS2;2026-03-04 11:00:00;20\n'));
    accounted(s);
    expect(await orders(w)).toEqual([
      { order_id: 'S1', ts: '2026-03-04T10:00:00Z', amount: '1500.00' },
      { order_id: 'S2', ts: '2026-03-04T11:00:00Z', amount: '20.00' },
    ]);
    expect(s.readings?.[0]).toMatchObject({ column: 'amount', reading: '1.234,56 (decimal comma)', decided_by: 'delimiter' });
  });

  it('a column with two readings: the majority reads, the minority and the values both could read are rejected', async () => {
    const w = await warehouse();
    const s = await w.ingest(w.file('mixed.csv', [
      'order_id,created_at,total',
      'M1,25/03/2026,"1,234.50"',
      'M2,28/03/2026,"2,000.25"',
      'M3,03/26/2026,"1.234,50"',
      'M4,02/03/2026,"1,500"',
      'M5,2026-03-27 10:00:00,7.25',
    ].join('\n') + '\n'));
    accounted(s);
    expect(s).toMatchObject({ rowsIn: 5, rowsLoaded: 3, rowsRejected: 2 });
    // dates: 2 only day-first (25/03, 28/03), 1 only month-first (03/26), 1 both (02/03) → day-first;
    // amounts: 2 only decimal point + 7.25, 1 only decimal comma, 1 both (1,500) → decimal point
    expect(await orders(w)).toEqual([
      { order_id: 'M1', ts: '2026-03-25T00:00:00Z', amount: '1234.50' },
      { order_id: 'M2', ts: '2026-03-28T00:00:00Z', amount: '2000.25' },
      { order_id: 'M5', ts: '2026-03-27T10:00:00Z', amount: '7.25' },
    ]);
    const mixedDates = 'the column mixes dates only day/month/year reads and dates only month/day/year reads';
    const mixedNumbers = 'the column mixes values only 1,234.56 (decimal point) reads and values only 1.234,56 (decimal comma) reads, and is read as 1,234.56 (decimal point)';
    expect(await rejects(w, s.fileId)).toEqual([
      { line: 4, reason: `ts (column "created_at") '03/26/2026' is not a date in the column's order day/month/year: ${mixedDates}, and most are day/month/year; amount (column "total") '1.234,50' is not a number in the column's format 1,234.56 (decimal point): ${mixedNumbers}` },
      { line: 5, reason: `ts (column "created_at") '02/03/2026' cannot be read with certainty: ${mixedDates}; it is read as day/month/year, the order of most of them; amount (column "total") '1,500' cannot be read with certainty: ${mixedNumbers}` },
    ]);
    expect(s.warnings).toEqual([
      'mixed.csv: column "total" (amount) mixes number formats (3 only a decimal point reads, e.g. \'1,234.50\'; 1 only a decimal comma reads, e.g. \'1.234,50\'): read as 1,234.56 (decimal point), the format of most; the 2 others are rejected',
      'mixed.csv: column "created_at" (ts) mixes date orders (2 only day/month/year reads, e.g. \'25/03/2026\'; 1 only month/day/year reads, e.g. \'03/26/2026\'): read as day/month/year, the order of most; the 2 other numeric dates are rejected',
    ]);
  });
});

describe('places kept, never rounded', () => {
  it('money beyond the cent and unit prices beyond 4 places are rejects; one rejected line rejects its whole order', async () => {
    // A B2B price list export (unit prices to 1/1000 of a pound, as UCI online-retail's PADS lines at 0.001).
    const w = await warehouse();
    const totals = await w.ingest(w.file('totals.csv', [
      'order_id,ts,amount',
      'A1,2026-03-01 10:00,12.50',
      'A2,2026-03-01 11:00,12.345', // a third decimal place: storing 12.35 (or 12.34) would be a guess
      'A3,2026-03-01 12:00,12.3400', // trailing zeros lose nothing: 12.34
    ].join('\n') + '\n'));
    accounted(totals);
    expect(await orders(w)).toEqual([
      { order_id: 'A1', ts: '2026-03-01T10:00:00Z', amount: '12.50' },
      { order_id: 'A3', ts: '2026-03-01T12:00:00Z', amount: '12.34' },
    ]);
    expect(await rejects(w, totals.fileId)).toEqual([
      { line: 3, reason: "amount '12.345' has more than 2 decimal places (money is kept to the cent): it is not rounded" },
    ]);
    const lines = await w.ingest(w.file('lines.csv', [
      'order_id,ts,sku,quantity,unit_price',
      'B1,2026-03-02 10:00,PADS,1000,0.001', // 1000 × 0.001 = 1.00
      'B1,2026-03-02 10:00,RIBBON,2,1.23456', // five places: this line is a reject, and with it order B1
      'B2,2026-03-02 11:00,PADS,3,0.0015', // 3 × 0.0015 = 0.0045 → the line amount 0.00 (amounts round to the cent)
      'B2,2026-03-02 11:00,TAPE,1.5,2.5', // 1.5 × 2.50 = 3.75; B2 = 0.00 + 3.75
    ].join('\n') + '\n'));
    accounted(lines);
    expect(lines).toMatchObject({ rowsIn: 4, rowsLoaded: 2, rowsRejected: 2 });
    expect(await w.rows("select order_id, line::integer as line, sku, unit_price::varchar as price, amount::varchar as amount from order_items order by order_id, line")).toEqual([
      { order_id: 'B2', line: 1, sku: 'PADS', price: '0.0015', amount: '0.00' },
      { order_id: 'B2', line: 2, sku: 'TAPE', price: '2.5000', amount: '3.75' },
    ]);
    expect((await orders(w)).find((o) => o.order_id === 'B2')?.amount).toBe('3.75');
    expect(await rejects(w, lines.fileId)).toEqual([
      { line: 2, reason: 'another line of this order was rejected (an order is loaded with all its lines or not at all)' },
      { line: 3, reason: "unit_price '1.23456' has more than 4 decimal places (unit prices are kept to 4 places): it is not rounded" },
    ]);
  });
});

describe('headers as exports in other languages name them', () => {
  it('a German shop export (Bestellnummer, Bestelldatum, Kundennummer, Gesamtsumme, Währung) loads as sales', async () => {
    // Layout: a German-locale shop backend's order list exported to Excel-CSV (";", decimal comma,
    // dd.mm.yyyy); the same file with English headers is the WooCommerce case above
    const w = await warehouse();
    const s = await w.ingest(w.file('bestellungen.csv', [
      'Bestellnummer;Bestelldatum;Kundennummer;Gesamtsumme;Währung',
      '5001;25.02.2026 09:15;K-1;"2.499,00";EUR',
      '5002;01.03.2026 18:40;K-2;19,90;EUR',
      '5003;02.03.2026 07:05;K-1;1.000;EUR', // 1.000 alone is open; the column's 2.499,00 makes "." thousands
    ].join('\n') + '\n'));
    accounted(s);
    expect(s).toMatchObject({ kind: 'sales', rowsLoaded: 3, rowsRejected: 0 });
    expect(await orders(w)).toEqual([
      { order_id: '5001', ts: '2026-02-25T09:15:00Z', amount: '2499.00' },
      { order_id: '5002', ts: '2026-03-01T18:40:00Z', amount: '19.90' },
      { order_id: '5003', ts: '2026-03-02T07:05:00Z', amount: '1000.00' },
    ]);
    expect(await w.rows("select distinct customer_id, currency from orders order by 1")).toEqual([
      { customer_id: 'K-1', currency: 'EUR' },
      { customer_id: 'K-2', currency: 'EUR' },
    ]);
  });
});
