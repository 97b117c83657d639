// `aida annotate DATE "NOTE"`: adds an annotation (a dated note every time chart draws); --list prints
// them, --delete ID removes one. Kept in the warehouse (queries/kept.ts); while `aida serve` holds the
// database, sent to it (GET/POST/DELETE /api/annotations) with the same validation.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDb } from '../../queries/db/open.ts';
import { databasePath, defaultDatabase } from '../../queries/db/paths.ts';
import { KeptError, annotationInput, createAnnotation, deleteAnnotation, keptId, listAnnotations, type Annotation } from '../../queries/kept.ts';
import type { HandOff } from '../../server/hand-off/client.ts';
import { loadConfig } from '../config.ts';
import { UsageError } from '../usage-error.ts';
import { formatTable } from './sql.ts';

export const annotateHelp = `Usage: aida annotate YYYY-MM-DD "NOTE" [--author NAME]
       aida annotate --list [--json]
       aida annotate --delete ID

Adds an annotation: a dated note (a campaign, a price change, an outage) that every time chart of the
web app draws as a dashed line with the note in its tooltip. --list prints them by date (--json as
JSON), --delete removes one by its id. While 'aida serve' holds the database, the change goes to it
(an analyst token in AIDA_TOKEN if it has tokens).

  --author NAME  who adds it (optional)
  --db PATH      the warehouse (default ${defaultDatabase}, env AIDA_DB)
  --config PATH  aida.config.json (default ./aida.config.json if present, env AIDA_CONFIG)`;

type Action = { kind: 'add'; input: z.output<typeof annotationInput> } | { kind: 'list'; json: boolean } | { kind: 'delete'; id: number };

/** What was asked, validated like the API's body: a bad date or a missing note is a usage error naming it. */
function action(argv: string[]): { what: Action | 'help'; db?: string; config?: string } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { author: { type: 'string' }, list: { type: 'boolean' }, json: { type: 'boolean' }, delete: { type: 'string' }, db: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const where = { ...(values.db !== undefined ? { db: values.db } : {}), ...(values.config !== undefined ? { config: values.config } : {}) };
  if (values.help) return { what: 'help' };
  if (values.list || values.delete !== undefined) {
    if (values.list && values.delete !== undefined) throw new UsageError('give --list or --delete ID, not both');
    if (positionals.length || values.author !== undefined) throw new UsageError(`--${values.list ? 'list' : 'delete'} takes no date, note or --author`);
    if (values.list) return { what: { kind: 'list', json: values.json === true }, ...where };
    const id = keptId.safeParse(values.delete);
    if (!id.success) throw new UsageError(`--delete '${values.delete}': expected an annotation id (a whole number ≥ 1; see aida annotate --list)`);
    return { what: { kind: 'delete', id: id.data }, ...where };
  }
  if (values.json) throw new UsageError('--json goes with --list');
  if (positionals.length !== 2) throw new UsageError(`expected a date and a note (quote it), e.g. aida annotate 2026-11-27 "Black Friday email"; got ${positionals.length} argument(s)`);
  const parsed = annotationInput.safeParse({ date: positionals[0], note: positionals[1], ...(values.author !== undefined ? { author: values.author } : {}) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0]);
    throw new UsageError(`${field} '${field === 'date' ? positionals[0] : field === 'note' ? positionals[1] : values.author}': ${issue.message}`);
  }
  return { what: { kind: 'add', input: parsed.data }, ...where };
}

function print(a: Action, result: Annotation | Annotation[] | null): void {
  if (a.kind === 'add') {
    const x = result as Annotation;
    console.log(`added annotation ${x.id}: ${x.date} ${x.note}${x.author ? ` (${x.author})` : ''}`);
  } else if (a.kind === 'delete') console.log(`deleted annotation ${a.id}`);
  else {
    const list = result as Annotation[];
    if (a.json) console.log(JSON.stringify(list, null, 2));
    else if (!list.length) console.log('no annotations yet; add one with aida annotate YYYY-MM-DD "NOTE"');
    else console.log(formatTable(['id', 'date', 'note', 'author'], list.map((x) => [x.id, x.date, x.note, x.author])));
  }
}

export async function annotateCommand(argv: string[]): Promise<number> {
  const { what: a, ...where } = action(argv);
  if (a === 'help') {
    console.log(annotateHelp);
    return 0;
  }
  const config = loadConfig(where.config);
  const file = databasePath(where.db);
  let db;
  try {
    db = await openDb(file);
  } catch (err) {
    const to = (await import('../../server/hand-off/client.ts')).handOffIfHeld(err, file, config, 'analyst');
    if (!to) throw err;
    return throughServer(to, a);
  }
  try {
    const result = a.kind === 'add' ? await createAnnotation(db, a.input) : a.kind === 'list' ? await listAnnotations(db) : (await deleteAnnotation(db, a.id), null);
    print(a, result);
    return 0;
  } catch (err) {
    if (err instanceof KeptError) {
      console.error(`aida annotate: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

/** The database is held by `aida serve`: the same change through its /api/annotations. */
async function throughServer(to: HandOff, a: Action): Promise<number> {
  const { send } = await import('../../server/hand-off/client.ts');
  const sent =
    a.kind === 'add'
      ? await send(to, '/api/annotations', JSON.stringify(a.input), 'application/json')
      : a.kind === 'list'
        ? await send(to, '/api/annotations')
        : await send(to, `/api/annotations/${a.id}`, undefined, undefined, 'DELETE');
  if (!sent.ok) {
    console.error(`aida annotate: ${sent.message}`);
    return 1;
  }
  print(a, a.kind === 'delete' ? null : a.kind === 'list' ? ((await sent.res.json()) as { annotations: Annotation[] }).annotations : ((await sent.res.json()) as Annotation));
  return 0;
}
