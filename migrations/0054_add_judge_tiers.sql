-- Tiered judging (workers/evaluator/src/judge/tiered.ts): a cheap judge scores every answer
-- the tenant's judge budget allows, a strong judge only the answers the escalation policy
-- sends it; what the budget does not cover falls back to the deterministic checks.

-- Why the strong judge was asked (comma-separated: low_score, unsure, disagreement, audit;
-- NULL = the cheap verdict is final) and where that stands: NULL (no escalation), 'pending'
-- (queued to the strong judge), 'done', 'skipped' (over the judge budget: the cheap verdict
-- stands), 'error' (strong judges unreachable after the retry budget).
ALTER TABLE evaluations ADD COLUMN escalation TEXT;
ALTER TABLE evaluations ADD COLUMN escalation_state TEXT;
-- Written by the delivery that inserted (or escalated) the row; the coverage rollup below only
-- counts rows carrying this delivery's nonce, so a redelivery counts nothing twice.
ALTER TABLE evaluations ADD COLUMN ingest_nonce TEXT;

-- Answers the judge budget did not cover: the deterministic checks are all they got. One row
-- per request (a redelivery decides nothing twice, and the trace can say why it was not judged).
CREATE TABLE judge_fallbacks (
  request_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  feature TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  tier TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  checks_json TEXT NOT NULL,
  hard_failure INTEGER NOT NULL,
  completed_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  ingest_nonce TEXT NOT NULL
);

CREATE INDEX judge_fallbacks_tenant_time ON judge_fallbacks (tenant_id, completed_at);

-- What the judge budget bought, per (tenant, hour, feature, model, tier) like the usage
-- rollups: answers eligible for judging, judged (cheap verdict or better), escalated to and
-- scored by a strong judge, escalations skipped for budget, checks-only fallbacks (and how
-- many of those failed a hard check), and evaluations that ended in a judge error.
CREATE TABLE judge_coverage_hourly (
  tenant_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  feature TEXT NOT NULL,
  model TEXT NOT NULL,
  tier TEXT NOT NULL,
  eligible INTEGER NOT NULL DEFAULT 0,
  judged INTEGER NOT NULL DEFAULT 0,
  escalated INTEGER NOT NULL DEFAULT 0,
  escalations_skipped INTEGER NOT NULL DEFAULT 0,
  checks_only INTEGER NOT NULL DEFAULT 0,
  checks_failed INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, hour, feature, model, tier)
);
