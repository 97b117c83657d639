// campaigns.csv: each campaign's impressions, reach and landings tallied per UTC day while people are
// simulated, and the daily rows with clicks and cost made from those tallies at the end of the run.
import { DAY, isoDay } from './clock.ts';
import { between, type Rng } from './random.ts';
import { money, type DemoCampaignRow } from './rows.ts';
import { campaigns } from './world.ts';

export class CampaignReport {
  private readonly impressions: Int32Array;
  private readonly reach: Int32Array;
  private readonly landings: Int32Array;
  /** `activeFrom`/`activeTo`: per campaign, the first window day it is active and the day after its last */
  constructor(private readonly start: number, private readonly days: number, private readonly activeFrom: number[], private readonly activeTo: number[]) {
    this.impressions = new Int32Array(campaigns.length * days);
    this.reach = new Int32Array(campaigns.length * days);
    this.landings = new Int32Array(campaigns.length * days);
  }

  /** An impression event on window day `day`; `newReach` when it is the person's first of the campaign that day. */
  impression(campaign: number, day: number, newReach: boolean): void {
    this.impressions[campaign * this.days + day]!++;
    if (newReach) this.reach[campaign * this.days + day]!++;
  }

  /** A landing pageview brought by the campaign on window day `day`. */
  landing(campaign: number, day: number): void {
    this.landings[campaign * this.days + day]!++;
  }

  /** One row per campaign and active day; cost scales with the run's size (`visitors`, per 6000 people). */
  rows(rng: Rng, visitors: number, currency: string): DemoCampaignRow[] {
    const { start, days, activeFrom, activeTo, impressions, reach, landings } = this;
    const rows: DemoCampaignRow[] = [];
    const scale = Math.max(visitors, 1) / 6000;
    for (let d = 0; d < days; d++) {
      for (let c = 0; c < campaigns.length; c++) {
        if (d < activeFrom[c]! || d >= activeTo[c]!) continue;
        const camp = campaigns[c]!;
        const k = c * days + d;
        const clicks = landings[k]! + Math.round(landings[k]! * 0.08 * rng()); // some clicks never load the page
        const cost = clicks * camp.cpc * between(rng, 0.8, 1.2) + (impressions[k]! * camp.cpm) / 1000 + camp.daily * scale * between(rng, 0.7, 1.3);
        rows.push({
          date: isoDay(start + d * DAY), source: camp.source, medium: camp.medium, campaign: camp.name, audience: camp.audience,
          impressions: impressions[k]!, reach: reach[k]!, clicks, cost: money(Math.max(1, Math.round(cost * 100))), currency,
        });
      }
    }
    return rows;
  }
}
