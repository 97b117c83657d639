// Colours every chart and page shares. Categorical colours are Okabe & Ito's colour-blind-safe set
// (distinguishable with protanopia, deuteranopia and tritanopia); sequential scales use single-hue
// ramps, which stay readable without hue discrimination.

/** Okabe–Ito, in the order charts assign them (yellow last: it is weak on white). */
export const categorical = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'] as const;

export const palette = {
  /** the main series: counts, bars */
  primary: '#0072B2',
  /** what is lost: drop-off, negative change */
  loss: '#D55E00',
  /** a gain or a positive change */
  gain: '#009E73',
  /** a reference or rule-of-thumb overlay */
  reference: '#CC79A7',
  /** estimate / incomplete marks */
  muted: '#8c96a5',
  ink: '#1d2433',
  grid: '#d9dde4',
  /** severity: minor, general, serious */
  severity: { minor: '#56B4E9', general: '#E69F00', serious: '#D55E00' } as Record<string, string>,
  /** tiers A, B, C */
  tiers: { A: '#0072B2', B: '#E69F00', C: '#009E73' } as Record<string, string>,
  /** sequential scheme name for heatmaps (Plot/d3 scheme) */
  sequential: 'blues',
} as const;
