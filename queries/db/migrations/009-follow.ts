// Schema version 9: what `aida rebuild` needs to replay an ingest exactly (its --log-format, encoding,
// --exclude-path globs, and where a slice of a followed file starts), and `follow_offsets`: how far each
// file `aida ingest --follow` reads is committed, written in the same transaction as the slice's rows.
export const sql = /* sql */ `
alter table ingests add column log_format varchar;
alter table ingests add column encoding varchar;
alter table ingests add column exclude_paths varchar; -- a JSON array of globs
alter table ingests add column rows_excluded bigint;
alter table ingests add column slice_start bigint;
alter table ingests add column slice_line_shift bigint;
alter table ingests add column slice_new_bytes boolean;

create table follow_offsets (
  device           varchar not null,
  inode            varchar not null,
  head_bytes       integer not null,
  head_sha256      varchar not null,
  path             varchar not null,
  committed_offset bigint not null,
  committed_lines  bigint not null,
  kind             varchar not null,
  format           varchar not null,
  profile          varchar,
  encoding         varchar not null,
  updated_at       timestamptz not null
);
`;
