// Real data: a 10,000-request Apache combined log (semicomplete.com, May 2015).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isbot } from 'isbot';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const file = path.resolve('../shared/data/apache-combined/access.log');

describe('apache-combined access log', () => {
  let w: TempWarehouse;
  beforeAll(async () => {
    w = await tempWarehouse();
  });
  afterAll(async () => w.close());

  it('accounts for all 10,000 requests', async () => {
    const s = await w.ingest(file);
    expect(s).toMatchObject({ status: 'loaded', kind: 'web', format: 'access-log', profile: 'access-log', rowsIn: 10_000 });
    expect(s.rowsLoaded + s.rowsDuplicate + s.rowsRejected).toBe(10_000);
    expect(s.rowsRejected).toBe(0);
  });

  it('flags crawlers, feed readers, monitors and agent-less requests as bots (the count of an independent scan)', async () => {
    // the scan: each line's last quoted field is the agent (combined format); no agent or "-" is not a person
    let bots = 0;
    let googlebot = 0;
    let requests = 0;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      requests++;
      const agent = /"([^"]*)"\s*$/.exec(line)?.[1]?.trim() ?? '';
      if (agent.includes('Googlebot')) googlebot++;
      if (agent === '' || agent === '-' || isbot(agent)) bots++;
    }
    expect(requests).toBe(10_000);
    expect(googlebot).toBeGreaterThan(100);
    const [got] = await w.rows<{ bots: number; people: number }>(
      'select (count(*) filter (where is_bot))::integer as bots, (count(*) filter (where not is_bot))::integer as people from events');
    expect(got!.bots).toBe(bots);
    expect(got!.people).toBe(10_000 - bots);
  });

  it('decodes the 153 feedburner utm parameters from the URL', async () => {
    const rows = await w.rows<{ n: number; medium: string; campaign: string }>(`
      select count(*)::integer as n, min(utm_medium) as medium, min(utm_campaign) as campaign from events where utm_source = 'feedburner'`);
    expect(rows[0]).toEqual({ n: 153, medium: 'feed', campaign: 'Feed: semicomplete/main (semicomplete.com - Jordan Sissel)' });
  });

  it('stores no raw IP and forms sessions from the requests', async () => {
    const cols = await w.rows<{ column_name: string }>("select column_name from information_schema.columns where table_name = 'events'");
    expect(cols.map((c) => c.column_name)).not.toContain('ip');
    const [s] = await w.rows<{ sessions: number; unsessioned: number; assets: number }>(`
      select (select count(*) from sessions)::integer as sessions,
        (select count(*) from events where session_id is null)::integer as unsessioned,
        (select count(*) from events where event = 'asset')::integer as assets`);
    expect(s!.unsessioned).toBe(0);
    expect(s!.assets).toBeGreaterThan(0);
    // every session's events are from one visitor and no two events of a visitor 30+ minutes apart share a session
    const [gaps] = await w.rows<{ n: number }>(`
      select count(*)::integer as n from (
        select session_id, ts - lag(ts) over (partition by session_id order by ts) as gap from events
      ) where gap > interval 30 minutes`);
    expect(gaps!.n).toBe(0);
    const [sum] = await w.rows<{ n: number }>('select sum(events)::integer as n from sessions');
    expect(sum!.n).toBe(10_000);
    expect(s!.sessions).toBeGreaterThan(1000);
  });
});
