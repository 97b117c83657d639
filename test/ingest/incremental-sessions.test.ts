// A second file only reopens the stored sessions its events can change (within the 30-minute timeout
// of a visitor's new events, or named by session id): the result must be the same as loading both
// files as one, and the sessions it leaves alone must stay exactly as they were.
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
});
