/**
 * Per-stage durations for the `Server-Timing` response header (W3C Server Timing) and the
 * trace. Stages are measured with `performance.now()`; inside workerd the clock only advances
 * across I/O, so pure-CPU stages may honestly read 0 ms there.
 */
export interface StageTiming {
  name: string;
  durationMs: number;
}

const NAME_CHARS = /[^A-Za-z0-9_-]/g;

export class ServerTiming {
  private readonly stages: StageTiming[] = [];
  /** performance.now() at each stage's start, beside `stages` (trace spans need starts; the header does not). */
  private readonly starts: number[] = [];
  /** performance.now() when the request began: stage starts are offsets from it. */
  readonly origin = performance.now();
  private written = false;
  /** The stage `measure` is running now (an upstream attempt's span is its child). */
  current: string | null = null;

  /** True once a handler put the header on its response itself (see `seal`). */
  get sealed(): boolean {
    return this.written;
  }

  /**
   * The header value, for a handler that builds its whole Response at once: marks it written so
   * the request-id middleware does not set it (and the id) again on the finished response.
   */
  seal(): string {
    this.written = true;
    return this.header();
  }

  /** Runs `fn` as stage `name` and records its duration, also when it throws. */
  async measure<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const start = performance.now();
    this.current = name;
    try {
      return await fn();
    } finally {
      this.current = null;
      this.record(name, start, performance.now() - start);
    }
  }

  add(name: string, durationMs: number): void {
    this.record(name, performance.now() - durationMs, durationMs);
  }

  private record(name: string, start: number, durationMs: number): void {
    this.stages.push({ name, durationMs: Math.max(0, durationMs) });
    this.starts.push(start);
  }

  /** Stages with their start, in ms after `origin` (for trace spans). */
  timeline(): Array<StageTiming & { startMs: number }> {
    return this.stages.map((s, i) => ({ ...s, startMs: Math.max(0, (this.starts[i] ?? this.origin) - this.origin) }));
  }

  list(): StageTiming[] {
    return [...this.stages];
  }

  /**
   * The stages, then `total` (since `origin`): never empty, so every response carries the
   * header, a 401 or /healthz with no stage of its own too.
   */
  header(): string {
    let out = "";
    for (const s of this.stages) out += `${s.name.replace(NAME_CHARS, "_") || "_"};dur=${s.durationMs.toFixed(2)}, `;
    return `${out}total;dur=${Math.max(0, performance.now() - this.origin).toFixed(2)}`;
  }
}
