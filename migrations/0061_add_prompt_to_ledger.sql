-- Which prompt version a request was rendered from (chat requests that sent "prompt"), written
-- by the evaluator from the usage event. NULL for requests without a prompt.
ALTER TABLE usage_ledger ADD COLUMN prompt_id TEXT;
ALTER TABLE usage_ledger ADD COLUMN prompt_version INTEGER;

-- GET /v1/prompts/:id/compare groups one prompt's ledger rows by version over a time range.
-- Partial: rows without a prompt (most of the ledger) cost nothing to keep indexed.
CREATE INDEX usage_ledger_prompt_time ON usage_ledger (tenant_id, prompt_id, completed_at) WHERE prompt_id IS NOT NULL;
