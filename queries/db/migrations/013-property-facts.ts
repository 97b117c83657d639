// Schema version 13: the property facts ingest keeps (ingest/derive-properties.ts) so GET /api/properties
// over any period lists the keys from small tables instead of parsing every event's properties (issue 17).
export const sql = /* sql */ `
create table property_days (
  day    date not null,     -- local day of the events and orders
  key    varchar not null,
  events integer not null,  -- non-bot events carrying it that day
  orders integer not null   -- orders carrying it that day
);

create table property_persons (
  key       varchar not null,
  person_id varchar not null,
  days      date[] not null  -- every local day the person's events or orders carried the key, ascending
);

create table property_day_sets (
  key       varchar not null,
  days      date[] not null,   -- a set of days of property_persons
  first_day date not null,
  last_day  date not null,
  persons   integer not null   -- the persons whose days with the key are exactly these
);

insert into meta values ('derived_fingerprint', 'stale') on conflict (key) do update set value = 'stale';
`;
