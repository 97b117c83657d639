// The weekly snapshot as one self-contained HTML file (SPEC §5.7): the snapshot JSON and a DOM document
// (a jsdom one in Node) in, one HTML string out. Charts are the web app's own chart functions, inlined
// as SVG; the only CSS is inlined; no script, font, image or stylesheet is loaded from anywhere.
import type { SnapshotResult } from '../api.ts';
import { decompositionChart } from '../charts/efficiency-chart.ts';
import { sparkline } from '../charts/sparkline.ts';
import { formats, intlLocale, type Formats } from '../i18n/format.ts';
import { translator, type Locale, type Translate } from '../i18n/index.ts';
import { levelName, metricName } from '../i18n/names.ts';
import { noteText } from '../i18n/notes.ts';
import { notableText, reasonNotes, weeklyChange, weeklyValue } from '../i18n/weekly-format.ts';
import { snapshotCss } from './snapshot-css.ts';

type SnapshotMetric = SnapshotResult['metrics'][number];
type NotableMovement = SnapshotResult['notable'][number];
type TopCampaign = SnapshotResult['topCampaigns']['byRoas'][number];

export interface RenderOptions {
  /** where the charts are built: `window.document`, or a jsdom document in Node */
  document: Document;
  locale?: Locale;
  /** shown in the footer; omitted when not given (keeps the output reproducible) */
  generatedAt?: Date;
}

/** Escapes text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Rows after which the table draws a group rule: traffic and sales | the I-chain | customers. */
const groupEnds = new Set<string>(['averageOrderValue', 'I5']);

interface Fmt {
  f: Formats;
  t: Translate;
  currency: string;
  value: (x: number | null, unit: SnapshotMetric['unit']) => string;
}

function formatter(locale: Locale, currency: string): Fmt {
  const f = formats(locale);
  return { f, t: translator(locale), currency, value: (x, unit) => weeklyValue(f, unit, x, currency) };
}

/** Text for HTML with its no-break spaces written as &nbsp; (the change cell's arrow keeps to its figure). */
const escNbsp = (s: string) => esc(s).replaceAll('\u00a0', '&nbsp;');

/** The change cell (web/i18n/weekly-format.ts, as on the Weekly page): arrow and colour by good/bad. */
function changeCell(m: SnapshotMetric, fmt: Fmt): string {
  const c = weeklyChange(fmt.t, fmt.f, m);
  if (c.tone === 'na') return `<td class="na" title="${esc(c.why ?? '')}">–</td>`;
  return `<td class="${c.tone}">${escNbsp(c.text)}</td>`;
}

function metricRow(m: SnapshotMetric, fmt: Fmt, doc: Document, locale: Locale): string {
  const points = m.series.map((p) => ({ period: p.week, value: p.value }));
  const drawn = points.filter((p) => p.value !== null).length >= 2;
  const name = metricName(fmt.t, m.key);
  const spark = drawn
    ? sparkline(points, { document: doc, locale, label: fmt.t('weekly.sparklineTitle', { metric: name }), width: 110, height: 22, format: (v) => fmt.value(v, m.unit) }).outerHTML
    : '<span class="na">–</span>';
  const marker = m.reason ? ' <span class="mark">*</span>' : '';
  return `<tr${groupEnds.has(m.key) ? ' class="group"' : ''}>
<td>${esc(name)}${marker}</td>
<td class="now">${esc(fmt.value(m.value, m.unit))}</td>
<td>${esc(fmt.value(m.previous, m.unit))}</td>
<td>${esc(fmt.value(m.trailing4, m.unit))}</td>
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
    const why = d?.reason ? noteText(fmt.t, fmt.f, d.reason) : fmt.t('weekly.noDecomposition.noPrevious');
    return `<h2>${esc(title)}</h2><p class="empty">${esc(fmt.t('weekly.noDecomposition', { why }))}</p>`;
  }
  const { previous, current } = d.purchases;
  const change = previous && current !== null ? (current - previous) / previous : null;
  const lead = `${levelName(fmt.t, 'Q4')}${r.q4Mode === 'nested' ? fmt.t('weekly.q4Nested') : ''}: ${fmt.f.int(previous)} → ${fmt.f.int(current)}${change !== null ? ` (${change > 0 ? '+' : ''}${fmt.f.pct(change, 1)})` : ''}`;
  const factors = d.factors.map((x) => ({ ...x, label: levelName(fmt.t, x.key) }));
  const chart = decompositionChart(factors, { document: doc, locale, width: 430, title }).outerHTML;
  return `<div class="chart">${chart}</div><p class="lead">${esc(lead)}</p>`;
}

function notablePanel(list: NotableMovement[], fmt: Fmt): string {
  const items = list.length ? `<ul class="notable">${list.map((n) => `<li>${esc(notableText(fmt.t, fmt.f, n, fmt.currency))}</li>`).join('')}</ul>` : `<p class="empty">${esc(fmt.t('weekly.noneNotable'))}</p>`;
  return `<h2>${esc(fmt.t('weekly.notable'))}</h2>${items}`;
}

function dayLabel(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** The whole snapshot as one HTML document (a string starting with <!doctype html>). */
export function renderSnapshot(r: SnapshotResult, opts: RenderOptions): string {
  const locale = opts.locale ?? 'en';
  const fmt = formatter(locale, r.currency);
  const { t } = fmt;
  const doc = opts.document;
  const lastDay = new Date(Date.parse(`${r.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const range = `${dayLabel(r.from, locale)} – ${dayLabel(lastDay, locale)} (${r.timezone})`;
  const data = r.data.first && r.data.last ? ` · ${t('weekly.dataRange', { from: dayLabel(r.data.first.slice(0, 10), locale), to: dayLabel(r.data.last.slice(0, 10), locale) })}` : '';
  const badge = r.complete ? '' : `<span class="badge">${esc(t('unit.incomplete'))}</span>`;
  const rows = r.metrics.map((m) => metricRow(m, fmt, doc, locale)).join('\n');
  const { byPurchasers, byRoas } = r.topCampaigns;
  const noCampaigns = !byPurchasers.length && !byRoas.length ? t('state.noCampaigns') : null;
  const notes = [...reasonNotes(t, fmt.f, r.metrics), ...r.notes.map((n) => noteText(t, fmt.f, n))];
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
<td width="49%">${campaignTable(t('weekly.topPurchasers'), byPurchasers, ['purchasers', 'revenue', 'roas'], fmt, noCampaigns ?? t('weekly.noTopPurchasers'))}</td>
<td width="2%"></td>
<td width="49%">${campaignTable(t('weekly.topRoas'), byRoas, ['roas', 'cost', 'revenue', 'purchasers'], fmt, noCampaigns ?? t('weekly.noTopRoas'))}</td>
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
