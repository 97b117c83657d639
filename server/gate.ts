// A counting gate: at most `limit` jobs at once, a short queue behind them. DuckDB work holds a libuv
// thread for its whole run, so capping it keeps threads free for static files and /api/health.
export class GateBusy extends Error {
  constructor(
    readonly why: 'queue-full' | 'waited-too-long',
    message: string,
  ) {
    super(message);
  }
}

export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly limit: number,
    /** waiters beyond this are turned away at once */
    readonly maxQueue = Infinity,
    /** a waiter gives up after this long */
    readonly maxWaitMs = Infinity,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Waits for a slot; the returned function frees it (call it exactly once). */
  async acquire(): Promise<() => void> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxQueue) throw new GateBusy('queue-full', `${this.running} running and ${this.waiting.length} waiting`);
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = Number.isFinite(this.maxWaitMs)
          ? setTimeout(() => {
              this.waiting.splice(this.waiting.indexOf(wake), 1);
              reject(new GateBusy('waited-too-long', `waited ${Math.round(this.maxWaitMs / 1000)} s for a free slot`));
            }, this.maxWaitMs)
          : undefined;
        this.waiting.push(wake);
      });
    } else this.running++;
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.running--;
    };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
