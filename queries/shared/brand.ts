// Brand vs direct-response campaigns (SPEC §5.2): a config rule on campaign or medium names
// (`brand_campaigns`: case-insensitive regular expressions).
import { sql, type RawBuilder } from 'kysely';
import type { Config } from '../config.ts';

/** SQL: 'brand', 'direct-response', or null when there is no campaign at all. */
export function campaignKindSql(config: Config, campaign: RawBuilder<unknown>, medium: RawBuilder<unknown>): RawBuilder<string | null> {
  const rule = config.brand_campaigns;
  const byCampaign = sql`coalesce(regexp_matches(${campaign}, ${sql.lit(rule.campaign_pattern)}, 'i'), false)`;
  const byMedium = rule.medium_pattern ? sql`coalesce(regexp_matches(${medium}, ${sql.lit(rule.medium_pattern)}, 'i'), false)` : sql`false`;
  return sql<string | null>`case when ${campaign} is null and ${medium} is null then null when ${byCampaign} or ${byMedium} then 'brand' else 'direct-response' end`;
}
