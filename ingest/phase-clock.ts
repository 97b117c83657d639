// Where an ingest's time goes, phase by phase (the bench prints it; nothing else reads it): the
// pipeline calls `lap` after each phase when the caller passed a clock, and does nothing otherwise.

export interface PhaseClock {
  /** records the time since the previous lap (or the clock's start) against `phase` */
  lap(phase: string): void;
  /** milliseconds per phase, in the order first seen (a phase lapped twice adds up) */
  readonly phases: Map<string, number>;
}

export function phaseClock(): PhaseClock {
  let last = performance.now();
  const phases = new Map<string, number>();
  return {
    phases,
    lap(phase) {
      const now = performance.now();
      phases.set(phase, (phases.get(phase) ?? 0) + now - last);
      last = now;
    },
  };
}
