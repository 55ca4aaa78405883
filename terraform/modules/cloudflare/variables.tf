variable "account_id" {
  description = "Cloudflare account id (32 hex characters) that owns the Workers."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{32}$", var.account_id))
    error_message = "account_id must be the 32-character lowercase hex Cloudflare account id."
  }
}

variable "d1_database_name" {
  description = "D1 database name; must equal database_name in wrangler.toml and workers/evaluator/wrangler.toml."
  type        = string
}

variable "d1_primary_location_hint" {
  description = "Optional D1 primary location hint (wnam, enam, weur, eeur, apac, oc); null lets Cloudflare choose."
  type        = string
  default     = null
}

variable "cache_kv_title" {
  description = "Title of the KV namespace bound as CACHE_KV."
  type        = string
}

variable "keys_kv_title" {
  description = "Title of the KV namespace bound as KEYS_KV."
  type        = string
}

variable "usage_queue_name" {
  description = "Queue the gateway produces usage events to (USAGE_QUEUE) and the evaluator consumes."
  type        = string
}

variable "usage_dlq_name" {
  description = "Dead-letter queue of the evaluator consumer (USAGE_DLQ)."
  type        = string
}

variable "archive_bucket_name" {
  description = "R2 bucket bound as ARCHIVE by both Workers (rows past retention)."
  type        = string
}

