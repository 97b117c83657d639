// The weekly snapshot as plain text (the text part of its mail, for clients that show no HTML and for
// previews) and the mail's subject with the week's headline — worded by web/i18n/weekly-format.ts, as
// the Weekly page and the HTML file are, so the three never disagree on a figure.
import type { SnapshotResult } from '../api.ts';
import { formats } from '../i18n/format.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { metricName } from '../i18n/names.ts';
import { noteText } from '../i18n/notes.ts';
import { notableText, reasonNotes, weeklyChange, weeklyValue } from '../i18n/weekly-format.ts';
import { shownMetrics } from './rows.ts';

type Metric = SnapshotResult['metrics'][number];

/** The figure a subject line leads with: revenue when there are orders, else purchasers, else visitors. */
const headlineKeys = ['revenue', 'purchasers', 'visitors'] as const;

function headlineMetric(r: SnapshotResult): Metric | undefined {
  return headlineKeys.map((k) => r.metrics.find((m) => m.key === k)).find((m) => m && m.value !== null);
}

/** "Revenue £1,234.00 (▲ +8.2%)" for the week, or null when the week has no figure at all. */
export function snapshotHeadline(r: SnapshotResult, locale: Locale = 'en'): string | null {
  const m = headlineMetric(r);
  if (!m) return null;
  const t = translator(locale);
  const f = formats(locale);
  const change = weeklyChange(t, f, m);
  return `${metricName(t, m.key)} ${weeklyValue(f, m.unit, m.value, r.currency)}${change.tone === 'na' ? '' : ` (${change.text.replace('\u00a0', ' ')})`}`;
}

/** "Weekly snapshot 2026-W47: Revenue £1,234.00 (▲ +8.2%)" (a full-width colon in Chinese). */
export function snapshotSubject(r: SnapshotResult, locale: Locale = 'en'): string {
  const t = translator(locale);
  const headline = snapshotHeadline(r, locale);
  return `${t('weekly.title')} ${r.week}${headline ? `${locale === 'en' ? ': ' : '：'}${headline}` : ''}`;
}

/** The snapshot's figures, movements, campaigns and notes as aligned plain text. */
export function renderSnapshotText(r: SnapshotResult, locale: Locale = 'en'): string {
  const t = translator(locale);
  const f = formats(locale);
  const { shown, hidden } = shownMetrics(r.metrics);
  const header = [t('weekly.metric'), t('weekly.thisWeek'), t('weekly.previous'), t('weekly.avg4'), t('weekly.change')];
  const body = shown.map((m) => [
    `${metricName(t, m.key)}${m.reason ? ' *' : ''}`,
    weeklyValue(f, m.unit, m.value, r.currency),
    weeklyValue(f, m.unit, m.previous, r.currency),
    weeklyValue(f, m.unit, m.trailing4, r.currency),
    weeklyChange(t, f, m).text.replace('\u00a0', ' '),
  ]);
  // East Asian characters take two columns in a monospaced font
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => width(row[i]!))));
  const pad = (s: string, i: number) => (i === 0 ? s + ' '.repeat(widths[i]! - width(s)) : ' '.repeat(widths[i]! - width(s)) + s);
  const table = [header, ...body].map((row) => row.map(pad).join('  ').trimEnd());
  const lastDay = new Date(Date.parse(`${r.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const lines = [`${t('weekly.title')} ${r.week}${r.complete ? '' : ` (${t('unit.incomplete')})`}`, `${r.from} – ${lastDay} (${r.timezone})`, '', ...table, ''];
  lines.push(t('weekly.notable'));
  lines.push(...(r.notable.length ? r.notable.map((n) => `- ${notableText(t, f, n, r.currency)}`) : [t('weekly.noneNotable')]), '');
  const { byPurchasers, byRoas } = r.topCampaigns;
  if (byPurchasers.length) {
    lines.push(t('weekly.topPurchasers'), ...byPurchasers.map((c) => `- ${c.campaign}: ${f.int(c.purchasers)} · ${weeklyValue(f, 'money', c.revenue, r.currency)}`), '');
  }
  if (byRoas.length) lines.push(t('weekly.topRoas'), ...byRoas.map((c) => `- ${c.campaign}: ${f.times(c.roas)}`), '');
  const separator = locale === 'en' ? ', ' : '、';
  if (hidden.length) lines.push(t('weekly.hiddenRows', { metrics: hidden.map((m) => metricName(t, m.key)).join(separator), weeks: r.metrics[0]?.series.length ?? 0 }));
  lines.push(...reasonNotes(t, f, r.metrics), ...r.notes.map((n) => noteText(t, f, n)));
  return `${lines.join('\n').trimEnd()}\n`;
}
