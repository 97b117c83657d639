// A profile maps a well-known export onto canonical columns: which header it has, which column
// supplies each canonical one, and SQL for values the export encodes its own way.
import { normaliseHeader, type Kind } from '../columns.ts';
import type { Format } from '../source.ts';

export interface Profile {
  name: string;
  kind: Kind;
  /** formats this profile reads; access logs have their own */
  formats?: Format[];
  /** normalised headers (or patterns over them) that identify the export: all must be present */
  signature: HeaderSpec[];
  /** canonical column → the export's header (normalised, or a pattern: `Amount spent (USD)`) */
  columns: Record<string, HeaderSpec>;
  /** order-level fields (time, customer, total) are filled on an order's first line only */
  orderFieldsOnFirstLine?: boolean;
  /** canonical column → SQL over the raw columns, given a function that references a header, and the headers */
  expressions?: Record<string, (col: (header: string) => string, headers: string[]) => string>;
  /**
   * SQL for why a whole row is not a record of the export (a report's total row), or null: when it is
   * not null it is the row's only reject reason.
   */
  rowReason?: (col: (header: string) => string, headers: string[]) => string;
  /**
   * The raw keys the profile reads into canonical columns, or must not keep (`context.ip`: a dotted
   * path is a nested key); every other key goes to `properties`. Default: the mapped headers.
   */
  consumed?: string[];
  /** SQL for the profile's own JSON object of properties (GA4 event_params, Segment properties) */
  properties?: (col: (header: string) => string) => string;
  /** web profiles: the event types (as staged) that are also orders, with order_id, value and properties.currency */
  orderEvents?: string[];
}

/** A normalised header, or a pattern a normalised header must match. */
export type HeaderSpec = string | RegExp;

/** The file's header that a header spec names (first match), if any. */
export function headerFor(headers: string[], spec: HeaderSpec): string | undefined {
  return typeof spec === 'string' ? headers.find((h) => normaliseHeader(h) === spec) : headers.find((h) => spec.test(normaliseHeader(h)));
}
