// The demo generator (SPEC §4 `aida demo`): what its callers use. Deterministic web events with ad
// impressions, orders, daily campaign stats and complaints, simulated person by person from one seed.
//
// Choices worth knowing when reading the data:
// - Rows are grouped by person (each person's events in time order), not sorted globally: that keeps
//   memory flat at 10M events. Ids are sequential in generation order.
// - campaigns.csv `impressions` is exactly the number of impression events of that campaign and UTC day
//   (no sampling factor); `reach` is the distinct people among them; `clicks` is the campaign's landings
//   that day plus up to 8% clicks that never loaded the page. Newsletter impressions are email opens.
//   PR has no impression events (0 impressions and reach) but landings, clicks and cost.
// - Brand campaigns are exactly those whose name contains `brand` (`brand-awareness`, `brand-video-q4`);
//   the generic paid-search campaign is `search-generic`, since `search-nonbrand` would match `brand`.
// - Crawlers, offline (phone) buyers and people who only ever see ads are among the `visitors` people.
export { defaultDemoEnd } from './clock.ts';
export { demoCampaigns, demoVisitors } from './generate.ts';
export { demoMalformed } from './malformed.ts';
export { visitorsForEvents, type DemoOptions } from './options.ts';
export { createRng } from './random.ts';
export {
  demoColumns, demoFileNames,
  type DemoCampaignRow, type DemoComplaint, type DemoEvent, type DemoEventType, type DemoKind, type DemoOrder, type DemoPerson,
} from './rows.ts';
export { writeDemo, type DemoManifest } from './write.ts';
