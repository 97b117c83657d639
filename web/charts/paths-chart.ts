// The paths flow: d3-sankey lays out the hops of GET /api/paths (the anchor, then each hop's pages and
// events) and Plot draws it — a column per hop, a bar per step sized by its people (the gap under its
// outgoing links is who stopped there), a band per link. Pure: result + options → SVG.
import * as Plot from '@observablehq/plot';
import { sankey, type SankeyLink, type SankeyNode } from 'd3-sankey';
import type { PathsResult } from '../api.ts';
import { palette } from '../styles/palette.ts';
import { context, draw, emptyChart, type ChartOptions } from './frame.ts';

export type PathsData = Pick<PathsResult, 'direction' | 'persons' | 'steps' | 'links' | 'depth'> & { anchor: { key: string }; anchorName: string };

interface Node {
  id: string;
  hop: number;
  name: string;
  persons: number;
  stopped: number;
  fixedValue: number;
}
type Laid = SankeyNode<Node, object>;

const other = '(other)';

/** Text cut to about `px` pixels (CJK glyphs count double), with an ellipsis. */
function fit(s: string, px: number): string {
  let w = 0;
  let out = '';
  for (const ch of s) {
    w += /[\u2e80-\uffff]/.test(ch) ? 11 : 6.4;
    if (w > px) return `${out}…`;
    out += ch;
  }
  return out;
}

export function pathsChart(d: PathsData, opts: ChartOptions = {}): SVGSVGElement {
  const { t, f, width } = context(opts);
  const after = d.direction === 'after';
  const frame = {
    title: t(after ? 'paths.chartTitle.after' : 'paths.chartTitle.before', { step: d.anchorName }),
    legend: [
      { label: t('paths.legend.step'), color: palette.primary },
      { label: t('paths.legend.other'), color: palette.muted },
      { label: t(after ? 'paths.legend.stopped' : 'paths.legend.began'), color: palette.loss, opacity: 0.55 },
    ],
  };
  if (!d.persons || !d.links.length) return emptyChart(frame, t(d.persons ? 'paths.noSteps' : 'state.noData'), opts);
  const name = (s: string) => (s === other ? t('paths.other') : s);
  const nodes: Node[] = [
    { id: `0|${d.anchor.key}`, hop: 0, name: d.anchorName, persons: d.persons, stopped: d.persons - d.steps.filter((s) => s.hop === 1).reduce((n, s) => n + s.persons, 0), fixedValue: d.persons },
    ...d.steps.map((s) => ({ id: `${s.hop}|${s.name}`, hop: s.hop, name: name(s.name), persons: s.persons, stopped: s.stopped, fixedValue: s.persons })),
  ];
  const hops = Math.max(...nodes.map((n) => n.hop));
  // links run in time order: after the anchor from hop h−1 to h; into it from hop h to h−1
  const links = d.links.map((l) => {
    const near = l.hop === 1 ? `0|${d.anchor.key}` : `${l.hop - 1}|${l.from}`;
    const far = `${l.hop}|${l.to}`;
    return { source: after ? near : far, target: after ? far : near, value: l.persons };
  });
  const perColumn = Math.max(...Array.from({ length: hops + 1 }, (_, h) => nodes.filter((n) => n.hop === h).length));
  const height = Math.max(240, perColumn * 36 + 40);
  const margin = { top: 8, bottom: 8, left: 4 };
  // every label sits right of its bar: the last column keeps room for its own
  const tail = Math.min(150, Math.max(80, width * 0.2));
  const spacing = hops > 0 ? (width - tail - margin.left) / hops : width;
  const layout = sankey<Node, object>()
    .nodeId((n) => n.id)
    .nodeAlign((n) => (after ? n.hop : hops - n.hop))
    .nodeWidth(10)
    .nodePadding(12)
    .nodeSort((a, b) => Number(a.name === t('paths.other')) - Number(b.name === t('paths.other')) || b.persons - a.persons)
    .extent([[margin.left, margin.top], [width - tail, height - margin.bottom]]);
  const graph = layout({ nodes: nodes.map((n) => ({ ...n })), links: links.map((l) => ({ ...l })) });
  const laid = graph.nodes as Laid[];
  const bands = (graph.links as SankeyLink<Node, object>[]).map((l) => {
    const s = l.source as Laid;
    const g = l.target as Laid;
    return { x1: s.x1!, y1: l.y0!, x2: g.x0!, y2: l.y1!, w: Math.max(1, l.width!), persons: l.value, from: s.name, to: g.name, fromHop: s.hop, toHop: g.hop };
  });
  // a node's bar is its people: the part that went on, and (in the loss colour) who stopped (began) there
  const column = (n: Laid) => (after ? n.hop : hops - n.hop);
  const split = laid.map((n) => {
    const cut = n.y1! - ((n.y1! - n.y0!) * n.stopped) / n.persons;
    return { n, x1: n.x0!, x2: n.x1!, y0: n.y0!, cut, y1: n.y1! };
  });
  const tip = (n: Laid) =>
    [`${n.name}`, `${t('paths.hop', { hop: n.hop })} · ${f.int(n.persons)} ${t('unit.people')}`, `${t(after ? 'paths.stoppedHere' : 'paths.beganHere')}: ${f.int(n.stopped)} (${f.pct(n.stopped / n.persons)})`].join('\n');
  const room = (n: Laid) => (column(n) === hops ? tail : spacing) - 18;
  const label = (n: Laid) => {
    const count = ` ${f.int(n.persons)}`;
    return `${fit(n.name, room(n) - count.length * 6.4)}${count}`;
  };
  return draw(
    {
      height,
      margin: 0,
      marginBottom: 0,
      x: { type: 'identity', axis: null },
      y: { type: 'identity', axis: null },
      marks: [
        Plot.link(bands, {
          x1: 'x1', y1: 'y1', x2: 'x2', y2: 'y2', curve: 'bump-x', strokeWidth: (b) => b.w, stroke: (b) => (b.from === t('paths.other') || b.to === t('paths.other') ? palette.muted : palette.primary),
          strokeOpacity: 0.28, title: (b) => `${b.from} → ${b.to}: ${f.int(b.persons)} ${t('unit.people')}`, className: 'paths-link',
        }),
        Plot.rect(split, { x1: 'x1', x2: 'x2', y1: 'y0', y2: 'cut', fill: (b) => (b.n.name === t('paths.other') ? palette.muted : palette.primary), title: (b) => tip(b.n), className: 'paths-node' }),
        Plot.rect(split.filter((b) => b.y1 - b.cut > 0), { x1: 'x1', x2: 'x2', y1: 'cut', y2: 'y1', fill: palette.loss, fillOpacity: 0.55, title: (b) => tip(b.n), className: 'paths-stopped' }),
        Plot.text(laid.filter((n) => n.y1! - n.y0! >= 3 || n.hop === 0), {
          x: (n: Laid) => n.x1! + 4,
          y: (n: Laid) => (n.y0! + n.y1!) / 2,
          text: label,
          textAnchor: 'start',
          lineAnchor: 'middle', fontSize: 11, fill: palette.ink, stroke: 'white', strokeWidth: 3, paintOrder: 'stroke', title: tip, className: 'paths-label',
        }),
      ],
    },
    frame,
    opts,
  );
}
