/**
 * Request cache directives (RFC 9111 §5.2.1: no-cache = do not answer from cache without
 * revalidation, here: skip lookup; no-store = do not store) plus the gateway's
 * `x-cache-threshold`, and the response headers describing what the cache did.
 */
import type { CacheStatus } from "./types";

export interface CacheDirectives {
  noCache: boolean;
  noStore: boolean;
  /** Requested similarity threshold, already range-checked to [0, 1]; null if absent/invalid. */
  threshold: number | null;
}

export function parseCacheDirectives(headers: Headers): CacheDirectives {
  const cc = (headers.get("cache-control") ?? "")
    .toLowerCase()
    .split(",")
    .map((d) => d.trim().split("=")[0]);
  const raw = headers.get("x-cache-threshold");
  const value = raw === null || raw.trim() === "" ? NaN : Number(raw);
  return {
    noCache: cc.includes("no-cache"),
    noStore: cc.includes("no-store"),
    threshold: Number.isFinite(value) && value >= 0 && value <= 1 ? value : null,
  };
}

/**
 * `x-cache`; `x-cache-similarity` on hits only (the score the threshold was compared with; 1 for
 * exact hits); `x-cache-threshold` whenever the semantic side ran: the hit-score threshold in
 * force, or "exact-only" while nothing semantic may be served (cold start of an unmeasured
 * embedder, or a bound that certifies no band).
 */
export function cacheResponseHeaders(result: { status: CacheStatus; similarity?: number; semantic?: { threshold: number | null } }): Record<string, string> {
  const headers: Record<string, string> = { "x-cache": result.status };
  const hit = result.status === "hit-exact" || result.status === "hit-semantic";
  if (hit && result.similarity !== undefined) headers["x-cache-similarity"] = result.similarity.toFixed(4);
  if (result.semantic) headers["x-cache-threshold"] = result.semantic.threshold === null ? "exact-only" : result.semantic.threshold.toFixed(3);
  return headers;
}
