// An independent oracle for the funnel, the I1–I5 chain, retention and repurchase (issue 4): plain
// TypeScript over the raw CSV rows, written from SPEC §4/§5.1–§5.4 and sharing no SQL or code with
// queries/ or ingest/ (only the isbot crawler list, which is data, is shared).
// Deliberately naive and readable: arrays, maps and loops, no cleverness, so a disagreement with the
// product points at the product's SQL (or at the written rule) rather than at this file.
import fs from 'node:fs';
import path from 'node:path';
import { isbot } from 'isbot';

// ---------------------------------------------------------------------------------------------------
// Raw rows

/** RFC 4180 CSV: comma-separated, fields may be quoted ("" is a quote inside), LF or CRLF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The inverse of `parseCsv`: fields quoted when they hold a comma, quote or line break. */
export function formatCsv(rows: string[][]): string {
  const field = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
  return rows.map((r) => `${r.map(field).join(',')}\n`).join('');
}

/** Rows of a CSV file as objects keyed by the header's names. */
export function readCsvFile(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
  if (!header) return [];
  return rows.filter((r) => r.length > 1 || r[0] !== '').map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

export interface WebRow {
  eventId: string;
  ts: number;
  visitorId: string;
  customerId: string;
  event: string;
  userAgent: string;
}
export interface OrderRow {
  orderId: string;
  ts: number;
  customerId: string;
  visitorId: string;
  amount: number;
  status: string;
}
export interface CampaignRow {
  date: string;
  source: string;
  medium: string;
  campaign: string;
  audience: number | null;
  reach: number | null;
}
export interface RawData {
  web: WebRow[];
  orders: OrderRow[];
  campaigns: CampaignRow[];
}

const instant = (s: string): number => {
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`oracle: cannot read timestamp '${s}'`);
  return t;
};
const numberOrNull = (s: string | undefined): number | null => (s === undefined || s.trim() === '' ? null : Number(s));

/** Reads the demo's web-events.csv, orders.csv and campaigns.csv (the names `writeDemo` uses). */
export function readRaw(dir: string, names = { web: 'web-events.csv', sales: 'orders.csv', campaigns: 'campaigns.csv' }): RawData {
  const web = readCsvFile(path.join(dir, names.web)).map((r) => ({
    eventId: r.event_id!,
    ts: instant(r.ts!),
    visitorId: r.visitor_id!,
    customerId: r.customer_id ?? '',
    event: r.event!,
    userAgent: r.user_agent ?? '',
  }));
  const orders = readCsvFile(path.join(dir, names.sales)).map((r) => ({
    orderId: r.order_id!,
    ts: instant(r.ts!),
    customerId: r.customer_id ?? '',
    visitorId: r.visitor_id ?? '',
    amount: Number(r.amount),
    status: r.status ?? '',
  }));
  const campaigns = readCsvFile(path.join(dir, names.campaigns)).map((r) => ({
    date: r.date!,
    source: r.source ?? '',
    medium: r.medium ?? '',
    campaign: r.campaign!,
    audience: numberOrNull(r.audience),
    reach: numberOrNull(r.reach),
  }));
  return { web, orders, campaigns };
}

// ---------------------------------------------------------------------------------------------------
// Rules

const DAY = 86_400_000;
const paidLike = new Set(['paid', 'complete', 'completed', 'success', 'succeeded', 'fulfilled', 'shipped', 'delivered', 'partially_refunded', 'processing']);
const offSite = new Set(['impression', 'ad_impression']);
const pageviewEvents = new Set(['pageview', 'page_view', 'screen_view']);
const stageEvents = {
  exposed: new Set(['impression']),
  visit: new Set(['pageview', 'page_view', 'session_start']),
  engaged: new Set(['product_view', 'view_item', 'view', 'search', 'signup', 'lead']),
  intent: new Set(['add_to_cart', 'cart', 'addtocart', 'begin_checkout', 'checkout', 'lead', 'quote_request']),
  purchase: new Set(['purchase', 'transaction']),
};
export type Stage = keyof typeof stageEvents;
const stages = Object.keys(stageEvents) as Stage[];

export const isValidOrder = (o: OrderRow): boolean => paidLike.has(o.status.toLowerCase()) && o.amount > 0;

/** Orders by time, then id (the order in which "first" and "second" orders are taken). */
const byTsThenId = (a: OrderRow, b: OrderRow) => a.ts - b.ts || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/** No agent, isbot's list, or one of the extra substrings (the rule the SPEC states, written again here). */
export function isBot(row: WebRow, extraAgents: readonly string[]): boolean {
  const ua = row.userAgent.trim();
  if (ua === '' || ua === '-') return true;
  return isbot(ua) || extraAgents.some((b) => ua.toLowerCase().includes(b.toLowerCase()));
}

// ---------------------------------------------------------------------------------------------------
// The model: persons and their stage hits

export interface Person {
  id: string;
  hits: Record<Stage, number[]>;
  /** valid orders of this person, by (ts, order_id) */
  validOrders: OrderRow[];
}

export interface Model {
  persons: Map<string, Person>;
  /** valid orders per orders.customer_id, by (ts, order_id) */
  customers: Map<string, OrderRow[]>;
  /** max ts of all orders: retention and repurchase run to the orders' own end (issue 12: ranges per kind) */
  lastOrderInstant: number;
  campaigns: CampaignRow[];
}

export interface ModelOptions {
  botUserAgents: readonly string[];
  sessionGapMinutes?: number;
  engagedSessionPageviews?: number;
  engagedSessionSeconds?: number;
}

export function buildModel(raw: RawData, opts: ModelOptions): Model {
  const gap = (opts.sessionGapMinutes ?? 30) * 60_000;
  const nthPageview = opts.engagedSessionPageviews ?? 2;
  const longSession = (opts.engagedSessionSeconds ?? 60) * 1000;
  const web = raw.web.filter((r) => !isBot(r, opts.botUserAgents)).map((r) => ({ ...r, event: r.event.toLowerCase() }));

  // Persons: connected components of visitor↔customer links, labelled by the smallest customer id.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (y !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  const node = (x: string) => {
    if (!parent.has(x)) parent.set(x, x);
    return x;
  };
  const link = (visitor: string, customer: string) => {
    const a = find(node(`v:${visitor}`)), b = find(node(`c:${customer}`));
    if (a !== b) parent.set(a, b);
  };
  for (const r of web) if (r.visitorId && r.customerId) link(r.visitorId, r.customerId);
  for (const o of raw.orders) if (o.visitorId && o.customerId) link(o.visitorId, o.customerId);
  const label = new Map<string, string>(); // component root → smallest customer id
  for (const n of parent.keys()) {
    if (!n.startsWith('c:')) continue;
    const root = find(n), id = n.slice(2);
    const cur = label.get(root);
    if (cur === undefined || id < cur) label.set(root, id);
  }
  const labelOf = (n: string): string | undefined => (parent.has(n) ? label.get(find(n)) : undefined);
  const personOfVisitor = (v: string) => labelOf(`v:${v}`) ?? v;
  const personOfOrder = (o: OrderRow): string | null =>
    o.customerId ? (labelOf(`c:${o.customerId}`) ?? o.customerId) : o.visitorId ? personOfVisitor(o.visitorId) : null;

  const persons = new Map<string, Person>();
  const person = (id: string): Person => {
    let p = persons.get(id);
    if (!p) persons.set(id, (p = { id, hits: { exposed: [], visit: [], engaged: [], intent: [], purchase: [] }, validOrders: [] }));
    return p;
  };

  // Event-type hits.
  for (const r of web) {
    for (const s of stages) if (stageEvents[s].has(r.event)) person(personOfVisitor(r.visitorId)).hits[s].push(r.ts);
  }

  // Session hits: per visitor, on-site events by (ts, event_id), split after a gap of more than 30 minutes.
  const byVisitor = new Map<string, WebRow[]>();
  for (const r of web) {
    if (offSite.has(r.event)) continue;
    let list = byVisitor.get(r.visitorId);
    if (!list) byVisitor.set(r.visitorId, (list = []));
    list.push(r);
  }
  for (const [visitor, list] of byVisitor) {
    list.sort((a, b) => a.ts - b.ts || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    const sessions: WebRow[][] = [];
    for (const r of list) {
      const cur = sessions[sessions.length - 1];
      if (cur && r.ts - cur[cur.length - 1]!.ts <= gap) cur.push(r);
      else sessions.push([r]);
    }
    const p = person(personOfVisitor(visitor));
    for (const s of sessions) {
      const pageviews = s.filter((r) => pageviewEvents.has(r.event));
      if (pageviews.length >= nthPageview) p.hits.engaged.push(pageviews[nthPageview - 1]!.ts);
      const late = s.find((r) => r.ts >= s[0]!.ts + longSession);
      if (late) p.hits.engaged.push(late.ts);
    }
  }

  // Orders: valid ones are purchase hits of their person and make customers.
  const customers = new Map<string, OrderRow[]>();
  for (const o of raw.orders) {
    if (!isValidOrder(o)) continue;
    const id = personOfOrder(o);
    if (id !== null) {
      const p = person(id);
      p.hits.purchase.push(o.ts);
      p.validOrders.push(o);
    }
    if (o.customerId) {
      let list = customers.get(o.customerId);
      if (!list) customers.set(o.customerId, (list = []));
      list.push(o);
    }
  }
  for (const p of persons.values()) {
    for (const s of stages) p.hits[s].sort((a, b) => a - b);
    p.validOrders.sort(byTsThenId);
  }
  for (const list of customers.values()) list.sort(byTsThenId);

  let lastOrderInstant = -Infinity;
  for (const o of raw.orders) lastOrderInstant = Math.max(lastOrderInstant, o.ts);
  return { persons, customers, lastOrderInstant, campaigns: raw.campaigns };
}

/** Per person and stage with any hit: the first and last hit instant (ms), keyed `person|stage`. */
export function stageSpans(model: Model): Map<string, { first: number; last: number }> {
  const spans = new Map<string, { first: number; last: number }>();
  for (const p of model.persons.values()) {
    for (const s of stages) {
      const hits = p.hits[s];
      if (hits.length) spans.set(`${p.id}|${s}`, { first: hits[0]!, last: hits[hits.length - 1]! });
    }
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------------
// Helpers

/** Midnight UTC of a YYYY-MM-DD date. */
export const dayStart = (date: string): number => instant(`${date}T00:00:00Z`);

/** First element of a sorted list that is >= t, or undefined. */
function firstAtOrAfter(sorted: number[], t: number): number | undefined {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}

const inPeriod = (ts: number, from: number, to: number) => ts >= from && ts < to;
const anyIn = (sorted: number[], from: number, to: number) => {
  const t = firstAtOrAfter(sorted, from);
  return t !== undefined && t < to;
};

export function medianOf(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// ---------------------------------------------------------------------------------------------------
// §5.1 The AIDA funnel (ordered mode)

export interface OracleFunnelStep {
  key: 'attention' | 'interest' | 'desire' | 'action';
  stage: Stage;
  count: number;
  /** median over persons reaching this step of (t_k − t_(k−1)) in seconds; null for step 1 or nobody */
  medianSecondsFromPrevious: number | null;
  /** the persons counted, for pinpointing a disagreement */
  persons: string[];
}

export function oracleFunnel(model: Model, period: { from: string; to: string }, windowDays = 30): { attention: Stage; steps: OracleFunnelStep[] } {
  const from = dayStart(period.from), to = dayStart(period.to);
  const window = windowDays * DAY;
  let anyExposed = false;
  for (const p of model.persons.values()) if (anyIn(p.hits.exposed, from, to)) anyExposed = true;
  const chain: Stage[] = [anyExposed ? 'exposed' : 'visit', 'engaged', 'intent', 'purchase'];
  const keys = ['attention', 'interest', 'desire', 'action'] as const;
  const reached: string[][] = chain.map(() => []);
  const gaps: number[][] = chain.map(() => []);

  for (const p of model.persons.values()) {
    let best: number[] = [];
    for (const t1 of p.hits[chain[0]!]) {
      if (!inPeriod(t1, from, to)) continue;
      const times = [t1];
      for (let k = 1; k < chain.length; k++) {
        const t = firstAtOrAfter(p.hits[chain[k]!], times[k - 1]!);
        if (t === undefined || t > t1 + window) break;
        times.push(t);
      }
      if (times.length > best.length) best = times; // ties keep the earliest start
    }
    best.forEach((t, k) => {
      reached[k]!.push(p.id);
      if (k > 0) gaps[k]!.push((t - best[k - 1]!) / 1000);
    });
  }
  return {
    attention: chain[0]!,
    steps: chain.map((stage, k) => ({
      key: keys[k]!,
      stage,
      count: reached[k]!.length,
      medianSecondsFromPrevious: k === 0 ? null : medianOf(gaps[k]!),
      persons: reached[k]!.sort(),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------
// §5.2 The I1–I5 chain

export interface OracleEfficiency {
  levels: Record<'Q0' | 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'Q5', number | null>;
  ratios: Record<'I1' | 'I2' | 'I3' | 'I4' | 'I5', number | null>;
  overallIndex: number | null;
  chainProduct: number | null;
  /** persons per person-based level, for pinpointing a disagreement */
  members: Record<'Q1' | 'Q2' | 'Q3' | 'Q4' | 'Q5', string[]>;
}

export function oracleEfficiency(model: Model, period: { from: string; to: string }, repurchaseWindowDays = 90): OracleEfficiency {
  const from = dayStart(period.from), to = dayStart(period.to);
  const rows = model.campaigns.filter((c) => c.date >= period.from && c.date < period.to);

  // Q0: per campaign the largest audience on its rows in the period, summed over campaigns.
  const audience = new Map<string, number>();
  for (const c of rows) {
    if (c.audience === null) continue;
    const key = JSON.stringify([c.source, c.medium, c.campaign]);
    audience.set(key, Math.max(audience.get(key) ?? -Infinity, c.audience));
  }
  const q0 = audience.size ? [...audience.values()].reduce((a, b) => a + b, 0) : null;

  const members = { Q1: [] as string[], Q2: [] as string[], Q3: [] as string[], Q4: [] as string[], Q5: [] as string[] };
  for (const p of model.persons.values()) {
    if (anyIn(p.hits.exposed, from, to)) members.Q1.push(p.id);
    const visit = anyIn(p.hits.visit, from, to);
    if (visit) members.Q2.push(p.id);
    if (!(visit && anyIn(p.hits.engaged, from, to))) continue;
    members.Q3.push(p.id);
    const tp = firstAtOrAfter(p.hits.purchase, from);
    if (tp === undefined || tp >= to) continue;
    members.Q4.push(p.id);
    const later = p.validOrders.filter((o) => o.ts >= tp);
    const second = later[1];
    if (second && second.ts <= tp + repurchaseWindowDays * DAY) members.Q5.push(p.id);
  }
  let q1: number | null = members.Q1.length;
  if (q1 === 0) {
    const reach = rows.filter((c) => c.reach !== null);
    q1 = reach.length ? reach.reduce((a, c) => a + c.reach!, 0) : null;
  }
  const levels = { Q0: q0, Q1: q1, Q2: members.Q2.length, Q3: members.Q3.length, Q4: members.Q4.length, Q5: members.Q5.length };
  const ratio = (n: number | null, d: number | null) => (n === null || d === null || d === 0 ? null : n / d);
  const ratios = {
    I1: ratio(levels.Q1, levels.Q0),
    I2: ratio(levels.Q2, levels.Q1),
    I3: ratio(levels.Q3, levels.Q2),
    I4: ratio(levels.Q4, levels.Q3),
    I5: ratio(levels.Q5, levels.Q4),
  };
  const known = Object.values(ratios).filter((v): v is number => v !== null);
  for (const list of Object.values(members)) list.sort();
  return {
    levels,
    ratios,
    overallIndex: known.length ? known.reduce((a, b) => a + b, 0) / known.length : null,
    chainProduct: ratio(levels.Q5, levels.Q0),
    members,
  };
}

// ---------------------------------------------------------------------------------------------------
// §5.3 Retention cohorts (month grain, UTC)

export type RetentionMode = 'standard' | 'rolling' | 'first-repeat';
export interface OracleCohort {
  cohort: string;
  size: number;
  /** k from 0 to the month of the last data instant */
  periods: { k: number; customers: number; rate: number; revenue: number; cumulativeRevenuePerCustomer: number; complete: boolean }[];
}

const monthIndex = (ts: number) => {
  const d = new Date(ts);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
const monthLabel = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
const monthStart = (index: number) => Date.UTC(Math.floor(index / 12), index % 12, 1);

/**
 * Customers per cell: `standard` — a valid order in month k; `rolling` — a valid order in month k or
 * later; `first-repeat` — the second valid order in month k or earlier. Revenue is the valid orders'
 * amounts in month k (whatever the mode).
 */
export function oracleRetention(model: Model, mode: RetentionMode): OracleCohort[] {
  const lastMonth = monthIndex(model.lastOrderInstant);
  const cohorts = new Map<number, OracleCohort>();
  const sorted = [...model.customers.values()].sort((a, b) => a[0]!.ts - b[0]!.ts);
  for (const orders of sorted) {
    const c0 = monthIndex(orders[0]!.ts);
    let cohort = cohorts.get(c0);
    if (!cohort) {
      cohort = { cohort: monthLabel(c0), size: 0, periods: [] };
      for (let k = 0; c0 + k <= lastMonth; k++) {
        cohort.periods.push({ k, customers: 0, rate: 0, revenue: 0, cumulativeRevenuePerCustomer: 0, complete: monthStart(c0 + k + 1) <= model.lastOrderInstant });
      }
      cohorts.set(c0, cohort);
    }
    cohort.size++;
    const months = orders.map((o) => monthIndex(o.ts) - c0);
    const repeatK = orders[1] ? monthIndex(orders[1].ts) - c0 : null;
    for (const cell of cohort.periods) {
      const k = cell.k;
      const inK = months.includes(k);
      const counted = mode === 'standard' ? inK : mode === 'rolling' ? months.some((m) => m >= k) : repeatK !== null && repeatK <= k;
      if (counted) cell.customers++;
      for (let i = 0; i < orders.length; i++) if (months[i] === k) cell.revenue += orders[i]!.amount;
    }
  }
  for (const c of cohorts.values()) {
    let cumulative = 0;
    for (const cell of c.periods) {
      cumulative += cell.revenue;
      cell.rate = cell.customers / c.size;
      cell.cumulativeRevenuePerCustomer = cumulative / c.size;
    }
  }
  return [...cohorts.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}

// ---------------------------------------------------------------------------------------------------
// §5.4 Repurchase

export interface OracleRepurchase {
  windows: { days: number; eligible: number; repurchased: number }[];
  /** median days from first to second valid order, over customers with a second one */
  medianDaysToSecond: number | null;
  /** customers per (from, to] bucket of days to the second order ([0, 1] for the first, (365, ∞) last) */
  daysToSecond: { from: number; to: number | null; customers: number }[];
  /** customers with 1, 2, … 9, 10 or more valid orders */
  ordersPerCustomer: { orders: number | '10+'; customers: number }[];
  /** revenue of every valid order after a customer's first, and of all */
  repeatRevenue: number;
  totalRevenue: number;
}

export function oracleRepurchase(model: Model, windows = [3, 7, 15, 30, 90]): OracleRepurchase {
  const gaps: number[] = [];
  const perCount = new Map<number, number>();
  let repeatRevenue = 0, totalRevenue = 0;
  for (const orders of model.customers.values()) {
    if (orders[1]) gaps.push((orders[1].ts - orders[0]!.ts) / DAY);
    const n = Math.min(orders.length, 10);
    perCount.set(n, (perCount.get(n) ?? 0) + 1);
    orders.forEach((o, i) => {
      totalRevenue += o.amount;
      if (i > 0) repeatRevenue += o.amount;
    });
  }
  const edges = [0, 1, 3, 7, 15, 30, 60, 90, 180, 365];
  const daysToSecond = edges.map((from, i) => {
    const to = edges[i + 1] ?? null;
    const customers = gaps.filter((g) => (i === 0 ? g >= 0 : g > from) && (to === null || g <= to)).length;
    return { from, to, customers };
  });
  return {
    windows: windowCounts(model, windows),
    medianDaysToSecond: medianOf(gaps),
    daysToSecond,
    ordersPerCustomer: Array.from({ length: 10 }, (_, i) => ({ orders: i < 9 ? i + 1 : ('10+' as const), customers: perCount.get(i + 1) ?? 0 })),
    repeatRevenue,
    totalRevenue,
  };
}

function windowCounts(model: Model, windows: number[]): OracleRepurchase['windows'] {
  return windows.map((days) => {
    let eligible = 0, repurchased = 0;
    for (const orders of model.customers.values()) {
      const t1 = orders[0]!.ts;
      if (t1 > model.lastOrderInstant - days * DAY) continue;
      eligible++;
      const t2 = orders[1]?.ts;
      if (t2 !== undefined && t2 - t1 <= days * DAY) repurchased++;
    }
    return { days, eligible, repurchased };
  });
}

// ---------------------------------------------------------------------------------------------------
// §5.1 ad-hoc event funnels in every mode (issue 16): one event fills at most one step

export interface OracleEvent {
  id: string;
  /** epoch ms */
  ts: number;
  type: string;
}

export interface OracleEventFunnelOptions {
  mode: 'ordered' | 'strict' | 'any-order' | 'unordered';
  /** event types, one per step (repeats allowed) */
  steps: string[];
  windowMs: number;
  /** the period [from, to) as epoch ms */
  from: number;
  to: number;
  /** drop people with an event of `type` after their step `from` and before their step `to` (1-based) */
  exclusions?: { type: string; from: number; to: number }[];
}

/** How many of `types` (one per step, repeats allowed) the events can fill at most, each event once (a matching). */
function matchable(types: string[], events: OracleEvent[]): number {
  let n = 0;
  for (const t of new Set(types)) n += Math.min(types.filter((x) => x === t).length, events.filter((e) => e.type === t).length);
  return n;
}

/**
 * Every chain from one start, by exhaustive search: step k is any not-yet-used event of its type at or
 * after step k−1's time, within the window from the start; `strict`: at step k−1's instant or the
 * person's next instant. Returns the most steps any chain reaches and, per step, the earliest time any
 * chain reaches it there.
 */
function chainsFrom(start: OracleEvent, events: OracleEvent[], o: OracleEventFunnelOptions): { level: number; earliest: number[] } {
  const instants = [...new Set(events.map((e) => e.ts))].sort((a, b) => a - b);
  const earliest: number[] = [start.ts];
  let level = 1;
  const walk = (k: number, used: Set<string>, prev: number) => {
    if (k > o.steps.length) return;
    const next = instants.find((t) => t > prev);
    for (const e of events) {
      if (e.type !== o.steps[k - 1] || used.has(e.id) || e.ts < prev || e.ts > start.ts + o.windowMs) continue;
      if (o.mode === 'strict' && e.ts !== prev && e.ts !== next) continue;
      level = Math.max(level, k);
      earliest[k - 1] = Math.min(earliest[k - 1] ?? Infinity, e.ts);
      walk(k + 1, new Set([...used, e.id]), e.ts);
    }
  };
  walk(2, new Set([start.id]), start.ts);
  return { level, earliest };
}

/** People reaching each step of an event funnel, per mode (written from queries/README.md's rules, not from its SQL). */
export function oracleEventFunnel(persons: Map<string, OracleEvent[]>, o: OracleEventFunnelOptions): number[] {
  const counts = o.steps.map(() => 0);
  const inPeriod = (t: number) => t >= o.from && t < o.to;
  for (const events of persons.values()) {
    let best = 0;
    let dropped = false;
    if (o.mode === 'ordered' || o.mode === 'strict') {
      for (const start of events.filter((e) => e.type === o.steps[0] && inPeriod(e.ts))) {
        const { level, earliest } = chainsFrom(start, events, o);
        best = Math.max(best, level);
        for (const x of o.exclusions ?? []) {
          if (level < x.from) continue;
          const until = level >= x.to ? earliest[x.to - 1]! : start.ts + o.windowMs + 0.001;
          if (events.some((e) => e.type === x.type && e.ts > earliest[x.from - 1]! && e.ts < until)) dropped = true;
        }
      }
    } else {
      const hits = events.filter((e) => o.steps.includes(e.type));
      const starts = hits.filter((e) => inPeriod(e.ts)).map((e) => e.ts).sort((a, b) => a - b);
      const anchors = o.mode === 'any-order' ? starts.slice(0, 1) : [...new Set(starts)];
      for (const a of anchors) {
        const inWindow = hits.filter((e) => e.ts >= a && e.ts <= a + o.windowMs);
        if (o.mode === 'unordered') best = Math.max(best, matchable(o.steps, inWindow));
        else {
          // any order: step k when steps 1..k can all be filled, each by its own event
          let k = 0;
          while (k < o.steps.length && matchable(o.steps.slice(0, k + 1), inWindow) === k + 1) k++;
          best = Math.max(best, k);
        }
      }
    }
    if (dropped) continue;
    for (let k = 0; k < best; k++) counts[k]!++;
  }
  return counts;
}
