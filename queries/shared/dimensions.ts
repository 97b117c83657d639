// The filter dimensions (SPEC §5, §5.3): what a metric can be filtered (and broken down) by. A leaf with no
// imports, so the web's pages and controls import these very lists; the params schemas are built from them.

/** A person's credited touch (first or last): funnel, trends and efficiency filter and break down by these. */
export const touchDimensions = ['channel', 'source', 'medium', 'campaign', 'device', 'country', 'landing_path'] as const;
export type TouchDimension = (typeof touchDimensions)[number];

/** A customer's first valid order: retention and repurchase filter their cohorts by these. */
export const firstOrderDimensions = ['channel', 'campaign', 'coupon', 'first_product'] as const;
export type FirstOrderDimension = (typeof firstOrderDimensions)[number];

/** An order's own country: the product ranking filters its orders by it. */
export const orderDimensions = ['country'] as const;
export type OrderDimension = (typeof orderDimensions)[number];

export type FilterDimension = TouchDimension | FirstOrderDimension | OrderDimension;
/** Every filter any endpoint accepts. */
export const filterDimensions: readonly FilterDimension[] = [...new Set([...touchDimensions, ...firstOrderDimensions, ...orderDimensions])];
