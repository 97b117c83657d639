// The demo's rows as CSV lines in `demoColumns` order. No generated text needs quoting (world.ts checks
// its parts) except user agents and the caller's currency.
import { csvQuoted } from '../../queries/shared/csv.ts';
import type { DemoCampaignRow, DemoComplaint, DemoEvent, DemoOrder } from './rows.ts';

const num = (n: number | null) => (n === null ? '' : n.toFixed(2));

/**
 * web-events.csv lines. A person's events share most fields, so those runs are kept as ready-made
 * pieces: fewer pieces per line make the string V8 has to flatten when it is copied out much cheaper.
 */
export class EventLines {
  private last: DemoEvent | null = null;
  private uaPiece = '';
  private wherePiece = '';
  private whoPiece = '';
  private utmPiece = ',,,,';
  line(e: DemoEvent): string {
    const l = this.last;
    this.last = e;
    if (l?.user_agent !== e.user_agent) this.uaPiece = `,${csvQuoted(e.user_agent)}\n`; // the only field that can need quoting
    if (l?.device !== e.device || l.country !== e.country) this.wherePiece = `${e.device},${e.country}`;
    if (l?.visitor_id !== e.visitor_id || l.customer_id !== e.customer_id) this.whoPiece = `${e.visitor_id},${e.customer_id}`;
    if (l?.utm_campaign !== e.utm_campaign || l.utm_content !== e.utm_content || l.utm_term !== e.utm_term) {
      this.utmPiece = `${e.utm_source},${e.utm_medium},${e.utm_campaign},${e.utm_content},${e.utm_term}`;
    }
    return `${e.event_id},${e.ts},${this.whoPiece},${e.event},${e.url},${e.referrer},${this.utmPiece},${this.wherePiece},${e.order_id},${e.value === null ? '' : e.value.toFixed(2)}${this.uaPiece}`;
  }
}

export function orderLine(r: DemoOrder, amount = num(r.amount)): string {
  return `${r.order_id},${r.ts},${r.customer_id},${r.visitor_id},${amount},${csvQuoted(r.currency)},${r.status},${r.coupon},${r.items},${r.utm_source},${r.utm_medium},${r.utm_campaign}\n`;
}
export function complaintLine(r: DemoComplaint): string {
  return `${r.complaint_id},${r.ts},${r.customer_id},${r.order_id},${r.category},${r.severity},${num(r.amount)},${r.responded_at},${r.resolved_at},${r.status}\n`;
}
export function campaignLine(r: DemoCampaignRow): string {
  return `${r.date},${r.source},${r.medium},${r.campaign},${r.audience},${r.impressions},${r.reach},${r.clicks},${num(r.cost)},${csvQuoted(r.currency)}\n`;
}

