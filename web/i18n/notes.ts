// A metric's note (a code and its facts, queries/shared/notes.ts) as text in the reader's language: the
// message `note.<code>` with its parameters filled in, numbers in the locale's format, lists joined.
import { en, type MessageKey } from './en.ts';
import type { Formats } from './format.ts';
import type { Translate } from './index.ts';

/** A note as the API sends it (the web takes the API's shapes from AppType, never from queries/). */
export interface Note {
  code: string;
  params?: Record<string, string | number | boolean | null | string[]>;
}

const listSeparator = { en: ', ', 'zh-Hans': '、', 'zh-Hant': '、' } as const;

/** The message key of a note's code (a test checks every code a metric can send has one in each language). */
export function noteKey(code: string): MessageKey | null {
  const key = `note.${code}`;
  return key in en ? (key as MessageKey) : null;
}

export function noteText(t: Translate, f: Formats, n: Note): string {
  const key = noteKey(n.code);
  if (!key) throw new Error(`no interface text for the note '${n.code}' (add 'note.${n.code}' to web/i18n/en.ts, zh-hans.ts and zh-hant.ts)`);
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(n.params ?? {})) {
    if (typeof value === 'number') params[name] = Number.isInteger(value) ? f.int(value) : f.num(value, 2);
    else if (Array.isArray(value)) params[name] = value.join(listSeparator[f.locale]);
    else params[name] = value === null ? '–' : String(value);
  }
  return t(key, params);
}
