/**
 * Shadow and canary for a candidate router (another model file, or the same model with other
 * thresholds). Shadow: the candidate decides on every request, its decision goes to the trace
 * only. Canary: the candidate serves `percent` of traffic, chosen by a hash of the request id
 * (deterministic: a retried request keeps its arm). `rollbackDecision` (shared/router-rollout/rollback.ts) compares the evaluator's
 * per-version aggregates and says when to stop the candidate.
 */
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { fnv1a } from "../../../../../shared/hash/fnv1a";
import type { RollbackVerdict, RolloutConfig } from "../../../../../shared/router-rollout/rollback";
import type { RouteContext, RouteDecision } from "../policy";
import type { Router } from "../router";

export type Arm = "control" | "candidate";

/** Bucket in [0, 10000) from the request id: 0.01% resolution for percent. */
export const bucketOf = (requestId: string, salt: string): number => fnv1a(`${salt}:${requestId}`) % 10_000;

export function assignArm(requestId: string, config: RolloutConfig): Arm {
  if (config.mode !== "canary") return "control";
  return bucketOf(requestId, config.salt) < Math.round(config.percent * 100) ? "candidate" : "control";
}

export interface RolloutRoute {
  decision: RouteDecision;
  arm: Arm;
  /** The other router's decision (trace only): the candidate's in shadow mode, the control's for canary-served requests. */
  shadow?: RouteDecision;
}

type Req = Pick<ChatCompletionRequest, "messages">;

export async function routeWithRollout(requestId: string, request: Req, ctx: RouteContext, control: Router, candidate: Router | null, config: RolloutConfig): Promise<RolloutRoute> {
  if (!candidate || config.mode === "off") return { decision: await control.route(request, ctx), arm: "control" };
  const arm = assignArm(requestId, config);
  const [a, b] = await Promise.all([control.route(request, ctx), candidate.route(request, ctx)]);
  if (arm === "candidate") return { decision: b, arm, shadow: a };
  return config.mode === "shadow" ? { decision: a, arm, shadow: b } : { decision: a, arm };
}

/** Where the rollout config lives (KV or D1 in the gateway); the router only needs get/put. */
export interface RolloutStateStore {
  get(): Promise<RolloutConfig>;
  put(config: RolloutConfig): Promise<void>;
}

/** Applies a verdict: a rollback turns the candidate off and records why (idempotent). */
export async function enforceRollback(store: RolloutStateStore, verdict: RollbackVerdict): Promise<RolloutConfig> {
  const current = await store.get();
  if (verdict.status !== "rollback" || current.mode === "off") return current;
  const next: RolloutConfig = { ...current, mode: "off" };
  await store.put(next);
  return next;
}
