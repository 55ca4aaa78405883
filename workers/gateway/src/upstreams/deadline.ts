/**
 * An upstream call's time limit as an abort signal: a timer aborts the controller, and
 * `clear()` disarms it as soon as the call settles. Never `AbortSignal.timeout`: a timer left
 * pending holds its request's context alive until it fires (seconds after the answer went
 * out), which a bench:hotpath A/B run measured as the largest single per-request cost of the
 * gateway under load (~80 us of workerd CPU).
 */
export interface Deadline {
  signal: AbortSignal;
  /** Aborts now (e.g. the client cancelled a committed stream). */
  abort(reason?: unknown): void;
  clear(): void;
}

export function deadline(ms: number, timeoutReason: () => unknown): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutReason()), ms);
  return { signal: controller.signal, abort: (reason) => controller.abort(reason), clear: () => clearTimeout(timer) };
}
