-- Cost avoided split by what avoided it (issue 16): cost_avoided_usd stays the total against the
-- all-frontier counterfactual; cost_avoided_cache_usd is the part of it from requests the cache
-- answered (cache_status hit-exact or hit-semantic). The rest (total - cache) is what routing
-- avoided: a request that reached a model cost less than the frontier would have.
ALTER TABLE usage_rollups_hourly ADD COLUMN cost_avoided_cache_usd REAL NOT NULL DEFAULT 0;

-- Backfill from the ledger rows still held (retention may have removed older ones: those hours
-- keep their total and show it all as routing).
UPDATE usage_rollups_hourly AS r SET cost_avoided_cache_usd = COALESCE((
  SELECT SUM(l.cost_avoided_usd) FROM usage_ledger AS l
  WHERE l.tenant_id = r.tenant_id AND l.hour = r.hour AND l.feature = r.feature AND l.model = r.model AND l.tier = r.tier
    AND l.key_id = r.key_id
    AND (CASE WHEN l.kind = 'request' AND l.parent_request_id IS NOT NULL THEN 'draft' ELSE l.kind END) = r.kind
    AND l.cache_status IN ('hit-exact', 'hit-semantic')
), 0);
