/**
 * Routing. The learned router classifies every request (intent, complexity, confidence) so
 * the trace and drift monitoring see the whole population; the decision is the router's for
 * `"model": "auto"`, the client's for an explicit model or tier. If classification fails,
 * routing fails open to the registry's default tier: a router outage must not stop traffic.
 */
import type { RouteDecision } from "../../router/policy";
import { routeHeaders } from "../../router/headers";
import type { RouterSettings } from "../../router/settings";
import { createRouter } from "../../router/worker-router";
import type { Router } from "../../router/router";
import type { ModelRegistry } from "../../config/model-registry";
import type { AttemptTarget } from "../../router/attempts/build-attempts";
import type { ChatExchange } from "../exchange";
import type { RequestedTarget } from "../resolve-target";

export interface RouteChoice {
  target: AttemptTarget;
  decision: RouteDecision | null;
  /** Cascade mode: draft on this tier first, escalate to `target` when verification fails. */
  cascadeDraftTier: string | null;
}

// Settings objects are cached per tenant by the settings store, so one router per settings object.
const routers = new WeakMap<RouterSettings, Router>();
export function routerFor(settings: RouterSettings): Router {
  let r = routers.get(settings);
  if (!r) routers.set(settings, (r = createRouter(settings)));
  return r;
}

export async function chooseRoute(
  ex: ChatExchange,
  requested: RequestedTarget,
  registry: ModelRegistry,
  settings: RouterSettings,
  budgetPressure: boolean,
): Promise<RouteChoice> {
  const explicitModel = requested.kind === "model" ? requested.model : undefined;
  let decision: RouteDecision | null = null;
  try {
    decision = await routerFor(settings).route(ex.request, {
      ...(explicitModel ? { explicitModel: explicitModel.id, explicitModelTier: explicitModel.tier } : {}),
      budgetPressure,
      allowedTiers: ex.auth.tiers,
      tenantId: ex.auth.tenantId,
      feature: ex.feature,
    });
  } catch (err) {
    ex.decisions.routeError = err instanceof Error ? err.message.slice(0, 200) : "router failed";
  }
  if (requested.kind === "model") return record(ex, { target: { model: requested.model }, decision, cascadeDraftTier: null }, requested.model.tier, "explicit_model");
  if (requested.kind === "tier") return record(ex, { target: { tier: requested.tier }, decision, cascadeDraftTier: null }, requested.tier, "explicit_tier");
  if (!decision) return record(ex, { target: { tier: registry.defaultTier }, decision, cascadeDraftTier: null }, registry.defaultTier, "router_unavailable");
  if (decision.cascade && decision.cascadeDraftTier && decision.cascadeDraftTier !== decision.tier) {
    return record(ex, { target: { tier: decision.tier }, decision, cascadeDraftTier: decision.cascadeDraftTier }, decision.tier, decision.reason);
  }
  // Cascade also verifies answers the router already sends to the cheapest tier: a draft
  // that fails verification escalates one tier up instead of reaching the user.
  const up = settings.tiers[settings.tiers.indexOf(decision.tier) + 1];
  if (settings.cascade && up && decision.tier === settings.tiers[0] && (ex.auth.tiers === null || ex.auth.tiers.includes(up))) {
    return record(ex, { target: { tier: up }, decision, cascadeDraftTier: decision.tier }, decision.tier, decision.reason);
  }
  return record(ex, { target: { tier: decision.tier }, decision, cascadeDraftTier: null }, decision.tier, decision.reason);
}

function record(ex: ChatExchange, choice: RouteChoice, tier: string, reason: string): RouteChoice {
  const d = choice.decision;
  Object.assign(ex.headers, d ? routeHeaders(d) : {}, { "x-route-tier": tier, "x-route-reason": reason });
  ex.decisions.route = d
    ? { tier, reason, complexity: d.complexity, intent: d.intent, confidence: d.confidence, threshold: d.threshold, escalate: d.escalate, modelVersion: d.modelVersion, cascadeDraftTier: choice.cascadeDraftTier }
    : { tier, reason };
  return choice;
}
