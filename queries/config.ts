// The part of aida.config.json the metrics read (calendar, stages, funnels, windows, tiers...): its zod
// shape with every default, and ConfigError for every owner's problems. bin/config.ts composes it with
// ingest/config.ts and server/config.ts into the one schema `aida config check` validates.
import fs from 'node:fs';
import { z } from 'zod';

export const stringList = z.array(z.string().min(1));

/** A stage is a rule over a person's events and orders (SPEC §5.1); any matching clause qualifies. */
export const stageRule = z
  .object({
    label: z.string().optional(),
    events: stringList.optional().describe('event type names (case-insensitive)'),
    paths: stringList.optional().describe('URL path patterns; * matches any characters'),
    pageview: z.boolean().optional().describe('any pageview (non-asset, non-bot request, or a pageview event)'),
    session_min_pageviews: z.number().int().positive().optional(),
    session_min_seconds: z.number().positive().optional(),
    valid_order: z.boolean().optional().describe('has a valid order'),
    min_valid_orders: z.number().int().positive().optional(),
  })
  .strict();
export type StageRule = z.infer<typeof stageRule>;

export const defaultStages: Record<string, StageRule> = {
  exposed: { label: 'Exposed', events: ['impression'] },
  visit: { label: 'Visit', pageview: true, events: ['pageview', 'page_view', 'session_start'] },
  engaged: {
    label: 'Engaged',
    events: ['product_view', 'view_item', 'view', 'search', 'signup', 'lead'],
    session_min_pageviews: 2,
    session_min_seconds: 60,
  },
  intent: {
    label: 'Intent',
    events: ['add_to_cart', 'cart', 'addtocart', 'begin_checkout', 'checkout', 'lead', 'quote_request'],
  },
  purchase: { label: 'Purchase', valid_order: true, events: ['purchase', 'transaction'] },
  repurchase: { label: 'Repurchase', min_valid_orders: 2 },
};

const tierShares = z
  .object({ a: z.number().gt(0).lt(1).default(0.5), b: z.number().gt(0).lt(1).default(0.8) })
  .strict()
  .refine((t) => t.a < t.b, { message: 'tiers.a must be below tiers.b', path: ['b'] });

const funnelDef = z
  .object({
    label: z.string().optional(),
    steps: z.array(z.string().min(1)).min(2).max(10).describe('stage names, or event:<type>, or path:<pattern>'),
    window_days: z.number().positive().optional(),
    mode: z.enum(['ordered', 'strict', 'any-order', 'unordered']).optional(),
  })
  .strict();

export const ianaZone = z.string().refine(isTimeZone, { message: 'expected an IANA time zone such as "Europe/London" or "UTC"' });

/** The metrics' keys (SPEC §5): shared by ingest's derived tables where they follow the same rules. */
export const queriesConfigShape = {
  timezone: ianaZone.default('UTC'),
  week_start: z.enum(['monday', 'sunday']).default('monday'),
  currency: z.string().length(3).default('GBP'),
  stages: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'stage names are lower_snake_case'), stageRule).default({}),
  funnels: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), funnelDef).default({}),
  conversion_window_days: z.number().positive().default(30),
  repurchase_window_days: z.number().positive().default(90),
  q4_mode: z.enum(['nested', 'independent']).default('nested'),
  brand_campaigns: z
    .object({ campaign_pattern: z.string().default('brand'), medium_pattern: z.string().optional() })
    .strict()
    .default({ campaign_pattern: 'brand' }),
  audience: z
    .union([z.number().int().positive(), z.record(z.string().regex(/^\d{4}-\d{2}$/, 'months as YYYY-MM'), z.number().int().positive())])
    .optional()
    .describe('Q0 surfers: a constant or per month (YYYY-MM → people)'),
  tiers: tierShares.default({ a: 0.5, b: 0.8 }),
  active_days: z.number().int().positive().default(90),
  lapsed_days: z.number().int().positive().default(180),
  churn_k: z.number().positive().default(2),
  complaint_categories: z.record(z.string(), z.string()).optional(),
};

type ParsedQueriesConfig = z.infer<z.ZodObject<typeof queriesConfigShape>>;

/** What the metrics read, every derived default filled in. */
export interface Config extends Omit<ParsedQueriesConfig, 'stages' | 'complaint_categories'> {
  stages: Record<string, StageRule>;
  complaint_categories: Record<string, string>;
}

export const defaultComplaintCategories: Record<string, string> = {
  O1: 'Order/system operation error',
  R1: 'Late or wrong reports',
  W1: 'Warehouse wrong/short shipment or receipt',
  W2: 'Poor storage conditions',
  W3: 'Rough handling',
  W4: 'Packaging not as required',
  W5: 'Picking error',
  T1: 'Staff attitude/communication',
  Y1: 'Late dispatch/transport delay',
  Y2: 'Accident not reported in time',
  Y3: 'Wrong vehicle type',
  Y4: 'Wrong delivery address',
  Y5: 'Damage/loss/return in delivery',
  Y6: 'Driver attitude/no door-to-door',
  Y7: 'Poor vehicle condition',
  L1: 'Goods lost/damaged',
  S1: 'Other',
};

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}


export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The metrics' keys resolved: the default stages under the configured ones, every funnel step known. */
export function resolveQueriesConfig(c: ParsedQueriesConfig, file: string): Config {
  const stages = { ...defaultStages, ...c.stages };
  for (const [name, funnel] of Object.entries(c.funnels)) {
    for (const step of funnel.steps) {
      if (!step.includes(':') && !stages[step]) {
        throw new ConfigError(file, [`funnels.${name}.steps: unknown stage "${step}" (stages: ${Object.keys(stages).join(', ')}; or use event:<type> / path:<pattern>)`]);
      }
    }
  }
  return { ...c, stages, complaint_categories: c.complaint_categories ?? defaultComplaintCategories };
}
