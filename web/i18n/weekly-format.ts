// The weekly snapshot's figures as text, one format for the Weekly page and the emailed file
// (web/snapshot/render.ts): values by unit, the change against the previous week, the notable
// movements and the metric reasons — so the page and the file cannot say a figure differently.
import type { SnapshotResult } from '../api.ts';
import { intlLocale, type Formats } from './format.ts';
import type { Translate } from './index.ts';
import { metricName } from './names.ts';
import { noteText, type Note } from './notes.ts';

type Metric = SnapshotResult['metrics'][number];
type Notable = SnapshotResult['notable'][number];
type Unit = Metric['unit'];

/** Metrics where a rise is bad news (the change is coloured the other way round). */
const riseIsBad = new Set<string>(['atRisk']);

/**
 * A value in its unit; a rate under 1% keeps significant digits (0.0063%, not 0.0%); money from 1,000 on
 * without cents; counts (people, orders) whole, the 4-week average too: 75.5 customers reads as 76.
 */
export function weeklyValue(f: Formats, unit: Unit, x: number | null | undefined, currency: string): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (unit === 'rate') return f.pctSig(x);
  if (unit === 'money') return Math.abs(x) >= 1000 ? f.moneyTick(x, currency) : f.money(x, currency);
  return f.int(x);
}

const fixed1 = (f: Formats, x: number) => new Intl.NumberFormat(intlLocale[f.locale], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);

export interface WeeklyChange {
  /** the cell's text: ▲ +300.0%, ▼ -10.0 pt, 0.0%, or – */
  text: string;
  /** good / bad news (a rise of at-risk customers is bad), flat, or na when there is no change to show */
  tone: 'good' | 'bad' | 'flat' | 'na';
  /** why there is no change (na only) */
  why?: string;
}

/**
 * The change against the previous week: relative for counts and money, in percentage points for rates,
 * except rates under 1% (awareness of a large audience), where points read as noise and the relative
 * change says more.
 */
export function weeklyChange(t: Translate, f: Formats, m: Pick<Metric, 'key' | 'unit' | 'value' | 'previous' | 'change' | 'difference'>): WeeklyChange {
  const points = m.unit === 'rate' && !(Math.abs(m.value ?? 0) < 0.01 && Math.abs(m.previous ?? 0) < 0.01);
  const delta = points ? m.difference : m.change;
  if (delta === null || !Number.isFinite(delta)) {
    const why = m.previous === 0 ? t('weekly.changeNa.previousZero') : m.previous === null ? t('weekly.changeNa.noPrevious') : t('weekly.changeNa.unavailable');
    return { text: '–', tone: 'na', why };
  }
  const sign = delta > 0 ? '+' : delta < 0 ? '-' : '';
  const signed = points ? t('weekly.points', { n: `${sign}${fixed1(f, Math.abs(delta) * 100)}` }) : `${sign}${f.pct(Math.abs(delta), 1)}`;
  if (delta === 0) return { text: signed, tone: 'flat' };
  return { text: `${delta > 0 ? '▲' : '▼'}\u00a0${signed}`, tone: delta > 0 !== riseIsBad.has(m.key) ? 'good' : 'bad' };
}

/** A figure inside a sentence: rates to one decimal, money whole from 100 on, counts to one decimal. */
function figure(f: Formats, unit: Unit, x: number, currency: string): string {
  if (unit === 'rate') return f.pct(x, 1);
  if (unit === 'money') return Math.abs(x) >= 100 ? f.moneyTick(x, currency) : f.money(x, currency);
  return f.num(x, 1);
}

/** "Revenue £600 is 11.7 standard deviations above its 8-week average of £93.75." in the interface language. */
export function notableText(t: Translate, f: Formats, n: Notable, currency: string): string {
  return t(n.direction === 'above' ? 'weekly.notableAbove' : 'weekly.notableBelow', {
    metric: metricName(t, n.key),
    value: figure(f, n.unit, n.value, currency),
    z: fixed1(f, Math.abs(n.z)),
    weeks: n.weeks,
    mean: figure(f, n.unit, n.mean, currency),
  });
}

/** The metrics' reasons, one line per reason naming its metrics: "* Visitors, Active visitors: no web events loaded." */
export function reasonNotes(t: Translate, f: Formats, metrics: Pick<Metric, 'key' | 'reason'>[]): string[] {
  const by = new Map<string, { reason: Note; names: string[] }>();
  for (const m of metrics) {
    if (!m.reason) continue;
    const key = JSON.stringify(m.reason);
    const entry = by.get(key) ?? { reason: m.reason, names: [] };
    entry.names.push(metricName(t, m.key));
    by.set(key, entry);
  }
  const separator = f.locale === 'en' ? ', ' : '、';
  return [...by.values()].map(({ reason, names }) => t('weekly.reasonNote', { metrics: names.join(separator), reason: noteText(t, f, reason).replace(/[.。]$/, '') }));
}
