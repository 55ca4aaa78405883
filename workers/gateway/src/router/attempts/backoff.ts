/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): sleep = random(0, min(cap, base * 2^attempt)). A server's Retry-After wins when
 * it is within the cap; past the cap the caller moves on to the next model instead of waiting.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 100, capMs: 2_000 };

/**
 * The deployment's backoff: the vars RETRY_BACKOFF_BASE_MS / RETRY_BACKOFF_CAP_MS (not in
 * wrangler.toml, so production runs on the defaults); the test stack shrinks the base so its
 * flaky-upstream tests do not sleep real seconds. A missing or unusable value keeps the default.
 */
export function backoffFromEnv(env: { RETRY_BACKOFF_BASE_MS?: string; RETRY_BACKOFF_CAP_MS?: string }): BackoffOptions {
  const ms = (raw: string | undefined, fallback: number) => {
    const n = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
    return Number.isFinite(n) && n >= 0 ? n : fallback;
  };
  return { baseMs: ms(env.RETRY_BACKOFF_BASE_MS, DEFAULT_BACKOFF.baseMs), capMs: ms(env.RETRY_BACKOFF_CAP_MS, DEFAULT_BACKOFF.capMs) };
}

export function backoffDelay(retry: number, retryAfterMs: number | undefined, options: BackoffOptions = DEFAULT_BACKOFF): number | null {
  if (retryAfterMs !== undefined) return retryAfterMs <= options.capMs ? retryAfterMs : null;
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** retry);
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

/** Resolves after `ms`, or as soon as `signal` aborts (a cancelled caller does not wait out its backoff). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
