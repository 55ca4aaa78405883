output "cluster_name" {
  description = "EKS cluster name."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API endpoint."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_security_group_id" {
  description = "Security group EKS created for the control plane and managed nodes."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "gpu_node_group_name" {
  description = "Name of the GPU managed node group."
  value       = aws_eks_node_group.gpu.node_group_name
}

output "node_role_arn" {
  description = "IAM role of the worker nodes."
  value       = aws_iam_role.node.arn
}

output "cluster_autoscaler_role_arn" {
  description = "Role bound to kube-system/cluster-autoscaler through Pod Identity."
  value       = aws_iam_role.cluster_autoscaler.arn
}

output "load_balancer_controller_role_arn" {
  description = "Role bound to kube-system/aws-load-balancer-controller (null when no policy was given)."
  value       = one(aws_iam_role.load_balancer_controller[*].arn)
}
