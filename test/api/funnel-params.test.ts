// The funnel's parameters through the real app (issue 16 items 2–4, 6): steps as a repeated list with
// any event name, exclusions, windows with units, compare, time to convert as JSON and CSV — and a 400
// naming the parameter and what was expected for every bad one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

// v1: "step one, ten" 10:00 → finish 10:03 → refund 10:04; v2: "step one, ten" 10:00 → refund 10:01 → finish 10:02;
// v3: "step one, ten" 10:00 only. All on 2026-10-01.
const web = `event_id,ts,visitor_id,event
a1,2026-10-01T10:00:00Z,v1,"step one, ten"
a2,2026-10-01T10:03:00Z,v1,finish
a3,2026-10-01T10:04:00Z,v1,refund
b1,2026-10-01T10:00:00Z,v2,"step one, ten"
b2,2026-10-01T10:01:00Z,v2,refund
b3,2026-10-01T10:02:00Z,v2,finish
c1,2026-10-01T10:00:00Z,v3,"step one, ten"
`;
const base = 'from=2026-10-01&to=2026-10-02&step=event:step%20one%2C%20ten&step=event:finish';

describe('funnel parameters over HTTP', () => {
  let f: ServerFixture;
  beforeAll(async () => {
    f = await serverFixture();
    await f.ingest('web.csv', web);
  });
  afterAll(async () => f?.close());
  const get = (q: string, path = 'funnel') => f.app.request(`/api/${path}?${q}`);
  const errors = async (q: string, path = 'funnel') => {
    const res = await get(q, path);
    expect(res.status).toBe(400);
    return ((await res.json()) as { errors: { parameter: string; message: string }[] }).errors;
  };

  it('repeated step= keeps an event name with a comma; exclude= drops who refunded between the steps', async () => {
    const r = (await (await get(base)).json()) as { steps: { key: string; count: number }[] };
    // v1, v2, v3 did "step one, ten"; v1 and v2 then finish
    expect(r.steps.map((s) => [s.key, s.count])).toEqual([['event:step one, ten', 3], ['event:finish', 2]]);
    // v2 refunded between its two steps: dropped; v1's refund came after finishing
    const x = (await (await get(`${base}&exclude=event:refund@1-2`)).json()) as { steps: { count: number }[] };
    expect(x.steps.map((s) => s.count)).toEqual([2, 1]);
    // the same as a JSON array
    const j = (await (await get(`from=2026-10-01&to=2026-10-02&steps=${encodeURIComponent('["event:step one, ten","event:finish"]')}`)).json()) as { steps: { count: number }[] };
    expect(j.steps.map((s) => s.count)).toEqual([3, 2]);
    // window 2m: only v2's finish (2 min after) is inside; v1's is 3 min after
    const w = (await (await get(`${base}&window=2m`)).json()) as { steps: { count: number }[]; windowDays: number };
    expect(w.steps.map((s) => s.count)).toEqual([3, 1]);
    expect(w.windowDays).toBeCloseTo(2 / 1440, 12);
  });

  it('time to convert as JSON and CSV', async () => {
    const r = (await (await get(base, 'funnel/time-to-convert')).json()) as { pairs: { count: number; medianSeconds: number; bins: { fromSeconds: number; count: number }[] }[] };
    // v1 3 min, v2 2 min → median 150 s, both in [1 min, 5 min)
    expect(r.pairs.map((p) => [p.count, p.medianSeconds])).toEqual([[2, 150]]);
    expect(r.pairs[0]!.bins).toEqual([{ fromSeconds: 60, toSeconds: 300, count: 2 }]);
    const csv = await get(`${base}&format=csv`, 'funnel/time-to-convert');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('from_step,to_step,bin_from_seconds,bin_to_seconds,count,pair_count,median_seconds,mean_seconds,p90_seconds');
    expect(lines[1]).toBe('"event:step one, ten",event:finish,60,300,2,2,150,150,174');
  });

  it('a bad step, exclusion, window, mode or compare answers 400 naming it', async () => {
    expect(await errors('step=visit&step=nonsense')).toEqual([{ parameter: 'step', message: expect.stringMatching(/^step 2: unknown stage "nonsense"/) }]);
    expect((await errors('step=visit'))[0]).toMatchObject({ parameter: 'step', message: 'expected 2 to 10 steps (got 1)' });
    expect((await errors('step=visit&step=Bad%20Stage'))[0]).toMatchObject({ parameter: 'step', message: expect.stringMatching(/^step 2 "Bad Stage": expected a stage name, event:<type>, path:<pattern>/) });
    expect((await errors('steps=event:step%20one,%20ten,event:finish'))[0]!.message).toMatch(/step 2: unknown stage "ten".*step=<spec>/);
    expect((await errors('steps=%5B%22visit%22'))[0]).toMatchObject({ parameter: 'steps', message: expect.stringMatching(/JSON array/) });
    expect((await errors('steps=visit,engaged&step=visit&step=engaged'))[0]).toMatchObject({ parameter: 'step', message: expect.stringMatching(/not both/) });
    expect((await errors(`${base}&exclude=event:refund@2-1`))[0]).toMatchObject({ parameter: 'exclude', message: expect.stringMatching(/1 <= i < j <= 2/) });
    expect((await errors(`${base}&exclude=refund%20please`))[0]).toMatchObject({ parameter: 'exclude.0' });
    expect((await errors(`${base}&window=3w`))[0]).toMatchObject({ parameter: 'window', message: expect.stringMatching(/30m, 12h or 7d/) });
    expect((await errors(`${base}&window=3d&window_days=3`))[0]).toMatchObject({ parameter: 'window', message: expect.stringMatching(/not both/) });
    expect((await errors(`${base}&compare=lastweek`))[0]).toMatchObject({ parameter: 'compare', message: expect.stringMatching(/previous/) });
    expect((await errors(`${base}&mode=unordered`, 'funnel/time-to-convert'))[0]).toMatchObject({ parameter: 'mode', message: expect.stringMatching(/mode=ordered or mode=strict/) });
    expect((await errors(`${base}&mode=unordered&exclude=event:refund`))[0]).toMatchObject({ parameter: 'exclude' });
  });
});
