// Schema version 2: derived tables kept by ingest in the same transaction as the rows they summarise
// (documented in queries/README.md). A database upgraded from version 1 gets them empty and marked
// stale; ingest/derive.ts rebuilds them from the raw tables on the next ingest or server start.
export const sql = /* sql */ `
create table sessions (
  session_id       varchar not null,
  visitor_id       varchar not null,
  customer_id      varchar,
  start_ts         timestamptz not null,
  end_ts           timestamptz not null,
  duration_s       double not null,
  events           integer not null,
  pageviews        integer not null,
  landing_url      varchar,
  landing_path     varchar,
  referrer         varchar,
  referrer_host    varchar,
  utm_source       varchar,
  utm_medium       varchar,
  utm_campaign     varchar,
  utm_content      varchar,
  utm_term         varchar,
  channel          varchar not null,
  device           varchar,
  country          varchar,
  is_bot           boolean not null
);

create table person_map (
  id_kind   varchar not null,
  id        varchar not null,
  person_id varchar not null
);

create table stage_hits (
  person_id  varchar not null,
  stage      varchar not null,
  ts         timestamptz not null,
  session_id varchar
);

create table person_stages (
  person_id varchar not null,
  stage     varchar not null,
  first_ts  timestamptz not null,
  last_ts   timestamptz not null,
  hits      integer not null
);

create table daily_traffic (
  day          date not null,
  channel      varchar not null,
  utm_source   varchar,
  utm_medium   varchar,
  utm_campaign varchar,
  device       varchar,
  country      varchar,
  sessions     integer not null,
  pageviews    integer not null,
  events       integer not null,
  bounces      integer not null,
  duration_s   double not null
);

create table daily_sales (
  day          date not null,
  channel      varchar,
  utm_source   varchar,
  utm_medium   varchar,
  utm_campaign varchar,
  orders       integer not null,
  valid_orders integer not null,
  revenue      decimal(18,2) not null
);

insert into meta values ('derived_fingerprint', 'stale') on conflict (key) do update set value = 'stale';
`;
