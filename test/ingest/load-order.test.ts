// Derived tables do not depend on how the data arrives: the demo web log loaded whole, or split in two
// files loaded in either order (so the second file's visitors already have stored events and their
// sessions are recomputed), gives the same sessions, stage hits, funnel days and retention base.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../ingest/demo/index.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const snapshot = {
  sessions: 'select session_id, visitor_id, start_ts, end_ts, events, pageviews, landing_path, channel, is_bot from sessions order by all',
  events: 'select event_id, session_id, channel from events order by all',
  stageHits: 'select person_id, stage, ts from stage_hits order by all',
  personStages: 'select * from person_stages order by all',
  funnelDays: 'select * from funnel_days order by all',
  retentionBase: 'select * from retention_base order by all',
  personMap: 'select * from person_map order by all',
};

async function state(w: TempWarehouse): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [k, sql] of Object.entries(snapshot)) out[k] = await w.rows(sql);
  return out;
}

describe('load order', () => {
  const warehouses: TempWarehouse[] = [];
  let files: { web: string; orders: string; odd: string; even: string };
  beforeAll(async () => {
    const w = await tempWarehouse();
    warehouses.push(w);
    const manifest = await writeDemo({ outDir: path.join(w.dir, 'demo'), kinds: ['web', 'sales'], visitors: 600, days: 30, seed: 3, end: '2026-11-02', malformed: false });
    const web = manifest.files.find((f) => f.kind === 'web')!.path;
    const orders = manifest.files.find((f) => f.kind === 'sales')!.path;
    const [header, ...lines] = fs.readFileSync(web, 'utf8').trimEnd().split('\n');
    const odd = w.file('odd.csv', [header, ...lines.filter((_, i) => i % 2 === 1)].join('\n') + '\n');
    const even = w.file('even.csv', [header, ...lines.filter((_, i) => i % 2 === 0)].join('\n') + '\n');
    files = { web, orders, odd, even };
  });
  afterAll(async () => {
    for (const w of warehouses) await w.close();
  });

  it('whole, halves in one order, halves in the other order and orders first: identical derived tables', async () => {
    const runs = [
      [files.web, files.orders],
      [files.odd, files.orders, files.even],
      [files.orders, files.even, files.odd],
    ];
    const states = [];
    for (const run of runs) {
      const w = await tempWarehouse();
      warehouses.push(w);
      for (const f of run) expect((await w.ingest(f)).status).toBe('loaded');
      states.push(await state(w));
    }
    expect(states[0]!.sessions!.length).toBeGreaterThan(300);
    expect(states[0]!.stageHits!.length).toBeGreaterThan(1000);
    expect(states[0]!.funnelDays!.length).toBeGreaterThan(300);
    expect(states[0]!.retentionBase!.length).toBeGreaterThan(0);
    for (const key of Object.keys(snapshot)) {
      expect(states[1]![key], `${key}: halves`).toEqual(states[0]![key]);
      expect(states[2]![key], `${key}: orders first`).toEqual(states[0]![key]);
    }
  });
});
