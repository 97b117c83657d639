// The deliberately bad rows of a demo: how many of each kind, where in the run they go, and the copies
// of clean rows with one field broken that `writeDemo` adds.
import type { DemoEvent, DemoOrder, DemoPerson } from './rows.ts';

/**
 * The deliberately bad rows `writeDemo` adds when `malformed` is on (they are not in `demoVisitors`'
 * output, which is the clean data): web rows with ts `not-a-date`, web rows with an empty visitor_id
 * (and customer_id), exact copies of already written web lines, and orders with amount `abc`.
 * Injected rows get fresh ids (`<id>x<n>`), so only the one named field is wrong.
 */
export const demoMalformed = { webBadTs: 3, webNoVisitor: 2, webDuplicates: 4, ordersBadAmount: 2 } as const;

type Flaw = 'badTs' | 'noVisitor' | 'duplicate' | 'badAmount';

/**
 * The bad rows of one run. Each is planned at an evenly spaced point of the run and added after the
 * first suitable person at or past it: a copy of that person's first pageview or first order. Only rows
 * of the files being written are made and counted.
 */
export class MalformedRows {
  private readonly plan: { at: number; what: Flaw }[] = [];
  readonly counts = { web: { malformed: 0, duplicates: 0 }, sales: { malformed: 0 } };

  constructor(visitors: number, enabled: boolean) {
    if (!enabled) return;
    const spread = (what: Flaw, n: number, offset: number) => {
      for (let i = 0; i < n; i++) this.plan.push({ at: Math.floor((visitors * (i + offset)) / (n + 1)), what });
    };
    spread('badTs', demoMalformed.webBadTs, 1);
    spread('noVisitor', demoMalformed.webNoVisitor, 0.7);
    spread('duplicate', demoMalformed.webDuplicates, 0.85);
    spread('badAmount', demoMalformed.ordersBadAmount, 0.9);
    this.plan.sort((a, b) => a.at - b.at);
  }

  /**
   * Hands the bad rows due after person `p` to `web` and `sales` (null when that file is not written),
   * in the order they are to be written; an order comes with the text of its broken amount.
   */
  after(p: DemoPerson, web: ((e: DemoEvent) => void) | null, sales: ((o: DemoOrder, amount: string) => void) | null): void {
    const plan = this.plan;
    for (let i = 0; i < plan.length && plan[i]!.at <= p.index; i++) {
      const item = plan[i]!;
      // a planned bad row waits for a person who has what it copies
      if (item.what === 'badAmount' ? !p.orders.length : p.bot || !p.events.some((e) => e.event === 'pageview')) continue;
      plan.splice(i, 1);
      i--;
      if (item.what === 'badAmount') {
        if (!sales) continue;
        const x = p.orders[0]!;
        sales({ ...x, order_id: `${x.order_id}x${++this.counts.sales.malformed}` }, 'abc');
      } else if (web) {
        const e = p.events.find((x) => x.event === 'pageview')!;
        if (item.what === 'duplicate') {
          web(e);
          this.counts.web.duplicates++;
        } else {
          const n = ++this.counts.web.malformed;
          web(item.what === 'badTs' ? { ...e, event_id: `${e.event_id}x${n}`, ts: 'not-a-date' } : { ...e, event_id: `${e.event_id}x${n}`, visitor_id: '', customer_id: '' });
        }
      }
    }
  }
}
