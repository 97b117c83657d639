// What a console user may see of a DuckDB error: its first line, without the server's absolute paths
// (where the data, the inbox and temporary files live is not the analyst's business).
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
