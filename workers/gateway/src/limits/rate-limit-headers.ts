/**
 * `x-ratelimit-*` response headers as OpenAI sends them (limit, remaining and reset, for
 * requests and for tokens), from the buckets the limiter just checked. With both a key and a
 * tenant bucket of one kind, the one with less left is reported: it is the one that will bite.
 * https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
import type { BucketState } from "./rate-limiter-core";

/** Go-style durations as OpenAI writes them: `250ms`, `1.5s`, `6m0s`. */
export function formatReset(seconds: number): string {
  if (seconds < 1) return `${Math.max(0, Math.round(seconds * 1000))}ms`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round((seconds - minutes * 60) * 1000) / 1000;
  return minutes > 0 ? `${minutes}m${rest}s` : `${rest}s`;
}

export function rateLimitHeaders(buckets: readonly BucketState[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [kind, suffix] of [["requests", ":req"], ["tokens", ":tok"]] as const) {
    let tightest: BucketState | null = null;
    for (const b of buckets ?? []) if (b.id.endsWith(suffix) && (!tightest || b.remaining < tightest.remaining)) tightest = b;
    if (!tightest) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(tightest.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(tightest.remaining);
    headers[`x-ratelimit-reset-${kind}`] = formatReset(tightest.resetSeconds);
  }
  return headers;
}
