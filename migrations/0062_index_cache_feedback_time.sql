-- Retention (issue 14): the evaluator's archive job finds each tenant's oldest client report and
-- reads a tenant's day of reports in time order (workers/evaluator/src/archive/archive-job.ts),
-- as for cache_audits, cache_shadow_checks and judge_fallbacks, which have this index already.
CREATE INDEX cache_feedback_tenant_time ON cache_feedback (tenant_id, created_at);
