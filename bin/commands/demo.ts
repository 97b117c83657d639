// `aida demo [--out DIR] [--days N] [--visitors N] [--seed S] [--end YYYY-MM-DD] [--load]`.
import { parseArgs } from 'node:util';
import { writeDemo, type DemoManifest } from '../../ingest/demo/index.ts';
import { ingestFiles } from '../../ingest/ingest-files.ts';
import { openDb } from '../../queries/db/open.ts';
import { databasePath } from '../../queries/db/paths.ts';
import { isoDate } from '../../queries/shared/period.ts';
import { loadConfig } from '../config.ts';
import { summaryTable } from '../summary-table.ts';
import { UsageError } from '../usage-error.ts';

export const demoHelp = `Usage: aida demo [--out DIR] [--days N] [--visitors N] [--seed S] [--end YYYY-MM-DD] [--load]

Writes a realistic, deterministic demo data set (web events with ad impressions, orders with repeat
buyers, campaign costs, complaints, and a few malformed rows) to DIR (default data/demo). The same
options always give the same files. --end is the exclusive last day (default: this week's Monday).
With --load, also ingests the files into the database (--db).`;

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number (got '${value}')`);
  return n;
}

export async function writeAndLoadDemo(opts: { out: string; db?: string; config?: string; load: boolean; days?: number; visitors?: number; seed?: number; end?: string }): Promise<{ manifest: DemoManifest; failed: boolean }> {
  const manifest = await writeDemo({
    outDir: opts.out,
    ...(opts.days ? { days: opts.days } : {}),
    ...(opts.visitors ? { visitors: opts.visitors } : {}),
    ...(opts.seed ? { seed: opts.seed } : {}),
    ...(opts.end ? { end: opts.end } : {}),
  });
  if (!opts.load) return { manifest, failed: false };
  const config = loadConfig(opts.config);
  const file = databasePath(opts.db);
  const db = await openDb(file);
  try {
    const results = await ingestFiles(db, config, file, { files: manifest.files.map((f) => f.path) });
    console.log(summaryTable(results));
    return { manifest, failed: results.some((r) => r.status === 'failed') };
  } finally {
    await db.close();
  }
}

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: 'data/demo' }, days: { type: 'string' }, visitors: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' },
      load: { type: 'boolean' }, db: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(demoHelp);
    return 0;
  }
  if (values.end && !isoDate.safeParse(values.end).success) throw new UsageError(`--end must be a date YYYY-MM-DD (got '${values.end}')`);
  const days = positiveInt(values.days, 'days');
  const visitors = positiveInt(values.visitors, 'visitors');
  const seed = positiveInt(values.seed, 'seed');
  const { manifest, failed } = await writeAndLoadDemo({
    out: values.out!, load: values.load ?? false,
    ...(values.db ? { db: values.db } : {}), ...(values.config ? { config: values.config } : {}),
    ...(days ? { days } : {}), ...(visitors ? { visitors } : {}), ...(seed ? { seed } : {}), ...(values.end ? { end: values.end } : {}),
  });
  for (const f of manifest.files) console.log(`${f.path}: ${f.rows} rows (${f.kind})`);
  console.log(`demo data ${manifest.start} to ${manifest.end} (seed ${manifest.seed})`);
  return failed ? 1 : 0;
}
