output "endpoint_name" {
  description = "SageMaker endpoint name (upstream.endpointName in config/models.production.json)."
  value       = aws_sagemaker_endpoint.small.name
}

output "endpoint_arn" {
  description = "SageMaker endpoint ARN."
  value       = aws_sagemaker_endpoint.small.arn
}

output "invoke_user_name" {
  description = "IAM user whose only permission is invoking the endpoint."
  value       = aws_iam_user.gateway.name
}

output "invoke_policy_arn" {
  description = "Managed policy with InvokeEndpoint(+WithResponseStream) on the endpoint; attach it to other principals if needed."
  value       = aws_iam_policy.invoke.arn
}

output "gateway_secret_json" {
  description = "Value for `wrangler secret put AWS_SAGEMAKER_SECRET --env production` ({accessKeyId, secretAccessKey}); null without create_access_key."
  value = var.create_access_key ? jsonencode({
    accessKeyId     = aws_iam_access_key.gateway[0].id
    secretAccessKey = aws_iam_access_key.gateway[0].secret
  }) : null
  sensitive = true
}
