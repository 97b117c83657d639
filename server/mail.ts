// Sending mail through the configured SMTP server (config `smtp`, the password from AIDA_SMTP_PASSWORD):
// the one place aida talks SMTP, for `aida snapshot --mail` and the schedule `aida serve` keeps.
import nodemailer from 'nodemailer';
import type { SmtpConfig } from './config.ts';

export interface MailMessage {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

/** The SMTP server refused, could not be reached, or the login is incomplete: a message to act on. */
export class MailError extends Error {}

export interface Sent {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export async function sendMail(smtp: SmtpConfig | undefined, message: MailMessage, env = process.env): Promise<Sent> {
  if (!smtp) throw new MailError('no "smtp" in the config: add "smtp": { "host": ..., "port": 587, "from": "aida <reports@example.com>" } (and "user", with the password in AIDA_SMTP_PASSWORD)');
  const password = env.AIDA_SMTP_PASSWORD;
  if (smtp.user && !password) throw new MailError(`smtp.user is "${smtp.user}" but AIDA_SMTP_PASSWORD is not set: set it to that login's password`);
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: password! } } : {}),
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
  });
  try {
    const info = await transport.sendMail({ from: smtp.from, to: message.to, subject: message.subject, html: message.html, text: message.text, attachments: message.attachments ?? [] });
    const list = (xs: unknown[] | undefined) => (xs ?? []).map((x) => (typeof x === 'string' ? x : (x as { address: string }).address));
    const sent = { messageId: info.messageId, accepted: list(info.accepted), rejected: list(info.rejected) };
    if (!sent.accepted.length) throw new MailError(`${smtp.host}:${smtp.port} accepted none of the recipients (${sent.rejected.join(', ')})`);
    return sent;
  } catch (err) {
    if (err instanceof MailError) throw err;
    throw new MailError(`sending through ${smtp.host}:${smtp.port} failed: ${(err as Error).message}`);
  } finally {
    transport.close();
  }
}
