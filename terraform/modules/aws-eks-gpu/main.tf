# EKS cluster with a CPU system node group and a tainted GPU node group on the EKS-optimized
# accelerated AMI (NVIDIA driver + container toolkit preinstalled). The NVIDIA device plugin
# that advertises nvidia.com/gpu is applied from gpu-backends/k8s/cluster/ (AL2023 AMIs do not
# run it themselves; Bottlerocket NVIDIA AMIs do, so skip that manifest there).

resource "aws_kms_key" "secrets" {
  description             = "Envelope encryption of Kubernetes Secrets in ${var.cluster_name} (holds VLLM_API_KEY)"
  deletion_window_in_days = 7
  enable_key_rotation     = true
  tags                    = var.tags
}

resource "aws_cloudwatch_log_group" "cluster" {
  # EKS writes control plane logs here; creating it first sets the retention.
  name              = "/aws/eks/${var.cluster_name}/cluster"
  retention_in_days = 30
  tags              = var.tags
}

resource "aws_eks_cluster" "this" {
  name     = var.cluster_name
  version  = var.cluster_version
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = concat(var.private_subnet_ids, var.public_subnet_ids)
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = var.endpoint_public_access_cidrs
  }

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.secrets.arn
    }
  }

  # Standard support only: extended support bills $0.60 per cluster-hour instead of $0.10.
  upgrade_policy {
    support_type = "STANDARD"
  }

  enabled_cluster_log_types = ["api", "audit", "authenticator"]

  tags = var.tags

  depends_on = [
    aws_iam_role_policy_attachment.cluster,
    aws_cloudwatch_log_group.cluster,
  ]
}

resource "aws_eks_access_entry" "admin" {
  for_each = toset(var.admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = toset(var.admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }

  depends_on = [aws_eks_access_entry.admin]
}

# --- node groups ---------------------------------------------------------------------

resource "aws_eks_node_group" "system" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "system"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.private_subnet_ids
  version         = var.cluster_version

  ami_type       = "AL2023_x86_64_STANDARD"
  instance_types = var.system_instance_types
  capacity_type  = "ON_DEMAND"
  disk_size      = 50

  scaling_config {
    min_size     = var.system_node_count
    desired_size = var.system_node_count
    max_size     = var.system_node_count + 1
  }

  update_config {
    max_unavailable = 1
  }

  labels = {
    "llm-gateway/pool" = "system"
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy_attachment.node]
}

resource "aws_eks_node_group" "gpu" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "gpu"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.private_subnet_ids
  version         = var.cluster_version

  ami_type       = var.gpu_ami_type
  instance_types = var.gpu_instance_types
  capacity_type  = var.gpu_capacity_type
  disk_size      = var.gpu_disk_size_gib

  scaling_config {
    min_size     = var.gpu_min_size
    desired_size = var.gpu_desired_size
    max_size     = var.gpu_max_size
  }

  update_config {
    max_unavailable = 1
  }

  # gpu-backends/k8s selects these nodes by label and tolerates the taint; nothing else lands
  # on a GPU node by accident.
  labels = {
    "llm-gateway/pool"        = "gpu"
    "llm-gateway/accelerator" = "nvidia"
  }

  taint {
    key    = "nvidia.com/gpu"
    value  = "true"
    effect = "NO_SCHEDULE"
  }

  tags = var.tags

  lifecycle {
    # The cluster autoscaler owns the desired size after creation.
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}

# Scale-from-zero hints for the cluster autoscaler: with no GPU node running it cannot see
# that this group offers nvidia.com/gpu, its label and its taint unless the ASG says so.
locals {
  gpu_asg_template_tags = {
    "k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"      = "1"
    "k8s.io/cluster-autoscaler/node-template/label/llm-gateway/pool"        = "gpu"
    "k8s.io/cluster-autoscaler/node-template/label/llm-gateway/accelerator" = "nvidia"
    "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu"          = "true:NoSchedule"
  }
}

resource "aws_autoscaling_group_tag" "gpu_template" {
  for_each = local.gpu_asg_template_tags

  autoscaling_group_name = aws_eks_node_group.gpu.resources[0].autoscaling_groups[0].name

  tag {
    key                 = each.key
    value               = each.value
    propagate_at_launch = false
  }
}

# --- add-ons (versions: the default for the cluster version) ----------------------------

resource "aws_eks_addon" "core" {
  for_each = toset(["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent"])

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.value
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  tags                        = var.tags

  # CoreDNS needs nodes to become healthy.
  depends_on = [aws_eks_node_group.system]
}

resource "aws_eks_addon" "ebs_csi" {
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "aws-ebs-csi-driver"
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  pod_identity_association {
    role_arn        = aws_iam_role.ebs_csi.arn
    service_account = "ebs-csi-controller-sa"
  }

  tags = var.tags

  depends_on = [aws_eks_addon.core]
}
