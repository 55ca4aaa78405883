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

export function backoffDelay(retry: number, retryAfterMs: number | undefined, options: BackoffOptions = DEFAULT_BACKOFF): number | null {
  if (retryAfterMs !== undefined) return retryAfterMs <= options.capMs ? retryAfterMs : null;
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** retry);
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => (ms <= 0 ? resolve() : setTimeout(resolve, ms)));
