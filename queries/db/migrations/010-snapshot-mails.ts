// Schema version 10: the weekly snapshots `aida serve` mailed on its schedule, one row per ISO week, so
// a restart never mails a week twice (server/snapshot-schedule.ts).
export const sql = /* sql */ `
create table if not exists snapshot_mails (
  week varchar primary key,     -- the ISO week the snapshot reports, e.g. 2026-W47
  sent_at timestamptz not null,
  recipients varchar not null   -- comma-separated, as the SMTP server accepted them
);
`;
