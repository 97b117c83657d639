// The snapshot file's only stylesheet (inlined in its <head>): system fonts, no external resources, a
// table layout that mail clients keep, and one A4 landscape page when printed.
import { palette } from '../styles/palette.ts';

export const snapshotCss = `
@page { size: A4 landscape; margin: 9mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #ffffff; }
body {
  font: 11px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  color: ${palette.ink};
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
.sheet { width: 1040px; max-width: 100%; margin: 0 auto; padding: 12px 4px; }
@media print { .sheet { width: 100%; padding: 0; } }
table { border-collapse: collapse; }
table.layout, table.layout > tbody > tr > td { border: 0; padding: 0; vertical-align: top; }
h1 { font-size: 20px; line-height: 1.2; margin: 0; }
h2 { font-size: 13px; margin: 0 0 4px; }
.sub { color: #5b6576; margin-top: 2px; }
.badge { display: inline-block; border: 1px solid ${palette.loss}; color: ${palette.loss}; border-radius: 3px; padding: 0 5px; margin-left: 6px; font-size: 10px; font-weight: 600; vertical-align: 3px; }
.figures { width: 100%; }
.figures th, .figures td { padding: 2px 6px; border-bottom: 1px solid ${palette.grid}; text-align: right; white-space: nowrap; }
.figures th { font-size: 10px; font-weight: 600; color: #5b6576; border-bottom: 1.5px solid ${palette.ink}; }
.figures th:first-child, .figures td:first-child { text-align: left; }
.figures td.now { font-weight: 700; font-size: 12px; }
.figures td.spark { padding: 0 2px; width: 116px; }
.figures td.spark svg { display: block; }
.figures tr.group td { border-bottom: 1.5px solid ${palette.grid}; }
.good { color: ${palette.gain}; }
.bad { color: ${palette.loss}; }
.flat, .na { color: #5b6576; }
.mark { font-size: 9px; color: #5b6576; vertical-align: 2px; }
.panel { margin-bottom: 10px; }
.chart svg { display: block; width: 100%; height: auto; }
.lead { margin: 2px 0 0; color: #5b6576; }
ul.notable { margin: 0; padding-left: 16px; }
ul.notable li { margin: 0 0 3px; }
.campaigns { width: 100%; }
.campaigns th, .campaigns td { padding: 2px 5px; border-bottom: 1px solid ${palette.grid}; text-align: right; white-space: nowrap; }
.campaigns th { font-size: 10px; color: #5b6576; font-weight: 600; border-bottom: 1.5px solid ${palette.ink}; }
.campaigns th:first-child, .campaigns td:first-child { text-align: left; white-space: normal; }
.campaigns .key { color: #5b6576; font-size: 9.5px; }
.empty { color: #5b6576; font-style: italic; }
.notes { margin: 8px 0 0; padding: 6px 0 0 14px; border-top: 1px solid ${palette.grid}; color: #5b6576; font-size: 9px; line-height: 1.3; }
.notes li { margin: 0 0 1px; }
.foot { color: #8c96a5; font-size: 9px; margin-top: 4px; }
`;
