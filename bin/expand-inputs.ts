// The FILE|DIR|GLOB arguments of `aida ingest` turned into the files to load, in a stable order.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './usage-error.ts';

export interface Inputs {
  files: string[];
  /** a glob or folder that matched no file, with the sentence saying so */
  unmatched: string[];
}

/** Files named directly, every file under a directory (sorted), or the matches of a glob. */
export function expandInputs(inputs: string[]): Inputs {
  const files: string[] = [];
  const unmatched: string[] = [];
  for (const input of inputs) {
    if (/[*?[]/.test(input)) {
      const matches = glob(input);
      if (matches.length === 0) unmatched.push(`${input}: no file matches`);
      files.push(...matches);
    } else if (fs.existsSync(input) && fs.statSync(input).isDirectory()) {
      const found = filesUnder(input);
      if (found.length === 0) unmatched.push(`${input}: the folder has no files`);
      files.push(...found);
    } else files.push(input);
  }
  return { files, unmatched };
}

/** Every regular, non-hidden file under `dir` (recursively), sorted. */
export function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && !d.name.startsWith('.')).map((d) => path.join(d.parentPath, d.name)).sort();
}

/** `dir/*.csv`-style patterns: wildcards (* and ?) in the last path segment. */
function glob(pattern: string): string[] {
  const dir = path.dirname(pattern);
  if (/[*?[]/.test(dir)) throw new UsageError(`${pattern}: wildcards are supported in the file name only`);
  const re = new RegExp(`^${path.basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => re.test(f)).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile()).sort();
}
