-- Sampled evaluation rows (EVALUATION_SAMPLING, workers/evaluator/src/judge/evaluation-sampling.ts):
-- with sampling on, an evaluation the draw leaves out goes straight to R2, unless it must stay in
-- D1 (a pending escalation the strong judge will update, a judge error). Those are kept with
-- sampled = 0, so score aggregates (alerts, drift, the router's pass rates, the retraining export)
-- read only drawn rows (sampled = 1), an unbiased sample. Rows from before: 1 (every row was kept).
ALTER TABLE evaluations ADD COLUMN sampled INTEGER NOT NULL DEFAULT 1;
