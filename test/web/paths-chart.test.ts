// The paths flow chart (web/charts/paths-chart.ts) in Node on a jsdom document: a bar per step plus the
// anchor, a band per move, the stopped part of each bar in the loss colour, a label with each count.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { pathsChart, type PathsData } from '../../web/charts/paths-chart.ts';

const { document } = new JSDOM('<!doctype html><html><body></body></html>').window;

// The paths fixture of test/queries/paths.test.ts after Interest: 4 people; v1 /p/1 → add_to_cart → /cart (→ on),
// v2 /p/2 (stops), v3 nothing, v4 add_to_cart → /cart (stops)
const data: PathsData = {
  direction: 'after', persons: 4, depth: 3, anchor: { key: 'interest' }, anchorName: 'Interest',
  steps: [
    { hop: 1, name: '/p/1', persons: 1, stopped: 0, folded: 1 },
    { hop: 1, name: '/p/2', persons: 1, stopped: 1, folded: 1 },
    { hop: 1, name: 'add_to_cart', persons: 1, stopped: 0, folded: 1 },
    { hop: 2, name: '/cart', persons: 1, stopped: 1, folded: 1 },
    { hop: 2, name: 'add_to_cart', persons: 1, stopped: 0, folded: 1 },
    { hop: 3, name: '/cart', persons: 1, stopped: 0, folded: 1 },
  ],
  links: [
    { hop: 1, from: 'interest', to: '/p/1', persons: 1 },
    { hop: 1, from: 'interest', to: '/p/2', persons: 1 },
    { hop: 1, from: 'interest', to: 'add_to_cart', persons: 1 },
    { hop: 2, from: '/p/1', to: 'add_to_cart', persons: 1 },
    { hop: 2, from: 'add_to_cart', to: '/cart', persons: 1 },
    { hop: 3, from: 'add_to_cart', to: '/cart', persons: 1 },
  ],
};

const labels = (svg: SVGSVGElement) => [...svg.querySelectorAll('g.paths-label text')].map((t) => [...t.childNodes].filter((n) => n.nodeName !== 'title').map((n) => n.textContent).join(''));

describe('paths chart', () => {
  it('draws the anchor and each step as a bar, each move as a band, and who stopped in the loss colour', () => {
    const svg = pathsChart(data, { document, width: 900 });
    expect(svg.querySelector('.aida-chart-title')?.textContent).toBe('Where people went after Interest');
    expect(svg.querySelectorAll('g.paths-node rect')).toHaveLength(7); // the anchor + 6 steps
    expect(svg.querySelectorAll('g.paths-link path')).toHaveLength(6);
    // stopped: 1 of 4 at Interest (v3), v2 at /p/2, v4 at /cart (hop 2)
    expect(svg.querySelectorAll('g.paths-stopped rect')).toHaveLength(3);
    expect(labels(svg).sort()).toEqual(['/cart 1', '/cart 1', '/p/1 1', '/p/2 1', 'Interest 4', 'add_to_cart 1', 'add_to_cart 1']);
  });

  it('into an end step, the anchor is the last column; in 简体 the title reads so', () => {
    const svg = pathsChart({ ...data, direction: 'before', anchorName: '欲望' }, { document, width: 390, locale: 'zh-Hans' });
    expect(svg.querySelector('.aida-chart-title')?.textContent).toBe('到达欲望之前的路径');
    const anchor = [...svg.querySelectorAll('g.paths-node rect')].map((r) => Number(r.getAttribute('x'))).reduce((a, b) => Math.max(a, b));
    const anchorLabel = [...svg.querySelectorAll('g.paths-label text')].find((t) => t.textContent?.startsWith('欲望'))!;
    expect(Number(anchorLabel.getAttribute('x') ?? anchorLabel.getAttribute('transform')?.match(/translate\(([\d.]+)/)?.[1])).toBeGreaterThan(anchor);
  });

  it('says so when nobody is at the step', () => {
    const svg = pathsChart({ ...data, persons: 0, steps: [], links: [] }, { document });
    expect(svg.textContent).toContain('No data');
  });
});
