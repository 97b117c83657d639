// The weekly snapshot as one self-contained HTML file (SPEC §5.7) that reads the same in a browser, a
// mail client, on a 360 px phone and printed on A4: the snapshot JSON and a DOM document (a jsdom one in
// Node) in, one HTML string out. Charts are the web app's own chart functions inlined as SVG (or left
// out, for a mail body: webmail drops SVG); styles are inline; nothing is loaded from anywhere.
import type { SnapshotResult } from '../api.ts';
import { decompositionChart } from '../charts/efficiency-chart.ts';
import { sparkline } from '../charts/sparkline.ts';
import { formats, intlLocale, type Formats } from '../i18n/format.ts';
import { translator, type Locale, type Translate } from '../i18n/index.ts';
import { levelName, metricName } from '../i18n/names.ts';
import { noteText } from '../i18n/notes.ts';
import { notableText, reasonNotes, weeklyChange, weeklyValue } from '../i18n/weekly-format.ts';
import { shownMetrics } from './rows.ts';
import { inline, snapshotCss, type Part } from './snapshot-css.ts';

type SnapshotMetric = SnapshotResult['metrics'][number];
type NotableMovement = SnapshotResult['notable'][number];
type TopCampaign = SnapshotResult['topCampaigns']['byRoas'][number];

export interface RenderOptions {
  /** where the charts are built: `window.document`, or a jsdom document in Node */
  document: Document;
  locale?: Locale;
  /** shown in the footer; omitted when not given (keeps the output reproducible) */
  generatedAt?: Date;
  /** false: no SVG (sparklines, the decomposition chart) — for a mail body, which webmail strips SVG from */
  charts?: boolean;
}

/** `class="…" style="…"` for an element made of named parts (the class lets the <head> rules reach it). */
function look(classes: string, ...parts: (Part | false | undefined)[]): string {
  const style = parts.filter((p): p is Part => Boolean(p)).map((p) => inline[p]).join(';');
  return `${classes ? `class="${classes}" ` : ''}style="${esc(style)}"`;
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
  charts: boolean;
}

function formatter(locale: Locale, currency: string, charts: boolean): Fmt {
  const f = formats(locale);
  return { f, t: translator(locale), currency, value: (x, unit) => weeklyValue(f, unit, x, currency), charts };
}

/** Text for HTML with its no-break spaces written as &nbsp; (the change cell's arrow keeps to its figure). */
const escNbsp = (s: string) => esc(s).replaceAll('\u00a0', '&nbsp;');

/** The change cell (web/i18n/weekly-format.ts, as on the Weekly page): arrow and colour by good/bad. */
function changeCell(m: SnapshotMetric, fmt: Fmt, group: boolean): string {
  const c = weeklyChange(fmt.t, fmt.f, m);
  if (c.tone === 'na') return `<td ${look('na', 'td', group && 'group', 'flat')} title="${esc(c.why ?? '')}">–</td>`;
  return `<td ${look(c.tone, 'td', group && 'group', c.tone)}>${escNbsp(c.text)}</td>`;
}

function metricRow(m: SnapshotMetric, fmt: Fmt, doc: Document, locale: Locale): string {
  const points = m.series.map((p) => ({ period: p.week, value: p.value }));
  const drawn = points.filter((p) => p.value !== null).length >= 2;
  const name = metricName(fmt.t, m.key);
  const g = groupEnds.has(m.key);
  const spark = drawn
    ? sparkline(points, { document: doc, locale, label: fmt.t('weekly.sparklineTitle', { metric: name }), width: 110, height: 22, format: (v) => fmt.value(v, m.unit) }).outerHTML
    : `<span ${look('na', 'flat')}>–</span>`;
  const marker = m.reason ? ` <span ${look('mark', 'mark')}>*</span>` : '';
  return `<tr${g ? ' class="group"' : ''}>
<td ${look('', 'td', 'first', g && 'group')}>${esc(name)}${marker}</td>
<td ${look('now', 'td', 'now', g && 'group')}>${esc(fmt.value(m.value, m.unit))}</td>
<td ${look('wide', 'td', g && 'group')}>${esc(fmt.value(m.previous, m.unit))}</td>
<td ${look('wide', 'td', g && 'group')}>${esc(fmt.value(m.trailing4, m.unit))}</td>
${changeCell(m, fmt, g)}${fmt.charts ? `\n<td ${look('spark', 'td', 'spark', g && 'group')}>${spark}</td>` : ''}
</tr>`;
}

/** (on a phone the cost column gives way, as the previous-week and average columns do: ROAS and revenue tell the story) */
function campaignTable(title: string, list: TopCampaign[], columns: ('purchasers' | 'revenue' | 'roas' | 'cost')[], fmt: Fmt, empty: string): string {
  const head: Record<string, string> = { purchasers: fmt.t('campaigns.purchasers'), revenue: fmt.t('campaigns.revenue'), roas: fmt.t('campaigns.roas'), cost: fmt.t('campaigns.cost') };
  const cell = (c: TopCampaign, k: (typeof columns)[number]) =>
    k === 'purchasers' ? fmt.f.int(c.purchasers) : k === 'roas' ? fmt.f.times(c.roas) : fmt.value(k === 'cost' ? c.cost : c.revenue, 'money');
  const body = list.length
    ? list
        .map((c) => {
          const key = [c.source, c.medium].filter(Boolean).join(' / ');
          return `<tr><td ${look('', 'td', 'first')}>${esc(c.campaign)}${key ? ` <span ${look('key', 'key')}>${esc(key)}</span>` : ''}</td>${columns.map((k) => `<td ${look(k === 'cost' ? 'wide' : '', 'td')}>${esc(cell(c, k))}</td>`).join('')}</tr>`;
        })
        .join('\n')
    : `<tr><td colspan="${columns.length + 1}" ${look('empty', 'empty')}>${esc(empty)}</td></tr>`;
  return `<h2 ${look('', 'h2')}>${esc(title)}</h2>
<table class="campaigns" role="table" width="100%" cellpadding="0" cellspacing="0" ${look('', 'table')}><thead><tr><th ${look('', 'th', 'first')}>${esc(fmt.t('campaigns.campaign'))}</th>${columns.map((k) => `<th ${look(k === 'cost' ? 'wide' : '', 'th')}>${esc(head[k]!)}</th>`).join('')}</tr></thead>
<tbody>${body}</tbody></table>`;
}

function decompositionPanel(r: SnapshotResult, fmt: Fmt, doc: Document, locale: Locale): string {
  const title = fmt.t('weekly.decompositionTitle');
  const d = r.decomposition;
  if (!d || !d.factors.some((x) => x.logChange !== null)) {
    const why = d?.reason ? noteText(fmt.t, fmt.f, d.reason) : fmt.t('weekly.noDecomposition.noPrevious');
    return `<h2 ${look('', 'h2')}>${esc(title)}</h2><p ${look('empty', 'empty')}>${esc(fmt.t('weekly.noDecomposition', { why }))}</p>`;
  }
  const { previous, current } = d.purchases;
  const change = previous && current !== null ? (current - previous) / previous : null;
  const lead = `${levelName(fmt.t, 'Q4')}${r.q4Mode === 'nested' ? fmt.t('weekly.q4Nested') : ''}: ${fmt.f.int(previous)} → ${fmt.f.int(current)}${change !== null ? ` (${change > 0 ? '+' : ''}${fmt.f.pct(change, 1)})` : ''}`;
  if (!fmt.charts) return `<h2 ${look('', 'h2')}>${esc(title)}</h2><p ${look('lead', 'lead')}>${esc(lead)}</p>`;
  const factors = d.factors.map((x) => ({ ...x, label: levelName(fmt.t, x.key) }));
  const chart = decompositionChart(factors, { document: doc, locale, width: 430, title }).outerHTML;
  return `<div class="chart">${chart}</div><p ${look('lead', 'lead')}>${esc(lead)}</p>`;
}

function notablePanel(list: NotableMovement[], fmt: Fmt): string {
  const items = list.length
    ? `<ul ${look('notable', 'list')}>${list.map((n) => `<li ${look('', 'item')}>${esc(notableText(fmt.t, fmt.f, n, fmt.currency))}</li>`).join('')}</ul>`
    : `<p ${look('empty', 'empty')}>${esc(fmt.t('weekly.noneNotable'))}</p>`;
  return `<h2 ${look('', 'h2')}>${esc(fmt.t('weekly.notable'))}</h2>${items}`;
}

function dayLabel(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/**
 * Columns side by side where they fit and stacked where not (a phone), without media queries:
 * inline-block boxes of a max width; Outlook for Windows, which ignores max-width, gets a table.
 */
function columns(cols: { width: number; html: string }[]): string {
  const total = cols.reduce((s, c) => s + c.width, 0);
  const mso = (h: string) => `<!--[if mso]>${h}<![endif]-->`;
  return `${mso(`<table role="presentation" width="${total}" cellpadding="0" cellspacing="0"><tr>`)}<div ${look('columns', 'columns')}>${cols
    .map((c, i) => `${mso(`${i ? '</td>' : ''}<td width="${c.width}" valign="top">`)}<div class="col" style="${inline.col};max-width:${c.width}px"><div style="padding-right:${i < cols.length - 1 ? 12 : 0}px">${c.html}</div></div>`)
    .join('')}</div>${mso('</td></tr></table>')}`;
}

/** The whole snapshot as one HTML document (a string starting with <!doctype html>). */
export function renderSnapshot(r: SnapshotResult, opts: RenderOptions): string {
  const locale = opts.locale ?? 'en';
  const fmt = formatter(locale, r.currency, opts.charts ?? true);
  const { t } = fmt;
  const doc = opts.document;
  const lastDay = new Date(Date.parse(`${r.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const range = `${dayLabel(r.from, locale)} – ${dayLabel(lastDay, locale)} (${r.timezone})`;
  const data = r.data.first && r.data.last ? ` · ${t('weekly.dataRange', { from: dayLabel(r.data.first.slice(0, 10), locale), to: dayLabel(r.data.last.slice(0, 10), locale) })}` : '';
  const badge = r.complete ? '' : `<span ${look('badge', 'badge')}>${esc(t('unit.incomplete'))}</span>`;
  const { shown, hidden } = shownMetrics(r.metrics);
  const rows = shown.map((m) => metricRow(m, fmt, doc, locale)).join('\n');
  const { byPurchasers, byRoas } = r.topCampaigns;
  const noCampaigns = !byPurchasers.length && !byRoas.length;
  const separator = locale === 'en' ? ', ' : '、';
  const notes = [
    ...(hidden.length ? [t('weekly.hiddenRows', { metrics: hidden.map((m) => metricName(t, m.key)).join(separator), weeks: r.metrics[0]?.series.length ?? 0 })] : []),
    ...reasonNotes(t, fmt.f, r.metrics),
    ...r.notes.map((n) => noteText(t, fmt.f, n)),
  ];
  const generated = opts.generatedAt ? ` · ${opts.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  const th = (text: string, ...classes: string[]) => `<th ${look(classes.join(' '), 'th', classes.includes('name') && 'first')}>${esc(text)}</th>`;
  const figures = `<table class="figures" role="table" width="100%" cellpadding="0" cellspacing="0" ${look('', 'table')}>
<thead><tr>${th(t('weekly.metric'), 'name')}${th(t('weekly.thisWeek'))}${th(t('weekly.previous'), 'wide')}${th(t('weekly.avg4'), 'wide')}${th(t('weekly.change'))}${fmt.charts ? th(t('weekly.trend'), 'spark') : ''}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  // a business without web data has no I-chain to split: the panel would only say so (the notes do)
  const decomposition = r.decomposition?.reason?.code === 'snapshot_decomposition_no_web' ? '' : `<div class="panel">${decompositionPanel(r, fmt, doc, locale)}</div>`;
  const side = `${decomposition}<div class="panel">${notablePanel(r.notable, fmt)}</div>`;
  // without any campaign data the two tables would only say "none" twice: one line says why instead
  const campaigns = noCampaigns
    ? `<p ${look('empty', 'empty')}>${esc(t('state.noCampaigns'))}</p>`
    : columns([
        { width: 512, html: campaignTable(t('weekly.topPurchasers'), byPurchasers, ['purchasers', 'revenue', 'roas'], fmt, t('weekly.noTopPurchasers')) },
        { width: 512, html: campaignTable(t('weekly.topRoas'), byRoas, ['roas', 'cost', 'revenue', 'purchasers'], fmt, t('weekly.noTopRoas')) },
      ]);
  return `<!doctype html>
<html lang="${esc(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title>${esc(`${t('weekly.title')} ${r.week}`)}</title>
<style>${snapshotCss}</style>
</head>
<body ${look('', 'body')}>
<div ${look('sheet', 'sheet')}>
<h1 ${look('', 'h1')}>${esc(t('weekly.title'))} · ${esc(r.week)}${badge}</h1>
<div ${look('sub', 'sub')}>${esc(range + data)}</div>
${columns([
  { width: 624, html: figures },
  { width: 400, html: side },
])}
${campaigns}
<ul ${look('notes', 'notes')}>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
<div ${look('foot', 'foot')}>aida${generated}</div>
</div>
</body>
</html>
`;
}
