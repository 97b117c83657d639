// What a console user may see of a DuckDB error: its first line and its hint ("Did you mean ..."),
// without the server's absolute paths (where the data, the inbox and temporary files live is not the
// analyst's business).
import os from 'node:os';
import path from 'node:path';

const roots = new Map<string, string>();

/** Names a private folder in messages by a label instead of its path (e.g. the inbox as `<inbox>`). */
export function privatePath(dir: string, label: string): void {
  roots.set(path.resolve(dir), label);
}

export function redactPaths(message: string): string {
  let out = message;
  const known = [...roots, [os.tmpdir(), '<tmp>'], [os.homedir(), '<home>'], [process.cwd(), '<cwd>']] as [string, string][];
  for (const [dir, label] of known.sort((a, b) => b[0].length - a[0].length)) out = out.replaceAll(dir, label);
  // anything else that looks like an absolute path
  return out.replace(/(^|[\s'"(\[=:,])\/[\w.+-]+(\/[\w.+*-]*)*/g, '$1<path>');
}

export function publicMessage(err: unknown): string {
  return redactPaths((err as Error).message.split('\n')[0]!.trim());
}

/**
 * DuckDB's message and its hint: the lines between the first and the `LINE n:` excerpt, e.g.
 * `Did you mean "orders"?` or `Candidate bindings: "amount"`; none when DuckDB gives none.
 */
export function publicError(err: unknown): { message: string; hint?: string } {
  const [first = '', ...rest] = (err as Error).message.split('\n');
  const end = rest.findIndex((l) => /^LINE \d+:/.test(l));
  const hint = (end < 0 ? rest : rest.slice(0, end)).map((l) => l.trim()).filter(Boolean).join(' ');
  return { message: redactPaths(first.trim()), ...(hint ? { hint: redactPaths(hint) } : {}) };
}
