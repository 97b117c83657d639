// Schema version 8: every non-canonical column or key of an input row, kept per event and per order
// as one JSON object (GA4 event_params, Segment properties, a CSV's extra columns; SPEC §3).
export const sql = /* sql */ `
alter table events add column properties json;
alter table orders add column properties json;
`;
