// The I1–I5 efficiency chain: the Q0–Q5 ladder (log scale, since Q0 can be thousands of times Q5) with
// each ratio beside the level it leads to, and the decomposition of a change in purchases by factor.
import * as Plot from '@observablehq/plot';
import { translateKey } from '../i18n/index.ts';
import { palette } from '../styles/palette.ts';
import { context, draw, emptyChart, type ChartOptions } from './frame.ts';

export interface Level {
  key: string;
  label: string;
  value: number | null;
  estimate?: boolean;
  complete?: boolean;
  reason?: string | null;
  source?: string | null;
}

export interface Ratio {
  key: string;
  label?: string;
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  ci?: [number, number] | null;
  small?: boolean;
}

export function efficiencyLadder(levels: Level[], ratios: Ratio[], opts: ChartOptions = {}): SVGSVGElement {
  const { t, f } = context(opts);
  const frame = {
    title: t('efficiency.ladderTitle'),
    legend: [
      { label: t('efficiency.value'), color: palette.primary },
      { label: `${t('unit.estimate')} / ${t('unit.incomplete')}`, color: palette.primary, opacity: 0.4 },
    ],
  };
  const rows = levels.map((l) => ({ ...l, name: translateKey(t, l.key, l.label) }));
  const known = rows.filter((l) => l.value !== null && l.value > 0);
  if (!known.length) return emptyChart(frame, t('state.noData'), opts);
  const max = Math.max(...known.map((l) => l.value!));
  // Ik = Qk / Q(k-1): written on the row of Qk
  const ratioRows = ratios
    .map((r) => ({ ...r, level: `Q${r.key.slice(1)}`, name: translateKey(t, r.key, r.label ?? r.key) }))
    .filter((r) => rows.some((l) => l.key === r.level));
  const levelName = (key: string) => rows.find((l) => l.key === key)!.name;
  const faded = (l: Level) => l.estimate || l.complete === false;
  return draw(
    {
      height: rows.length * 42 + 60,
      marginLeft: 150,
      marginRight: 230,
      y: { domain: rows.map((l) => l.name), label: null },
      x: { type: 'log', domain: [1, max * 1.05], label: t('efficiency.value'), grid: true, tickFormat: f.compact, ticks: 5 },
      marks: [
        Plot.barX(known, {
          y: 'name',
          x1: 1,
          x2: 'value',
          fill: palette.primary,
          fillOpacity: (l: Level) => (faded(l) ? 0.4 : 1),
          className: 'efficiency-level',
          title: (l) =>
            [`${l.name}: ${f.int(l.value)}`, l.source ? `${t('efficiency.source')}: ${l.source}` : null, l.estimate ? t('unit.estimate') : null, l.complete === false ? t('unit.incomplete') : null]
              .filter(Boolean)
              .join('\n'),
        }),
        Plot.text(known, { y: 'name', x: 'value', text: (l: Level) => `${f.int(l.value)}${l.estimate ? '*' : ''}`, textAnchor: 'start', dx: 4, fill: palette.ink }),
        Plot.text(
          rows.filter((l) => l.value === null || l.value <= 0),
          { y: 'name', frameAnchor: 'left', dx: 6, text: (l) => `${t('efficiency.missing')}${l.reason ? `: ${l.reason}` : ''}`, fill: palette.muted, textAnchor: 'start', lineWidth: 26 },
        ),
        Plot.text(
          ratioRows.filter((r) => r.value !== null),
          {
            y: (r) => levelName(r.level),
            frameAnchor: 'right',
            dx: 224,
            textAnchor: 'end',
            text: (r) => `${r.name} ${f.pctSig(r.value)}`,
            fill: palette.ink,
            fontWeight: 600,
            className: 'efficiency-ratio',
            title: (r) => `${r.name}: ${f.pctSig(r.value)} = ${f.int(r.numerator)} / ${f.int(r.denominator)}${r.ci ? `\n${t('unit.ci', { lo: f.pct(r.ci[0]), hi: f.pct(r.ci[1]) })}` : ''}${r.small ? `\n${t('unit.small')}` : ''}`,
          },
        ),
        Plot.text(
          ratioRows.filter((r) => r.value === null),
          { y: (r) => levelName(r.level), frameAnchor: 'right', dx: 224, textAnchor: 'end', text: (r) => `${r.name} –`, fill: palette.muted },
        ),
      ],
    },
    frame,
    opts,
  );
}

export interface Factor {
  key: string;
  label: string;
  logChange: number | null;
  share: number | null;
}

/** Each factor's share of the log-change in purchases: positive pushed purchases up, negative down. */
export function decompositionChart(factors: Factor[], opts: ChartOptions & { title?: string } = {}): SVGSVGElement {
  const { t, f } = context(opts);
  const frame = { title: opts.title ?? t('efficiency.decompositionTitle'), legend: [{ label: t('efficiency.raised'), color: palette.gain }, { label: t('efficiency.lowered'), color: palette.loss }] };
  const rows = factors.filter((x) => x.logChange !== null).map((x) => ({ ...x, name: translateKey(t, x.key, x.label) }));
  if (!rows.length) return emptyChart(frame, t('efficiency.noDecomposition'), opts);
  return draw(
    {
      height: rows.length * 34 + 70,
      marginLeft: 150,
      marginRight: 70,
      y: { domain: rows.map((r) => r.name), label: null },
      x: { label: t('efficiency.logChange'), grid: true, nice: true, tickFormat: (v: number) => f.num(v, 2) },
      marks: [
        Plot.barX(rows, {
          y: 'name',
          x: 'logChange',
          fill: (r) => (r.logChange! >= 0 ? palette.gain : palette.loss),
          className: 'decomposition-factor',
          title: (r) => `${r.name}\n${t('efficiency.logChange')}: ${f.num(r.logChange, 3)}\n${t('efficiency.share')}: ${f.pct(r.share)}`,
        }),
        // each factor's share of the change, in a column at the right
        Plot.text(rows, { y: 'name', frameAnchor: 'right', dx: 66, textAnchor: 'end', text: (r) => f.pct(r.share, 0), fill: palette.ink, fontWeight: 600 }),
        Plot.ruleX([0]),
      ],
    },
    frame,
    opts,
  );
}
