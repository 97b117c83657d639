// What every ad platform's campaign report shares (SPEC §4): the platform is the source, a total or
// subtotal row is no campaign row, and the currency is a column or sits in the cost column's header
// (`Amount spent (USD)`, `Cost (EUR)`).
import { sqlString } from '../../queries/db/quote.ts';
import { headerFor, type HeaderSpec, type Profile } from './profile.ts';

export const REPORT_TOTAL = 'report total, not a campaign row';

/** A label that starts a total row: Total, Totals, Grand total, Subtotal, Total: Account; 合计, 总计, 小计 */
const totalLabel = String.raw`^\s*(?:(?:grand\s+|sub-?)?totals?\b|合计|合計|总计|總計|小计|小計)`;

export interface AdReport {
  name: string;
  /** the platform, stored as the campaign rows' source (utm_source is matched against it) */
  source: string;
  signature: HeaderSpec[];
  /** canonical column → the report's header; `date`, `campaign` and `cost` at least */
  columns: Record<string, HeaderSpec>;
  /** the one currency the platform bills in, when the report says none */
  currency?: string;
  expressions?: Profile['expressions'];
  /** a further reason a whole row is not a campaign row (null when it is one) */
  rowReason?: Profile['rowReason'];
}

export function adReport(spec: AdReport): Profile {
  return {
    name: spec.name,
    kind: 'campaigns',
    signature: spec.signature,
    columns: spec.columns,
    expressions: {
      source: () => sqlString(spec.source),
      currency: (col, headers) => {
        const column = headerFor(headers, spec.columns.currency ?? 'currency') ?? headerFor(headers, 'currency_code');
        const inHeader = spec.columns.cost ? /\(([A-Za-z]{3})\)\s*$/.exec(headerFor(headers, spec.columns.cost) ?? '')?.[1]?.toUpperCase() : undefined;
        const fallback = inHeader ?? spec.currency;
        return `coalesce(nullif(trim(${column ? col(column) : 'null'}), ''), ${fallback ? sqlString(fallback) : 'null'})`;
      },
      ...spec.expressions,
    },
    rowReason: (col, headers) => {
      // the label of a total row sits in the first column, or in the date or campaign column
      const labels = [...new Set([headers[0], headerFor(headers, spec.columns.date ?? 'date'), headerFor(headers, spec.columns.campaign ?? 'campaign')])]
        .filter((h): h is string => h !== undefined)
        .map((h) => `regexp_matches(coalesce(${col(h)}, ''), ${sqlString(totalLabel)}, 'i')`);
      const total = labels.length ? `case when ${labels.join(' or ')} then ${sqlString(REPORT_TOTAL)} end` : 'null';
      return spec.rowReason ? `coalesce(${total}, ${spec.rowReason(col, headers)})` : total;
    },
  };
}
