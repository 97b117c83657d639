// The demo as data rather than files: every person of a run in file order, then the campaign rows.
import { resolveOptions, type DemoOptions } from './options.ts';
import { simulatePerson } from './person.ts';
import type { DemoCampaignRow, DemoPerson } from './rows.ts';
import { createRun } from './run.ts';

/**
 * Yields every person of the demo in file order with their web events (strictly increasing in time),
 * orders and complaints: exactly the values `writeDemo` writes, minus the injected malformed and
 * duplicate rows. The generator's return value is the campaigns.csv rows.
 */
export function* demoVisitors(opts: Omit<DemoOptions, 'outDir'> = {}): Generator<DemoPerson, DemoCampaignRow[], undefined> {
  const run = createRun(resolveOptions(opts));
  for (let index = 0; index < run.visitors; index++) {
    const person = simulatePerson(run, index);
    if (person) yield person;
  }
  return run.report.rows(run.rng, run.visitors, run.currency);
}

/** Runs the generator to the end for its campaigns.csv rows. */
export function demoCampaigns(opts: Omit<DemoOptions, 'outDir'> = {}): DemoCampaignRow[] {
  const gen = demoVisitors(opts);
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}
