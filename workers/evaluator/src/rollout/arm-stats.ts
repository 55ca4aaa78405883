/**
 * Judged quality and cost per router arm for one tenant's candidate version over a window,
 * from what the evaluator already stores: the trace's `decisions.route` (arm, version), the
 * ledger's cost and the panel's score. Only requests the router decided count: cache hits,
 * errors and explicit model/tier requests would look the same in both arms and dilute a regression.
 * Gateway-made calls (cascade drafts, shadows and their skip markers: rows with a parent) are not
 * requests: their traces carry no route, so they would all land in the control arm.
 */
import { rollbackDecision, type ArmStats, type RollbackVerdict, type RolloutConfig } from "../../../../shared/router-rollout/rollback";

export interface ArmAggregate {
  arm: "control" | "candidate";
  version: string;
  requests: number;
  meanCostUsd: number;
  judged: number;
  /** Mean panel score mapped from 1-5 to [0, 1] (the bounds' scale); null before any judgement. */
  meanScore: number | null;
}

export interface ArmWindow {
  tenantId: string;
  candidateVersion: string;
  from: number;
  to: number;
}

const ARM_STATS = `SELECT
  CASE WHEN json_extract(t.trace_json, '$.decisions.route.arm') = 'candidate' THEN 'candidate' ELSE 'control' END AS arm,
  COUNT(*) AS requests, AVG(l.cost_usd) AS mean_cost, COUNT(e.score_mean) AS judged, AVG((e.score_mean - 1) / 4.0) AS mean_score
FROM usage_ledger l
JOIN request_traces t ON t.request_id = l.request_id
LEFT JOIN evaluations e ON e.request_id = l.request_id AND e.status = 'ok'
WHERE l.tenant_id = ?1 AND l.kind = 'request' AND l.parent_request_id IS NULL AND l.completed_at >= ?2 AND l.completed_at < ?3
  AND l.status < 400 AND l.cache_status NOT IN ('hit-exact', 'hit-semantic')
  AND COALESCE(json_extract(t.trace_json, '$.decisions.route.reason'), '') NOT IN ('explicit_model', 'explicit_tier')
  AND (json_extract(t.trace_json, '$.decisions.route.arm') = 'control'
    OR (json_extract(t.trace_json, '$.decisions.route.arm') = 'candidate' AND json_extract(t.trace_json, '$.decisions.route.version') = ?4))
GROUP BY 1`;

interface Row {
  arm: "control" | "candidate";
  requests: number;
  mean_cost: number | null;
  judged: number;
  mean_score: number | null;
}

const empty = (arm: ArmAggregate["arm"], version: string): ArmAggregate => ({ arm, version, requests: 0, meanCostUsd: 0, judged: 0, meanScore: null });

export async function armStats(db: D1Database, w: ArmWindow): Promise<{ control: ArmAggregate; candidate: ArmAggregate }> {
  const rows = (await db.prepare(ARM_STATS).bind(w.tenantId, w.from, w.to, w.candidateVersion).all<Row>()).results;
  const out = { control: empty("control", "control"), candidate: empty("candidate", w.candidateVersion) };
  for (const r of rows) {
    out[r.arm] = { ...out[r.arm], requests: r.requests, meanCostUsd: r.mean_cost ?? 0, judged: r.judged, meanScore: r.mean_score };
  }
  return out;
}

/**
 * Quality and cost are judged separately: cost from every decided request, quality from the
 * judged ones (a sampled subset), so a cost regression is not held back by judge sampling.
 * Rollback if either says so; healthy only when both had enough samples and passed.
 */
export function verdictFor(control: ArmAggregate, candidate: ArmAggregate, bounds: RolloutConfig["bounds"]): RollbackVerdict {
  const quality = (a: ArmAggregate): ArmStats => ({ version: a.version, samples: a.judged, meanJudgeScore: a.meanScore ?? 0, meanCostUsd: 0 });
  const cost = (a: ArmAggregate): ArmStats => ({ version: a.version, samples: a.requests, meanJudgeScore: 0, meanCostUsd: a.meanCostUsd });
  const q = rollbackDecision(quality(control), quality(candidate), bounds);
  const c = rollbackDecision(cost(control), cost(candidate), bounds);
  const reasons = [...q.reasons, ...c.reasons];
  const status = reasons.length ? "rollback" : q.status === "healthy" && c.status === "healthy" ? "healthy" : "insufficient_data";
  return { status, reasons, qualityDelta: q.qualityDelta, costDeltaRatio: c.costDeltaRatio };
}
