// The API token (SPEC §6): kept in sessionStorage for this tab, sent as a Bearer header. When the API
// answers 401, `authRequired` fires so the app shell can ask for a token; a new token bumps
// `authVersion`, which the page Tasks take as an argument so they run again.
const key = 'aida.token';
let version = 0;
const listeners = new Set<() => void>();

export function token(): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

export function setToken(value: string | null): void {
  try {
    if (value) sessionStorage.setItem(key, value);
    else sessionStorage.removeItem(key);
  } catch {
    // storage blocked: the token is lost on reload, nothing else to do
  }
  version++;
  listeners.forEach((l) => l());
}

export function authVersion(): number {
  return version;
}

export function onAuthChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Fired on window when a request was refused for want of a (valid) token. */
export const authRequiredEvent = 'aida-auth-required';

export function authRequired(): void {
  window.dispatchEvent(new CustomEvent(authRequiredEvent));
}
