// The part of aida.config.json only the server reads: API tokens (plus AIDA_TOKENS), the SQL console's
// limits, dashboard admission control, and the mail of the weekly snapshot (`smtp`, its password only in
// AIDA_SMTP_PASSWORD; `snapshot.schedule`, which `aida serve` keeps) — composed in bin/config.ts.
import { z } from 'zod';
import type { IngestConfig } from '../ingest/config.ts';
import { ConfigError } from '../queries/config.ts';

const role = z.enum(['viewer', 'analyst', 'admin']);
export type Role = z.infer<typeof role>;

const token = z.object({ token: z.string().min(16, 'tokens need at least 16 characters'), role }).strict();

/** The languages a scheduled snapshot can be written in (web/i18n's; bin/config.ts checks they agree). */
export const scheduleLanguages = ['en', 'zh-Hans', 'zh-Hant'] as const;
export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** An address as nodemailer takes it: `name@host` or `Name <name@host>`. */
const address = z.string().regex(/^([^<>@]*<)?[^\s<>@,;]+@[^\s<>@,;]+\.[^\s<>@,;]+>?$/, 'expected an e-mail address such as reports@example.com or "aida <reports@example.com>"');

const smtp = z
  .object({
    host: z.string().min(1).describe('the SMTP server, e.g. smtp.example.com'),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false).describe('TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it'),
    user: z.string().min(1).optional().describe('login name; the password is read from env AIDA_SMTP_PASSWORD, never from this file'),
    from: address.describe('the sender, e.g. "aida <reports@example.com>"'),
  })
  .strict();
export type SmtpConfig = z.infer<typeof smtp>;

const schedule = z
  .object({
    day: z.enum(weekdays).describe('the weekday it is sent on, in `timezone`'),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM (24-hour), e.g. "08:00"').describe('local time in `timezone`'),
    to: z.array(address).min(1, 'expected at least one recipient'),
    lang: z.enum(scheduleLanguages).default('en'),
  })
  .strict();
export type SnapshotSchedule = z.infer<typeof schedule>;

export const serverConfigShape = {
  auth: z.object({ tokens: z.array(token).default([]) }).strict().default({ tokens: [] }),
  sql: z
    .object({
      timeout_seconds: z.number().positive().max(3600).default(30),
      max_rows: z.number().int().positive().max(1_000_000).default(10_000),
      max_concurrent: z.number().int().positive().max(64).default(2),
      max_result_mb: z.number().positive().max(1024).default(32).describe('bytes of JSON rows one answer may carry to the browser'),
      max_export_mb: z.number().positive().max(1024 * 1024).default(1024).describe('size at which a CSV or Parquet export is stopped'),
      export_timeout_seconds: z.number().positive().max(24 * 3600).default(600).describe('wall-clock limit on an export, download included'),
      send_timeout_seconds: z.number().positive().max(3600).default(10).describe('a client that takes no bytes for this long loses its download (and its slot)'),
    })
    .strict()
    .default({ timeout_seconds: 30, max_rows: 10_000, max_concurrent: 2, max_result_mb: 32, max_export_mb: 1024, export_timeout_seconds: 600, send_timeout_seconds: 10 }),
  // admission control for dashboard queries (issue 13): beyond these a request gets 503 + Retry-After
  dashboards: z
    .object({
      max_concurrent: z.number().int().positive().max(64).default(2).describe('uncached dashboard queries running at once (each already uses every core)'),
      max_queue: z.number().int().nonnegative().max(10_000).default(8).describe('requests waiting for a slot; more are answered 503 at once'),
      queue_timeout_seconds: z.number().positive().max(600).default(2).describe('a waiting request gives up (503) after this long'),
    })
    .strict()
    .default({ max_concurrent: 2, max_queue: 8, queue_timeout_seconds: 2 }),
  smtp: smtp.optional().describe('where the weekly snapshot is mailed from (aida snapshot --mail, snapshot.schedule)'),
  snapshot: z
    .object({ schedule: schedule.optional().describe('mail the snapshot of the week before every week while aida serve runs') })
    .strict()
    .default({}),
};

type ParsedServerConfig = z.infer<z.ZodObject<typeof serverConfigShape>>;

/** What the server reads: its own keys, and everything the metrics and the upload route read. */
export interface ServerConfig extends IngestConfig, ParsedServerConfig {}

/** The server's keys resolved (used as written; a schedule needs somewhere to send from). */
export function resolveServerConfig(c: ParsedServerConfig, rest: IngestConfig, file = 'aida.config.json'): ServerConfig {
  if (c.snapshot.schedule && !c.smtp) throw new ConfigError(file, ['snapshot.schedule: sending on a schedule needs "smtp" (host, from, and user with AIDA_SMTP_PASSWORD if the server wants a login)']);
  return { ...rest, ...c };
}

/** AIDA_TOKENS="token:role,token:role" adds tokens without writing them into the config file. */
export function withEnvTokens(config: ServerConfig, env = process.env.AIDA_TOKENS): ServerConfig {
  if (!env) return config;
  const tokens = env.split(',').filter(Boolean).map((pair, i) => {
    const [t, r] = pair.split(':');
    const parsed = z.object({ token: z.string().min(16), role }).safeParse({ token: t, role: r });
    if (!parsed.success) throw new ConfigError('AIDA_TOKENS', [`entry ${i + 1}: expected token:role with a token of 16+ characters and role viewer|analyst|admin`]);
    return parsed.data;
  });
  return { ...config, auth: { tokens: [...config.auth.tokens, ...tokens] } };
}
