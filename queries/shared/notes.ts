// What a metric says about its result beside the numbers: a fact with a code and its parameters
// ({ code: 'window_past_data', params: { windowDays: 30, lastDay: '2026-11-01' } }), never a sentence.
// The web and the snapshot renderer turn a note into text in the reader's language (web/i18n/notes.ts).
import { z } from 'zod';

export const noteParam = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const note = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/).describe('what the note says, e.g. window_past_data; the web holds its text in each language'),
  params: z.record(z.string(), noteParam).optional().describe('the facts the text names (days, dates, counts, names)'),
});
export type Note = z.infer<typeof note>;
export type NoteParams = NonNullable<Note['params']>;

export const notes = z.array(note);

/** A note with its parameters (undefined ones left out, so the JSON carries only what is known). */
export function noteOf(code: string, params?: Record<string, z.infer<typeof noteParam> | undefined>): Note {
  if (!params) return { code };
  const known = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as NoteParams;
  return { code, params: known };
}
