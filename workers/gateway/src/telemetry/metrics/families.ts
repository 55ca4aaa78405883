/** Every family /metrics serves, with its HELP text: the one list docs/observability.md describes. */
import type { Family, MetricType } from "./exposition";
import { DURATION_BUCKETS, TTFT_BUCKETS } from "./series";

interface Spec {
  name: string;
  help: string;
  type: MetricType;
  buckets?: readonly number[];
  /** Live (Durable Object) family with a `tenant` label: shown to a tenant admin, filtered to its tenant. */
  tenantLabel?: boolean;
}

export const LIVE_FAMILIES: readonly Spec[] = [
  { name: "gateway_http_requests_total", help: "HTTP responses by route pattern, method and status (every route, 401s and 404s included).", type: "counter" },
  { name: "gateway_http_request_duration_seconds", help: "Time to the response headers by route pattern and method.", type: "histogram", buckets: DURATION_BUCKETS },
  { name: "gateway_chat_request_duration_seconds", help: "Chat completion end to end (a stream to its last byte) by tenant, answering model and tier.", type: "histogram", buckets: DURATION_BUCKETS, tenantLabel: true },
  { name: "gateway_chat_time_to_first_token_seconds", help: "Streamed chat completions: time to the first token by tenant, model and tier.", type: "histogram", buckets: TTFT_BUCKETS, tenantLabel: true },
  { name: "gateway_cache_lookups_total", help: "Chat requests by cache outcome (hit-exact, hit-semantic, miss, bypass, off).", type: "counter", tenantLabel: true },
  { name: "gateway_route_decisions_total", help: "Routing decisions by chosen tier and reason.", type: "counter" },
  { name: "gateway_upstream_attempts_total", help: "Upstream calls (retries and fallbacks included) by model and outcome.", type: "counter" },
  { name: "gateway_upstream_errors_total", help: "Failed upstream calls by model and code (HTTP status, timeout, circuit_open, error).", type: "counter" },
  { name: "gateway_stream_resumes_total", help: "Cut streams the gateway asked a model to continue, by model and outcome (resumed, failed).", type: "counter" },
];

export const ROLLUP_FAMILIES = {
  requests: { name: "gateway_requests_total", help: "Rows recorded in the usage ledger: client requests (kind=request, GET /v1/usage's requests), escalated cascade drafts (kind=draft), shadow calls (kind=shadow), drawn shadows skipped or whose call failed (kind=shadow_skipped; earlier hours counted them under shadow) and judge calls (kind=judge).", type: "counter" },
  errors: { name: "gateway_request_errors_total", help: "Recorded requests that failed (status >= 400).", type: "counter" },
  cacheHits: { name: "gateway_cache_hits_total", help: "Recorded requests answered from the exact or semantic cache.", type: "counter" },
  tokens: { name: "gateway_tokens_total", help: "Tokens by type (input, output, cached_input, reasoning).", type: "counter" },
  cost: { name: "gateway_cost_usd_total", help: "Cost in USD as the ledger priced it.", type: "counter" },
  costAvoided: { name: "gateway_cost_avoided_usd_total", help: "USD saved against the all-frontier counterfactual (routing and caching), per row: drafts and shadows book 0; net saving = this for kind request minus gateway_cost_usd_total for kinds draft and shadow, 0 where a tenant has neither (A - (B or A * 0)).", type: "counter" },
  hitRatio: { name: "gateway_cache_hit_ratio", help: "Cache hits / requests per tenant since the rollups began.", type: "gauge" },
} as const satisfies Record<string, Spec>;

export const BREAKER_FAMILY: Spec = { name: "gateway_circuit_breaker_state", help: "1 for the phase each model's circuit breaker is in (closed, open, half-open).", type: "gauge" };
export const LAG_FAMILIES: readonly Spec[] = [
  {
    name: "gateway_evaluator_queue_lag_seconds",
    help: "Request completion to ledger row (queue + evaluator): avg over rows recorded in the last 5 minutes; max also over events still waiting; oldest_unconsumed = age of the oldest event published and not yet recorded (grows while the consumer is stalled).",
    type: "gauge",
  },
  { name: "gateway_evaluator_events_recent", help: "Requests the evaluator recorded in the last 5 minutes.", type: "gauge" },
  { name: "gateway_evaluator_queue_backlog_events", help: "Usage events the gateway put on the queue that the evaluator has not recorded yet.", type: "gauge" },
];

export const family = (spec: Spec, series: Record<string, number>): Family => ({ name: spec.name, help: spec.help, type: spec.type, ...(spec.buckets ? { buckets: spec.buckets } : {}), series });
