/**
 * An upstream call's time limit as an abort signal, disarmed by `clear()` as soon as the call
 * settles. Never `AbortSignal.timeout`: a timer left pending holds its request's context alive
 * until it fires (seconds after the answer went out), which a bench:hotpath A/B run measured
 * as the largest single per-request cost of the gateway under load (~80 us of workerd CPU).
 *
 * Given the request's `background` (its waitUntil), the deadline rides the isolate's shared
 * clock (deadline-clock.ts) instead of arming a timer of its own; without it (tests, scripts)
 * it is a plain timer.
 */
import { DeadlineClock } from "./deadline-clock";

export interface Deadline {
  signal: AbortSignal;
  /** Aborts now (e.g. the client cancelled a committed stream). */
  abort(reason?: unknown): void;
  clear(): void;
}

/** The isolate's clock: 100 ms resolution, and no request keeps it running for over 10 s. */
export const sharedClock = new DeadlineClock({ tickMs: 100, lifetimeMs: 10_000 });

export function deadline(ms: number, timeoutReason: () => unknown, background?: (work: Promise<unknown>) => void, clock: DeadlineClock = sharedClock): Deadline {
  const controller = new AbortController();
  const abort = (reason?: unknown) => controller.abort(reason);
  if (!background) {
    const timer = setTimeout(() => controller.abort(timeoutReason()), ms);
    return { signal: controller.signal, abort, clear: () => clearTimeout(timer) };
  }
  const endsAt = Date.now() + ms;
  let settled = false;
  let ownTimer: ReturnType<typeof setTimeout> | undefined;
  const watch = clock.watch(ms, background);
  // This reaction runs in this request's context even when another request's loop resolved
  // the promise, so the abort (I/O on this request's fetch) is allowed.
  void watch.expired.then((why) => {
    if (settled) return;
    if (why === "deadline") controller.abort(timeoutReason());
    else ownTimer = setTimeout(() => controller.abort(timeoutReason()), Math.max(0, endsAt - Date.now()));
  });
  return {
    signal: controller.signal,
    abort,
    clear: () => {
      settled = true;
      watch.cancel();
      if (ownTimer !== undefined) clearTimeout(ownTimer);
    },
  };
}
