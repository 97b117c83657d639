// A profile maps a well-known export onto canonical columns: which header it has, which column
// supplies each canonical one, and SQL for values the export encodes its own way.
import type { Kind } from '../columns.ts';
import type { Format } from '../source.ts';

export interface Profile {
  name: string;
  kind: Kind;
  /** formats this profile reads; access logs have their own */
  formats?: Format[];
  /** normalised headers that identify the export (all must be present) */
  signature: string[];
  /** canonical column → the export's header (normalised) */
  columns: Record<string, string>;
  /** order-level fields (time, customer, total) are filled on an order's first line only */
  orderFieldsOnFirstLine?: boolean;
  /** canonical column → SQL over the raw columns, given a function that references a header */
  expressions?: Record<string, (col: (header: string) => string) => string>;
}
