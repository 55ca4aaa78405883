# ---------------------------------------------------------------------------------------
# Cloudflare -> wrangler.toml [env.production]
# `npx tsx scripts/apply-terraform-outputs.ts` reads wrangler_placeholders and fills them in.
# ---------------------------------------------------------------------------------------

output "d1_database_id" {
  description = "database_id of [[env.production.d1_databases]] (binding DB)."
  value       = module.cloudflare.d1_database_id
}

output "cache_kv_namespace_id" {
  description = "id of the CACHE_KV [[env.production.kv_namespaces]] entry."
  value       = module.cloudflare.cache_kv_namespace_id
}

output "keys_kv_namespace_id" {
  description = "id of the KEYS_KV [[env.production.kv_namespaces]] entry."
  value       = module.cloudflare.keys_kv_namespace_id
}

output "usage_queue_name" {
  description = "queue of USAGE_QUEUE (gateway) and of [[queues.consumers]] (evaluator); wrangler binds queues by name."
  value       = module.cloudflare.usage_queue_name
}

output "usage_queue_id" {
  description = "Queue id of the usage queue (API use; not needed in wrangler.toml)."
  value       = module.cloudflare.usage_queue_id
}

output "usage_dlq_name" {
  description = "dead_letter_queue and USAGE_DLQ queue name in workers/evaluator/wrangler.toml."
  value       = module.cloudflare.usage_dlq_name
}

output "usage_dlq_id" {
  description = "Queue id of the dead-letter queue."
  value       = module.cloudflare.usage_dlq_id
}

output "archive_bucket_name" {
  description = "bucket_name of the ARCHIVE R2 binding in both wrangler.toml files."
  value       = module.cloudflare.archive_bucket_name
}

output "wrangler_placeholders" {
  description = "Placeholder in wrangler.toml -> value; consumed by scripts/apply-terraform-outputs.ts."
  value = {
    "REPLACE-WITH-D1-DATABASE-ID" = module.cloudflare.d1_database_id
    "REPLACE-WITH-CACHE-KV-ID"    = module.cloudflare.cache_kv_namespace_id
    "REPLACE-WITH-KEYS-KV-ID"     = module.cloudflare.keys_kv_namespace_id
  }
}

output "vectorize_create_command" {
  description = "The cloudflare provider has no Vectorize resource: run this once (index_name in [[env.production.vectorize]])."
  value       = "npx wrangler vectorize create ${var.vectorize_index_name} --dimensions=${var.vectorize_dimensions} --metric=${var.vectorize_metric}"
}

output "vectorize_metadata_index_command" {
  description = "Run after vectorize_create_command: the semantic cache filters Vectorize queries on tenantId."
  value       = "npx wrangler vectorize create-metadata-index ${var.vectorize_index_name} --property-name=tenantId --type=string"
}

# ---------------------------------------------------------------------------------------
# AWS GPU origin
# ---------------------------------------------------------------------------------------

output "vpc_id" {
  description = "VPC of the GPU origin (null without EKS)."
  value       = var.enable_eks ? local.vpc_id : null
}

output "eks_cluster_name" {
  description = "EKS cluster name (null without EKS)."
  value       = one(module.eks[*].cluster_name)
}

output "eks_cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = one(module.eks[*].cluster_endpoint)
}

output "eks_update_kubeconfig_command" {
  description = "Configure kubectl for the cluster."
  value       = var.enable_eks ? "aws eks update-kubeconfig --region ${var.aws_region} --name ${local.cluster_name}" : null
}

output "eks_gpu_node_group_name" {
  description = "GPU managed node group."
  value       = one(module.eks[*].gpu_node_group_name)
}

output "eks_cluster_autoscaler_role_arn" {
  description = "IAM role bound to kube-system/cluster-autoscaler via EKS Pod Identity."
  value       = one(module.eks[*].cluster_autoscaler_role_arn)
}

output "eks_load_balancer_controller_role_arn" {
  description = "IAM role bound to kube-system/aws-load-balancer-controller (null without a policy file)."
  value       = one(module.eks[*].load_balancer_controller_role_arn)
}

output "sagemaker_endpoint_name" {
  description = "upstream.endpointName of the sagemaker model in config/models.production.json."
  value       = one(module.sagemaker[*].endpoint_name)
}

output "sagemaker_endpoint_arn" {
  description = "SageMaker endpoint ARN."
  value       = one(module.sagemaker[*].endpoint_arn)
}

output "sagemaker_invoke_user_name" {
  description = "IAM user allowed only sagemaker:InvokeEndpoint(+WithResponseStream) on the endpoint."
  value       = one(module.sagemaker[*].invoke_user_name)
}

output "aws_sagemaker_secret_json" {
  description = "`terraform output -raw aws_sagemaker_secret_json | npx wrangler secret put AWS_SAGEMAKER_SECRET --env production`"
  value       = var.enable_sagemaker ? module.sagemaker[0].gateway_secret_json : null
  sensitive   = true
}
