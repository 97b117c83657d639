// Schema version 6: how each file's numbers and dates were read (ingest/values/readings.ts): a JSON
// array with one entry per numeric or date column — reading, what decided it, the evidence.
export const sql = /* sql */ `
alter table ingests add column value_formats varchar;
`;
