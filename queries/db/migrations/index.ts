// The ordered list of schema migrations. Append only: a released migration is never edited.
import { sql as core } from './001-core.ts';
import { sql as derived } from './002-derived.ts';
import { sql as funnelDays } from './003-funnel-days.ts';
import { sql as retentionBase } from './004-retention-base.ts';
import { sql as orderItems } from './005-order-items.ts';
import { sql as valueFormats } from './006-value-formats.ts';
import { sql as dropDailyRollups } from './007-drop-daily-rollups.ts';
import { sql as properties } from './008-properties.ts';
import { sql as follow } from './009-follow.ts';
import { sql as snapshotMails } from './010-snapshot-mails.ts';
import { sql as kept } from './011-kept.ts';
import { sql as summaries } from './012-summaries.ts';
import { sql as propertyFacts } from './013-property-facts.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  { version: 1, name: 'core', sql: core },
  { version: 2, name: 'derived', sql: derived },
  { version: 3, name: 'funnel-days', sql: funnelDays },
  { version: 4, name: 'retention-base', sql: retentionBase },
  { version: 5, name: 'order-items', sql: orderItems },
  { version: 6, name: 'value-formats', sql: valueFormats },
  { version: 7, name: 'drop-daily-rollups', sql: dropDailyRollups },
  { version: 8, name: 'properties', sql: properties },
  { version: 9, name: 'follow', sql: follow },
  { version: 10, name: 'snapshot-mails', sql: snapshotMails },
  { version: 11, name: 'kept', sql: kept },
  { version: 12, name: 'summaries', sql: summaries },
  { version: 13, name: 'property-facts', sql: propertyFacts },
];
