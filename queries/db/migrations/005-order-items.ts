// Schema version 5: the lines of line-item exports (SPEC §3 `order_items`) and the place of an order.
// Databases loaded before it have no lines for their orders: `aida rebuild` re-reads the kept inputs.
export const sql = /* sql */ `
alter table orders add column country varchar;
alter table orders add column city varchar;

create table order_items (
  order_id    varchar not null,
  line        integer not null,
  sku         varchar,
  description varchar,
  quantity    double,
  unit_price  decimal(18,4),
  amount      decimal(18,2),
  currency    varchar,
  source_file integer not null
);
`;
