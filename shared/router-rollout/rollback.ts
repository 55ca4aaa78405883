/**
 * A router rollout's configuration and the rollback rule: the gateway routes by the config
 * (workers/gateway/src/router/rollout/rollout.ts), the evaluator's cron compares the arms'
 * aggregates with `rollbackDecision` (workers/evaluator/src/rollout/).
 */
import { z } from "zod";

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
