// The four kinds of input (SPEC §4): their canonical columns, the aliases real exports use for them,
// and how a file's header is matched to a kind.
export type Kind = 'web' | 'sales' | 'campaigns' | 'complaints';
export const kinds: Kind[] = ['web', 'sales', 'campaigns', 'complaints'];

interface KindSpec {
  /** each entry is one required column, or alternatives of which all columns of one set are needed */
  required: (string | string[][])[];
  optional: string[];
}

export const kindSpecs: Record<Kind, KindSpec> = {
  web: {
    required: ['ts', 'visitor_id', 'event'],
    optional: ['event_id', 'session_id', 'customer_id', 'url', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'user_agent', 'ip', 'device', 'country', 'order_id', 'value'],
  },
  sales: {
    required: ['order_id', 'ts', [['amount'], ['quantity', 'unit_price']]],
    optional: [
      'amount', 'quantity', 'unit_price', 'customer_id', 'visitor_id', 'currency', 'status', 'coupon', 'items', 'utm_source', 'utm_medium', 'utm_campaign',
      'sku', 'description', 'country', 'city',
    ],
  },
  campaigns: {
    required: ['date', 'campaign'],
    optional: ['source', 'medium', 'audience', 'impressions', 'reach', 'clicks', 'cost', 'currency'],
  },
  complaints: {
    required: ['complaint_id', 'ts', 'customer_id', 'category'],
    optional: ['order_id', 'severity', 'amount', 'responded_at', 'resolved_at', 'status'],
  },
};

/** Alternative header names (after normalising: lower case, non-alphanumerics → _). */
const aliases: Record<string, string[]> = {
  ts: ['timestamp', 'time', 'event_time', 'datetime', 'date_time', 'event_timestamp', 'created_at', 'occurred_at', 'order_date', 'order_time', 'invoice_date', 'invoicedate', 'opened_at', 'date', 'bestelldatum', 'datum', 'rechnungsdatum', 'date_de_commande', 'date_commande', 'fecha', 'fecha_pedido', 'data_ordine', '订单时间', '下单时间', '创建时间', '付款时间', '日期', '時間', '訂單時間'],
  visitor_id: ['user_id', 'anonymous_id', 'client_id', 'visitorid', 'cookie_id', 'device_id', 'distinct_id', 'uid'],
  event: ['event_type', 'event_name', 'action'],
  event_id: ['eventid', 'message_id', 'insert_id', 'uuid'],
  session_id: ['session', 'sessionid', 'user_session', 'ga_session_id'],
  customer_id: ['customer', 'customerid', 'customer_no', 'customer_number', 'member_id', 'account_id', 'kundennummer', 'kunden_nr', 'kunde', 'id_client', 'client', 'numero_client', 'cliente', '客户', '客户id', '客户编号', '会员id', '買家', '客戶編號'],
  url: ['page', 'page_url', 'path', 'page_path', 'location', 'uri', 'request_uri'],
  referrer: ['referer', 'referrer_url', 'page_referrer', 'document_referrer'],
  user_agent: ['useragent', 'ua', 'browser_user_agent'],
  ip: ['ip_address', 'client_ip', 'remote_addr', 'remote_ip'],
  device: ['device_type', 'device_category', 'platform'],
  country: ['country_code', 'geo_country', 'shipping_country', 'billing_country', 'ship_country'],
  city: ['shipping_city', 'billing_city', 'ship_city', 'town'],
  sku: ['product_id', 'stockcode', 'stock_code', 'product_code', 'item_id', 'item_code', 'variant_sku', 'article_number', 'productid', 'itemid'],
  description: ['product_name', 'item_name', 'product', 'product_title', 'item_description', 'title'],
  order_id: ['order', 'orderid', 'order_no', 'order_number', 'invoice', 'invoice_no', 'invoiceno', 'transaction_id', 'transactionid', 'bestellnummer', 'bestell_nr', 'auftragsnummer', 'rechnungsnummer', 'numero_de_commande', 'n_commande', 'reference', 'numero_pedido', 'pedido', 'numero_ordine', '订单号', '订单编号', '訂單編號', '單號'],
  value: ['revenue', 'price'],
  amount: ['total', 'order_total', 'total_price', 'revenue', 'sales', 'gross_sales', 'gesamtsumme', 'gesamtbetrag', 'summe', 'betrag', 'bruttobetrag', 'montant', 'total_ttc', 'montant_total', 'importe', 'importe_total', 'totale', '金额', '订单金额', '实付金额', '实收金额', '總金額', '金額'],
  quantity: ['qty', 'units', 'menge', 'anzahl', 'quantite', 'cantidad', 'quantita', '数量', '數量'],
  unit_price: ['unitprice', 'price', 'item_price', 'einzelpreis', 'stueckpreis', 'prix_unitaire', 'precio_unitario', 'prezzo_unitario', '单价', '單價'],
  currency: ['currency_code', 'waehrung', 'währung', 'devise', 'moneda', 'valuta', '币种', '貨幣'],
  status: ['order_status', 'financial_status', 'state', 'bestellstatus', 'statut', 'estado', 'stato', '订单状态', '訂單狀態'],
  coupon: ['discount_code', 'promo_code', 'voucher', 'coupon_code'],
  items: ['item_count', 'items_count', 'num_items'],
  utm_source: ['source'],
  utm_medium: ['medium'],
  utm_campaign: ['campaign', 'campaign_name'],
  date: ['day', 'report_date', 'date_start'],
  campaign: ['campaign_name', 'utm_campaign'],
  source: ['utm_source', 'platform', 'network', 'publisher'],
  medium: ['utm_medium'],
  audience: ['audience_size', 'target_audience', 'population'],
  impressions: ['impr', 'impression', 'views'],
  reach: ['unique_reach', 'people_reached'],
  clicks: ['link_clicks', 'click'],
  cost: ['spend', 'amount_spent', 'costs', 'media_cost'],
  complaint_id: ['ticket_id', 'case_id', 'complaint_no', 'complaint'],
  category: ['complaint_category', 'category_code', 'type', 'reason'],
  severity: ['priority', 'level', 'grade'],
  responded_at: ['first_response_at', 'first_reply_at', 'response_at', 'replied_at'],
  resolved_at: ['closed_at', 'solved_at', 'resolution_at'],
};

export function normaliseHeader(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[^a-z0-9\u0080-\uffff]+/g, '_').replace(/^_|_$/g, '');
}

/** canonical column → the raw header that supplies it */
export type ColumnMap = Record<string, string>;

export function columnsOf(kind: Kind): string[] {
  const spec = kindSpecs[kind];
  const names = new Set<string>(spec.optional);
  for (const r of spec.required) if (typeof r === 'string') names.add(r);
  else for (const set of r) for (const c of set) names.add(c);
  return [...names];
}

/** Maps headers onto a kind's canonical columns: exact name first, then aliases in their order. */
export function mapColumns(kind: Kind, headers: string[]): ColumnMap {
  const byNorm = new Map<string, string>();
  for (const h of headers) if (!byNorm.has(normaliseHeader(h))) byNorm.set(normaliseHeader(h), h);
  const map: ColumnMap = {};
  const used = new Set<string>();
  const wanted = columnsOf(kind);
  for (const col of wanted) {
    const exact = byNorm.get(col);
    if (exact && !used.has(exact)) {
      map[col] = exact;
      used.add(exact);
    }
  }
  for (const col of wanted) {
    if (map[col]) continue;
    for (const alias of aliases[col] ?? []) {
      const raw = byNorm.get(alias);
      if (raw && !used.has(raw)) {
        map[col] = raw;
        used.add(raw);
        break;
      }
    }
  }
  return map;
}

/** The required columns a mapping lacks, worded for an error message. */
export function missingColumns(kind: Kind, map: ColumnMap): string[] {
  const missing: string[] = [];
  for (const r of kindSpecs[kind].required) {
    if (typeof r === 'string') {
      if (!map[r]) missing.push(`'${r}'${aliases[r]?.length ? ` (also accepted: ${aliases[r]!.join(', ')})` : ''}`);
    } else if (!r.some((set) => set.every((c) => map[c]))) {
      missing.push(r.map((set) => set.map((c) => `'${c}'`).join(' and ')).join(' or '));
    }
  }
  return missing;
}

/** The kind whose required columns are all present, most specific first; null when none fits. */
export function detectKind(headers: string[]): Kind | null {
  for (const kind of ['complaints', 'campaigns', 'web', 'sales'] as Kind[]) {
    const map = mapColumns(kind, headers);
    if (missingColumns(kind, map).length) continue;
    if (kind === 'campaigns' && !['impressions', 'clicks', 'cost', 'reach', 'audience'].some((c) => map[c])) continue;
    return kind;
  }
  return null;
}
