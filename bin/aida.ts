// The `aida` command: parses the command name and hands off to the command that lives with its folder.
import { defaultDatabase } from '../queries/db/paths.ts';

const usage = `Usage: aida <command> [options]

Commands:
  ingest FILE...     load web, sales, campaign or complaint logs into the warehouse
  demo               write a realistic demo data set (--load to ingest it)
  serve              serve the dashboard and API (default 127.0.0.1:8787)
  start              first run: demo data + web build, then serve (what npm start runs)
  sql "QUERY"        run a read-only SQL query and print the result
  snapshot           write the weekly executive snapshot as one HTML file (--pdf to print it)
  annotate DATE NOTE add a dated note the time charts draw (--list, --delete ID)
  rebuild            rebuild the warehouse from the kept raw inputs
  config check       validate aida.config.json
Every command takes --help, --db PATH (default ${defaultDatabase}, env AIDA_DB) and --config PATH.`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  ingest: async () => (await import('./commands/ingest.ts')).ingestCommand,
  rebuild: async () => (await import('./commands/rebuild.ts')).rebuildCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  start: async () => (await import('./commands/serve.ts')).startCommand,
  sql: async () => (await import('./commands/sql.ts')).sqlCommand,
  config: async () => (await import('./commands/config.ts')).configCommand,
  snapshot: async () => (await import('./commands/snapshot.ts')).snapshotCommand,
  annotate: async () => (await import('./commands/annotate.ts')).annotateCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`aida: unknown command '${name}'\n\n${usage}`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (err) {
    // loaded only now, so `aida --help` never loads DuckDB, zod or the command modules
    const [{ UsageError }, { ConfigError }, { DatabaseLockedError }, { ServeRefused }] = await Promise.all([
      import('./usage-error.ts'), import('../queries/config.ts'), import('../queries/db/open.ts'), import('../server/main.ts'),
    ]);
    if (err instanceof UsageError || err instanceof ServeRefused || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`aida ${name}: ${(err as Error).message}`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof DatabaseLockedError) {
      console.error(`aida ${name}: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
