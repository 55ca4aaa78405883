# Root configuration: Cloudflare resources for the two Workers, and the AWS GPU origin of the
# `small` tier (EKS + vLLM, optionally a SageMaker endpoint). See README.md for the apply order.

locals {
  cluster_name = "${var.project}-gpu"

  # module.network has no instance when enable_eks = false: [*] keeps these valid then.
  vpc_id             = var.create_vpc ? one(module.network[*].vpc_id) : var.existing_vpc_id
  private_subnet_ids = var.create_vpc ? flatten(module.network[*].private_subnet_ids) : var.existing_private_subnet_ids
  public_subnet_ids  = var.create_vpc ? flatten(module.network[*].public_subnet_ids) : var.existing_public_subnet_ids
}

module "cloudflare" {
  source = "./modules/cloudflare"

  account_id               = var.cloudflare_account_id
  d1_database_name         = var.d1_database_name
  d1_primary_location_hint = var.d1_primary_location_hint
  cache_kv_title           = var.cache_kv_title
  keys_kv_title            = var.keys_kv_title
  usage_queue_name         = var.usage_queue_name
  usage_dlq_name           = var.usage_dlq_name
  archive_bucket_name      = var.archive_bucket_name
}

module "network" {
  source = "./modules/aws-network"
  count  = var.enable_eks && var.create_vpc ? 1 : 0

  name               = var.project
  cluster_name       = local.cluster_name
  vpc_cidr           = var.vpc_cidr
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
}

module "eks" {
  source = "./modules/aws-eks-gpu"
  count  = var.enable_eks ? 1 : 0

  cluster_name                 = local.cluster_name
  cluster_version              = var.eks_cluster_version
  vpc_id                       = local.vpc_id
  private_subnet_ids           = local.private_subnet_ids
  public_subnet_ids            = local.public_subnet_ids
  endpoint_public_access_cidrs = var.eks_endpoint_public_access_cidrs
  admin_principal_arns         = var.eks_admin_principal_arns

  system_instance_types = var.system_instance_types
  system_node_count     = var.system_node_count

  gpu_instance_types = var.gpu_instance_types
  gpu_ami_type       = var.gpu_ami_type
  gpu_capacity_type  = var.gpu_capacity_type
  gpu_min_size       = var.gpu_min_size
  gpu_desired_size   = var.gpu_desired_size
  gpu_max_size       = var.gpu_max_size
  gpu_disk_size_gib  = var.gpu_disk_size_gib

  load_balancer_controller_policy_json = var.load_balancer_controller_policy_file == "" ? "" : file(var.load_balancer_controller_policy_file)
}

module "sagemaker" {
  source = "./modules/aws-sagemaker"
  count  = var.enable_sagemaker ? 1 : 0

  endpoint_name     = var.sagemaker_endpoint_name
  image_uri         = var.sagemaker_image_uri
  model_id          = var.small_model_id
  model_s3_uri      = var.sagemaker_model_s3_uri
  hf_token          = var.hf_token
  container_env     = var.sagemaker_container_env
  max_model_len     = var.max_model_len
  instance_type     = var.sagemaker_instance_type
  instance_count    = var.sagemaker_instance_count
  create_access_key = var.sagemaker_create_access_key
}
