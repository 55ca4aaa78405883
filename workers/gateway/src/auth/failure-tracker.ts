/**
 * Counts auth failures per client (IP) in the isolate and reports a burst once per window, so
 * a key-guessing flood leaves one audit row instead of thousands (or none). Per-isolate counts
 * undercount a distributed attack; the goal is a trail, the rate limiter is the brake.
 */
export const BURST_THRESHOLD = 20;
export const BURST_WINDOW_MS = 60_000;
const MAX_CLIENTS = 5_000;

interface Window {
  start: number;
  count: number;
  reported: boolean;
}

export class FailureTracker {
  private readonly windows = new Map<string, Window>();
  constructor(
    private readonly threshold = BURST_THRESHOLD,
    private readonly windowMs = BURST_WINDOW_MS,
  ) {}

  /** Returns the failure count when this failure completes a burst (once per window), else null. */
  record(client: string, now: number): number | null {
    let w = this.windows.get(client);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size >= MAX_CLIENTS) this.windows.clear();
      w = { start: now, count: 0, reported: false };
      this.windows.set(client, w);
    }
    w.count++;
    if (w.count >= this.threshold && !w.reported) {
      w.reported = true;
      return w.count;
    }
    return null;
  }
}

export const defaultFailureTracker = new FailureTracker();
