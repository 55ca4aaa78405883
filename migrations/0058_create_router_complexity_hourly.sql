-- Hourly histograms of the router's complexity per tenant and feature (fixed bins of 0.005,
-- workers/gateway/src/router/quality-target/traffic-summary.ts), written by the evaluator's
-- hourly job from the ledger (requests the router decided: model "auto", not cache hits). The
-- job sums a window of them and publishes it to KV, where the gateway derives each tenant's
-- quality-target band. `bins_json` = [[bin, requests, sum of complexity], ...] (non-empty bins);
-- `judged_json` = {tier: {judged, passed}} from the hour's evaluations (the frontier-quality
-- estimate). Rows are recomputed (replaced) while their hour can still receive events.
-- '' = no feature (as in usage_rollups_hourly).
CREATE TABLE router_complexity_hourly (
  tenant_id TEXT NOT NULL,
  feature TEXT NOT NULL,
  hour INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  bins_json TEXT NOT NULL,
  judged_json TEXT NOT NULL DEFAULT '{}',
  computed_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, feature, hour)
);

CREATE INDEX router_complexity_hourly_by_hour ON router_complexity_hourly (hour);
