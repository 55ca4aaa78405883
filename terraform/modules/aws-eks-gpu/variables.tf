variable "cluster_name" {
  description = "EKS cluster name."
  type        = string
}

variable "cluster_version" {
  description = "Kubernetes version of the control plane and node groups (e.g. 1.33)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the nodes (at least two AZs)."
  type        = list(string)
}

variable "public_subnet_ids" {
  description = "Public subnets; passed to the control plane so internet-facing load balancers can be placed there."
  type        = list(string)
}

variable "endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public Kubernetes API endpoint."
  type        = list(string)
}

variable "admin_principal_arns" {
  description = "IAM principals (users/roles) granted cluster-admin through EKS access entries."
  type        = list(string)
}

variable "system_instance_types" {
  description = "Instance types of the CPU node group (CoreDNS, KEDA, Prometheus, controllers)."
  type        = list(string)
}

variable "system_node_count" {
  description = "Size of the CPU node group."
  type        = number
}

variable "gpu_instance_types" {
  description = "GPU instance types (g5/g6/g6e families)."
  type        = list(string)
}

variable "gpu_ami_type" {
  description = "EKS-optimized accelerated AMI type of the GPU node group."
  type        = string
}

variable "gpu_capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
}

variable "gpu_min_size" {
  description = "Minimum GPU nodes (0 allows scale to zero through the cluster autoscaler)."
  type        = number
}

variable "gpu_desired_size" {
  description = "Initial GPU nodes (later changed by the cluster autoscaler; ignored on re-apply)."
  type        = number
}

variable "gpu_max_size" {
  description = "Maximum GPU nodes."
  type        = number
}

variable "gpu_disk_size_gib" {
  description = "Root volume of each GPU node; holds the container images and the hostPath weight cache."
  type        = number
}

variable "load_balancer_controller_policy_json" {
  description = "IAM policy JSON of the AWS Load Balancer Controller release you install (its docs/install/iam_policy.json). Empty: no role is created."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
