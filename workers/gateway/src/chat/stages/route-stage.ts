/**
 * Routing. The learned router classifies every request (intent, complexity, confidence) so
 * the trace and drift monitoring see the whole population; the decision is the router's for
 * `"model": "auto"`, the client's for an explicit model or tier. If classification fails,
 * routing fails open to the registry's default tier: a router outage must not stop traffic.
 * A candidate router (settings.rollout) runs beside the shipped one in shadow or canary mode;
 * the trace records which version decided and the other arm's decision.
 */
import type { RouteContext, RouteDecision } from "../../router/policy";
import { routeHeaders, routeReasonHeader } from "../../router/headers";
import type { BandInForce, TrafficPair } from "../../router/quality-target/band-in-force";
import { trafficFor } from "../../router/quality-target/traffic-store";
import { candidateSettings, effectiveRollout, rolloutPair } from "../../router/rollout/candidate";
import { rolledBackVersions } from "../../router/rollout/rollout-marker";
import { routeWithRollout, type Arm } from "../../router/rollout/rollout";
import { effectiveSettings, type RouterSettings } from "../../router/settings";
import { createRouter } from "../../router/worker-router";
import type { Router } from "../../router/router";
import type { ModelRegistry } from "../../config/model-registry";
import type { AttemptTarget } from "../../router/attempts/build-attempts";
import type { ChatExchange } from "../exchange";
import type { RequestedTarget } from "../resolve-target";
import { recordDowngrade, type Downgrade } from "../budget-downgrade";

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

const candidates = new WeakMap<RouterSettings, Router>();
function candidateRouterFor(settings: RouterSettings): Router {
  let r = candidates.get(settings);
  if (!r) candidates.set(settings, (r = createRouter(candidateSettings(settings))));
  return r;
}

interface Routed {
  decision: RouteDecision;
  arm: Arm;
  version: string;
  shadow?: { decision: RouteDecision; version: string };
}

/** Control alone, or control + candidate per the rollout in force (rollback markers applied). */
async function routeArms(ex: ChatExchange, settings: RouterSettings, ctx: RouteContext, db: D1Database | undefined): Promise<Routed> {
  const control = routerFor(settings);
  const configured = settings.rollout;
  if (configured.mode === "off" || !configured.candidateVersion) {
    const decision = await control.route(ex.request, ctx);
    return { decision, arm: "control", version: decision.modelVersion };
  }
  const markers = configured.mode === "canary" && db ? await rolledBackVersions(db, ex.auth.tenantId).catch(() => null) : new Set<string>();
  const rollout = effectiveRollout(configured, markers);
  const label = (arm: Arm, d: RouteDecision) => (arm === "candidate" ? (rollout.candidateVersion ?? d.modelVersion) : d.modelVersion);
  try {
    const [a, b] = rolloutPair(control, candidateRouterFor(settings), ex.request);
    const r = await routeWithRollout(ex.requestId, ex.request, ctx, a, b, rollout);
    const other: Arm = r.arm === "candidate" ? "control" : "candidate";
    return { decision: r.decision, arm: r.arm, version: label(r.arm, r.decision), ...(r.shadow ? { shadow: { decision: r.shadow, version: label(other, r.shadow) } } : {}) };
  } catch (err) {
    // A broken candidate must not take routing down with it: control decides alone.
    ex.decisions.rolloutError = err instanceof Error ? err.message.slice(0, 200) : "candidate router failed";
    const decision = await control.route(ex.request, ctx);
    return { decision, arm: "control", version: decision.modelVersion };
  }
}

export async function chooseRoute(
  ex: ChatExchange,
  requested: RequestedTarget,
  registry: ModelRegistry,
  settings: RouterSettings,
  /** An exceeded downgrade budget: the call goes to this tier whatever routing says (budget-downgrade.ts). */
  downgrade: Downgrade | null,
  /** For the rollout's rollback markers; without it a canary serves unguarded. */
  db?: D1Database,
  /** The evaluator's published traffic (quality-target band); without it such tenants keep the static band. */
  kv?: KVNamespace,
): Promise<RouteChoice> {
  const explicitModel = requested.kind === "model" ? requested.model : undefined;
  if (!settings.enabled) return downgrade ? forced(ex, requested, downgrade, null) : routeWithoutRouter(ex, requested, registry, settings);
  let decision: RouteDecision | null = null;
  try {
    const traffic = await publishedTraffic(ex, settings, kv);
    const routed = await routeArms(ex, settings, {
      traffic,
      ...(explicitModel ? { explicitModel: explicitModel.id, explicitModelTier: explicitModel.tier } : {}),
      budgetPressure: downgrade !== null,
      allowedTiers: ex.auth.tiers,
      tenantId: ex.auth.tenantId,
      feature: ex.feature,
    }, db);
    decision = routed.decision;
    rolloutFacts.set(ex, routed);
  } catch (err) {
    ex.decisions.routeError = err instanceof Error ? err.message.slice(0, 200) : "router failed";
  }
  if (downgrade) return forced(ex, requested, downgrade, decision);
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

/** Read only when a quality target applies to this request (either rollout arm). */
function publishedTraffic(ex: ChatExchange, settings: RouterSettings, kv: KVNamespace | undefined): Promise<TrafficPair | null> {
  const wants = (s: RouterSettings) => (effectiveSettings(s, ex.auth.tenantId, ex.feature).qualityTarget ?? null) !== null;
  const candidate = settings.rollout.mode !== "off" && wants(candidateSettings(settings));
  if (!kv || !(wants(settings) || candidate)) return Promise.resolve(null);
  return trafficFor(kv, ex.auth.tenantId, ex.feature);
}

/** The band in force for the trace: where it came from and, when derived, what it predicts. */
function bandFacts(b: BandInForce): Record<string, unknown> {
  const d = b.derived;
  return {
    below: b.below, source: b.source,
    ...(b.target !== undefined ? { target: b.target } : {}),
    ...(b.scope ? { scope: b.scope } : {}),
    ...(d ? { requests: d.requests, frontierQuality: d.frontierQuality, frontierQualitySource: d.frontierQualitySource, smallShare: d.smallShare, predictedQuality: d.predictedQuality, clamped: d.clamped } : {}),
    ...(b.labelled ? { labelled: b.labelled } : {}),
  };
}

/** The router still classified the call (trace, drift); the budget decides where it goes. */
function forced(ex: ChatExchange, requested: RequestedTarget, d: Downgrade, decision: RouteDecision | null): RouteChoice {
  recordDowngrade(ex, d, requested);
  return record(ex, { target: { tier: d.tier }, decision, cascadeDraftTier: null }, d.tier, "budget_downgrade");
}

/** Router switched off for the tenant: no classification; `auto` goes to the strongest tier. */
function routeWithoutRouter(ex: ChatExchange, requested: RequestedTarget, registry: ModelRegistry, settings: RouterSettings): RouteChoice {
  if (requested.kind === "model") return record(ex, { target: { model: requested.model }, decision: null, cascadeDraftTier: null }, requested.model.tier, "explicit_model");
  if (requested.kind === "tier") return record(ex, { target: { tier: requested.tier }, decision: null, cascadeDraftTier: null }, requested.tier, "explicit_tier");
  const strongest = [...settings.tiers].reverse().find((t) => registry.tier(t)) ?? registry.defaultTier;
  return record(ex, { target: { tier: strongest }, decision: null, cascadeDraftTier: null }, strongest, "router_disabled");
}

// The arm and versions of each exchange's routing, read back by record() (no extra field on RouteChoice).
const rolloutFacts = new WeakMap<ChatExchange, Routed>();

function record(ex: ChatExchange, choice: RouteChoice, tier: string, reason: string): RouteChoice {
  const d = choice.decision;
  const r = rolloutFacts.get(ex);
  const reasonHeader = d && reason === d.reason ? routeReasonHeader(d) : reason;
  Object.assign(ex.headers, d ? routeHeaders(d) : {}, { "x-route-tier": tier, "x-route-reason": reasonHeader }, r ? { "x-route-version": r.version } : {});
  ex.decisions.route = d
    ? {
        tier, reason, complexity: d.complexity, intent: d.intent, confidence: d.confidence, threshold: d.threshold, band: bandFacts(d.band), escalate: d.escalate, modelVersion: d.modelVersion, cascadeDraftTier: choice.cascadeDraftTier,
        ...(d.cascadeThreshold !== undefined ? { cascadeThreshold: d.cascadeThreshold } : {}),
        ...(r ? { version: r.version, arm: r.arm } : {}),
        ...(r?.shadow ? { shadow: { tier: r.shadow.decision.tier, complexity: r.shadow.decision.complexity, reason: r.shadow.decision.reason, version: r.shadow.version } } : {}),
      }
    : { tier, reason };
  return choice;
}
