-- Drift of one distribution (complexity, intent, judge score, cost per request) for one
-- tenant and period against its baseline window: PSI and KL divergence (smoothed).
CREATE TABLE drift_snapshots (
  tenant_id TEXT NOT NULL,
  period TEXT NOT NULL CHECK (period IN ('hour', 'day')),
  window_start INTEGER NOT NULL,
  metric TEXT NOT NULL,
  psi REAL NOT NULL,
  kl REAL NOT NULL,
  current_n INTEGER NOT NULL,
  baseline_n INTEGER NOT NULL,
  baseline_from INTEGER NOT NULL,
  baseline_to INTEGER NOT NULL,
  alert INTEGER NOT NULL DEFAULT 0,
  computed_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, period, window_start, metric)
);
