// Kysely's view of the warehouse tables (SPEC §3): the column types as they arrive in JS after
// queries/db/values.ts converts them (TIMESTAMPTZ → Date, DECIMAL → number, BIGINT → number).
import type { Generated } from 'kysely';

export interface IngestsTable {
  file_id: number;
  path: string;
  sha256: string;
  kind: string;
  format: string;
  profile: string | null;
  rows_in: number;
  rows_loaded: number;
  rows_duplicate: number;
  rows_rejected: number;
  started_at: Date;
  finished_at: Date | null;
  status: string;
  /** JSON: per numeric/date column, the reading used and what decided it (values, form, other columns, delimiter, config, majority) */
  value_formats: string | null;
}

export interface RejectsTable {
  file_id: number;
  line: number;
  raw: string | null;
  reason: string;
}

interface Utm {
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

export interface EventsTable extends Utm {
  event_id: string;
  ts: Date;
  visitor_id: string;
  session_id: string | null;
  customer_id: string | null;
  event: string;
  url: string | null;
  path: string | null;
  referrer: string | null;
  referrer_host: string | null;
  utm_content: string | null;
  utm_term: string | null;
  channel: string | null;
  device: string | null;
  country: string | null;
  order_id: string | null;
  value: number | null;
  is_bot: Generated<boolean>;
  is_pageview: Generated<boolean>;
  status_code: number | null;
  source_file: number;
}

export interface OrdersTable extends Utm {
  order_id: string;
  ts: Date;
  customer_id: string | null;
  visitor_id: string | null;
  amount: number;
  currency: string | null;
  status: string;
  items: number | null;
  coupon: string | null;
  channel: string | null;
  country: string | null;
  city: string | null;
  source_file: number;
}

export interface OrderItemsTable {
  order_id: string;
  /** 1-based position of the line within its order, in file order */
  line: number;
  sku: string | null;
  description: string | null;
  quantity: number | null;
  unit_price: number | null;
  amount: number | null;
  currency: string | null;
  source_file: number;
}

export interface CampaignsTable {
  date: Date;
  source: string;
  medium: string;
  campaign: string;
  audience: number | null;
  impressions: number | null;
  reach: number | null;
  clicks: number | null;
  cost: number | null;
  currency: string | null;
  source_file: number;
}

export interface ComplaintsTable {
  complaint_id: string;
  ts: Date;
  customer_id: string;
  order_id: string | null;
  category: string;
  severity: string | null;
  amount: number | null;
  responded_at: Date | null;
  resolved_at: Date | null;
  status: string | null;
  source_file: number;
}

export interface IdentitiesTable {
  visitor_id: string;
  customer_id: string;
  first_seen: Date;
  last_seen: Date;
}

export interface SessionsTable extends Utm {
  session_id: string;
  visitor_id: string;
  customer_id: string | null;
  start_ts: Date;
  end_ts: Date;
  duration_s: number;
  events: number;
  pageviews: number;
  landing_url: string | null;
  landing_path: string | null;
  referrer: string | null;
  referrer_host: string | null;
  utm_content: string | null;
  utm_term: string | null;
  channel: string;
  device: string | null;
  country: string | null;
  is_bot: boolean;
}

export interface PersonMapTable {
  id_kind: 'visitor' | 'customer';
  id: string;
  person_id: string;
}

export interface StageHitsTable {
  person_id: string;
  stage: string;
  ts: Date;
  session_id: string | null;
}

export interface PersonStagesTable {
  person_id: string;
  stage: string;
  first_ts: Date;
  last_ts: Date;
  hits: number;
}

export interface FunnelDaysTable {
  variant: 'exposed' | 'visit';
  person_id: string;
  day: Date;
  level: number;
  ts: (Date | null)[];
}

export interface RetentionBaseTable {
  period_grain: 'month' | 'week';
  cohort_start: Date;
  size: number;
  k: number;
  standard_customers: number;
  last_customers: number;
  repeat_customers: number;
  revenue: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Warehouse {
  ingests: IngestsTable;
  rejects: RejectsTable;
  events: EventsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  campaigns: CampaignsTable;
  complaints: ComplaintsTable;
  identities: IdentitiesTable;
  sessions: SessionsTable;
  person_map: PersonMapTable;
  stage_hits: StageHitsTable;
  person_stages: PersonStagesTable;
  funnel_days: FunnelDaysTable;
  retention_base: RetentionBaseTable;
  meta: MetaTable;
}
