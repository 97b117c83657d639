// The shortcuts of the fused ingest, each against what it stands for: a second file only reopens the
// stored sessions its events can change (within the 30-minute timeout of a visitor's new events, or
// named by session id), so it must sessionise as both files loaded as one; only repeated event ids are
// sorted to keep their first row; a server log hashes each distinct (IP, user agent) once and numbers
// only repeated lines.
import { afterAll, describe, expect, it } from 'vitest';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const header = 'event_id,ts,visitor_id,session_id,event,url,utm_source,utm_medium';
// file A: v1 has sessions starting 10:00 (10:00, 10:10), 12:00, 15:00 and the next day 09:00;
// v2 one at 09:00; v3 a session the export names g1.
const fileA = [
  'a1,2026-10-05T10:00:00Z,v1,,pageview,https://shop.example/,,',
  'a2,2026-10-05T10:10:00Z,v1,,pageview,https://shop.example/p/1,,',
  'a3,2026-10-05T12:00:00Z,v1,,pageview,https://shop.example/p/2,,',
  'a4,2026-10-05T15:00:00Z,v1,,pageview,https://shop.example/p/3,,',
  'a5,2026-10-06T09:00:00Z,v1,,pageview,https://shop.example/,,',
  'a6,2026-10-05T09:00:00Z,v2,,pageview,https://shop.example/,,',
  'a7,2026-10-05T08:00:00Z,v3,g1,pageview,https://shop.example/,,',
];
// file B, for v1: 10:35 (25 min after 10:10: extends the 10:00 session), 11:40 (65 min after 10:35, 20
// min before 12:00: starts the session that 12:00 now belongs to, landing on an email link), 14:45 (15
// min before 15:00: that session now starts at 14:45) and 18:00 (a session of its own); for v3 a later
// event of session g1. v2 and v1's next-day session are not within 30 minutes of anything new.
const fileB = [
  'b1,2026-10-05T10:35:00Z,v1,,pageview,https://shop.example/p/4,,',
  'b2,2026-10-05T11:40:00Z,v1,,pageview,https://shop.example/?x=1,newsletter,email',
  'b3,2026-10-05T14:45:00Z,v1,,pageview,https://shop.example/p/5,,',
  'b4,2026-10-05T18:00:00Z,v1,,pageview,https://shop.example/p/6,,',
  'b5,2026-10-05T09:30:00Z,v3,g1,pageview,https://shop.example/p/7,,',
];

// by hand from the timeline above (session id = 's:' visitor ':' start, UTC):
const expectedSessions = [
  { session_id: 'g1', visitor_id: 'v3', events: 2, start: '2026-10-05T08:00:00.000Z', end: '2026-10-05T09:30:00.000Z', channel: 'Direct' },
  { session_id: 's:v1:20261005T100000', visitor_id: 'v1', events: 3, start: '2026-10-05T10:00:00.000Z', end: '2026-10-05T10:35:00.000Z', channel: 'Direct' },
  { session_id: 's:v1:20261005T114000', visitor_id: 'v1', events: 2, start: '2026-10-05T11:40:00.000Z', end: '2026-10-05T12:00:00.000Z', channel: 'Direct marketing' },
  { session_id: 's:v1:20261005T144500', visitor_id: 'v1', events: 2, start: '2026-10-05T14:45:00.000Z', end: '2026-10-05T15:00:00.000Z', channel: 'Direct' },
  { session_id: 's:v1:20261005T180000', visitor_id: 'v1', events: 1, start: '2026-10-05T18:00:00.000Z', end: '2026-10-05T18:00:00.000Z', channel: 'Direct' },
  { session_id: 's:v1:20261006T090000', visitor_id: 'v1', events: 1, start: '2026-10-06T09:00:00.000Z', end: '2026-10-06T09:00:00.000Z', channel: 'Direct' },
  { session_id: 's:v2:20261005T090000', visitor_id: 'v2', events: 1, start: '2026-10-05T09:00:00.000Z', end: '2026-10-05T09:00:00.000Z', channel: 'Direct' },
];

const sessionsSql = `select session_id, visitor_id, events, strftime(start_ts at time zone 'UTC', '%Y-%m-%dT%H:%M:%S.000Z') as start,
  strftime(end_ts at time zone 'UTC', '%Y-%m-%dT%H:%M:%S.000Z') as "end", channel from sessions order by session_id`;
const eventsSql = 'select event_id, session_id, channel from events order by event_id';

describe('a second file extends stored sessions', () => {
  const warehouses: TempWarehouse[] = [];
  afterAll(async () => {
    for (const w of warehouses) await w.close();
  });

  it('sessionises A then B exactly as A and B in one file, and leaves the sessions B cannot reach', async () => {
    const split = await tempWarehouse();
    const whole = await tempWarehouse();
    warehouses.push(split, whole);
    expect((await split.ingest(split.file('a.csv', [header, ...fileA].join('\n') + '\n'))).rowsLoaded).toBe(7);
    const before = await split.rows<{ session_id: string }>(sessionsSql);
    expect(before.map((s) => s.session_id)).toEqual(['g1', 's:v1:20261005T100000', 's:v1:20261005T120000', 's:v1:20261005T150000', 's:v1:20261006T090000', 's:v2:20261005T090000']);
    expect((await split.ingest(split.file('b.csv', [header, ...fileB].join('\n') + '\n'))).rowsLoaded).toBe(5);
    expect((await whole.ingest(whole.file('ab.csv', [header, ...fileA, ...fileB].join('\n') + '\n'))).rowsLoaded).toBe(12);

    const sessions = await split.rows(sessionsSql);
    expect(sessions).toEqual(expectedSessions);
    expect(await whole.rows(sessionsSql)).toEqual(expectedSessions);
    // every stored event carries its new session and that session's channel (a3 now lands via the email link)
    const events = await split.rows<{ event_id: string; session_id: string; channel: string }>(eventsSql);
    expect(events).toEqual(await whole.rows(eventsSql));
    expect(events.find((e) => e.event_id === 'a3')).toEqual({ event_id: 'a3', session_id: 's:v1:20261005T114000', channel: 'Direct marketing' });
    expect(events.find((e) => e.event_id === 'a4')!.session_id).toBe('s:v1:20261005T144500');
  });

  it('keeps the first row of an event id repeated in a file, and counts the others as duplicates', async () => {
    const w = await tempWarehouse();
    warehouses.push(w);
    // e1 three times (rows 2, 3, 5 of the file), e2 once, e3 twice: 6 rows, 3 loaded, 3 duplicates
    const file = w.file('dups.csv', [
      'event_id,ts,visitor_id,event,url',
      'e1,2026-10-05T10:00:00Z,v1,pageview,https://shop.example/first',
      'e1,2026-10-05T10:01:00Z,v1,pageview,https://shop.example/second',
      'e2,2026-10-05T10:02:00Z,v1,pageview,https://shop.example/e2',
      'e1,2026-10-05T10:03:00Z,v1,pageview,https://shop.example/third',
      'e3,2026-10-05T10:04:00Z,v2,pageview,https://shop.example/e3-first',
      'e3,2026-10-05T10:05:00Z,v2,pageview,https://shop.example/e3-second',
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    expect([s.rowsIn, s.rowsLoaded, s.rowsDuplicate, s.rowsRejected]).toEqual([6, 3, 3, 0]);
    expect(await w.rows('select event_id, url from events order by event_id')).toEqual([
      { event_id: 'e1', url: 'https://shop.example/first' },
      { event_id: 'e2', url: 'https://shop.example/e2' },
      { event_id: 'e3', url: 'https://shop.example/e3-first' },
    ]);
  });

  it('a server log: one visitor per (IP, user agent), identical lines are separate requests with ids by occurrence', async () => {
    const w = await tempWarehouse();
    warehouses.push(w);
    const line = (ip: string, ua: string, t: string, url: string) => `${ip} - - [05/Oct/2026:${t} +0000] "GET ${url} HTTP/1.1" 200 512 "-" "${ua}"`;
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
    const safari = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
    const repeated = line('10.0.0.1', firefox, '10:00:00', '/a');
    // lines 1, 2 and 4 are the same text: three requests. Clients: (10.0.0.1, firefox) lines 1-4,
    // (10.0.0.1, safari) line 5, (10.0.0.2, firefox) line 6: three visitors.
    const file = w.file('access.log', [repeated, repeated, line('10.0.0.1', firefox, '10:01:00', '/b'), repeated, line('10.0.0.1', safari, '10:02:00', '/c'), line('10.0.0.2', firefox, '10:03:00', '/d')].join('\n') + '\n');
    const s = await w.ingest(file);
    expect([s.rowsIn, s.rowsLoaded, s.rowsDuplicate]).toEqual([6, 6, 0]);
    const visitors = await w.rows<{ path: string; visitor_id: string }>('select path, visitor_id from events order by ts, event_id');
    expect(new Set(visitors.map((v) => v.visitor_id)).size).toBe(3);
    expect(new Set(visitors.filter((v) => v.path === '/a' || v.path === '/b').map((v) => v.visitor_id)).size).toBe(1);
    // the id of occurrence k of a line is md5(text || '#' || k) (ingest/line-ids.ts)
    const ids = await w.rows<{ n: number }>(`select count(*)::integer as n from events where event_id in (md5('${repeated}' || '#1'), md5('${repeated}' || '#2'), md5('${repeated}' || '#3'))`);
    expect(ids[0]!.n).toBe(3);
    // the same lines with one more copy of the repeated one appended: only that copy (occurrence 4) is new
    const more = w.file('access-more.log', [repeated, repeated, line('10.0.0.1', firefox, '10:01:00', '/b'), repeated, line('10.0.0.1', safari, '10:02:00', '/c'), line('10.0.0.2', firefox, '10:03:00', '/d'), repeated].join('\n') + '\n');
    const again = await w.ingest(more);
    expect([again.rowsIn, again.rowsLoaded, again.rowsDuplicate]).toEqual([7, 1, 6]);
  });
});
