// The analyst's side of SPEC §3: the v_* views with a comment on every column, and the funnel() and
// retention() table macros returning exactly what the API returns, on generated demo data.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../ingest/demo/index.ts';
import { installAnalystViews } from '../../queries/analyst-views.ts';
import { resolveConfig } from '../../bin/config.ts';
import { customerTiers } from '../../queries/customers.ts';
import { funnel } from '../../queries/funnel/funnel.ts';
import { keptRetentionBaseSql, retention, retentionBaseSql, retentionCellsSql } from '../../queries/retention.ts';
import { compileLiteral } from '../../queries/db/compile.ts';
import { sql } from 'kysely';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

describe('analyst views and macros', () => {
  let w: TempWarehouse;
  const config = resolveConfig({});
  beforeAll(async () => {
    w = await tempWarehouse();
    const manifest = await writeDemo({ outDir: path.join(w.dir, 'demo'), seed: 7, visitors: 900, days: 70, end: '2026-11-02', malformed: false });
    for (const f of manifest.files) await w.ingest(f.path);
    await installAnalystViews(w.db, config);
  });
  afterAll(async () => w?.close());

  it('every column of every v_* view has a description', async () => {
    const cols = await w.rows<{ view_name: string; columns: number; described: number }>(`
      select v.view_name, count(*)::integer as columns, count(c.comment)::integer as described
      from duckdb_views() v join duckdb_columns() c on c.table_name = v.view_name
      where v.view_name like 'v\\_%' escape '\\' group by 1 order by 1`);
    expect(cols.map((c) => c.view_name)).toEqual(['v_campaigns', 'v_complaints', 'v_customers', 'v_events', 'v_order_items', 'v_orders', 'v_sessions']);
    for (const c of cols) expect(c.described, c.view_name).toBe(c.columns);
  });

  it('FROM funnel(from, to) = GET /api/funnel for several periods', async () => {
    for (const [from, to] of [['2026-10-05', '2026-11-02'], ['2026-09-01', '2026-09-08'], ['2026-11-02', '2026-11-09']]) {
      const api = await funnel.execute({ db: w.db, config }, { from, to });
      const macro = await w.rows<{ step: string; label: string; count: number; rate_from_previous: number | null; rate_from_first: number | null; median_seconds_from_previous: number | null }>(
        `from funnel('${from}', '${to}')`,
      );
      expect(macro.map((m) => [m.step, m.label, m.count, m.rate_from_previous, m.rate_from_first, m.median_seconds_from_previous])).toEqual(
        api.steps.map((s) => [s.key, s.label, s.count, s.rateFromPrevious, s.rateFromFirst, s.medianSecondsFromPrevious]),
      );
    }
  });

  it('FROM retention(grain, mode) = GET /api/retention for both grains and all modes', async () => {
    for (const grain of ['month', 'week'] as const) {
      for (const mode of ['standard', 'rolling', 'first-repeat'] as const) {
        const api = await retention.execute({ db: w.db, config }, { grain, mode });
        const macro = await w.rows<{ cohort: string; size: number; k: number; customers: number; revenue: number; complete: boolean }>(
          `select cohort, size, k, customers, revenue, complete from retention(grain := '${grain}', mode := '${mode}') order by cohort_start, k`,
        );
        const cells = api.cohorts.flatMap((c) => c.periods.map((p) => [c.cohort, c.size, p.k, p.customers, p.revenue, p.complete]));
        expect(macro.map((m) => [m.cohort, m.size, m.k, m.customers, m.revenue, m.complete])).toEqual(cells);
        expect(cells.length).toBeGreaterThanOrEqual(10); // 4 monthly cohorts → 4+3+2+1 cells
      }
    }
  });

  it('the retention base kept by ingest gives the same matrix as recomputing it from the orders', async () => {
    for (const grain of ['month', 'week'] as const) {
      for (const mode of ['standard', 'rolling', 'first-repeat'] as const) {
        const live = await w.rows(compileLiteral(retentionCellsSql(config, { grain: sql.lit(grain), mode: sql.lit(mode) }, retentionBaseSql(config, sql.lit(grain)))));
        const kept = await w.rows(compileLiteral(retentionCellsSql(config, { grain: sql.lit(grain), mode: sql.lit(mode) }, keptRetentionBaseSql(sql.lit(grain)))));
        expect(kept).toEqual(live);
        expect(kept.length).toBeGreaterThanOrEqual(10);
      }
    }
  });

  it('v_customers carries the lifetime tiers of GET /api/customers/tiers?as_of', async () => {
    const asOf = '2026-11-02';
    const api = await customerTiers.execute({ db: w.db, config }, { as_of: asOf });
    const view = await w.rows<{ tier: string; customers: number; revenue: number }>(
      'select tier, count(*)::integer as customers, sum(revenue)::double as revenue from v_customers group by tier order by tier',
    );
    expect(view.map((v) => [v.tier, v.customers])).toEqual(api.tiers.map((t) => [t.tier, t.customers]));
    view.forEach((v, i) => expect(v.revenue).toBeCloseTo(api.tiers[i]!.revenue, 2));
  });
});
