// All view state lives in the URL: the page is the path (/funnel, /sql...), everything else is the
// query string (from, to, filters, breakdown, lang...). A link reproduces the view; reload restores it.
// Components read it through UrlState (a Lit controller) and change it with setParams/goTo.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { appPages } from '../queries/shared/app-pages.ts';
import { touchDimensions } from '../queries/shared/dimensions.ts';
import { onAuthChange } from './auth.ts';
import { matchLocale, type Locale } from './i18n/index.ts';

export const pages = appPages;
export type Page = (typeof pages)[number];

/**
 * The key list entry that stands for every `property:<key>` parameter (the API documents those filters
 * under this one name, `property`).
 */
export const propertyFilters = 'property';
const propertyPrefix = `${propertyFilters}:`;

/** Parameters that stay when moving between pages (the shared date range or preset, filters and language). */
export const sharedKeys = ['from', 'to', 'preset', ...touchDimensions, propertyFilters, 'attribution', 'lang'] as const;

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

export function currentPage(): Page {
  const seg = location.pathname.replace(/^\/+|\/+$/g, '').split('/')[0] ?? '';
  return (pages as readonly string[]).includes(seg) ? (seg as Page) : 'funnel';
}

export function currentParams(): URLSearchParams {
  return new URLSearchParams(location.search);
}

export function param(key: string): string | undefined {
  return currentParams().get(key) || undefined;
}

function write(page: Page, params: URLSearchParams, replace: boolean): void {
  params.sort();
  const qs = params.toString();
  const url = `/${page}${qs ? `?${qs}` : ''}`;
  if (url === `${location.pathname}${location.search}`) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  notify();
}

/** Sets (or, with null/'' values, removes) query parameters on the current page. */
export function setParams(changes: Record<string, string | null | undefined>, { replace = false } = {}): void {
  const params = currentParams();
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') params.delete(k);
    else params.set(k, v);
  }
  write(currentPage(), params, replace);
}

/** The listed parameters that are set in the URL, sorted (one canonical form for one view); `property` picks every property:<key>. */
export function pick(keys: readonly string[], params = currentParams()): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of keys) {
    const v = params.get(k);
    if (v) out.set(k, v);
  }
  if (keys.includes(propertyFilters)) for (const [k, v] of propertyParams(params)) out.set(k, v);
  out.sort();
  return out;
}

/** A saved view's link (`/view/<id>`, opened by the app shell), or null on any other path. */
export function viewLink(): number | null {
  const m = /^\/view\/(\d+)\/?$/.exec(location.pathname);
  return m ? Number(m[1]) : null;
}

/** Opens a page with a kept query string (a saved view, a pinned chart's page), in the current language. */
export function openQuery(page: Page, query: string, { replace = false } = {}): void {
  const params = new URLSearchParams(query);
  const lang = param('lang');
  if (lang) params.set('lang', lang);
  write(page, params, replace);
}

/** The current page's query string as it is kept (saved views, pins): without the language. */
export function keptQuery(): string {
  const params = currentParams();
  params.delete('lang');
  params.sort();
  return params.toString();
}

/** The `property:<key>` filters set in the URL, as [parameter, value] pairs. */
export function propertyParams(params = currentParams()): [string, string][] {
  return [...params].filter(([k, v]) => k.startsWith(propertyPrefix) && k.length > propertyPrefix.length && v);
}

/** Moves to another page, keeping the shared parameters. */
export function goTo(page: Page): void {
  write(page, pick(sharedKeys), false);
}

/** The href for a page with the shared parameters (for real links that also open in a new tab). */
export function pageHref(page: Page): string {
  const qs = pick(sharedKeys).toString();
  return `/${page}${qs ? `?${qs}` : ''}`;
}

const langKey = 'aida.lang';

/** The interface language: ?lang=, else the last choice, else the browser's language. */
export function currentLocale(): Locale {
  const fromUrl = param('lang');
  if (fromUrl) return matchLocale(fromUrl);
  try {
    const saved = localStorage.getItem(langKey);
    if (saved) return matchLocale(saved);
  } catch {
    // storage blocked (private mode): fall through to the browser language
  }
  return matchLocale(navigator.language);
}

export function setLocale(locale: Locale): void {
  try {
    localStorage.setItem(langKey, locale);
  } catch {
    // storage blocked: the URL still carries the choice
  }
  setParams({ lang: locale }, { replace: true });
}

/** The listed parameters that are set, as an object for the API client. */
export function queryObject(qs: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(qs));
}

/** Re-renders its host whenever the URL changes (navigation, back/forward, a control). */
export class UrlState implements ReactiveController {
  private readonly listener = () => this.host.requestUpdate();
  private unsubscribeAuth?: () => void;
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    listeners.add(this.listener);
    // a new token re-renders too, so Tasks that take authVersion() as an argument run again
    this.unsubscribeAuth = onAuthChange(this.listener);
  }
  hostDisconnected(): void {
    listeners.delete(this.listener);
    this.unsubscribeAuth?.();
  }
  get page(): Page {
    return currentPage();
  }
  get locale(): Locale {
    return currentLocale();
  }
  get(key: string): string | undefined {
    return param(key);
  }
  /** The listed parameters that are set, as a canonical query string (a stable Task argument). */
  query(keys: readonly string[]): string {
    return pick(keys).toString();
  }
}
