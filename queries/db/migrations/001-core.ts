// Schema version 1: the raw warehouse tables of SPEC §3 and the ingest ledger.
export const sql = /* sql */ `
create table ingests (
  file_id        integer primary key,
  path           varchar not null,
  sha256         varchar not null,
  kind           varchar not null,
  format         varchar not null,
  profile        varchar,
  rows_in        bigint not null,
  rows_loaded    bigint not null,
  rows_duplicate bigint not null,
  rows_rejected  bigint not null,
  started_at     timestamptz not null,
  finished_at    timestamptz,
  status         varchar not null
);

create table rejects (
  file_id integer not null,
  line    bigint not null,
  raw     varchar,
  reason  varchar not null
);

create table events (
  event_id      varchar not null,
  ts            timestamptz not null,
  visitor_id    varchar not null,
  session_id    varchar,
  customer_id   varchar,
  event         varchar not null,
  url           varchar,
  path          varchar,
  referrer      varchar,
  referrer_host varchar,
  utm_source    varchar,
  utm_medium    varchar,
  utm_campaign  varchar,
  utm_content   varchar,
  utm_term      varchar,
  channel       varchar,
  device        varchar,
  country       varchar,
  order_id      varchar,
  value         decimal(18,2),
  is_bot        boolean not null default false,
  is_pageview   boolean not null default false,
  status_code   smallint,
  source_file   integer not null
);

create table orders (
  order_id     varchar not null,
  ts           timestamptz not null,
  customer_id  varchar,
  visitor_id   varchar,
  amount       decimal(18,2) not null,
  currency     varchar,
  status       varchar not null,
  items        integer,
  coupon       varchar,
  utm_source   varchar,
  utm_medium   varchar,
  utm_campaign varchar,
  channel      varchar,
  source_file  integer not null
);

create table campaigns (
  date        date not null,
  source      varchar not null,
  medium      varchar not null,
  campaign    varchar not null,
  audience    bigint,
  impressions bigint,
  reach       bigint,
  clicks      bigint,
  cost        decimal(18,2),
  currency    varchar,
  source_file integer not null
);

create table complaints (
  complaint_id varchar not null,
  ts           timestamptz not null,
  customer_id  varchar not null,
  order_id     varchar,
  category     varchar not null,
  severity     varchar,
  amount       decimal(18,2),
  responded_at timestamptz,
  resolved_at  timestamptz,
  status       varchar,
  source_file  integer not null
);

create table identities (
  visitor_id  varchar not null,
  customer_id varchar not null,
  first_seen  timestamptz not null,
  last_seen   timestamptz not null
);

create table meta (
  key   varchar primary key,
  value varchar not null
);
`;
