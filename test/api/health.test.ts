// GET /api/health through the real Hono app on a real DuckDB file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../bin/config.ts';
import { createApp } from '../../server/app.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

describe('GET /api/health', () => {
  let w: TempWarehouse;
  beforeAll(async () => {
    w = await tempWarehouse();
    await w.ingest(w.file('o.csv', 'order_id,ts,customer_id,amount\n1,2026-10-01T10:00:00Z,c1,10\n2,2026-10-02T10:00:00Z,c1,12\n'));
  });
  afterAll(async () => w.close());

  it('reports counts and the data version', async () => {
    const app = createApp({ db: w.db, config: resolveConfig({}) });
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', counts: { events: 0, orders: 2, campaigns: 0, complaints: 0 } });
    expect(body.dataVersion).toMatch(/^1-\d{14}$/);
    // one kind loaded: its first and last order; the other kinds have no range
    expect(body.ranges).toEqual({ web: null, sales: { first: '2026-10-01T10:00:00.000Z', last: '2026-10-02T10:00:00.000Z' }, campaigns: null, complaints: null });
  });
});
