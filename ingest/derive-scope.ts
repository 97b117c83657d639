// What a load brought to the derive steps (derive.ts, derive-summaries.ts, derive-properties.ts): the temp
// tables its load step left for them to read, or that everything is to be recomputed.

/** What a load brought: the temp tables its load step left for derive to read. */
export interface DeriveScope {
  fileId: number;
  /** `_in_new_events` holds the file's new web events */
  newEvents: boolean;
  /** `_in_replaced_orders` holds the stored orders the file replaced (their old `ts`) */
  replacedOrders: boolean;
  /** recompute for every visitor and person (after a migration or a config change) */
  all: boolean;
}
