output "d1_database_id" {
  description = "D1 database id (UUID) for database_id in wrangler.toml."
  value       = cloudflare_d1_database.gateway.id
}

output "d1_database_name" {
  description = "D1 database name."
  value       = cloudflare_d1_database.gateway.name
}

output "cache_kv_namespace_id" {
  description = "KV namespace id for the CACHE_KV binding."
  value       = cloudflare_workers_kv_namespace.cache.id
}

output "keys_kv_namespace_id" {
  description = "KV namespace id for the KEYS_KV binding."
  value       = cloudflare_workers_kv_namespace.keys.id
}

output "usage_queue_id" {
  description = "Queue id of the usage queue (wrangler binds queues by name; the id is for the API)."
  value       = cloudflare_queue.usage.queue_id
}

output "usage_queue_name" {
  description = "Usage queue name."
  value       = cloudflare_queue.usage.queue_name
}

output "usage_dlq_id" {
  description = "Queue id of the dead-letter queue."
  value       = cloudflare_queue.usage_dlq.queue_id
}

output "usage_dlq_name" {
  description = "Dead-letter queue name."
  value       = cloudflare_queue.usage_dlq.queue_name
}

output "archive_bucket_name" {
  description = "R2 bucket of archived rows (bucket_name of the ARCHIVE binding)."
  value       = cloudflare_r2_bucket.archive.name
}
