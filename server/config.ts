// The part of aida.config.json only the server reads: API tokens (plus AIDA_TOKENS), the SQL console's
// limits and dashboard admission control (composed in bin/config.ts).
import { z } from 'zod';
import type { IngestConfig } from '../ingest/config.ts';
import { ConfigError } from '../queries/config.ts';

const role = z.enum(['viewer', 'analyst', 'admin']);
export type Role = z.infer<typeof role>;

const token = z.object({ token: z.string().min(16, 'tokens need at least 16 characters'), role }).strict();

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
};

type ParsedServerConfig = z.infer<z.ZodObject<typeof serverConfigShape>>;

/** What the server reads: its own keys, and everything the metrics and the upload route read. */
export interface ServerConfig extends IngestConfig, ParsedServerConfig {}

/** The server's keys resolved (nothing to derive: they are used as written). */
export function resolveServerConfig(c: ParsedServerConfig, rest: IngestConfig): ServerConfig {
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
