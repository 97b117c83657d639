// Design tokens and the shared component styles (Lit `css` literals adopted by every page).
import { css } from 'lit';

export const tokens = css`
  :host {
    --ink: #1d2433;
    --muted: #5b6576;
    --line: #d9dde4;
    --panel: #ffffff;
    --page: #f5f6f8;
    --accent: #0072b2;
    --accent-ink: #ffffff;
    --danger: #b23c00;
    --focus: #e69f00;
    --radius: 6px;
    --gap: 1rem;
    font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif;
    color: var(--ink);
  }
`;

export const shared = css`
  * { box-sizing: border-box; }
  h1 { font-size: 1.35rem; margin: 0 0 0.75rem; }
  h2 { font-size: 1.05rem; margin: 0 0 0.5rem; }
  a { color: var(--accent); }
  :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
  button, select, input, textarea { font: inherit; color: inherit; }
  button {
    border: 1px solid var(--line); background: var(--panel); border-radius: var(--radius); padding: 0.3rem 0.7rem; cursor: pointer;
  }
  button:hover { border-color: var(--accent); }
  button.primary { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
  button:disabled { opacity: 0.55; cursor: default; }
  select, input[type='date'], input[type='week'], input[type='text'], input[type='password'] {
    border: 1px solid var(--line); border-radius: var(--radius); padding: 0.25rem 0.45rem; background: var(--panel); min-height: 2rem;
  }
  label.field { display: inline-flex; flex-direction: column; gap: 0.15rem; font-size: 0.8rem; color: var(--muted); }
  label.field > select, label.field > input { color: var(--ink); font-size: 0.9rem; }
  .toolbar { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; margin: 0 0 var(--gap); }
  .grid { display: grid; gap: var(--gap); grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr)); }
  .card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 0.9rem; min-width: 0; }
  .card.wide { grid-column: 1 / -1; }
  .kpis { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0 0 var(--gap); }
  .kpi { display: flex; flex-direction: column; }
  .kpi .v { font-size: 1.35rem; font-weight: 600; font-variant-numeric: tabular-nums; }
  .kpi .l { font-size: 0.8rem; color: var(--muted); }
  table.data { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  table.data th, table.data td { padding: 0.3rem 0.6rem; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
  table.data th { font-size: 0.8rem; color: var(--muted); font-weight: 600; }
  table.data td.wrap { white-space: normal; min-width: 12rem; }
  table.data td.n, table.data th.n { text-align: right; }
  /* a table region (table-region.ts): the scrollbar stays visible so a wide table reads as scrollable */
  .scroll { overflow: auto; max-height: 28rem; scrollbar-width: thin; scrollbar-color: #8c96a5 #eef0f3; }
  .scroll.full { max-height: none; }
  /* on a phone, headings wrap (at words; CJK needs a floor or it breaks after every character) */
  @media (max-width: 40rem) {
    table.data thead th { white-space: normal; min-width: 4.5em; }
    table.data tbody th { white-space: normal; min-width: 7.5em; }
    table.data th, table.data td { padding: 0.3rem 0.4rem; }
    table.data td.wrap { min-width: 9rem; }
  }
  .status { color: var(--muted); padding: 1rem 0; }
  .empty { background: #fff8e6; border: 1px solid #f0d9a0; border-radius: var(--radius); padding: 0.75rem 1rem; }
  .empty code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #fdf0cc; padding: 0 0.25em; border-radius: 3px; overflow-wrap: anywhere; }
  .error { background: #fdeeea; border: 1px solid #f1b9a6; border-radius: var(--radius); padding: 0.75rem 1rem; color: var(--danger); }
  .notes { color: var(--muted); font-size: 0.85rem; margin: 0.5rem 0 0; padding-left: 1.1rem; }
  .muted { color: var(--muted); }
  .skeleton { height: 16rem; border-radius: var(--radius); background: linear-gradient(90deg, #eef0f3, #f7f8fa, #eef0f3); background-size: 200% 100%; animation: shimmer 1.2s infinite; }
  @keyframes shimmer { to { background-position: -200% 0; } }
  @media (prefers-reduced-motion: reduce) { .skeleton { animation: none; } }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
