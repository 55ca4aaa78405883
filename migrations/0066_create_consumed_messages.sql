-- Per-pack dedup of the usage rollups (ROLLUP_DEDUP=message, workers/evaluator/src/ledger/pack-rollups.ts).
-- One row per queue message's pack of events the consumer rolled up, keyed by a digest of the
-- pack's (tenant, request id) pairs, so the same pack counts once whichever message carries it: a
-- redelivery (same message id) and a replay of the same body (a dead-lettered message sent again
-- under a new id) alike. The rollup and histogram upserts of the pack run in the same D1 batch
-- and add only if this row carries the delivery's nonce, i.e. only if this delivery inserted it.
-- Kept for the usage queue's redelivery horizon (ARCHIVE_HORIZON_HOURS), then pruned by the cron.
CREATE TABLE consumed_messages (
  pack_key TEXT PRIMARY KEY,
  message_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  events INTEGER NOT NULL,
  consumed_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX consumed_messages_time ON consumed_messages (consumed_at);
