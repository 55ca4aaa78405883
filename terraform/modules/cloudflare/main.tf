# Cloudflare side of the gateway: the storage and messaging the two Workers bind to.
# Resource names follow the cloudflare provider v5 schema (cloudflare_queue.queue_name,
# cloudflare_workers_kv_namespace.title, cloudflare_d1_database.name).
#
# Not managed here, on purpose:
# - the Workers themselves and their bindings: `wrangler deploy --env production` owns them
#   (bundling, ONNX/wasm modules, Durable Object migrations);
# - the queue consumer (the evaluator): declared in workers/evaluator/wrangler.toml
#   ([[queues.consumers]] with dead_letter_queue), wrangler attaches it on deploy;
# - the Vectorize index: the v5 provider has no Vectorize resource (checked against 5.14);
#   create it with the command in the `vectorize_create_command` output.

resource "cloudflare_d1_database" "gateway" {
  account_id            = var.account_id
  name                  = var.d1_database_name
  primary_location_hint = var.d1_primary_location_hint

  lifecycle {
    # The ledger, audit log and keys live here: destroying it loses them.
    prevent_destroy = true
  }
}

resource "cloudflare_workers_kv_namespace" "cache" {
  account_id = var.account_id
  title      = var.cache_kv_title
}

resource "cloudflare_workers_kv_namespace" "keys" {
  account_id = var.account_id
  title      = var.keys_kv_title
}

resource "cloudflare_queue" "usage" {
  account_id = var.account_id
  queue_name = var.usage_queue_name
}

resource "cloudflare_queue" "usage_dlq" {
  account_id = var.account_id
  queue_name = var.usage_dlq_name
}

# The evaluator's escalations from its cheap judges to its strong judges (JUDGE_ESCALATIONS:
# produced and consumed by the evaluator, workers/evaluator/wrangler.toml; docs/evaluator.md).
resource "cloudflare_queue" "judge_escalations" {
  account_id = var.account_id
  queue_name = "llm-gateway-judge-escalations"
}

# Per-request rows past retention (ledger, traces, evaluations), archived by the evaluator's
# cron as gzip NDJSON by table, tenant and day (docs/evaluator.md); bound as ARCHIVE by both Workers.
resource "cloudflare_r2_bucket" "archive" {
  account_id = var.account_id
  name       = var.archive_bucket_name

  lifecycle {
    # Archived rows exist nowhere else once D1 has deleted them.
    prevent_destroy = true
  }
}
