// Metric results kept in memory per data version: an ingest changes the version, so stale entries are
// never served and age out of the LRU. Bounded by entries and by approximate size.
import { createHash } from 'node:crypto';

export class ResultCache {
  private readonly entries = new Map<string, { value: unknown; size: number }>();
  private bytes = 0;

  constructor(
    readonly maxEntries = 256,
    readonly maxBytes = 64 << 20,
  ) {}

  get(key: string): unknown {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key); // re-insert: most recently used last
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: string, value: unknown, size: number): void {
    if (size > this.maxBytes / 4) return; // one huge result would flush everything else
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.size;
      this.entries.delete(key);
    }
    this.entries.set(key, { value, size });
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.size;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The request's query as a canonical string: keys sorted, repeated values kept in order. */
export function normalisedQuery(url: string): string {
  const params = [...new URL(url).searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(params).toString();
}

/** A strong ETag: the data version (readable, for debugging) and a hash of what was asked. */
export function etagOf(dataVersion: string, what: string): string {
  return `"${dataVersion}-${createHash('sha256').update(what).digest('base64url').slice(0, 16)}"`;
}

/** If-None-Match per RFC 9110: a list of tags or `*`, weak tags compared weakly. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
