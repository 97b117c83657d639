// Values the filter fields offer before any data is seen: ingest's default channel names (in rule order,
// then the channel of no rule) and its device classes. The web cannot import ingest/, so
// test/api/filter-dimensions.test.ts holds these to ingest's own lists.
import type { FilterDimension } from '../queries/shared/dimensions.ts';

export const defaultSuggestions: Partial<Record<FilterDimension, readonly string[]>> = {
  channel: ['Advertising', 'Sales promotion', 'Direct marketing', 'Personal selling', 'Public relations', 'Feed', 'Organic search', 'Social', 'Referral', 'Direct'],
  device: ['desktop', 'mobile', 'tablet'],
};
