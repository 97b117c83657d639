// The config composed from its owners (bin/config.ts): queries/, ingest/ and server/ each own a disjoint
// set of keys; the empty config stays valid with every default as before; each owner's problems are
// explained by their path.
import { describe, expect, it } from 'vitest';
import { configSchema, resolveConfig } from '../../bin/config.ts';
import { ingestConfigShape } from '../../ingest/config.ts';
import { ConfigError, queriesConfigShape } from '../../queries/config.ts';
import { serverConfigShape } from '../../server/config.ts';

function problems(input: unknown): string[] {
  try {
    resolveConfig(input, 'test.json');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config composed by owner', () => {
  it('every key has exactly one owner, and the composed schema is their union', () => {
    const owners = [Object.keys(queriesConfigShape), Object.keys(ingestConfigShape), Object.keys(serverConfigShape)];
    const all = owners.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(Object.keys(configSchema.shape).sort()).toEqual([...all].sort());
    expect(Object.keys(serverConfigShape).sort()).toEqual(['auth', 'dashboards', 'smtp', 'snapshot', 'sql']);
    expect(Object.keys(ingestConfigShape).sort()).toEqual(['bot_user_agents', 'channels', 'date_order', 'inbox_dir', 'ingest', 'input_timezone', 'number_format', 'session_timeout_minutes', 'store_ip']);
  });

  it('the empty config is valid and keeps every default', () => {
    const c = resolveConfig({});
    expect(c).toMatchObject({
      timezone: 'UTC', input_timezone: 'UTC', week_start: 'monday', currency: 'GBP', conversion_window_days: 30, repurchase_window_days: 90,
      q4_mode: 'nested', brand_campaigns: { campaign_pattern: 'brand' }, tiers: { a: 0.5, b: 0.8 }, active_days: 90, lapsed_days: 180, churn_k: 2,
      number_format: 'decimal_point', date_order: 'mdy', session_timeout_minutes: 30, bot_user_agents: [], store_ip: false, inbox_dir: 'data/inbox',
      ingest: { max_upload_mb: 2048, max_decompressed_mb: 20_480 },
      auth: { tokens: [] }, sql: { timeout_seconds: 30, max_rows: 10_000, max_concurrent: 2 }, dashboards: { max_concurrent: 2, max_queue: 8, queue_timeout_seconds: 2 },
    });
    expect(Object.keys(c.stages)).toEqual(['exposed', 'visit', 'engaged', 'intent', 'purchase', 'repurchase']);
    expect(c.channels.map((r) => r.channel)).toEqual(['Advertising', 'Sales promotion', 'Direct marketing', 'Personal selling', 'Public relations', 'Feed', 'Organic search', 'Social', 'Referral']);
    expect(c.complaint_categories.S1).toBe('Other');
    expect(resolveConfig({ timezone: 'Europe/London' }).input_timezone).toBe('Europe/London'); // ingest's default follows the metrics' zone
  });

  it("explains a problem in each owner's keys by its path, all at once", () => {
    expect(problems({
      tiers: { a: 0.9, b: 0.5 }, // queries/config.ts
      session_timeout_minutes: '30', // ingest/config.ts
      ingest: { max_upload_mb: -1 },
      sql: { max_rows: 0 }, // server/config.ts
      auth: { tokens: [{ token: 'short', role: 'admin' }] },
      colour: 'blue',
    })).toEqual([
      'tiers.b: tiers.a must be below tiers.b',
      'session_timeout_minutes: Invalid input: expected number, received string',
      'ingest.max_upload_mb: Too small: expected number to be >0',
      'auth.tokens.0.token: tokens need at least 16 characters',
      'sql.max_rows: Too small: expected number to be >0',
      '(top level): unknown key "colour"',
    ]);
    // a check across keys of one owner: funnel steps must name known stages
    expect(problems({ funnels: { f: { steps: ['visit', 'nope'] } } })).toEqual([
      'funnels.f.steps: unknown stage "nope" (stages: exposed, visit, engaged, intent, purchase, repurchase; or use event:<type> / path:<pattern>)',
    ]);
  });
});
