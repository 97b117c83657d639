// Date presets (issue 19 item 9): each preset's from/to counted back from the last day with data, by
// hand below; through the API (period echoed, revenue summed over the right orders), and the 400s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetRange } from '../../queries/shared/presets.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

// the last order is on Wednesday 2026-11-04 (UTC): that day is "today" for every preset
const orders = `order_id,ts,customer_id,amount,status,country
o1,2026-01-05T10:00:00Z,A,100.00,paid,DE
o2,2026-10-20T10:00:00Z,B,50.00,paid,DE
o3,2026-10-30T10:00:00Z,C,20.00,paid,FR
o4,2026-11-02T10:00:00Z,D,7.00,paid,FR
o5,2026-11-04T10:00:00Z,E,3.00,paid,FR
`;

describe('presetRange (anchor Wednesday 2026-11-04, first day 2026-01-05)', () => {
  const range = (p: Parameters<typeof presetRange>[0], weekStart: 'monday' | 'sunday' = 'monday') => presetRange(p, '2026-11-04', '2026-01-05', weekStart);
  it.each([
    ['today', '2026-11-04', '2026-11-05'],
    ['yesterday', '2026-11-03', '2026-11-04'],
    ['this-week', '2026-11-02', '2026-11-05'], // Monday 2 Nov to Wednesday included
    ['last-week', '2026-10-26', '2026-11-02'], // Monday 26 Oct to Sunday 1 Nov
    ['this-month', '2026-11-01', '2026-11-05'],
    ['last-month', '2026-10-01', '2026-11-01'],
    ['quarter-to-date', '2026-10-01', '2026-11-05'], // Q4 begins in October
    ['year-to-date', '2026-01-01', '2026-11-05'],
    ['last-7-days', '2026-10-29', '2026-11-05'], // 29, 30, 31 Oct, 1, 2, 3, 4 Nov
    ['last-28-days', '2026-10-08', '2026-11-05'],
    ['last-90-days', '2026-08-07', '2026-11-05'], // 7–31 Aug (25 days) + 30 Sep + 31 Oct + 1–4 Nov = 90 days
    ['all', '2026-01-05', '2026-11-05'],
  ] as const)('%s is %s to %s (exclusive)', (preset, from, to) => {
    expect(range(preset)).toEqual({ from, to });
  });

  it('a Sunday week start moves this and last week back to Sunday 1 Nov and 25 Oct', () => {
    expect(range('this-week', 'sunday')).toEqual({ from: '2026-11-01', to: '2026-11-05' });
    expect(range('last-week', 'sunday')).toEqual({ from: '2026-10-25', to: '2026-11-01' });
  });

  it('January: last month is December of the year before, and quarter to date starts on 1 January', () => {
    expect(presetRange('last-month', '2027-01-15', '2026-01-05', 'monday')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    expect(presetRange('quarter-to-date', '2027-03-31', '2026-01-05', 'monday')).toEqual({ from: '2027-01-01', to: '2027-04-01' });
  });
});

describe('preset through the API', () => {
  let f: ServerFixture;
  beforeAll(async () => {
    f = await serverFixture();
    expect((await f.ingest('orders.csv', orders)).status).toBe('loaded');
  });
  afterAll(async () => f.close());

  const get = async (qs: string) => {
    const res = await f.app.request(`/api/countries?${qs}`);
    return { status: res.status, body: (await res.json()) as { period?: { from: string; to: string }; totals?: { revenue: number; orders: number }; errors?: { parameter: string; message: string }[] } };
  };

  it('last-week is Monday 26 Oct to Sunday 1 Nov: o3 only (20.00)', async () => {
    const { status, body } = await get('preset=last-week');
    expect(status).toBe(200);
    expect(body.period).toEqual({ from: '2026-10-26', to: '2026-11-02' });
    expect(body.totals).toMatchObject({ revenue: 20, orders: 1 });
  });

  it('this-month is 1–4 Nov: o4 + o5 = 10.00; all data is every order, 180.00', async () => {
    expect((await get('preset=this-month')).body.totals).toMatchObject({ revenue: 10, orders: 2 });
    const all = (await get('preset=all')).body;
    expect(all.period).toEqual({ from: '2026-01-05', to: '2026-11-05' });
    expect(all.totals).toMatchObject({ revenue: 180, orders: 5 });
  });

  it('the same preset for retention: cohorts of first orders this month are D and E (one cohort, 2026-11, of 2)', async () => {
    const res = await f.app.request('/api/retention?preset=this-month');
    const body = (await res.json()) as { cohorts: { cohort: string; size: number }[] };
    expect(body.cohorts.map((c) => [c.cohort, c.size])).toEqual([['2026-11', 2]]);
  });

  it('an unknown preset is a 400 naming preset and the presets', async () => {
    const { status, body } = await get('preset=last-fortnight');
    expect(status).toBe(400);
    expect(body.errors![0]!.parameter).toBe('preset');
    expect(JSON.stringify(body)).toContain('last-week');
  });

  it('a preset with from/to is a 400 naming preset', async () => {
    const { status, body } = await get('preset=last-week&from=2026-10-01');
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ parameter: 'preset', message: expect.stringContaining('either preset or from/to') })]);
  });
});
