-- Router rollout verdicts, one row per tenant and candidate router version, written by the
-- evaluator's cron from judged quality and cost per arm (workers/evaluator/src/rollout/).
-- status 'rolled_back' is the marker the gateway reads: that candidate serves no more traffic
-- (shadow decisions are still logged). It is sticky: later runs never overwrite it; to retry,
-- ship the candidate under a new version label. Stats hold both arms' aggregates as JSON.
CREATE TABLE router_rollouts (
  tenant_id TEXT NOT NULL,
  candidate_version TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('insufficient_data', 'healthy', 'rolled_back')),
  reasons_json TEXT NOT NULL DEFAULT '[]',
  stats_json TEXT NOT NULL DEFAULT '{}',
  decided_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, candidate_version)
);
