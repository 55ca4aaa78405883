-- Versioned price table: the price in force for a request is the row with the latest
-- effective_from <= the request's completed_at. tenant_id '*' = list price for everyone; a
-- tenant row (negotiated price) wins over '*'. pricing_json follows shared/pricing.ts
-- (per-token or gpu-hour). Seeded idempotently from workers/evaluator/src/pricing/prices.json.
CREATE TABLE model_prices (
  tenant_id TEXT NOT NULL DEFAULT '*',
  model TEXT NOT NULL,
  effective_from INTEGER NOT NULL,
  pricing_json TEXT NOT NULL,
  note TEXT,
  PRIMARY KEY (tenant_id, model, effective_from)
);
