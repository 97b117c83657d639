// complaints.csv: whether an order draws a complaint, what about, how severe, how fast it is answered and
// resolved — and how much of the customer's chance to buy again it leaves.
import { DAY, HOUR } from './clock.ts';
import { between, cumulative, logBetween, pickIndex, weighted } from './random.ts';
import { money, type DemoOrder } from './rows.ts';
import type { PersonState } from './person-state.ts';
import type { Run } from './run.ts';
import { complaintCategories, damageCategories } from './world.ts';

const pickCategory = weighted(complaintCategories);
const severityZh: Record<string, string> = { minor: '轻微', general: '一般', serious: '严重' };
const resolutionBuckets = cumulative([0.3, 0.3, 0.2, 0.2]);
/** repurchase chance after a complaint, by resolution bucket (< 1 day, 1–3, 3–7, > 7 days or open) */
const complaintRecovery = [0.9, 0.75, 0.55, 0.35];

/** A complaint's effect on the next order: when it came, and the factor it leaves on the repurchase chance. */
interface ComplaintEffect {
  at: number;
  recovery: number;
}

/** Whether an order of this status draws a complaint (one draw). */
export function complains(run: Run, status: DemoOrder['status']): boolean {
  return run.rng() < (status === 'paid' ? 0.028 : status === 'refunded' ? 0.09 : 0.03);
}

/**
 * A complaint about the order placed at `placedAt`; it lowers the chance of a next order either way, but
 * is only written with its order. Null when it would come after the end.
 */
export function complain(run: Run, p: PersonState, placedAt: number, order: DemoOrder, cents: number, written: boolean): ComplaintEffect | null {
  const { rng, end, clock } = run;
  const category = pickCategory(rng);
  const at = placedAt + Math.floor((category === 'Y1' ? logBetween(rng, 0.5, 5) : logBetween(rng, 1, 12)) * DAY);
  if (at >= end) return null;
  const damage = damageCategories.has(category);
  const r = rng();
  let severity = r < (damage ? 0.3 : 0.5) ? 'minor' : r < (damage ? 0.65 : 0.82) ? 'general' : 'serious';
  if (run.issued.complaints % 8 === 3) severity = severityZh[severity]!; // every eighth from the fourth: a Chinese spreadsheet's words
  const respondedAt = at + Math.floor(logBetween(rng, 0.3, 30) * HOUR);
  const bucket = pickIndex(resolutionBuckets, rng());
  const open = rng() < 0.1;
  const resolveDays = bucket === 0 ? between(rng, 0.1, 1) : bucket === 1 ? between(rng, 1, 3) : bucket === 2 ? between(rng, 3, 7) : between(rng, 7, 25);
  const resolvedAt = Math.max(at + Math.floor(resolveDays * DAY), respondedAt + 600 + Math.floor(rng() * 4 * HOUR));
  const resolved = !open && resolvedAt < end;
  const effect = { at, recovery: open ? complaintRecovery[3]! : complaintRecovery[bucket]! };
  if (!written) return effect;
  p.complaints.push({
    complaint_id: `K${50001 + run.issued.complaints++}`, ts: clock.iso(at), customer_id: p.customerId, order_id: order.order_id, category, severity,
    amount: damage ? money(Math.round(cents * between(rng, 0.2, 1))) : null,
    responded_at: respondedAt < end ? clock.iso(respondedAt) : '', resolved_at: resolved ? clock.iso(resolvedAt) : '', status: resolved ? 'resolved' : 'open',
  });
  return effect;
}
