// The funnel in every mode against the independent oracle (test/oracle/oracle.ts, an exhaustive search
// written from the README's rules) on a seeded random fixture dense with repeats, out-of-order and
// same-instant events: ordered, strict, any-order, unordered, exclusions and windows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { funnel } from '../../queries/funnel/funnel.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';
import { oracleEventFunnel, type OracleEvent } from './oracle.ts';

/** mulberry32: a small seeded generator, so a failure can be replayed */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const types = ['a', 'b', 'c', 'x', 'refund'];
const day0 = Date.parse('2026-10-01T00:00:00Z');
const rnd = random(16);
const persons = new Map<string, OracleEvent[]>();
let n = 0;
for (let p = 0; p < 80; p++) {
  const events: OracleEvent[] = [];
  const base = day0 + Math.floor(rnd() * 9) * 86_400_000 - 86_400_000; // 09-30 … 10-08: some before and after the period
  for (let i = 0, m = 2 + Math.floor(rnd() * 8); i < m; i++) {
    // 10-minute slots over 6 hours: many same-instant pairs; now and then a day later
    const ts = base + Math.floor(rnd() * 36) * 600_000 + (rnd() < 0.1 ? 86_400_000 : 0);
    events.push({ id: `e${String(n++).padStart(4, '0')}`, ts, type: types[Math.floor(rnd() * (rnd() < 0.8 ? 3 : 5))]! });
  }
  persons.set(`p${p}`, events);
}
const csv = `event_id,ts,visitor_id,event\n${[...persons].flatMap(([p, es]) => es.map((e) => `${e.id},${new Date(e.ts).toISOString()},${p},${e.type}`)).join('\n')}\n`;

const period = { from: '2026-10-01', to: '2026-10-08' };
const funnels = [['a', 'b', 'c'], ['a', 'a'], ['a', 'b', 'a'], ['b', 'a'], ['a', 'a', 'a'], ['c', 'b', 'a', 'c']];
const windows: [string, number][] = [['30m', 1_800_000], ['2h', 7_200_000], ['1d', 86_400_000]];
const modes = ['ordered', 'strict', 'any-order', 'unordered'] as const;

describe('event funnels in every mode = the oracle', () => {
  let w: TempWarehouse;
  const config = resolveConfig({});
  beforeAll(async () => {
    w = await tempWarehouse();
    await w.ingest(w.file('web.csv', csv));
  });
  afterAll(async () => w?.close());

  it.each(modes)('%s', async (mode) => {
    let compared = 0;
    for (const steps of funnels) {
      for (const [window, windowMs] of windows) {
        const got = (await funnel.execute({ db: w.db, config }, { ...period, step: steps.map((s) => `event:${s}`), mode, window })).steps.map((s) => s.count);
        const want = oracleEventFunnel(persons, { mode, steps, windowMs, from: Date.parse(`${period.from}T00:00:00Z`), to: Date.parse(`${period.to}T00:00:00Z`) });
        expect({ steps, window, counts: got }).toEqual({ steps, window, counts: want });
        if (want[0]! > 0) compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it.each(['ordered', 'strict'] as const)('%s with exclusion steps', async (mode) => {
    for (const [steps, exclude] of [[['a', 'b', 'c'], 'refund@1-2'], [['a', 'b', 'c'], 'x@2-3'], [['a', 'b'], 'refund@1-2'], [['a', 'a', 'b'], 'x@1-3']] as const) {
      const [type, range] = exclude.split('@') as [string, string];
      const [from, to] = range.split('-').map(Number) as [number, number];
      const got = (await funnel.execute({ db: w.db, config }, { ...period, step: steps.map((s) => `event:${s}`), mode, window: '2h', exclude: [`event:${exclude}`] })).steps.map((s) => s.count);
      const want = oracleEventFunnel(persons, { mode, steps: [...steps], windowMs: 7_200_000, from: Date.parse(`${period.from}T00:00:00Z`), to: Date.parse(`${period.to}T00:00:00Z`), exclusions: [{ type, from, to }] });
      expect({ steps, exclude, counts: got }).toEqual({ steps, exclude, counts: want });
    }
  });
});
