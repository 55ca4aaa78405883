/**
 * One ticking timer per isolate for every in-flight upstream deadline, instead of a timer per
 * call. In workerd a request's own timer is not free: arming and clearing one per attempt
 * measured ~40 us of CPU per request under load (bench:hotpath, `notimer` A/B), about a tenth
 * of the gateway core's whole cost.
 *
 * How it stays correct under workerd's rules:
 *  - The clock's loop runs in the request context that started it (its promise goes to that
 *    request's `waitUntil`). It cannot abort another request's fetch (cross-request I/O is
 *    refused), so it only *resolves a promise* the watching request created; workerd runs the
 *    reaction back in the creating request's context, where the abort happens.
 *  - The loop ends as soon as nothing is watched, and after `lifetimeMs` at the latest (a
 *    request's background work is bounded). Watches still pending then are handed back to
 *    their own requests, each of which arms a timer of its own for the time left.
 *  - If the loop stops ticking (its context was torn down), the next watch finds it stale and
 *    starts a new one; the old loop, if it ever wakes, sees it was superseded and exits.
 * A deadline fires at most one tick late: fine for timeouts of seconds.
 */
export type Expiry = "deadline" | "handover";

export interface Watch {
  /** Resolves once: "deadline" when the time is up, "handover" when the clock stopped first. */
  expired: Promise<Expiry>;
  /** Stops watching (the call settled in time). */
  cancel(): void;
}

export interface DeadlineClockOptions {
  tickMs: number;
  lifetimeMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Entry {
  at: number;
  expire: (why: Expiry) => void;
}

interface Loop {
  lastTick: number;
}

/** Ticks missed before a loop is presumed dead and replaced. */
const STALE_TICKS = 3;

export class DeadlineClock {
  private readonly entries = new Set<Entry>();
  private loop: Loop | null = null;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: DeadlineClockOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Watches `ms` from now; `background` keeps a loop started by this call alive (waitUntil). */
  watch(ms: number, background: (work: Promise<unknown>) => void): Watch {
    let expire: (why: Expiry) => void = () => undefined;
    const expired = new Promise<Expiry>((resolve) => {
      expire = resolve;
    });
    const entry: Entry = { at: this.now() + ms, expire };
    this.entries.add(entry);
    this.ensureLoop(background);
    return { expired, cancel: () => this.entries.delete(entry) };
  }

  /** Deadlines currently watched (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  private ensureLoop(background: (work: Promise<unknown>) => void): void {
    const now = this.now();
    if (this.loop && now - this.loop.lastTick <= this.options.tickMs * STALE_TICKS) return;
    const loop: Loop = { lastTick: now };
    this.loop = loop;
    background(this.run(loop));
  }

  private async run(loop: Loop): Promise<void> {
    const endAt = loop.lastTick + this.options.lifetimeMs;
    while (this.entries.size > 0 && loop.lastTick < endAt) {
      await this.sleep(this.options.tickMs);
      if (this.loop !== loop) return;
      loop.lastTick = this.now();
      for (const entry of this.entries) {
        if (entry.at > loop.lastTick) continue;
        this.entries.delete(entry);
        entry.expire("deadline");
      }
    }
    if (this.loop !== loop) return;
    this.loop = null;
    for (const entry of this.entries) entry.expire("handover");
    this.entries.clear();
  }
}
