/** Routing: an explicit model is honoured; otherwise the router picks the tier. */
import type { Bindings } from "../../app-env";
import type { ModelRegistry } from "../../config/model-registry";
import type { AttemptTarget } from "../../router/attempts/build-attempts";
import type { ChatExchange } from "../exchange";
import type { RequestedTarget } from "../resolve-target";

export interface RouteChoice {
  target: AttemptTarget;
}

export async function chooseRoute(ex: ChatExchange, requested: RequestedTarget, registry: ModelRegistry, _env: Bindings): Promise<RouteChoice> {
  if (requested.kind === "model") {
    ex.decisions.route = { tier: requested.model.tier, reason: "explicit_model" };
    ex.headers["x-route-reason"] = "explicit_model";
    return { target: { model: requested.model } };
  }
  const tier = requested.kind === "tier" ? requested.tier : registry.defaultTier;
  const reason = requested.kind === "tier" ? "explicit_tier" : "default_tier";
  ex.decisions.route = { tier, reason };
  ex.headers["x-route-tier"] = tier;
  ex.headers["x-route-reason"] = reason;
  return { target: { tier } };
}
