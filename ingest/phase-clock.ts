// Where an ingest's time goes, phase by phase (the bench prints it; nothing else reads it): the
// pipeline calls `lap` after each phase when the caller passed a clock, and does nothing otherwise.

export interface PhaseClock {
  /** records the time since the previous lap (or the clock's start) against `phase` */
  lap(phase: string): void;
  /** wall-clock milliseconds per phase, in the order first seen (a phase lapped twice adds up) */
  readonly phases: Map<string, number>;
  /** CPU milliseconds (all of the process's threads) per phase: the work, whatever else the host runs */
  readonly cpu: Map<string, number>;
}

export function phaseClock(): PhaseClock {
  let last = performance.now();
  let lastCpu = cpuMs();
  const phases = new Map<string, number>();
  const cpu = new Map<string, number>();
  return {
    phases,
    cpu,
    lap(phase) {
      const now = performance.now();
      const nowCpu = cpuMs();
      phases.set(phase, (phases.get(phase) ?? 0) + now - last);
      cpu.set(phase, (cpu.get(phase) ?? 0) + nowCpu - lastCpu);
      last = now;
      lastCpu = nowCpu;
    },
  };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
