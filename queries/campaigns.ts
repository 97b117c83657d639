// Campaign economics (SPEC §5.6): the campaigns log per (source, medium, campaign) joined to the visits
// and valid orders that carry the campaign's utm tags: cost, reach, clicks, CTR, CPC, visits,
// purchasers, revenue, CPA, ROAS, brand vs direct-response, and the I-chain per campaign.
import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery, rows } from './define.ts';
import { chain, efficiencyChains, type Chain } from './efficiency.ts';
import { campaignKindSql } from './shared/brand.ts';
import { validOrderSql } from './shared/orders.ts';
import { orderPerson, visitorPerson } from './shared/persons.ts';
import { metricKinds, resolvePeriod } from './shared/data-range.ts';
import { sumMoney } from './shared/money.ts';
import { checkPeriod, isoDate, periodParams } from './shared/period.ts';
import { note, noteOf, notes as notesResult, type Note } from './shared/notes.ts';
import { pageResult, wholeList } from './shared/page.ts';
import { rate, rateResult, type Rate } from './shared/rates.ts';

const campaignKinds = ['brand', 'direct-response'] as const;
export type CampaignKind = (typeof campaignKinds)[number];

/** The fields of a row whose value can be missing, each with the reason it is null. */
const reasonFields = ['cost', 'ctr', 'cpc', 'cpa', 'roas'] as const;
type ReasonField = (typeof reasonFields)[number];

/** The money and traffic columns of a row, a subtotal and the total. */
const economicsResult = z.object({
  cost: z.number().nullable(),
  impressions: z.number().nonnegative().nullable(),
  reach: z.number().nonnegative().nullable().describe('Σ daily reach: over-counts people reached on several days (an estimate)'),
  clicks: z.number().nonnegative().nullable(),
  ctr: rateResult.nullable(),
  cpc: z.number().nullable(),
  visits: z.number().int().nonnegative(),
  visitors: z.number().int().nonnegative(),
  orders: z.number().int().nonnegative(),
  purchasers: z.number().int().nonnegative(),
  revenue: z.number(),
  cpa: z.number().nullable(),
  roas: z.number().nullable(),
  reasons: z.partialRecord(z.enum(reasonFields), note).describe('why a ratio (or cost) is null, by field name'),
});
export type Economics = z.infer<typeof economicsResult>;

/** The I-chain of a campaign name: efficiency.ts's own result schema. */
const chainResult = chain;

const campaignRow = economicsResult
  .extend({
    source: z.string(),
    medium: z.string(),
    campaign: z.string(),
    brand: z.boolean(),
    inLog: z.boolean().describe('false: seen only in utm tags of visits/orders, never in the campaigns log'),
    logDays: z.number().int().nonnegative().describe('days with a log row in the period'),
    currency: z.string().nullable(),
    iChain: chainResult.nullable().describe('Q0–Q5 / I1–I5 of the persons attributed (first touch) to this campaign name; null with iChainReason'),
    iChainReason: note.optional(),
  })
  .strict();
export type CampaignRow = z.infer<typeof campaignRow>;

const campaignGroup = economicsResult.extend({ group: z.enum(['all', ...campaignKinds]), campaigns: z.number().int().nonnegative() }).strict();
type CampaignGroup = z.infer<typeof campaignGroup>;

const campaignsResult = z
  .object({
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    campaigns: z.array(campaignRow),
    subtotals: z.array(campaignGroup).describe('over every campaign, not only the page in `campaigns`'),
    totals: campaignGroup,
    page: pageResult.describe('the page of `campaigns` this answer holds (the API sends 200 at a time; format=csv all)'),
    notes: notesResult,
  })
  .strict();
export type CampaignsResult = z.infer<typeof campaignsResult>;

interface KeySql {
  source: string;
  medium: string;
  campaign: string;
  in_log: boolean;
  kind: CampaignKind;
  log_days: number;
  currency: string | null;
  cost: number | null;
  impressions: number | null;
  reach: number | null;
  clicks: number | null;
}

interface AggSql {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  kind: CampaignKind | null;
  g_key: number;
  g_kind: number;
  visits: number;
  visitors: number;
  orders: number;
  purchasers: number;
  revenue: number;
  purchasers_costed: number;
  revenue_costed: number;
}

/** Ratios of one row or group; `costed` = purchasers and revenue of campaigns that have a cost. */
function economics(
  log: { cost: number | null; impressions: number | null; reach: number | null; clicks: number | null },
  traffic: { visits: number; visitors: number; orders: number; purchasers: number; revenue: number },
  costed: { purchasers: number; revenue: number },
  ctrInputs: { clicks: number | null; impressions: number | null },
  cpcInputs: { cost: number | null; clicks: number | null },
): Economics {
  const reasons: Partial<Record<ReasonField, Note>> = {};
  const { cost } = log;
  if (cost === null) reasons.cost = noteOf('no_cost_in_log');
  let ctr: Rate | null = null;
  if (ctrInputs.clicks === null || ctrInputs.impressions === null) reasons.ctr = noteOf('no_clicks_or_impressions');
  else if (ctrInputs.impressions === 0) reasons.ctr = noteOf('no_impressions');
  else ctr = rate(ctrInputs.clicks, ctrInputs.impressions);
  const ratio = (field: ReasonField, num: number | null, den: number | null, why: Note): number | null => {
    if (num === null || den === null) {
      reasons[field] = reasons[field] ?? noteOf(cost === null ? 'no_cost' : 'input_missing');
      return null;
    }
    if (den === 0) {
      reasons[field] = why;
      return null;
    }
    return num / den;
  };
  const cpc = ratio('cpc', cpcInputs.cost, cpcInputs.clicks, noteOf('no_clicks'));
  const cpa = ratio('cpa', cost, cost === null ? null : costed.purchasers, noteOf('no_purchasers'));
  const roas = ratio('roas', cost === null ? null : costed.revenue, cost, noteOf('zero_cost'));
  return { ...log, ctr, cpc, ...traffic, cpa, roas, reasons };
}

export const campaigns = defineQuery({
  name: 'campaigns',
  summary: 'Campaign economics per (source, medium, campaign): cost, impressions, reach, clicks, CTR, CPC, visits, purchasers, revenue, CPA, ROAS, brand flag and I-chain; totals and brand vs direct-response subtotals.',
  params: periodParams.superRefine(checkPeriod),
  result: campaignsResult,
  async run(ctx, p) {
    const { config } = ctx;
    const period = await resolvePeriod(ctx, p, metricKinds.campaigns);
    const { start, end } = period;
    const session = visitorPerson('s');
    const order = orderPerson('o');
    const matched = sql`
      log_keys as (select distinct source, medium, campaign from campaigns),
      log_period as (
        select source, medium, campaign, count(*)::integer as log_days, any_value(currency) as currency,
          sum(cost)::double as cost, sum(impressions)::double as impressions, sum(reach)::double as reach, sum(clicks)::double as clicks
        from campaigns
        where date >= cast(${period.from} as date) and date < cast(${period.to} as date)
        group by source, medium, campaign
      ),
      touches as (
        select 'visit' as what, s.session_id as id, ${sql.raw(session.person)} as person_id,
          s.utm_source as source, s.utm_medium as medium, s.utm_campaign as campaign, null::decimal(18,2) as amount
        from sessions s ${sql.raw(session.join)}
        where not s.is_bot and s.utm_campaign is not null and s.start_ts >= ${start} and s.start_ts < ${end}
        union all
        select 'order', o.order_id, ${sql.raw(order.person)},
          o.utm_source, o.utm_medium, o.utm_campaign, o.amount
        from orders o ${sql.raw(order.join)}
        where ${sql.raw(validOrderSql('o'))} and o.utm_campaign is not null and o.ts >= ${start} and o.ts < ${end}
      ),
      -- each visit/order goes to one key: the most specific log key whose campaign matches (case-insensitive)
      -- and whose source/medium match when the log has them; else its own tags form a key
      keyed as (
        select t.what, t.id, t.person_id, t.amount,
          coalesce(k.source, coalesce(t.source, '')) as source, coalesce(k.medium, coalesce(t.medium, '')) as medium,
          coalesce(k.campaign, t.campaign) as campaign, k.campaign is not null as in_log
        from touches t left join log_keys k
          on lower(k.campaign) = lower(t.campaign)
          and (k.source = '' or lower(k.source) = lower(coalesce(t.source, '')))
          and (k.medium = '' or lower(k.medium) = lower(coalesce(t.medium, '')))
        qualify row_number() over (partition by t.what, t.id order by (k.source <> '')::integer + (k.medium <> '')::integer desc nulls last, k.source, k.medium) = 1
      ),
      keys as (
        select source, medium, campaign, bool_or(in_log) as in_log from (
          select source, medium, campaign, true as in_log from log_period
          union all select distinct source, medium, campaign, in_log from keyed
        ) group by source, medium, campaign
      )`;
    const kind = campaignKindSql(config, sql`k.campaign`, sql`nullif(k.medium, '')`);
    const [keys, agg, chains] = await Promise.all([
      rows(ctx, sql<KeySql>`
        with ${matched}
        select k.source, k.medium, k.campaign, k.in_log, ${kind} as kind, coalesce(l.log_days, 0) as log_days, l.currency,
          l.cost, l.impressions, l.reach, l.clicks
        from keys k left join log_period l using (source, medium, campaign)`),
      rows(ctx, sql<AggSql>`
        with ${matched},
        flagged as (
          select t.*, ${kind} as kind, l.cost is not null as has_cost
          from keyed t
            left join log_period l using (source, medium, campaign)
            join keys k using (source, medium, campaign)
        )
        select source, medium, campaign, kind, grouping(campaign)::integer as g_key, grouping(kind)::integer as g_kind,
          (count(*) filter (where what = 'visit'))::integer as visits,
          (count(distinct person_id) filter (where what = 'visit'))::integer as visitors,
          (count(*) filter (where what = 'order'))::integer as orders,
          (count(distinct person_id) filter (where what = 'order'))::integer as purchasers,
          coalesce(sum(amount) filter (where what = 'order'), 0)::double as revenue,
          (count(distinct person_id) filter (where what = 'order' and has_cost))::integer as purchasers_costed,
          coalesce(sum(amount) filter (where what = 'order' and has_cost), 0)::double as revenue_costed
        from flagged
        group by grouping sets ((source, medium, campaign, kind), (kind), ())`),
      efficiencyChains(ctx, period, {}, 'campaign'),
    ]);

    const chainOf = (name: string): Chain | null => {
      if (chains.has(name)) return chains.get(name)!;
      for (const [k, c] of chains) if (k.toLowerCase() === name.toLowerCase()) return c;
      return null;
    };
    const none = { visits: 0, visitors: 0, orders: 0, purchasers: 0, revenue: 0, purchasers_costed: 0, revenue_costed: 0 };
    const traffic = (a: Partial<AggSql> | undefined) => ({ ...none, ...a });
    const list: CampaignRow[] = keys.map((k) => {
      const a = traffic(agg.find((x) => !x.g_key && x.source === k.source && x.medium === k.medium && x.campaign === k.campaign));
      const e = economics(
        { cost: k.cost, impressions: k.impressions, reach: k.reach, clicks: k.clicks },
        { visits: a.visits, visitors: a.visitors, orders: a.orders, purchasers: a.purchasers, revenue: a.revenue },
        { purchasers: a.purchasers, revenue: a.revenue },
        k,
        k,
      );
      if (!k.in_log) e.reasons.cost = noteOf('not_in_campaigns_log');
      else if (k.log_days === 0) e.reasons.cost = noteOf('no_log_rows_in_period');
      const chain = chainOf(k.campaign);
      return {
        source: k.source,
        medium: k.medium,
        campaign: k.campaign,
        brand: k.kind === 'brand',
        inLog: k.in_log,
        logDays: k.log_days,
        currency: k.currency,
        ...e,
        iChain: chain,
        ...(chain ? {} : { iChainReason: noteOf('no_attributed_persons') }),
      };
    });
    list.sort((a, b) => Number(b.inLog) - Number(a.inLog) || (b.cost ?? -1) - (a.cost ?? -1) || b.revenue - a.revenue || a.campaign.localeCompare(b.campaign) || a.source.localeCompare(b.source) || a.medium.localeCompare(b.medium));

    const group = (name: CampaignGroup['group']): CampaignGroup => {
      const members = list.filter((c) => name === 'all' || (name === 'brand') === c.brand);
      const a = traffic(agg.find((x) => x.g_key && (name === 'all' ? x.g_kind : !x.g_kind && x.kind === name)));
      const sum = (xs: (number | null)[]) => (xs.some((x) => x !== null) ? xs.reduce<number>((s, x) => s + (x ?? 0), 0) : null);
      const withBoth = <K extends 'clicks' | 'cost'>(num: K, den: 'impressions' | 'clicks') => {
        const both = members.filter((c) => c[num] !== null && c[den] !== null);
        return { num: (num === 'cost' ? sumMoney : sum)(both.map((c) => c[num])), den: sum(both.map((c) => c[den])) };
      };
      const ctrIn = withBoth('clicks', 'impressions');
      const cpcIn = withBoth('cost', 'clicks');
      const e = economics(
        { cost: sumMoney(members.map((c) => c.cost)), impressions: sum(members.map((c) => c.impressions)), reach: sum(members.map((c) => c.reach)), clicks: sum(members.map((c) => c.clicks)) },
        { visits: a.visits, visitors: a.visitors, orders: a.orders, purchasers: a.purchasers, revenue: a.revenue },
        { purchasers: a.purchasers_costed, revenue: a.revenue_costed },
        { clicks: ctrIn.num, impressions: ctrIn.den },
        { cost: cpcIn.num, clicks: cpcIn.den },
      );
      return { group: name, campaigns: members.length, ...e };
    };

    const notes = [noteOf('campaign_matching'), noteOf('campaign_totals'), noteOf('campaign_ichain')];
    const currencies = [...new Set(list.map((c) => c.currency).filter((c): c is string => c !== null))];
    if (currencies.some((c) => c !== config.currency)) notes.push(noteOf('mixed_currencies', { currencies, revenueCurrency: config.currency }));
    if (!list.length) notes.push(noteOf('no_campaigns'));

    return { period: { from: period.from, to: period.to }, campaigns: list, subtotals: [group('brand'), group('direct-response')], totals: group('all'), page: wholeList(list.length), notes };
  },
  list: { field: 'campaigns', defaultLimit: 200 },
  csv: (r) => {
    const flat = (row: 'campaign' | 'subtotal' | 'total', c: Economics, key: { source: string | null; medium: string | null; campaign: string | null; brand: boolean | null }) => ({
      row,
      ...key,
      cost: c.cost,
      impressions: c.impressions,
      reach: c.reach,
      clicks: c.clicks,
      ctr: c.ctr?.value ?? null,
      cpc: c.cpc,
      visits: c.visits,
      visitors: c.visitors,
      orders: c.orders,
      purchasers: c.purchasers,
      revenue: c.revenue,
      cpa: c.cpa,
      roas: c.roas,
    });
    return [
      ...r.campaigns.map((c) => ({ ...flat('campaign', c, c), i1: ratio(c, 'I1'), i2: ratio(c, 'I2'), i3: ratio(c, 'I3'), i4: ratio(c, 'I4'), i5: ratio(c, 'I5') })),
      ...r.subtotals.map((g) => ({ ...flat('subtotal', g, { source: null, medium: null, campaign: g.group, brand: g.group === 'brand' }), i1: null, i2: null, i3: null, i4: null, i5: null })),
      { ...flat('total', r.totals, { source: null, medium: null, campaign: null, brand: null }), i1: null, i2: null, i3: null, i4: null, i5: null },
    ];
  },
});

function ratio(c: CampaignRow, key: string): number | null {
  return c.iChain?.ratios.find((x) => x.key === key)?.value ?? null;
}
