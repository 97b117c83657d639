// A table that may be wider than its card sits in a scroll region a keyboard can focus and a screen
// reader names (axe: scrollable-region-focusable), so no column is out of reach on a phone or at 1440 px.
import { html, type TemplateResult } from 'lit';

/** `full`: no height limit (the weekly table is read whole, and printed). */
export function tableRegion(label: string, table: TemplateResult, { full = false } = {}): TemplateResult {
  return html`<div class=${full ? 'scroll full' : 'scroll'} tabindex="0" role="region" aria-label=${label}>${table}</div>`;
}
