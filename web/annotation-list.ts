// The annotations every time chart draws: fetched once for the tab (GET /api/annotations), fetched
// again after one is added or deleted here; charts subscribe and redraw when the list changes.
import { api, type Annotation } from './api.ts';

let current: Annotation[] = [];
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

/** The list as last fetched (empty until the first answer). */
export function annotationList(): Annotation[] {
  return current;
}

/** Fetches the list (once, unless `again`); listeners are told when it arrives. */
export function loadAnnotations(again = false): Promise<void> {
  if (loading && !again) return loading;
  loading = api.annotations().then(
    (r) => {
      current = r.annotations;
      listeners.forEach((l) => l());
    },
    (err: unknown) => {
      // charts still draw without them; the Dashboard's form shows the error when it reads the list itself
      loading = null;
      throw err;
    },
  );
  return loading;
}

export function onAnnotations(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
