/**
 * Per-stage durations for the `Server-Timing` response header (W3C Server Timing) and the
 * trace. Stages are measured with `performance.now()`; inside workerd the clock only advances
 * across I/O, so pure-CPU stages may honestly read 0 ms there.
 */
export interface StageTiming {
  name: string;
  durationMs: number;
}

export class ServerTiming {
  private readonly stages: StageTiming[] = [];

  /** Runs `fn` as stage `name` and records its duration, also when it throws. */
  async measure<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.add(name, performance.now() - start);
    }
  }

  add(name: string, durationMs: number): void {
    this.stages.push({ name, durationMs: Math.max(0, durationMs) });
  }

  list(): StageTiming[] {
    return [...this.stages];
  }

  header(): string {
    return this.stages
      .map((s) => `${s.name.replace(/[^A-Za-z0-9_-]/g, "_")};dur=${s.durationMs.toFixed(2)}`)
      .join(", ");
  }
}
