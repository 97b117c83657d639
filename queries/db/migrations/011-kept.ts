// Schema version 11: what users keep beside the data — saved views (a named page + query string), the
// charts pinned to the Dashboard (in their order), and annotations (a dated note drawn on time charts).
// `aida rebuild` carries them over to the rebuilt warehouse (queries/kept.ts copyKept).
export const sql = /* sql */ `
create sequence if not exists saved_views_id start 1;
create table if not exists saved_views (
  id integer primary key default nextval('saved_views_id'),
  name varchar not null,
  page varchar not null,        -- the app page, e.g. funnel
  query varchar not null,       -- its URL query string without '?', sorted, e.g. grain=month&preset=last-week
  created_at timestamptz not null
);
create sequence if not exists dashboard_pins_id start 1;
create table if not exists dashboard_pins (
  id integer primary key default nextval('dashboard_pins_id'),
  chart varchar not null,       -- which chart (queries/shared/app-pages.ts pinnableCharts)
  query varchar not null,       -- the page's query string it is drawn from
  position integer not null,    -- its place on the Dashboard, 1 = first
  created_at timestamptz not null
);
create sequence if not exists annotations_id start 1;
create table if not exists annotations (
  id integer primary key default nextval('annotations_id'),
  date date not null,           -- the day it marks, in the reporting time zone
  note varchar not null,
  author varchar,
  created_at timestamptz not null
);
`;
