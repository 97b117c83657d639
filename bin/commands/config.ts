// `aida config check`: validates the config (every owner's keys, bin/config.ts) and explains each problem by path.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';

export const configHelp = `Usage: aida config check [--config PATH]

Validates aida.config.json (or --config / AIDA_CONFIG) and explains every problem with its path.`;

export async function configCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help || positionals[0] !== 'check') {
    console.log(configHelp);
    return values.help ? 0 : 2;
  }
  try {
    const config = loadConfig(values.config);
    const file = values.config ?? process.env.AIDA_CONFIG ?? 'aida.config.json';
    console.log(`${file}: ok (timezone ${config.timezone}, week starts ${config.week_start}, ${Object.keys(config.stages).length} stages, ${config.channels.length} channel rules, ${config.auth.tokens.length} tokens)`);
    const { smtp } = config;
    const schedule = config.snapshot.schedule;
    if (smtp) console.log(`smtp: ${smtp.host}:${smtp.port}${smtp.secure ? ' (TLS)' : ''} from ${smtp.from}${smtp.user ? ` as ${smtp.user}` : ''}`);
    if (schedule) console.log(`snapshot.schedule: every ${schedule.day} at ${schedule.time} (${config.timezone}) to ${schedule.to.join(', ')} in ${schedule.lang}`);
    if (smtp?.user && !process.env.AIDA_SMTP_PASSWORD) {
      console.error(`smtp.user: "${smtp.user}" logs in with the password in env AIDA_SMTP_PASSWORD, which is not set here`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}
