// Schema version 3: the AIDA funnel's attempts kept per person and local day (see queries/README.md),
// so the funnel over any period reads one small table instead of walking every stage hit.
export const sql = /* sql */ `
create table funnel_days (
  variant   varchar not null,
  person_id varchar not null,
  day       date not null,
  level     integer not null,
  ts        timestamptz[] not null
);

insert into meta values ('derived_fingerprint', 'stale') on conflict (key) do update set value = 'stale';
`;
