// Conversions at the DuckDB boundary: JS parameters in (Date needs an explicit TIMESTAMPTZ value) and
// result values out (no bigint, no DuckDB value objects ever reach a caller).
import { DuckDBTimestampTZValue, type DuckDBValue } from '@duckdb/node-api';

export type Param = string | number | boolean | bigint | Date | null | undefined;

export function toDuckValue(value: unknown): DuckDBValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('Invalid Date passed as a query parameter');
    return new DuckDBTimestampTZValue(BigInt(value.getTime()) * 1000n);
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  throw new TypeError(`unsupported query parameter of type ${typeof value}`);
}

/** bigint → number when exact, else a decimal string; nested lists and structs are converted too. */
export function fromJsValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(fromJsValue);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromJsValue(v);
    return out;
  }
  return value;
}

export function normaliseRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) out[key] = fromJsValue(row[key]);
  return out;
}
