// Event types with a meaning shared by ingest (sessions) and metrics (touches).

/** Event types that happen off the site (ads shown): they belong to no session. */
export const offSiteEventTypes = ['impression', 'ad_impression'];
