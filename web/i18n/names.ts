// The names of the funnel steps, efficiency levels and ratios, weekly figures and level sources in the
// interface language, looked up by the stable keys the API sends (its English labels are for CSV only).
import { en, type MessageKey } from './en.ts';
import type { Translate } from './index.ts';

const known = (key: string): key is MessageKey => key in en;

/** An AIDA step by its key (Attention of visits when the period had no impressions); other funnels' steps keep their configured label. */
export function stepName(t: Translate, funnel: string, step: { key: string; label: string }, attentionStage?: string): string {
  if (funnel !== 'aida' || !known(`step.${step.key}`)) return step.label;
  if (step.key === 'attention' && attentionStage === 'visit') return t('step.attention.visit');
  return t(`step.${step.key}` as MessageKey);
}

/** Q0–Q5 and I1–I5 (also the decomposition's factors). */
export function levelName(t: Translate, key: string): string {
  return known(key) && /^[QI][0-5]$/.test(key) ? t(key) : key;
}

/** A weekly snapshot figure: the I-chain ratios by their own key, the others as `metric.<key>`. */
export function metricName(t: Translate, key: string): string {
  if (/^I[1-5]$/.test(key)) return levelName(t, key);
  return known(`metric.${key}`) ? t(`metric.${key}` as MessageKey) : key;
}

/** Where an efficiency level's count comes from (codes such as `campaigns.reach`). */
export function sourceName(t: Translate, source: string): string {
  return known(`source.${source}`) ? t(`source.${source}` as MessageKey) : source;
}

/** A filter or breakdown dimension: a touch dimension by its own name, `property:<key>` as "Property: key". */
export function dimensionName(t: Translate, dimension: string): string {
  if (dimension.startsWith('property:')) return t('dim.property', { key: dimension.slice('property:'.length) });
  return known(`dim.${dimension}`) ? t(`dim.${dimension}` as MessageKey) : dimension;
}
