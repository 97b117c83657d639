// `aida snapshot`: the weekly executive snapshot as one self-contained HTML file (and, with --pdf, the
// same page printed to PDF by Chromium; with --mail, sent by SMTP). bin/snapshot-report.ts runs the query
// and renders it; a week outside the data is an error (exit 1) naming the weeks the data covers.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDb } from '../../queries/db/open.ts';
import { databasePath, defaultDatabase } from '../../queries/db/paths.ts';
import { weekParam } from '../../queries/snapshot.ts';
import { MailError, sendMail } from '../../server/mail.ts';
import { isLocale, locales } from '../../web/i18n/index.ts';
import { loadConfig } from '../config.ts';
import { snapshotReport, WeekOutsideData, type SnapshotReport } from '../snapshot-report.ts';

export const snapshotHelp = `Usage: aida snapshot [--week YYYY-Www] [--lang en|zh-Hans|zh-Hant] [--out FILE.html] [--pdf FILE.pdf] [--mail TO[,TO...]] [--db PATH] [--config PATH]

Writes the weekly executive snapshot for an ISO week (Monday to Sunday in the configured timezone;
default: the last complete week of data) as one self-contained HTML file: inline SVG charts, inline
styles, no scripts, nothing loaded from the network; readable from a 360 px phone to one A4 landscape
page when printed. A week with no data is an error (exit 1) that names the weeks the data covers.

  --week YYYY-Www  the ISO week, e.g. 2026-W47
  --lang LANG      the language of the file: en (default), zh-Hans (简体) or zh-Hant (繁體)
  --out FILE.html  where to write the HTML (default: aida-snapshot-<week>.html, unless only --pdf or --mail is given)
  --pdf FILE.pdf   also print the page to PDF with Chromium (/usr/bin/chromium, or env AIDA_CHROMIUM)
  --mail TO,...    send it by SMTP (config "smtp"; password in env AIDA_SMTP_PASSWORD): an HTML body, a
                   plain-text part, the file attached; subject "Weekly snapshot <week>: <headline>"
  --db PATH        the warehouse (default ${defaultDatabase}, env AIDA_DB)
  --config PATH    aida.config.json (default ./aida.config.json if present, env AIDA_CONFIG)`;

/** The Chromium that prints PDFs (Debian's package; SPEC §2). */
export function chromiumPath(): string {
  return process.env.AIDA_CHROMIUM ?? '/usr/bin/chromium';
}

export async function snapshotCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      week: { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string' },
      pdf: { type: 'string' },
      mail: { type: 'string' },
      db: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(snapshotHelp);
    return 0;
  }
  if (positionals.length) {
    console.error(`aida snapshot takes no positional arguments (got ${positionals.map((p) => `'${p}'`).join(' ')}); see aida snapshot --help`);
    return 2;
  }
  if (values.week !== undefined) {
    const week = weekParam.safeParse(values.week);
    if (!week.success) {
      console.error(`--week '${values.week}': ${week.error.issues[0]!.message}`);
      return 2;
    }
  }
  if (values.lang !== undefined && !isLocale(values.lang)) {
    console.error(`--lang '${values.lang}': expected one of ${locales.join(', ')}`);
    return 2;
  }
  const locale = values.lang !== undefined && isLocale(values.lang) ? values.lang : 'en';
  if (values.pdf !== undefined && !values.pdf.toLowerCase().endsWith('.pdf')) {
    console.error(`--pdf '${values.pdf}': expected a file name ending in .pdf`);
    return 2;
  }
  const recipients = values.mail?.split(',').map((a) => a.trim()).filter(Boolean);
  if (recipients !== undefined) {
    const bad = recipients.length ? recipients.find((a) => !z.email().safeParse(a).success) : values.mail;
    if (bad !== undefined) {
      console.error(`--mail '${bad}': expected e-mail addresses separated by commas, e.g. --mail ana@example.com,li@example.com`);
      return 2;
    }
  }
  const config = loadConfig(values.config);
  if (recipients && !config.smtp) {
    console.error('--mail needs "smtp" in the config: "smtp": { "host": "smtp.example.com", "port": 587, "from": "aida <reports@example.com>", "user": "..." } (password in env AIDA_SMTP_PASSWORD)');
    return 1;
  }
  const file = databasePath(values.db);
  if (!fs.existsSync(file)) {
    console.error(`no warehouse at ${file}: load data first (aida ingest FILE, or aida demo --load), or pass --db PATH`);
    return 1;
  }
  if (values.pdf && !fs.existsSync(chromiumPath())) {
    console.error(`--pdf needs Chromium, which is not installed at ${chromiumPath()}: install it (apt-get install chromium) or set AIDA_CHROMIUM to its path`);
    return 1;
  }

  const db = await openDb(file);
  let report: SnapshotReport;
  try {
    report = await snapshotReport({ db, config }, { ...(values.week ? { week: values.week } : {}), locale, generatedAt: new Date() });
  } catch (err) {
    if (!(err instanceof WeekOutsideData)) throw err;
    console.error(`error: ${err.message}${values.week ? '; pick a week in that range, or leave --week out for the last complete week' : ''}`);
    return 1;
  } finally {
    await db.close();
  }
  const { week } = report;

  const out = values.out ?? (values.pdf || recipients ? undefined : `aida-snapshot-${week}.html`);
  if (out) {
    writeFile(out, report.file);
    console.log(`wrote ${out} (weekly snapshot ${week})`);
  }
  if (values.pdf) {
    await printPdf(report.file, values.pdf);
    console.log(`wrote ${values.pdf} (weekly snapshot ${week}, A4 landscape)`);
  }
  if (recipients) {
    try {
      const sent = await sendMail(config.smtp, { ...report.mail, to: recipients });
      console.log(`mailed the weekly snapshot ${week} to ${sent.accepted.join(', ')} ("${report.mail.subject}")${sent.rejected.length ? `; refused: ${sent.rejected.join(', ')}` : ''}`);
    } catch (err) {
      if (!(err instanceof MailError)) throw err;
      console.error(`error: ${err.message}`);
      return 1;
    }
  }
  return 0;
}

function writeFile(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, content);
}

/** Prints the HTML to an A4 landscape PDF in headless Chromium, with every network request refused. */
export async function printPdf(html: string, file: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath() });
  try {
    const page = await browser.newPage();
    // the file is self-contained: nothing may be fetched while printing it
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
    writeFile(file, pdf);
  } finally {
    await browser.close();
  }
}
