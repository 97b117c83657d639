// Schema version 4: the data behind the unfiltered retention matrix, kept by ingest whenever orders
// change (see queries/README.md), so GET /api/retention reads a few hundred rows instead of every order.
export const sql = /* sql */ `
create table retention_base (
  period_grain       varchar not null,
  cohort_start       date not null,
  size               integer not null,
  k                  integer not null,
  standard_customers integer not null,
  last_customers     integer not null,
  repeat_customers   integer not null,
  revenue            decimal(18,2) not null
);

insert into meta values ('derived_fingerprint', 'stale') on conflict (key) do update set value = 'stale';
`;
