// Schema version 7: the daily_traffic and daily_sales rollups go. Every ingest recomputed them and no
// metric, view or page read them (the metrics read sessions, orders, funnel_days and retention_base).
export const sql = /* sql */ `
drop table if exists daily_traffic;
drop table if exists daily_sales;
`;
