/**
 * Shadow and canary for a candidate router (another model file, or the same model with other
 * thresholds). Shadow: the candidate decides on every request, its decision goes to the trace
 * only. Canary: the candidate serves `percent` of traffic, chosen by a hash of the request id
 * (deterministic: a retried request keeps its arm). `rollbackDecision` compares the evaluator's
 * per-version aggregates and says when to stop the candidate.
 */
import { z } from "zod";
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { fnv1a } from "../../../../../shared/hash/fnv1a";
import type { RouteContext, RouteDecision } from "../policy";
import type { Router } from "../router";

export const RolloutConfigSchema = z.object({
  mode: z.enum(["off", "shadow", "canary"]).default("off"),
  candidateVersion: z.string().min(1).optional(),
  /** Share of traffic the candidate serves in canary mode, 0-100. */
  percent: z.number().min(0).max(100).default(5),
  /** Salt so different rollouts pick different request subsets. */
  salt: z.string().default("router-canary"),
  bounds: z
    .object({
      /** Largest tolerated drop of the mean judge score (absolute, score in [0, 1]). */
      maxQualityDrop: z.number().min(0).max(1).default(0.03),
      /** Largest tolerated rise of mean cost per request (relative, 0.1 = +10%). */
      maxCostIncrease: z.number().min(0).default(0.1),
      /** Samples per arm before any verdict. */
      minSamples: z.number().int().positive().default(200),
    })
    .default({ maxQualityDrop: 0.03, maxCostIncrease: 0.1, minSamples: 200 }),
});
export type RolloutConfig = z.infer<typeof RolloutConfigSchema>;

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

/** Per-version aggregates from the evaluator (judge panel + ledger). */
export interface ArmStats {
  version: string;
  samples: number;
  meanJudgeScore: number;
  meanCostUsd: number;
}

export interface RollbackVerdict {
  status: "insufficient_data" | "healthy" | "rollback";
  reasons: string[];
  qualityDelta: number;
  costDeltaRatio: number;
}

export function rollbackDecision(control: ArmStats, candidate: ArmStats, bounds: RolloutConfig["bounds"]): RollbackVerdict {
  const qualityDelta = candidate.meanJudgeScore - control.meanJudgeScore;
  const costDeltaRatio = control.meanCostUsd > 0 ? candidate.meanCostUsd / control.meanCostUsd - 1 : 0;
  if (Math.min(control.samples, candidate.samples) < bounds.minSamples) return { status: "insufficient_data", reasons: [], qualityDelta, costDeltaRatio };
  const reasons: string[] = [];
  if (-qualityDelta > bounds.maxQualityDrop) reasons.push(`quality dropped ${(-qualityDelta).toFixed(3)} > ${bounds.maxQualityDrop}`);
  if (costDeltaRatio > bounds.maxCostIncrease) reasons.push(`cost rose ${(costDeltaRatio * 100).toFixed(1)}% > ${(bounds.maxCostIncrease * 100).toFixed(1)}%`);
  return { status: reasons.length ? "rollback" : "healthy", reasons, qualityDelta, costDeltaRatio };
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
