// Conversions at the DuckDB boundary: JS parameters in (Date needs an explicit TIMESTAMPTZ value) and
// result values out (no bigint, no DuckDB value objects ever reach a caller), and how a result value
// becomes JSON/CSV text for the SQL console and `aida sql` (exact: a DECIMAL is its decimal text).
import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { DuckDBTimestampTZValue, DuckDBTypeId } from './duckdb.ts';

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

/**
 * For a result column of `type`, turns a value as `JsonDuckDBValueConverter` gives it (DECIMAL, BIGINT
 * and HUGEINT as their exact text) into the value the console's JSON and CSV carry: a number when a
 * double holds it exactly (4459932.35, never 4459932.349999999), else the exact text; inside lists
 * and structs too.
 */
export function consoleValueConverter(type: DuckDBType): (v: unknown) => unknown {
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return (v) => (typeof v === 'string' && Number.isSafeInteger(Number(v)) ? Number(v) : v);
    case DuckDBTypeId.DECIMAL:
      return (v) => (typeof v === 'string' ? exactDecimal(v) : v);
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const item = consoleValueConverter(type.valueType);
      return (v) => (Array.isArray(v) ? v.map(item) : v);
    }
    case DuckDBTypeId.STRUCT: {
      const fields = new Map(type.entryNames.map((name, i) => [name, consoleValueConverter(type.entryTypes[i]!)]));
      return (v) => {
        if (!v || typeof v !== 'object') return v;
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fields.get(k)?.(x) ?? x]));
      };
    }
    default:
      return (v) => v;
  }
}

/** DuckDB's decimal text as a number when its digits survive a double (up to 15 significant), else the text. */
function exactDecimal(text: string): number | string {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  return digits.length <= 15 ? Number(text) : text;
}
