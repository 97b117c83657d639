// One week's snapshot as everything aida sends or writes of it: the self-contained HTML file (charts
// inline), and the mail — an HTML body without SVG (webmail strips it), a plain-text part, the subject
// with the week's headline, the file attached. Used by `aida snapshot` and by the schedule `aida serve` keeps.
import type { QueryContext } from '../queries/define.ts';
import { snapshot, type SnapshotResult } from '../queries/snapshot.ts';
import { isoWeek } from '../queries/shared/period.ts';
import type { MailMessage } from '../server/mail.ts';
import type { Locale } from '../web/i18n/index.ts';
import { renderSnapshotText, snapshotSubject } from '../web/snapshot/render-text.ts';
import { renderSnapshot } from '../web/snapshot/render.ts';

/** The asked week has no data: the report would be empty. `message` names the weeks the data covers. */
export class WeekOutsideData extends Error {}

export interface SnapshotReport {
  result: SnapshotResult;
  week: string;
  /** the file `aida snapshot` writes */
  file: string;
  mail: Omit<MailMessage, 'to'>;
}

/** Runs the snapshot of `week` (default: the last complete week of data) and renders every form of it. */
export async function snapshotReport(ctx: QueryContext, opts: { week?: string; locale: Locale; generatedAt?: Date }): Promise<SnapshotReport> {
  const result = await snapshot.execute(ctx, opts.week ? { week: opts.week } : {});
  const outside = result.notes.find((n) => n.code === 'snapshot_week_outside_data')?.params;
  if (!result.data.first || !result.data.last) throw new WeekOutsideData('the warehouse has no data yet: load data first (aida ingest FILE, or aida demo --load)');
  if (outside) {
    const first = String(outside.dataFirst);
    const last = String(outside.dataLast);
    throw new WeekOutsideData(`no data in ${result.week}: the data covers ${isoWeek(first)} to ${isoWeek(last)} (${first} to ${last}, ${result.timezone})`);
  }
  const { JSDOM } = await import('jsdom');
  const { document } = new JSDOM('<!doctype html><html><head></head><body></body></html>').window;
  const at = opts.generatedAt ? { generatedAt: opts.generatedAt } : {};
  const file = renderSnapshot(result, { document, locale: opts.locale, ...at });
  const body = renderSnapshot(result, { document, locale: opts.locale, charts: false, ...at });
  return {
    result,
    week: result.week,
    file,
    mail: {
      subject: snapshotSubject(result, opts.locale),
      html: body,
      text: renderSnapshotText(result, opts.locale),
      attachments: [{ filename: `aida-snapshot-${result.week}.html`, content: file, contentType: 'text/html; charset=utf-8' }],
    },
  };
}
