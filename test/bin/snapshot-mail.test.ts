// The weekly snapshot by mail, received by a real SMTP server the test starts on loopback (smtp-server,
// port 0) and read back with mailparser: `aida snapshot --mail` (the CLI on a warehouse file, login with
// AIDA_SMTP_PASSWORD) and the schedule `aida serve` keeps, driven by an injected clock in a non-UTC
// time zone (sent once at the slot, never twice, not even after a restart). The fixture is a sales-only
// shop, so the report shows the order and customer rows it has and none of the web rows.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotSchedule } from '../../bin/commands/serve.ts';
import { resolveConfig, type ConfigInput } from '../../bin/config.ts';
import { openDb } from '../../queries/db/open.ts';
import { lastSlot, nextSlot } from '../../server/snapshot-schedule.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const run = promisify(execFile);

// A sales-only shop (no web events, no campaigns). ISO weeks of 2026: W45 starts Mon 11-02, W46 Mon 11-09.
//   W45: o1 c1 100 (new), o2 c2 50 (new)                      → 2 orders, £150, 2 purchasers, 2 new, 0 returning
//   W46: o3 c1 200 (returning), o4 c3 100 (new), o5 cancelled → 2 orders, £300, 2 purchasers, 1 new, 1 returning
//   W47: o6 c5 40 on Monday 11-16: the data ends in W47, so the last complete week is W46
// W46 vs W45: revenue 300 vs 150 → +100.0%; the 4-week average is W45's alone (W42–W44 precede the data): £150.
// AOV 300 / 2 = £150 (W45 150 / 2 = £75); repurchase rate W46 1 returning of 2 customers = 50% (W45 0 of 2 = 0%).
// Times are 10:00 UTC = 18:00 in Shanghai, the same local day, so the weeks are the same in both zones.
const orders = `order_id,ts,customer_id,amount,status
o1,2026-11-04T10:00:00Z,c1,100.00,paid
o2,2026-11-05T10:00:00Z,c2,50.00,paid
o3,2026-11-11T10:00:00Z,c1,200.00,paid
o4,2026-11-12T10:00:00Z,c3,100.00,paid
o5,2026-11-12T11:00:00Z,c4,300.00,cancelled
o6,2026-11-16T10:00:00Z,c5,40.00,paid
`;
const subject = 'Weekly snapshot 2026-W46: Revenue £300.00 (▲ +100.0%)';

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  mail: ParsedMail;
}

/** A real SMTP server on loopback: login aida / s3cret, every message kept. */
async function smtpServer(): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'aida' && auth.password === 's3cret') callback(null, { user: 'aida' });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((mail) => {
          const from = session.envelope.mailFrom;
          received.push({ from: from ? from.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, mail });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The figure rows of an HTML body: [name, this week, previous, 4-week average, change]. */
function figureRows(html: string): string[][] {
  const rows = [...html.matchAll(/<tr[^>]*>\s*(<td[\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').replace(/&nbsp;/g, '\u00a0').replace('*', '').trim()));
  return rows.filter((r) => r.length === 5);
}

let smtp: Awaited<ReturnType<typeof smtpServer>>;
let w: TempWarehouse;
const base = (port: number): ConfigInput => ({
  timezone: 'Asia/Shanghai',
  smtp: { host: '127.0.0.1', port, secure: false, user: 'aida', from: 'aida <reports@shop.example>' },
});

beforeAll(async () => {
  smtp = await smtpServer();
  w = await tempWarehouse(base(smtp.port));
  expect((await w.ingest(w.file('orders.csv', orders))).status).toBe('loaded');
});
afterAll(async () => {
  // (the tests reopen the database as w.db after each CLI run: that is the one to close)
  await w?.db.close();
  if (w) fs.rmSync(w.dir, { recursive: true, force: true });
  await smtp?.close();
});

async function aida(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/aida.js', ...args], { env: { ...process.env, AIDA_DB: '', AIDA_CONFIG: '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('aida snapshot --mail', () => {
  it('sends the HTML body, the text part and the file to every recipient, logged in with AIDA_SMTP_PASSWORD', async () => {
    const configFile = w.file('aida.config.json', JSON.stringify(base(smtp.port)));
    await w.db.close();
    let out: Awaited<ReturnType<typeof aida>>;
    try {
      out = await aida(['snapshot', '--db', `${w.dir}/aida.duckdb`, '--config', configFile, '--mail', 'ana@shop.example, li@shop.example'], { AIDA_SMTP_PASSWORD: 's3cret' });
    } finally {
      w.db = await openDb(`${w.dir}/aida.duckdb`);
    }
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(`mailed the weekly snapshot 2026-W46 to ana@shop.example, li@shop.example ("${subject}")`);
    // --mail alone writes no file
    expect(fs.existsSync('aida-snapshot-2026-W46.html')).toBe(false);

    expect(smtp.received).toHaveLength(1);
    const { from, to, raw, mail } = smtp.received[0]!;
    console.log(`received: "${mail.subject}", ${raw.length} bytes`);
    expect(from).toBe('reports@shop.example');
    expect(to).toEqual(['ana@shop.example', 'li@shop.example']);
    expect(mail.subject).toBe(subject);
    expect(mail.from?.value).toEqual([{ address: 'reports@shop.example', name: 'aida' }]);

    // the HTML body: the order and customer rows a sales-only shop has, no row of dashes, no SVG
    const html = String(mail.html);
    expect(figureRows(html)).toEqual([
      ['Purchasers', '2', '2', '2', '0.0%'],
      ['Orders', '2', '2', '2', '0.0%'],
      ['Revenue', '£300.00', '£150.00', '£150.00', '▲\u00a0+100.0%'],
      ['Average order value', '£150.00', '£75.00', '£75.00', '▲\u00a0+100.0%'],
      ['New customers', '1', '2', '2', '▼\u00a0-50.0%'],
      ['Returning customers', '1', '0', '0', '–'],
      ['Repurchase rate', '50.0%', '0.0%', '0.0%', '▲\u00a0+50.0 pt'], // W45: 0 returning of 2; W46: 1 of 2
      ['At-risk customers', expect.stringMatching(/^\d+$/), expect.stringMatching(/^\d+$/), expect.any(String), expect.any(String)],
    ]);
    expect(html).toContain('Not shown, no data in these 12 weeks: Visitors, Active visitors, I1 awareness, I2 attractability, I3 contact, I4 conversion, I5 retention.');
    expect(html).not.toMatch(/<svg|<script|<link|<img/);
    expect(html).toMatch(/<td class="now" style="[^"]*font-weight:700/); // inline styles: mail clients drop <style>

    // the plain-text part: the same figures, aligned
    expect(mail.text).toMatch(/^Weekly snapshot 2026-W46\n2026-11-09 – 2026-11-15 \(Asia\/Shanghai\)\n/);
    expect(mail.text).toMatch(/\nRevenue +£300\.00 +£150\.00 +£150\.00 +▲ \+100\.0%\n/);
    expect(mail.text).toMatch(/\nRepurchase rate +50\.0% +0\.0% +0\.0% +▲ \+50\.0 pt\n/);
    expect(mail.text).not.toMatch(/^Visitors/m);

    // the file, charts and all, attached
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['aida-snapshot-2026-W46.html', 'text/html']]);
    const file = mail.attachments[0]!.content.toString('utf8');
    expect(file).toMatch(/^<!doctype html>/);
    expect(file).toContain('<svg');
  }, 60_000);

  it('fails with the reason when the login is wrong, or the password is missing (exit 1, nothing sent)', async () => {
    const configFile = w.file('aida.config.json', JSON.stringify(base(smtp.port)));
    await w.db.close();
    try {
      const [wrong, missing] = [
        await aida(['snapshot', '--db', `${w.dir}/aida.duckdb`, '--config', configFile, '--mail', 'ana@shop.example'], { AIDA_SMTP_PASSWORD: 'nope' }),
        await aida(['snapshot', '--db', `${w.dir}/aida.duckdb`, '--config', configFile, '--mail', 'ana@shop.example'], { AIDA_SMTP_PASSWORD: '' }),
      ];
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/^error: sending through 127\.0\.0\.1:\d+ failed: Invalid login: 535 Invalid username or password/);
      expect([missing.code, missing.stderr.trim()]).toEqual([1, 'error: smtp.user is "aida" but AIDA_SMTP_PASSWORD is not set: set it to that login\'s password']);
      const bad = await aida(['snapshot', '--db', `${w.dir}/aida.duckdb`, '--config', configFile, '--mail', 'ana@,li']);
      expect([bad.code, bad.stderr.trim()]).toEqual([2, "--mail 'ana@': expected e-mail addresses separated by commas, e.g. --mail ana@example.com,li@example.com"]);
      // a week outside the data is an error naming the weeks the data has (2026-11-04 is in W45, 2026-11-16 in W47)
      const outside = await aida(['snapshot', '--db', `${w.dir}/aida.duckdb`, '--config', configFile, '--week', '2030-W01', '--out', `${w.dir}/x.html`]);
      expect([outside.code, outside.stderr.trim()]).toEqual([1, 'error: no data in 2030-W01: the data covers 2026-W45 to 2026-W47 (2026-11-04 to 2026-11-16, Asia/Shanghai); pick a week in that range, or leave --week out for the last complete week']);
      expect(fs.existsSync(`${w.dir}/x.html`)).toBe(false);
    } finally {
      w.db = await openDb(`${w.dir}/aida.duckdb`);
    }
    expect(smtp.received).toHaveLength(1); // only the first test's message
  }, 60_000);
});

describe('snapshot.schedule: Monday 08:00 in Asia/Shanghai', () => {
  const schedule = { day: 'monday', time: '08:00', to: ['team@shop.example'] } as const;
  const config = () => resolveConfig({ ...base(smtp.port), snapshot: { schedule } });

  it('finds the slots in the reporting time zone: Monday 08:00 Shanghai is 00:00 UTC, reporting the week before', () => {
    const s = config().snapshot.schedule!;
    // Monday 2026-11-16 07:59 in Shanghai (23:59 UTC on Sunday): the last slot is the Monday before
    expect(lastSlot(s, 'Asia/Shanghai', new Date('2026-11-15T23:59:00Z'))).toEqual({ at: new Date('2026-11-09T00:00:00Z'), week: '2026-W45' });
    expect(lastSlot(s, 'Asia/Shanghai', new Date('2026-11-16T00:00:00Z'))).toEqual({ at: new Date('2026-11-16T00:00:00Z'), week: '2026-W46' });
    expect(nextSlot(s, 'Asia/Shanghai', new Date('2026-11-16T00:00:00Z'))).toEqual({ at: new Date('2026-11-23T00:00:00Z'), week: '2026-W47' });
    // London: the clocks went back on 2026-10-25, so 08:00 there is 08:00 UTC in November and 07:00 UTC in October
    expect(lastSlot(s, 'Europe/London', new Date('2026-11-16T09:00:00Z')).at).toEqual(new Date('2026-11-16T08:00:00Z'));
    expect(lastSlot(s, 'Europe/London', new Date('2026-10-19T09:00:00Z')).at).toEqual(new Date('2026-10-19T07:00:00Z'));
  });

  it('mails the week at its slot once: not before, not again later, not after a restart', async () => {
    const before = smtp.received.length;
    let clock = new Date('2026-11-15T23:59:00Z'); // Monday 07:59 in Shanghai
    const lines: string[] = [];
    const start = snapshotSchedule(config(), { now: () => clock, log: (l) => lines.push(l) });
    process.env.AIDA_SMTP_PASSWORD = 's3cret';
    try {
      const plan = start(w.db)!;
      // at start: the last slot (Mon 11-09, W45) is a week old: not sent late
      expect(await plan.tick()).toEqual({ skipped: '2026-W45', why: 'its slot (2026-11-09T00:00:00.000Z) passed more than a day ago while aida serve was not running' });
      expect(smtp.received.length).toBe(before);
      clock = new Date('2026-11-16T00:00:00Z'); // 08:00 in Shanghai
      expect(await plan.tick()).toEqual({ sent: '2026-W46' });
      clock = new Date('2026-11-16T00:30:00Z');
      expect(await plan.tick()).toBeNull();
      plan.stop();
      // a restart an hour later finds W46 in snapshot_mails
      clock = new Date('2026-11-16T01:00:00Z');
      const again = start(w.db)!;
      expect(await again.tick()).toBeNull();
      again.stop();
    } finally {
      delete process.env.AIDA_SMTP_PASSWORD;
    }
    expect(smtp.received.length).toBe(before + 1);
    const got = smtp.received.at(-1)!;
    expect(got.to).toEqual(['team@shop.example']);
    expect(got.mail.subject).toBe(subject);
    expect(figureRows(String(got.mail.html)).find((r) => r[0] === 'Revenue')).toEqual(['Revenue', '£300.00', '£150.00', '£150.00', '▲\u00a0+100.0%']);
    expect(got.mail.text).toMatch(/\nRevenue +£300\.00 +£150\.00/);
    expect(lines).toEqual(['aida: mailed the weekly snapshot 2026-W46 to team@shop.example']);
    expect((await sql`select week, sent_at::varchar as sent_at, recipients from snapshot_mails`.execute(w.db.kysely)).rows).toEqual([
      { week: '2026-W46', sent_at: '2026-11-16 00:00:00+00', recipients: 'team@shop.example' }, // 08:00 in Shanghai
    ]);
  }, 60_000);

  it('aida config check explains a schedule without smtp, a bad time and a bad address', async () => {
    const file = w.file('bad.config.json', JSON.stringify({ snapshot: { schedule: { day: 'monday', time: '8:00', to: ['team'] } } }));
    const bad = await aida(['config', 'check', '--config', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('snapshot.schedule.time: expected a time as HH:MM (24-hour), e.g. "08:00"');
    expect(bad.stderr).toContain('snapshot.schedule.to.0: expected an e-mail address such as reports@example.com or "aida <reports@example.com>"');
    const noSmtp = await aida(['config', 'check', '--config', w.file('nosmtp.config.json', JSON.stringify({ snapshot: { schedule } }))]);
    expect(noSmtp.code).toBe(1);
    expect(noSmtp.stderr).toContain('snapshot.schedule: sending on a schedule needs "smtp"');
    const ok = await aida(['config', 'check', '--config', w.file('ok.config.json', JSON.stringify({ ...base(2525), snapshot: { schedule } }))], { AIDA_SMTP_PASSWORD: 'x' });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('snapshot.schedule: every monday at 08:00 (Asia/Shanghai) to team@shop.example in en');
  }, 60_000);
});
