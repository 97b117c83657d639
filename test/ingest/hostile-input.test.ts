// Hostile inputs through the real pipeline (SPEC §4 guarantees, §10): every row accounted for, rejects
// with the right 1-based line numbers, unreadable files refused whole, re-loads idempotent.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

let w: TempWarehouse;
beforeAll(async () => {
  w = await tempWarehouse();
});
afterAll(async () => w.close());

const header = 'event_id,ts,visitor_id,event,url';

describe('malformed rows', () => {
  it('puts each bad row in rejects with its line, even after a quoted field that spans lines', async () => {
    const file = w.file('web-bad.csv', [
      header, //                                                    line 1
      'a1,2026-10-01T10:00:00Z,v1,pageview,/', //                   line 2  ok
      'a2,2026-10-01T10:01:00Z,v1,pageview,"/multi', //             line 3  ok, field continues…
      'line"', //                                                   line 4  …to here
      'a3,not-a-date,v1,pageview,/', //                             line 5  bad ts
      'a4,2026-10-01T10:03:00Z,,pageview,/', //                     line 6  no visitor
      'a5,2026-10-01T10:04:00Z,v1,pageview,/,extra', //             line 7  too many columns
      'a6,2026-10-01T10:05:00Z,v2,pageview,/', //                   line 8  ok
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    expect(s.message).toBeUndefined();
    // 6 data records (a1..a6) on 7 lines: a1, a2, a6 load; a3, a4, a5 are rejected
    expect(s).toMatchObject({ status: 'loaded', rowsIn: 6, rowsLoaded: 3, rowsDuplicate: 0, rowsRejected: 3 });
    const rejects = await w.rows<{ line: number; raw: string; reason: string }>(`select line, raw, reason from rejects where file_id = ${s.fileId} order by line`);
    expect(rejects.map((r) => r.line)).toEqual([5, 6, 7]);
    expect(rejects[0]!.raw).toBe('a3,not-a-date,v1,pageview,/');
    expect(rejects[0]!.reason).toMatch(/^ts 'not-a-date' is not a timestamp/);
    expect(rejects[1]!.reason).toBe('visitor_id is empty (required)');
    expect(rejects[2]!.reason).toMatch(/malformed CSV row: TOO MANY COLUMNS/);
    const multi = await w.rows<{ url: string }>("select url from events where event_id = 'a2'");
    expect(multi[0]!.url).toBe('/multi\nline');
  });

  it('loads a row with a 1 MB field', async () => {
    const big = 'x'.repeat(1 << 20);
    const file = w.file('web-big.csv', `${header}\nb1,2026-10-02T10:00:00Z,v9,pageview,/${big}\nb2,2026-10-02T10:00:01Z,v9,pageview,/\n`);
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', rowsIn: 2, rowsLoaded: 2, rowsRejected: 0 });
    const [row] = await w.rows<{ n: number }>("select length(url)::integer as n from events where event_id = 'b1'");
    expect(row!.n).toBe((1 << 20) + 1);
  });
});

describe('encodings', () => {
  it('reads a GB18030 export with Chinese campaign names', async () => {
    const text = 'date,source,medium,campaign,impressions,cost\n2026-10-01,weibo,paid_social,双十一大促销,12000,350.50\n2026-10-01,baidu,cpc,品牌搜索广告,8000,120.00\n';
    const gb = encodeGb18030(text);
    expect(gb.includes(Buffer.from('双', 'utf8'))).toBe(false); // really not UTF-8
    const s = await w.ingest(w.file('campaigns-gb.csv', gb));
    expect(s).toMatchObject({ status: 'loaded', kind: 'campaigns', encoding: 'gb18030', rowsLoaded: 2 });
    const rows = await w.rows<{ campaign: string; cost: number }>(`select campaign, cost from campaigns where source_file = ${s.fileId} order by cost desc`);
    expect(rows).toEqual([{ campaign: '双十一大促销', cost: 350.5 }, { campaign: '品牌搜索广告', cost: 120 }]);
  });

  it('reads UTF-8 with BOM and CRLF line ends', async () => {
    const s = await w.ingest(w.file('bom.csv', `\uFEFF${header}\r\nc1,2026-10-03T10:00:00Z,v3,pageview,/\r\nc2,2026-10-03T10:00:05Z,v3,pageview,/b\r\n`));
    expect(s).toMatchObject({ status: 'loaded', rowsIn: 2, rowsLoaded: 2 });
    const rows = await w.rows<{ event_id: string; url: string }>("select event_id, url from events where event_id in ('c1', 'c2') order by 1");
    expect(rows).toEqual([{ event_id: 'c1', url: '/' }, { event_id: 'c2', url: '/b' }]);
  });

  it('reads UTF-16 with a BOM', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}\nd1,2026-10-04T10:00:00Z,v4,pageview,/ü\n`, 'utf16le')]);
    const s = await w.ingest(w.file('u16.csv', utf16));
    expect(s).toMatchObject({ status: 'loaded', encoding: 'utf-16le', rowsLoaded: 1 });
    expect((await w.rows<{ url: string }>("select url from events where event_id = 'd1'"))[0]!.url).toBe('/ü');
  });
});

describe('unreadable files are refused whole', () => {
  it('a truncated gzip fails with one line naming the file, and loads nothing', async () => {
    const full = zlib.gzipSync(Buffer.from(`${header}\n${Array.from({ length: 5000 }, (_, i) => `t${i},2026-10-05T10:00:00Z,v${i},pageview,/p${i}`).join('\n')}\n`));
    const file = w.file('truncated.csv.gz', full.subarray(0, Math.floor(full.length / 2)));
    const before = await w.rows<{ n: number }>('select count(*)::integer as n from events');
    const s = await w.ingest(file);
    expect(s.status).toBe('failed');
    expect(s.message).toMatch(/truncated\.csv\.gz: the gzip stream is truncated or damaged/);
    expect(s.message!.split('\n')).toHaveLength(1);
    expect(await w.rows('select count(*)::integer as n from events')).toEqual(before);
    expect(await w.rows(`select * from ingests where path like '%truncated%'`)).toEqual([]);
  });

  it('an empty file fails and says so', async () => {
    const s = await w.ingest(w.file('empty.csv', ''));
    expect(s).toMatchObject({ status: 'failed', rowsIn: 0 });
    expect(s.message).toMatch(/empty\.csv: is empty/);
  });

  it('a file of the wrong kind names the missing column', async () => {
    const s = await w.ingest(w.file('not-sales.csv', 'order_id,when_paid\n1,2026-10-01\n'), { kind: 'sales' });
    expect(s.status).toBe('failed');
    expect(s.message).toMatch(/not-sales\.csv: is not a sales file: missing column 'ts'/);
  });
});

describe('idempotence', () => {
  it('the same file twice is a no-op that says so', async () => {
    const file = w.file('twice.csv', `${header}\ne1,2026-10-06T10:00:00Z,v6,pageview,/\n`);
    expect((await w.ingest(file)).status).toBe('loaded');
    const again = await w.ingest(file);
    expect(again.status).toBe('skipped');
    expect(again.message).toMatch(/already loaded as file \d+/);
    expect(await w.rows("select count(*)::integer as n from events where event_id = 'e1'")).toEqual([{ n: 1 }]);
  });

  it('an overlapping re-export dedupes on event_id', async () => {
    const day1 = w.file('export-1.csv', `${header}\nf1,2026-10-07T10:00:00Z,v7,pageview,/\nf2,2026-10-07T11:00:00Z,v7,pageview,/\n`);
    const day12 = w.file('export-2.csv', `${header}\nf2,2026-10-07T11:00:00Z,v7,pageview,/\nf3,2026-10-08T10:00:00Z,v7,pageview,/\n`);
    await w.ingest(day1);
    const s = await w.ingest(day12);
    expect(s).toMatchObject({ rowsIn: 2, rowsLoaded: 1, rowsDuplicate: 1 });
    expect(await w.rows("select count(*)::integer as n from events where visitor_id = 'v7'")).toEqual([{ n: 3 }]);
  });

  it('an order going paid → refunded in a later file updates it (later status wins)', async () => {
    const h = 'order_id,ts,customer_id,amount,status';
    await w.ingest(w.file('orders-1.csv', `${h}\nr1,2026-10-01T09:00:00Z,c9,40.00,paid\nr2,2026-10-01T09:30:00Z,c9,15.00,paid\n`));
    const s = await w.ingest(w.file('orders-2.csv', `${h}\nr1,2026-10-01T09:00:00Z,c9,40.00,refunded\nr2,2026-10-01T09:30:00Z,c9,15.00,paid\n`));
    expect(s).toMatchObject({ rowsIn: 2, rowsLoaded: 1, rowsDuplicate: 1 });
    expect(await w.rows("select order_id, status from orders where customer_id = 'c9' order by 1")).toEqual([
      { order_id: 'r1', status: 'refunded' },
      { order_id: 'r2', status: 'paid' },
    ]);
  });
});

describe('timestamps', () => {
  it('an offset and epoch milliseconds give the same instant', async () => {
    const file = w.file('instants.csv', `${header}\ng1,2026-10-09T12:00:00+02:00,v8,pageview,/\ng2,1791540000000,v8,pageview,/x\ng3,09/Oct/2026:10:00:00 +0000,v8,pageview,/y\ng4,10/9/26 10:00,v8,pageview,/z\ng5,2026-10-09 10:00:00,v8,pageview,/w\ng6,1791540000,v8,pageview,/v\n`);
    const s = await w.ingest(file);
    expect(s.rowsLoaded).toBe(6);
    const rows = await w.rows<{ ts: Date }>("select ts from events where visitor_id = 'v8' order by event_id");
    // 12:00 at +02:00 = 10:00Z; 1791540000000 ms and 1791540000 s = 2026-10-09T10:00:00Z; the CLF form
    // says +0000; M/D/YY H:MM and YYYY-MM-DD HH:MM:SS have no offset and are read in input_timezone (UTC)
    expect(rows.map((r) => r.ts.toISOString())).toEqual(Array(6).fill('2026-10-09T10:00:00.000Z'));
  });

  it('times without an offset are read in input_timezone (across the DST change)', async () => {
    const london = await tempWarehouse({ input_timezone: 'Europe/London' });
    try {
      const s = await london.ingest(london.file('local.csv', `${header}\nh1,2026-10-24 12:00:00,v9,pageview,/\nh2,10/26/26 12:00,v9,pageview,/\n`));
      expect(s.rowsLoaded).toBe(2);
      // BST (+01:00) until 25 October 2026, GMT after
      expect((await london.rows<{ ts: Date }>('select ts from events order by ts')).map((r) => r.ts.toISOString())).toEqual([
        '2026-10-24T11:00:00.000Z',
        '2026-10-26T12:00:00.000Z',
      ]);
    } finally {
      await london.close();
    }
  });
});

function encodeGb18030(text: string): Buffer {
  // Node has no GB18030 encoder: invert the decoder over the two-byte range.
  const table = new Map<string, Buffer>();
  const decoder = new TextDecoder('gb18030');
  for (let b1 = 0x81; b1 <= 0xfe; b1++) {
    for (let b2 = 0x40; b2 <= 0xfe; b2++) {
      if (b2 === 0x7f) continue;
      const bytes = Buffer.from([b1, b2]);
      const ch = decoder.decode(bytes);
      if (ch.length === 1 && !table.has(ch)) table.set(ch, bytes);
    }
  }
  return Buffer.concat([...text].map((ch) => {
    if (ch.charCodeAt(0) < 0x80) return Buffer.from(ch);
    const bytes = table.get(ch);
    if (!bytes) throw new Error(`no two-byte GB18030 code for ${ch}`);
    return bytes;
  }));
}
