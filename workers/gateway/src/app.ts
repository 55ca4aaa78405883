/**
 * The gateway app: middleware order in one place, then the routes. Read top to bottom, this
 * is the request path of docs/architecture: request id and timing, errors, CORS, public
 * health, authentication, role x route policy, rate limits and budgets, then the API.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
import type { AccessEnv } from "./auth/access-env";
import { authorize } from "./middleware/authorize";
import { adminRoutes, ADMIN_MOUNT } from "./routes/admin";
import { adminOperationsRoutes } from "./routes/admin-operations";
import { requestId } from "./middleware/request-id";
import { otelTrace } from "./telemetry/otel/middleware";
import { liveMetrics } from "./telemetry/metrics/middleware";
import { metricsRoutes } from "./routes/metrics";
import { openApiRoutes } from "./routes/openapi";
import { consoleAssetRoutes } from "./routes/console-assets";
import { bodyLimit } from "./middleware/body-limit";
import { cors } from "./middleware/cors";
import { rateLimit } from "./middleware/rate-limit";
import { budget } from "./middleware/budget";
import { onError, onNotFound } from "./middleware/error-handler";
import { auth } from "./middleware/auth";
import { healthRoutes } from "./routes/healthz";
import { chatCompletionsRoutes } from "./routes/chat-completions";
import { embeddingsRoutes } from "./routes/embeddings";
import { modelsRoutes } from "./routes/models";
import { guardrailsCheckRoutes } from "./routes/guardrails-check";
import { usageRoutes } from "./routes/usage";
import { usageLatencyRoutes } from "./routes/usage-latency";
import { routeDryRunRoutes } from "./routes/route-dry-run";
import { cachePurgeRoutes } from "./routes/cache-purge";
import { routerRolloutRoutes } from "./routes/router-rollout";
import { driftRoutes } from "./routes/drift";
import { cacheQualityRoutes } from "./routes/cache-quality";
import { promptsRoutes } from "./routes/prompts";
import { requestListRoutes } from "./routes/request-lists";
import { graphqlRoutes } from "./routes/graphql";
import { feedbackRoutes } from "./routes/feedback";
import { collectionsRoutes } from "./routes/collections";

export function createApp() {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);
  app.use("*", requestId());
  app.use("*", otelTrace());
  app.use("*", liveMetrics());
  app.use("*", access(cors()));
  app.route("/", healthRoutes);
  app.route("/", metricsRoutes);
  app.route("/", openApiRoutes);
  app.route("/", consoleAssetRoutes);
  app.use("*", bodyLimit());

  const api = new Hono<AppEnv>();
  api.use("*", access(auth()), access(authorize()));
  // Model routes: rate limits and budgets in one limiter round trip; rateLimit() then skips them.
  api.use("/v1/chat/completions", access(budget({ featureFromBody: true })));
  api.use("/v1/embeddings", access(budget({ kind: "embeddings" })));
  api.use("*", access(rateLimit()));
  api.route("/", chatCompletionsRoutes);
  api.route("/", embeddingsRoutes);
  api.route("/", modelsRoutes);
  api.route("/", guardrailsCheckRoutes);
  api.route("/", usageRoutes);
  api.route("/", usageLatencyRoutes);
  api.route("/", routeDryRunRoutes);
  api.route("/", cachePurgeRoutes);
  api.route("/", routerRolloutRoutes);
  api.route("/", driftRoutes);
  api.route("/", cacheQualityRoutes);
  api.route("/", promptsRoutes);
  api.route("/", requestListRoutes);
  api.route("/", graphqlRoutes);
  api.route("/", feedbackRoutes);
  api.route("/", collectionsRoutes);
  api.route(ADMIN_MOUNT, adminRoutes as unknown as Hono<AppEnv>);
  api.route(ADMIN_MOUNT, adminOperationsRoutes as unknown as Hono<AppEnv>);
  app.route("/", api);
  return app;
}

/**
 * Access-control middleware is typed against AccessEnv (AppEnv plus the variables it sets,
 * e.g. `limits`), which AppEnv declares as optional; the runtime context is the same object.
 */
function access(mw: MiddlewareHandler<AccessEnv>): MiddlewareHandler<AppEnv> {
  return mw as unknown as MiddlewareHandler<AppEnv>;
}
