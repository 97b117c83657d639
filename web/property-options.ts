// The event and order properties the page's period carries (GET /api/properties): the keys the filter
// bar suggests and the breakdown selectors offer as `property:<key>`, and one key's values. The filter
// bar and a page ask for the same keys; one request serves both.
import { Task } from '@lit/task';
import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { api, type PropertiesResult } from './api.ts';
import { authVersion } from './auth.ts';
import type { Translate } from './i18n/index.ts';
import { dimensionName } from './i18n/names.ts';
import { queryObject, type UrlState } from './url-state.ts';

/** The keys offered as breakdowns and suggested as filters: the top ones by persons. */
export const topPropertyKeys = 20;
/** The values suggested for a key. */
const topValues = 50;

const periodKeys = ['from', 'to'] as const;

// one answer per query while the page lives (the server caches per data version; this saves the round trip)
const answers = new Map<string, Promise<PropertiesResult>>();
function load(query: Record<string, string>, signal: AbortSignal): Promise<PropertiesResult> {
  const id = `${new URLSearchParams(query)}|${authVersion()}`;
  let answer = answers.get(id);
  if (!answer) {
    // not bound to one caller's signal: another caller may be waiting for the same answer
    answer = api.properties(query);
    answer.catch(() => answers.delete(id));
    if (answers.size > 20) answers.delete(answers.keys().next().value!);
    answers.set(id, answer);
  }
  // a superseded caller stops waiting
  return Promise.race([answer, new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))]);
}

/** The period's top property keys, again whenever the URL's period (or the token) changes; none asked for while `enabled` is false. */
export function propertyKeysTask(host: ReactiveControllerHost, url: UrlState, enabled: () => boolean = () => true): Task<readonly [string, number, boolean], PropertiesResult | undefined> {
  return new Task(host, {
    task: ([qs, , on], { signal }) => (on ? load({ ...queryObject(qs), limit: String(topPropertyKeys) }, signal) : Promise.resolve(undefined)),
    args: () => [url.query(periodKeys), authVersion(), enabled()] as const,
  });
}

/**
 * The key whose values to ask for while a key is being written: one of the period's listed keys as soon as
 * it is written (picked from the list, or typed whole), any other once committed (Enter, leaving the field)
 * — not every prefix typed on the way, each of which would scan the period's properties.
 */
export function valuesKeyOf(written: string, keys: PropertiesResult | undefined, committed: boolean): string {
  return committed || keys?.properties.some((p) => p.key === written) ? written : '';
}

/** The period's top values of `key()`; nothing while no key is chosen. */
export function propertyValuesTask(host: ReactiveControllerHost, url: UrlState, key: () => string): Task<readonly [string, string, number], PropertiesResult | null> {
  return new Task(host, {
    task: ([qs, k], { signal }) => (k ? load({ ...queryObject(qs), key: k, limit: String(topValues) }, signal) : Promise.resolve(null)),
    args: () => [url.query(periodKeys), key(), authVersion()] as const,
  });
}

/**
 * The `<option>`s of a breakdown selector for the period's property keys, labelled "Property: key"; a
 * property breakdown in the URL that the list lacks (not loaded yet, or past the top) is offered too.
 */
export function propertyBreakdownOptions(keys: PropertiesResult | undefined, selected: string, t: Translate): TemplateResult[] {
  const dims = (keys?.properties ?? []).map((p) => `property:${p.key}`);
  if (selected.startsWith('property:') && !dims.includes(selected)) dims.push(selected);
  return dims.map((d) => html`<option value=${d} ?selected=${selected === d}>${dimensionName(t, d)}</option>`);
}
