variable "name" {
  description = "Name prefix for the VPC and its resources."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster name, used for the kubernetes.io/cluster/<name> subnet tags."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  type        = string
}

variable "az_count" {
  description = "Number of availability zones (one public and one private subnet each)."
  type        = number
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheaper) instead of one per AZ (zone-resilient)."
  type        = bool
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
