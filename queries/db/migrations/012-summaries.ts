// Schema version 12: per-customer, per-customer-day and per-person-day summaries kept by ingest
// (ingest/derive-summaries.ts, documented in queries/README.md) for the customers, retention, repurchase
// and snapshot views, so a request for any period or as-of day reads one row per customer or person-day
// instead of walking the orders and stage hits. A database upgraded to it gets them empty and marked
// stale; the next ingest or server start rebuilds them.
export const sql = /* sql */ `
create table customer_summary (
  customer_id    varchar not null,
  first_ts       timestamptz not null,
  second_ts      timestamptz,
  last_ts        timestamptz not null,
  orders         bigint not null,
  revenue        decimal(38,2) not null,
  first_amount   decimal(18,2),
  first_channel  varchar,
  first_campaign varchar,
  first_coupon   varchar,
  first_order_id varchar
);

create table customer_days (
  customer_id   varchar not null,
  day           date not null,
  next_day      date,
  orders        bigint not null,
  revenue       decimal(38,2) not null,
  last_ts       timestamptz not null,
  last_order_id varchar,
  median_gap    double
);

create table person_days (
  person_id  varchar not null,
  day        date not null,
  next_day   date,
  intent_day date,
  purchase   boolean not null,
  identified boolean not null,
  buy_ts     timestamptz
);

insert into meta values ('derived_fingerprint', 'stale') on conflict (key) do update set value = 'stale';
`;
