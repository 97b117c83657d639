// The snapshot file's styles, written for mail clients: every rule that shapes the page is an inline
// `style` (Outlook and webmail drop or rewrite <style>), and the <head> stylesheet only adds what cannot
// be inline — the phone layout (≤ 620 px: columns stacked, two columns hidden) and A4 landscape print.
import { palette } from '../styles/palette.ts';

const muted = '#5b6576';
const font = `font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif`;
const cell = 'padding:3px 6px;text-align:right;white-space:nowrap;vertical-align:middle';

/** Inline styles by part (the class of the same name is what the <head> rules below target). */
export const inline = {
  body: `margin:0;padding:0;background:#ffffff;color:${palette.ink};${font};font-size:12px;line-height:1.4;-webkit-text-size-adjust:100%`,
  sheet: 'max-width:1040px;margin:0 auto;padding:12px 8px',
  h1: 'font-size:20px;line-height:1.2;margin:0;font-weight:700',
  h2: 'font-size:13px;line-height:1.3;margin:10px 0 4px;font-weight:700',
  sub: `color:${muted};margin:2px 0 8px`,
  badge: `display:inline-block;border:1px solid ${palette.loss};color:${palette.loss};border-radius:3px;padding:0 5px;margin-left:6px;font-size:10px;font-weight:600;vertical-align:3px`,
  /** a row of columns: inline-block boxes that sit side by side when there is room and stack when not */
  columns: 'font-size:0;line-height:0',
  col: `display:inline-block;vertical-align:top;width:100%;font-size:12px;line-height:1.4`,
  table: 'border-collapse:collapse;width:100%',
  th: `${cell};border-bottom:1.5px solid ${palette.ink};font-size:10px;font-weight:600;color:${muted}`,
  td: `${cell};border-bottom:1px solid ${palette.grid}`,
  first: 'text-align:left;white-space:normal',
  group: `border-bottom:1.5px solid ${palette.grid}`,
  now: 'font-weight:700;font-size:13px',
  spark: 'padding:0 2px;width:116px',
  good: `color:${palette.gain}`,
  bad: `color:${palette.loss}`,
  flat: `color:${muted}`,
  key: `color:${muted};font-size:10px`,
  mark: `font-size:9px;color:${muted};vertical-align:2px`,
  empty: `color:${muted};font-style:italic;text-align:left;white-space:normal;padding:3px 0`,
  lead: `margin:2px 0 0;color:${muted}`,
  list: 'margin:0;padding-left:16px',
  item: 'margin:0 0 3px',
  notes: `margin:10px 0 0;padding:6px 0 0 14px;border-top:1px solid ${palette.grid};color:${muted};font-size:10px;line-height:1.35`,
  foot: `color:${palette.muted};font-size:10px;margin-top:4px`,
} as const;

export type Part = keyof typeof inline;

export const snapshotCss = `
@page { size: A4 landscape; margin: 9mm; }
.chart svg { display: block; width: 100%; height: auto; }
td.spark svg { display: block; }
@media screen and (max-width: 620px) {
  .sheet { padding: 10px 10px !important; }
  .col { display: block !important; max-width: 100% !important; }
  .wide { display: none !important; }
  body, .col { font-size: 14px !important; }
  h1 { font-size: 18px !important; }
  td.spark, td.spark svg { width: 76px !important; }
}
@media print {
  .sheet { max-width: none !important; padding: 0 !important; }
  body, .col { font-size: 11px !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
