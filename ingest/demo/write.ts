// `writeDemo`: the demo's files written into a folder person by person, with the documented bad rows
// added, and the manifest saying what is in them.
import fs from 'node:fs';
import path from 'node:path';
import { isoDay } from './clock.ts';
import { CsvFile } from './csv-file.ts';
import { campaignLine, complaintLine, EventLines, orderLine } from './csv-lines.ts';
import { demoVisitors } from './generate.ts';
import { MalformedRows } from './malformed.ts';
import { resolveOptions, type DemoOptions } from './options.ts';
import { demoColumns, demoFileNames, demoKinds, type DemoCampaignRow, type DemoEvent, type DemoKind, type DemoOrder } from './rows.ts';

export interface DemoManifest {
  files: { kind: DemoKind; path: string; rows: number; malformed: number; duplicates: number }[];
  start: string;
  end: string;
  seed: number;
}

/**
 * Writes the demo files into `outDir` and says what is in them. With `malformed` on, the rows listed in
 * `demoMalformed` are placed after the persons at evenly spaced points of the run (copies of that
 * person's first pageview or first order, with one field broken and a fresh id).
 */
export async function writeDemo(opts: DemoOptions): Promise<DemoManifest> {
  const o = resolveOptions(opts);
  const want = new Set(opts.kinds ?? demoKinds);
  fs.mkdirSync(opts.outDir, { recursive: true });
  const out: Partial<Record<DemoKind, CsvFile>> = {};
  // everything generated is ASCII (checked at load) except the complaints' Chinese severity words, and the currency is the caller's
  const asciiCurrency = /^[\x20-\x7e]*$/.test(o.currency);
  for (const kind of demoKinds) {
    if (want.has(kind)) out[kind] = new CsvFile(path.join(opts.outDir, demoFileNames[kind]), demoColumns[kind], kind === 'web' || (kind !== 'complaints' && asciiCurrency));
  }
  const web = out.web, sales = out.sales, complaintsFile = out.complaints;
  const lines = new EventLines();
  const addEvent = web ? (e: DemoEvent) => web.add(lines.line(e)) : null;
  const addOrder = sales ? (x: DemoOrder, amount: string) => sales.add(orderLine(x, amount)) : null;
  const malformed = new MalformedRows(o.visitors, opts.malformed ?? true);

  const gen = demoVisitors(opts);
  let campaignRows: DemoCampaignRow[];
  for (;;) {
    const r = gen.next();
    if (r.done) {
      campaignRows = r.value;
      break;
    }
    const p = r.value;
    if (web) for (const e of p.events) web.add(lines.line(e));
    if (sales) for (const x of p.orders) sales.add(orderLine(x));
    if (complaintsFile) for (const x of p.complaints) complaintsFile.add(complaintLine(x));
    malformed.after(p, addEvent, addOrder);
    for (const f of [web, sales, complaintsFile]) if (f?.full) await f.flush();
  }
  if (out.campaigns) for (const row of campaignRows) out.campaigns.add(campaignLine(row));
  for (const f of Object.values(out)) await f.close();

  const { counts } = malformed;
  return {
    files: demoKinds.filter((k) => out[k]).map((kind) => ({
      kind,
      path: out[kind]!.file,
      rows: out[kind]!.rows,
      malformed: kind === 'web' ? counts.web.malformed : kind === 'sales' ? counts.sales.malformed : 0,
      duplicates: kind === 'web' ? counts.web.duplicates : 0,
    })),
    start: isoDay(o.start),
    end: isoDay(o.end),
    seed: o.seed,
  };
}
