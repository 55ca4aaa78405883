/**
 * The isolate's live counters and when they go to the MetricsAggregator. Recording is a few
 * Map updates per request; a flush (at most every FLUSH_MS, off the response path through
 * waitUntil) sends the delta since the last one. A failed flush puts its delta back.
 * Switched off with the var METRICS = "off" (or when the binding is absent).
 */
import type { MetricsAggregator } from "./aggregator";
import { drainPublished, publishedSize, restorePublished } from "./published";
import { DURATION_BUCKETS, SeriesAccumulator, TTFT_BUCKETS } from "./series";

export interface MetricsBindings {
  METRICS?: string;
  METRICS_AGGREGATOR?: DurableObjectNamespace<MetricsAggregator>;
  /** Bearer token a Prometheus scraper presents (a secret); admin keys work too. */
  METRICS_TOKEN?: string;
}

export const FLUSH_MS = 5_000;
export const AGGREGATOR_NAME = "global";

export const live = new SeriesAccumulator();
let lastFlush = Date.now();
let inFlight: Promise<void> | null = null;

export function liveEnabled(env: MetricsBindings): env is MetricsBindings & { METRICS_AGGREGATOR: DurableObjectNamespace<MetricsAggregator> } {
  return env.METRICS !== "off" && env.METRICS_AGGREGATOR !== undefined;
}

export function aggregator(ns: DurableObjectNamespace<MetricsAggregator>) {
  return ns.get(ns.idFromName(AGGREGATOR_NAME));
}

export function recordHttp(route: string, method: string, status: number, seconds: number): void {
  live.inc("gateway_http_requests_total", { route, method, status: String(status) });
  live.observe("gateway_http_request_duration_seconds", { route, method }, seconds, DURATION_BUCKETS);
}

export interface ChatFacts {
  tenant: string;
  model: string;
  tier: string;
  status: number;
  cache: string;
  routeTier: string | null;
  routeReason: string | null;
  durationSeconds: number;
  ttftSeconds: number | null;
  attempts: ReadonlyArray<{ model: string; outcome: string; status?: number }>;
  /** Stream resume rounds (chat/resume/), if any. */
  resumes?: ReadonlyArray<{ model: string; outcome: string }>;
}

export function recordChat(f: ChatFacts): void {
  const series = { tenant: f.tenant, model: f.model, tier: f.tier };
  live.observe("gateway_chat_request_duration_seconds", series, f.durationSeconds, DURATION_BUCKETS);
  if (f.ttftSeconds !== null) live.observe("gateway_chat_time_to_first_token_seconds", series, f.ttftSeconds, TTFT_BUCKETS);
  live.inc("gateway_cache_lookups_total", { tenant: f.tenant, status: f.cache });
  if (f.routeTier && f.routeReason) live.inc("gateway_route_decisions_total", { tier: f.routeTier, reason: f.routeReason });
  for (const a of f.attempts) {
    live.inc("gateway_upstream_attempts_total", { model: a.model, outcome: a.outcome });
    if (a.outcome !== "ok") live.inc("gateway_upstream_errors_total", { model: a.model, code: a.status !== undefined ? String(a.status) : a.outcome });
  }
  for (const r of f.resumes ?? []) live.inc("gateway_stream_resumes_total", { model: r.model, outcome: r.outcome });
}

/** Sends the delta when FLUSH_MS has passed (or `force`); returns the send for waitUntil. */
export function flushIfDue(ns: DurableObjectNamespace<MetricsAggregator>, now: number, force = false): Promise<void> | null {
  if (inFlight || (live.size === 0 && publishedSize() === 0) || (!force && now - lastFlush < FLUSH_MS)) return null;
  lastFlush = now;
  const delta = live.drain();
  const published = drainPublished();
  inFlight = aggregator(ns)
    .merge(delta, published)
    .catch(() => {
      live.merge(delta);
      restorePublished(published);
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

/** For a scrape: waits for a flush already on its way, then sends what is left. */
export async function flushNow(ns: DurableObjectNamespace<MetricsAggregator>): Promise<void> {
  if (inFlight) await inFlight;
  await flushIfDue(ns, Date.now(), true);
}
