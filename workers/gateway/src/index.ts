/**
 * Gateway Worker entry: the Hono app for HTTP, plus the Durable Object classes its
 * wrangler.toml binds (circuit breaker, rate limiter, local vector index).
 */
import { env } from "cloudflare:workers";
import { createApp } from "./app";
import { registryFor } from "./config/registry-loader";
import { consumeIndexBatch } from "./rag/ingest/consume-index-batch";
import { configureSettingsTtl } from "./settings/settings-store";
import type { Bindings } from "./app-env";

// Fail at start, naming the field, rather than on the first request.
registryFor(env);
configureSettingsTtl((env as Bindings).SETTINGS_TTL_MS);

export { CircuitBreaker } from "./router/attempts/circuit-breaker";

const app = createApp();

export default {
  fetch: app.fetch,
  // The only queue this Worker consumes: RAG ingestion batches (wrangler.toml RAG_QUEUE).
  queue: (batch, env) => consumeIndexBatch(batch, env),
} satisfies ExportedHandler<Env>;
export { RateLimiter } from "./limits/rate-limiter";
export { LocalVectorIndex } from "./cache/vector-store/local/local-vector-index";
export { MetricsAggregator } from "./telemetry/metrics/aggregator";
