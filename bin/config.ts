// aida.config.json as one schema: the metrics' keys (queries/config.ts), ingest's (ingest/config.ts) and
// the server's (server/config.ts) composed here, above every floor, with loading and the explanation of
// every problem by path that `aida config check` prints. The empty config is valid.
import fs from 'node:fs';
import { z } from 'zod';
import { ingestConfigShape, resolveIngestConfig } from '../ingest/config.ts';
import { ConfigError, queriesConfigShape, resolveQueriesConfig } from '../queries/config.ts';
import { resolveServerConfig, scheduleLanguages, serverConfigShape, withEnvTokens, type ServerConfig } from '../server/config.ts';
import type { Locale, locales } from '../web/i18n/index.ts';

export { ConfigError } from '../queries/config.ts';

// the schedule's languages are the web's (server/ does not import web/): if either list grows, this fails to compile
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const scheduleLanguagesAreTheWebs: Same<(typeof scheduleLanguages)[number], (typeof locales)[number] & Locale> = true;
void scheduleLanguagesAreTheWebs;

export const configSchema = z.object({ ...queriesConfigShape, ...ingestConfigShape, ...serverConfigShape }).strict();

export type ConfigInput = z.input<typeof configSchema>;
/** The whole config, every default filled in: what the commands load and hand to each floor. */
export type AidaConfig = ServerConfig;

/** One line per zod issue: `stages.engaged.session_min_seconds: expected a number, got "60"`. */
export function explainIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${where}: ${issue.message}`;
  });
}

export function resolveConfig(input: unknown, file = 'aida.config.json'): AidaConfig {
  const parsed = configSchema.safeParse(input ?? {});
  if (!parsed.success) throw new ConfigError(file, explainIssues(parsed.error.issues));
  const metrics = resolveQueriesConfig(part(queriesConfigShape, parsed.data), file);
  const ingest = resolveIngestConfig(part(ingestConfigShape, parsed.data), metrics);
  return resolveServerConfig(part(serverConfigShape, parsed.data), ingest, file);
}

/** The keys one owner's shape names, so each owner resolves only its own. */
function part<S extends z.ZodRawShape>(shape: S, data: Record<string, unknown>): z.infer<z.ZodObject<S>> {
  return Object.fromEntries(Object.keys(shape).filter((k) => k in data).map((k) => [k, data[k]])) as z.infer<z.ZodObject<S>>;
}

/** Reads a config file (missing default file = empty config); JSON syntax errors name the file. */
export function loadConfig(file?: string): AidaConfig {
  const explicit = file ?? process.env.AIDA_CONFIG;
  const target = explicit ?? 'aida.config.json';
  if (!fs.existsSync(target)) {
    if (explicit) throw new ConfigError(target, ['file not found']);
    return withEnvTokens(resolveConfig({}, target));
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(target, 'utf8'));
  } catch (err) {
    throw new ConfigError(target, [`not valid JSON: ${(err as Error).message}`]);
  }
  return withEnvTokens(resolveConfig(json, target));
}
