// The weekly snapshot as one self-contained HTML file (SPEC §5.7): the snapshot JSON and a DOM document
// (a jsdom one in Node) in, one HTML string out. Charts are the web app's own chart functions, inlined
// as SVG; the only CSS is inlined; no script, font, image or stylesheet is loaded from anywhere.
import type { SnapshotResult } from '../api.ts';

type SnapshotMetric = SnapshotResult['metrics'][number];
type NotableMovement = SnapshotResult['notable'][number];
type TopCampaign = SnapshotResult['topCampaigns']['byRoas'][number];
import { decompositionChart } from '../charts/efficiency-chart.ts';
import { sparkline } from '../charts/sparkline.ts';
import { formats, type Formats } from '../i18n/format.ts';
import { translateKey, translator, type Locale, type Translate } from '../i18n/index.ts';
import { snapshotCss } from './snapshot-css.ts';

export interface RenderOptions {
  /** where the charts are built: `window.document`, or a jsdom document in Node */
  document: Document;
  locale?: Locale;
  /** shown in the footer; omitted when not given (keeps the output reproducible) */
  generatedAt?: Date;
}

const intlLocale: Record<Locale, string> = { en: 'en-GB', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW' };

/** Escapes text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Metrics where a rise is bad news (the change is coloured the other way round). */
const riseIsBad = new Set<string>(['atRisk']);
/** Rows after which the table draws a group rule: traffic and sales | the I-chain | customers. */
const groupEnds = new Set<string>(['averageOrderValue', 'I5']);

interface Fmt {
  f: Formats;
  t: Translate;
  value: (x: number | null, unit: SnapshotMetric['unit'], averaged?: boolean) => string;
  /** a difference of two rates in percentage points, one decimal, without its sign: 10.0 */
  points: (x: number) => string;
}

function formatter(locale: Locale, currency: string): Fmt {
  const f = formats(locale);
  const t = translator(locale);
  const whole = new Intl.NumberFormat(intlLocale[locale], { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 });
  const value = (x: number | null, unit: SnapshotMetric['unit'], averaged = false): string => {
    if (x === null || !Number.isFinite(x)) return '–';
    // a rate under 1% (awareness of a large audience) keeps significant digits: 0.0063%, not 0.0%
    if (unit === 'rate') return f.pctSig(x);
    if (unit === 'money') return Math.abs(x) >= 1000 ? whole.format(x) : f.money(x, currency);
    return averaged && !Number.isInteger(x) ? f.num(x, 1) : f.int(x);
  };
  const oneDecimal = new Intl.NumberFormat(intlLocale[locale], { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return { f, t, value, points: (x) => oneDecimal.format(Math.abs(x) * 100) };
}

/** The metric's name in the interface language (the same rule as the Weekly page). */
function label(t: Translate, m: { key: string; label: string }): string {
  return translateKey(t, /^I[1-5]$/.test(m.key) ? m.key : `metric.${m.key}`, m.label);
}

/** The change cell: relative for counts and money, in percentage points for rates; arrow and colour by good/bad. */
function changeCell(m: SnapshotMetric, fmt: Fmt): string {
  // rates change in percentage points, except rates under 1% (awareness of a large audience), where
  // points read as noise (+0.00015 pp) and the relative change says more
  const points = m.unit === 'rate' && !(Math.abs(m.value ?? 0) < 0.01 && Math.abs(m.previous ?? 0) < 0.01);
  const delta = points ? m.difference : m.change;
  if (delta === null || !Number.isFinite(delta)) {
    const why = m.previous === 0 ? 'previous week is 0' : m.previous === null ? 'no previous week' : 'not available';
    return `<td class="na" title="${esc(why)}">–</td>`;
  }
  const sign = delta > 0 ? '+' : delta < 0 ? '-' : '';
  const signed = points ? fmt.t('weekly.points', { n: `${sign}${fmt.points(delta)}` }) : `${sign}${fmt.f.pct(Math.abs(delta), 1)}`;
  if (delta === 0) return `<td class="flat">${esc(signed)}</td>`;
  const good = delta > 0 !== riseIsBad.has(m.key);
  return `<td class="${good ? 'good' : 'bad'}">${delta > 0 ? '▲' : '▼'}&nbsp;${esc(signed)}</td>`;
}

function metricRow(m: SnapshotMetric, fmt: Fmt, doc: Document, locale: Locale): string {
  const points = m.series.map((p) => ({ period: p.week, value: p.value }));
  const drawn = points.filter((p) => p.value !== null).length >= 2;
  const name = label(fmt.t, m);
  const spark = drawn
    ? sparkline(points, { document: doc, locale, label: fmt.t('weekly.sparklineTitle', { metric: name }), width: 110, height: 22, format: (v) => fmt.value(v, m.unit) }).outerHTML
    : '<span class="na">–</span>';
  const marker = m.reason ? ' <span class="mark">*</span>' : '';
  return `<tr${groupEnds.has(m.key) ? ' class="group"' : ''}>
<td>${esc(name)}${marker}</td>
<td class="now">${esc(fmt.value(m.value, m.unit))}</td>
<td>${esc(fmt.value(m.previous, m.unit))}</td>
<td>${esc(fmt.value(m.trailing4, m.unit, true))}</td>
${changeCell(m, fmt)}
<td class="spark">${spark}</td>
</tr>`;
}

function campaignTable(title: string, list: TopCampaign[], columns: ('purchasers' | 'revenue' | 'roas' | 'cost')[], fmt: Fmt, empty: string): string {
  const head: Record<string, string> = { purchasers: fmt.t('campaigns.purchasers'), revenue: fmt.t('campaigns.revenue'), roas: fmt.t('campaigns.roas'), cost: fmt.t('campaigns.cost') };
  const cell = (c: TopCampaign, k: (typeof columns)[number]) =>
    k === 'purchasers' ? fmt.f.int(c.purchasers) : k === 'roas' ? fmt.f.times(c.roas) : fmt.value(k === 'cost' ? c.cost : c.revenue, 'money');
  const body = list.length
    ? list
        .map((c) => {
          const key = [c.source, c.medium].filter(Boolean).join(' / ');
          return `<tr><td>${esc(c.campaign)}${key ? ` <span class="key">${esc(key)}</span>` : ''}</td>${columns.map((k) => `<td>${esc(cell(c, k))}</td>`).join('')}</tr>`;
        })
        .join('\n')
    : `<tr><td colspan="${columns.length + 1}" class="empty">${esc(empty)}</td></tr>`;
  return `<h2>${esc(title)}</h2>
<table class="campaigns" role="table"><thead><tr><th>${esc(fmt.t('campaigns.campaign'))}</th>${columns.map((k) => `<th>${esc(head[k]!)}</th>`).join('')}</tr></thead>
<tbody>${body}</tbody></table>`;
}

function decompositionPanel(r: SnapshotResult, fmt: Fmt, doc: Document, locale: Locale): string {
  const title = fmt.t('weekly.decompositionTitle');
  const d = r.decomposition;
  if (!d || !d.factors.some((x) => x.logChange !== null)) {
    const why = d?.reason ?? 'the previous week has no data';
    return `<h2>${esc(title)}</h2><p class="empty">${esc(`No decomposition: ${why}.`)}</p>`;
  }
  const { previous, current } = d.purchases;
  const change = previous && current !== null ? (current - previous) / previous : null;
  const lead = `${fmt.t('Q4')}${r.q4Mode === 'nested' ? ' (active visitors who bought)' : ''}: ${fmt.f.int(previous)} → ${fmt.f.int(current)}${change !== null ? ` (${change > 0 ? '+' : ''}${fmt.f.pct(change, 1)})` : ''}`;
  const chart = decompositionChart(d.factors, { document: doc, locale, width: 430, title }).outerHTML;
  return `<div class="chart">${chart}</div><p class="lead">${esc(lead)}</p>`;
}

function notablePanel(list: NotableMovement[], fmt: Fmt): string {
  const items = list.length ? `<ul class="notable">${list.map((n) => `<li>${esc(n.sentence)}</li>`).join('')}</ul>` : `<p class="empty">${esc(fmt.t('weekly.noneNotable'))}</p>`;
  return `<h2>${esc(fmt.t('weekly.notable'))}</h2>${items}`;
}

function dayLabel(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** Metric reasons, grouped: "Visitors, Active visitors: no web events loaded." */
function reasonNotes(r: SnapshotResult, t: Translate): string[] {
  const by = new Map<string, string[]>();
  for (const m of r.metrics) if (m.reason) by.set(m.reason, [...(by.get(m.reason) ?? []), label(t, m)]);
  return [...by].map(([reason, names]) => `* ${names.join(', ')}: ${reason}.`);
}

/** The whole snapshot as one HTML document (a string starting with <!doctype html>). */
export function renderSnapshot(r: SnapshotResult, opts: RenderOptions): string {
  const locale = opts.locale ?? 'en';
  const fmt = formatter(locale, r.currency);
  const { t } = fmt;
  const doc = opts.document;
  const lastDay = new Date(Date.parse(`${r.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const range = `${dayLabel(r.from, locale)} – ${dayLabel(lastDay, locale)} (${r.timezone})`;
  const data = r.data.first && r.data.last ? ` · data ${dayLabel(r.data.first.slice(0, 10), locale)} – ${dayLabel(r.data.last.slice(0, 10), locale)}` : '';
  const badge = r.complete ? '' : `<span class="badge">${esc(t('unit.incomplete'))}</span>`;
  const rows = r.metrics.map((m) => metricRow(m, fmt, doc, locale)).join('\n');
  const { byPurchasers, byRoas } = r.topCampaigns;
  const noCampaigns = !byPurchasers.length && !byRoas.length ? t('state.noCampaigns') : null;
  const notes = [...reasonNotes(r, t), ...r.notes];
  const generated = opts.generatedAt ? ` · ${opts.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  return `<!doctype html>
<html lang="${esc(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${t('weekly.title')} ${r.week}`)}</title>
<style>${snapshotCss}</style>
</head>
<body>
<div class="sheet">
<table class="layout" role="presentation" width="100%" cellpadding="0" cellspacing="0">
<tr><td colspan="3" style="padding-bottom:8px">
<h1>${esc(t('weekly.title'))} · ${esc(r.week)}${badge}</h1>
<div class="sub">${esc(range + data)}</div>
</td></tr>
<tr>
<td width="60%">
<table class="figures" role="table">
<thead><tr><th>${esc(t('weekly.metric'))}</th><th>${esc(t('weekly.thisWeek'))}</th><th>${esc(t('weekly.previous'))}</th><th>${esc(t('weekly.avg4'))}</th><th>${esc(t('weekly.change'))}</th><th>${esc(t('weekly.trend'))}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</td>
<td width="2%"></td>
<td width="38%">
<div class="panel">${decompositionPanel(r, fmt, doc, locale)}</div>
<div class="panel">${notablePanel(r.notable, fmt)}</div>
</td>
</tr>
<tr><td colspan="3" style="padding-top:6px">
<table class="layout" role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>
<td width="49%">${campaignTable(t('weekly.topPurchasers'), byPurchasers, ['purchasers', 'revenue', 'roas'], fmt, noCampaigns ?? 'No purchases from a tagged campaign this week.')}</td>
<td width="2%"></td>
<td width="49%">${campaignTable(t('weekly.topRoas'), byRoas, ['roas', 'cost', 'revenue', 'purchasers'], fmt, noCampaigns ?? 'No campaign with both a cost and revenue this week.')}</td>
</tr></table>
</td></tr>
<tr><td colspan="3">
<ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
<div class="foot">aida${generated}</div>
</td></tr>
</table>
</div>
</body>
</html>
`;
}
