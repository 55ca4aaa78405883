# ---------------------------------------------------------------------------------------
# General
# ---------------------------------------------------------------------------------------

variable "project" {
  description = "Name prefix of AWS resources (VPC, cluster <project>-gpu, IAM roles)."
  type        = string
  default     = "llm-gateway"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.project))
    error_message = "project must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Extra tags on every AWS resource (merged over project and managed-by)."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------------------------------
# Cloudflare
# ---------------------------------------------------------------------------------------

variable "cloudflare_account_id" {
  description = "Cloudflare account id (dashboard > Workers & Pages > Account details)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{32}$", var.cloudflare_account_id))
    error_message = "cloudflare_account_id must be the 32-character lowercase hex account id."
  }
}

variable "cloudflare_api_token" {
  description = "Cloudflare API token with D1:Edit, Workers KV Storage:Edit and Queues:Edit on the account. Leave null to use the CLOUDFLARE_API_TOKEN environment variable (recommended)."
  type        = string
  default     = null
  sensitive   = true
}

variable "d1_database_name" {
  description = "D1 database name; must equal database_name in wrangler.toml and workers/evaluator/wrangler.toml."
  type        = string
  default     = "llm-gateway"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.d1_database_name))
    error_message = "d1_database_name must be lowercase letters, digits and hyphens (max 63)."
  }
}

variable "d1_primary_location_hint" {
  description = "Where D1 places the primary: wnam, enam, weur, eeur, apac, oc; null lets Cloudflare pick (near the creating request)."
  type        = string
  default     = null

  validation {
    condition     = var.d1_primary_location_hint == null || contains(["wnam", "enam", "weur", "eeur", "apac", "oc"], coalesce(var.d1_primary_location_hint, "wnam"))
    error_message = "d1_primary_location_hint must be one of wnam, enam, weur, eeur, apac, oc (or null)."
  }
}

variable "cache_kv_title" {
  description = "Title of the KV namespace bound as CACHE_KV (exact-match response cache)."
  type        = string
  default     = "llm-gateway-cache"

  validation {
    condition     = length(var.cache_kv_title) > 0 && length(var.cache_kv_title) <= 512
    error_message = "cache_kv_title must be 1-512 characters."
  }
}

variable "keys_kv_title" {
  description = "Title of the KV namespace bound as KEYS_KV (API key hash -> tenant)."
  type        = string
  default     = "llm-gateway-keys"

  validation {
    condition     = length(var.keys_kv_title) > 0 && length(var.keys_kv_title) <= 512 && var.keys_kv_title != var.cache_kv_title
    error_message = "keys_kv_title must be 1-512 characters and differ from cache_kv_title."
  }
}

variable "usage_queue_name" {
  description = "Usage queue (gateway producer USAGE_QUEUE, evaluator consumer); must equal the queue names in both wrangler.toml files."
  type        = string
  default     = "llm-gateway-usage"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.usage_queue_name))
    error_message = "usage_queue_name must be lowercase letters, digits and hyphens (max 63)."
  }
}

variable "usage_dlq_name" {
  description = "Dead-letter queue of the evaluator consumer (dead_letter_queue and USAGE_DLQ in workers/evaluator/wrangler.toml)."
  type        = string
  default     = "llm-gateway-usage-dlq"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.usage_dlq_name)) && var.usage_dlq_name != var.usage_queue_name
    error_message = "usage_dlq_name must be lowercase letters, digits and hyphens (max 63) and differ from usage_queue_name."
  }
}

variable "archive_bucket_name" {
  description = "R2 bucket of per-request rows past retention (bucket_name of ARCHIVE in both wrangler.toml files)."
  type        = string
  default     = "llm-gateway-archive"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.archive_bucket_name))
    error_message = "archive_bucket_name must be 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen."
  }
}

variable "vectorize_index_name" {
  description = "Vectorize index of the semantic cache (index_name in wrangler.toml). Not created by Terraform: see the vectorize_create_command output."
  type        = string
  default     = "llm-gateway-semantic-cache"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,63}$", var.vectorize_index_name))
    error_message = "vectorize_index_name must be lowercase letters, digits and hyphens (max 64)."
  }
}

variable "vectorize_dimensions" {
  description = "Vector dimensions of the index; 768 for @cf/baai/bge-base-en-v1.5 (CACHE_EMBEDDER = workers-ai)."
  type        = number
  default     = 768

  validation {
    condition     = var.vectorize_dimensions >= 1 && var.vectorize_dimensions <= 1536 && floor(var.vectorize_dimensions) == var.vectorize_dimensions
    error_message = "vectorize_dimensions must be an integer between 1 and 1536."
  }
}

variable "vectorize_metric" {
  description = "Distance metric of the Vectorize index."
  type        = string
  default     = "cosine"

  validation {
    condition     = contains(["cosine", "euclidean", "dot-product"], var.vectorize_metric)
    error_message = "vectorize_metric must be cosine, euclidean or dot-product."
  }
}

# ---------------------------------------------------------------------------------------
# AWS: network
# ---------------------------------------------------------------------------------------

variable "aws_region" {
  description = "AWS region of the GPU origin; config/models.production.json expects us-east-1 for the SageMaker endpoint."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like us-east-1."
  }
}

variable "enable_eks" {
  description = "Create the EKS GPU origin (VPC unless existing, cluster, node groups, IAM)."
  type        = bool
  default     = true
}

variable "create_vpc" {
  description = "Create a VPC; false uses existing_vpc_id and the existing_*_subnet_ids."
  type        = bool
  default     = true
}

variable "vpc_cidr" {
  description = "CIDR of the created VPC (a /16 is split into /20 public and /18 private subnets)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && tonumber(split("/", var.vpc_cidr)[1]) <= 18
    error_message = "vpc_cidr must be a valid IPv4 CIDR of size /18 or larger (e.g. 10.40.0.0/16)."
  }
}

variable "az_count" {
  description = "Availability zones for the created VPC (EKS needs at least 2)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway shared by all AZs (about $33/month less per AZ, but an AZ outage cuts egress)."
  type        = bool
  default     = true
}

variable "existing_vpc_id" {
  description = "VPC to use when create_vpc = false."
  type        = string
  default     = ""

  validation {
    condition     = var.create_vpc || !var.enable_eks || can(regex("^vpc-[0-9a-f]+$", var.existing_vpc_id))
    error_message = "existing_vpc_id (vpc-...) is required when create_vpc = false."
  }
}

variable "existing_private_subnet_ids" {
  description = "Private subnets (with NAT egress, in >= 2 AZs) for the nodes when create_vpc = false."
  type        = list(string)
  default     = []

  validation {
    condition     = var.create_vpc || !var.enable_eks || (length(var.existing_private_subnet_ids) >= 2 && alltrue([for s in var.existing_private_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))]))
    error_message = "At least two existing_private_subnet_ids (subnet-...) are required when create_vpc = false."
  }
}

variable "existing_public_subnet_ids" {
  description = "Public subnets (tagged kubernetes.io/role/elb = 1) for the internet-facing NLB when create_vpc = false."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.existing_public_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "existing_public_subnet_ids must be subnet ids (subnet-...)."
  }
}

# ---------------------------------------------------------------------------------------
# AWS: EKS
# ---------------------------------------------------------------------------------------

variable "eks_cluster_version" {
  description = "Kubernetes version of the cluster; pick one in EKS standard support."
  type        = string
  default     = "1.33"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.eks_cluster_version))
    error_message = "eks_cluster_version must look like 1.33."
  }
}

variable "eks_endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public Kubernetes API (your office / CI egress). Avoid 0.0.0.0/0."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.eks_endpoint_public_access_cidrs) > 0 && alltrue([for c in var.eks_endpoint_public_access_cidrs : can(cidrnetmask(c))])
    error_message = "eks_endpoint_public_access_cidrs must be a non-empty list of IPv4 CIDRs."
  }
}

variable "eks_admin_principal_arns" {
  description = "Extra IAM users/roles given cluster-admin (the identity running terraform gets it automatically)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.eks_admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)/.+$", a))])
    error_message = "eks_admin_principal_arns must be IAM user or role ARNs."
  }
}

variable "system_instance_types" {
  description = "Instance types of the CPU node group (CoreDNS, KEDA, Prometheus, controllers)."
  type        = list(string)
  default     = ["m6i.large"]

  validation {
    condition     = length(var.system_instance_types) > 0
    error_message = "system_instance_types must not be empty."
  }
}

variable "system_node_count" {
  description = "Nodes in the CPU node group."
  type        = number
  default     = 2

  validation {
    condition     = var.system_node_count >= 1 && var.system_node_count <= 10
    error_message = "system_node_count must be between 1 and 10."
  }
}

variable "gpu_instance_types" {
  description = "GPU instance types, g5 (A10G 24 GB), g6 (L4 24 GB) or g6e (L40S 48 GB) families, e.g. [\"g5.xlarge\", \"g6.xlarge\"]. Several types widen on-demand/spot availability; keep the GPU count per instance equal."
  type        = list(string)
  default     = ["g5.xlarge"]

  validation {
    condition     = length(var.gpu_instance_types) > 0 && alltrue([for t in var.gpu_instance_types : can(regex("^g(5|6|6e)\\.[0-9]*x?large$", t))])
    error_message = "gpu_instance_types must be g5.*, g6.* or g6e.* instance types (e.g. g5.xlarge, g6.2xlarge)."
  }
}

variable "gpu_ami_type" {
  description = "EKS-optimized accelerated AMI: AL2023_x86_64_NVIDIA (driver + toolkit; apply gpu-backends/k8s/cluster for the device plugin) or BOTTLEROCKET_x86_64_NVIDIA (device plugin built in)."
  type        = string
  default     = "AL2023_x86_64_NVIDIA"

  validation {
    condition     = contains(["AL2023_x86_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA"], var.gpu_ami_type)
    error_message = "gpu_ami_type must be AL2023_x86_64_NVIDIA or BOTTLEROCKET_x86_64_NVIDIA."
  }
}

variable "gpu_capacity_type" {
  description = "ON_DEMAND, or SPOT (about 60-70% cheaper, can be reclaimed with 2 minutes notice; the gateway falls back to other tiers)."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.gpu_capacity_type)
    error_message = "gpu_capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "gpu_min_size" {
  description = "Minimum GPU nodes. 0 allows scale to zero (cold start of several minutes; the router then uses another tier)."
  type        = number
  default     = 1

  validation {
    condition     = var.gpu_min_size >= 0
    error_message = "gpu_min_size must be >= 0."
  }
}

variable "gpu_desired_size" {
  description = "GPU nodes at creation (the cluster autoscaler owns the number afterwards)."
  type        = number
  default     = 1

  validation {
    condition     = var.gpu_desired_size >= var.gpu_min_size && var.gpu_desired_size <= var.gpu_max_size
    error_message = "gpu_desired_size must be between gpu_min_size and gpu_max_size."
  }
}

variable "gpu_max_size" {
  description = "Maximum GPU nodes (cost ceiling of the small tier)."
  type        = number
  default     = 4

  validation {
    condition     = var.gpu_max_size >= 1 && var.gpu_max_size >= var.gpu_min_size && var.gpu_max_size <= 100
    error_message = "gpu_max_size must be between max(1, gpu_min_size) and 100."
  }
}

variable "gpu_disk_size_gib" {
  description = "Root volume per GPU node (container images ~10-20 GB + hostPath weight cache ~16 GB per 8B model in bf16)."
  type        = number
  default     = 200

  validation {
    condition     = var.gpu_disk_size_gib >= 100 && var.gpu_disk_size_gib <= 2000
    error_message = "gpu_disk_size_gib must be between 100 and 2000."
  }
}

variable "load_balancer_controller_policy_file" {
  description = "Path to the AWS Load Balancer Controller IAM policy JSON of the release you install (docs/install/iam_policy.json in its repository). Empty: no role is created and you grant it yourself."
  type        = string
  default     = ""

  validation {
    condition     = var.load_balancer_controller_policy_file == "" || endswith(var.load_balancer_controller_policy_file, ".json")
    error_message = "load_balancer_controller_policy_file must be a path to a .json file or empty."
  }
}

# ---------------------------------------------------------------------------------------
# Model (shared by vLLM on EKS and SageMaker)
# ---------------------------------------------------------------------------------------

variable "small_model_id" {
  description = "Hugging Face id of the small-tier model; must equal upstreamModel of the vLLM entry in config/models.production.json."
  type        = string
  default     = "meta-llama/Llama-3.1-8B-Instruct"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$", var.small_model_id))
    error_message = "small_model_id must be a Hugging Face repo id like org/name."
  }
}

variable "max_model_len" {
  description = "Context length served. 32768 fits Llama 3.1 8B (bf16) plus its KV cache on one 24 GB GPU; 131072 needs a 48 GB GPU (g6e) or more."
  type        = number
  default     = 32768

  validation {
    condition     = var.max_model_len >= 2048 && var.max_model_len <= 131072
    error_message = "max_model_len must be between 2048 and 131072."
  }
}

variable "hf_token" {
  description = "Hugging Face token for gated models, used only by the SageMaker model when it loads from the hub (ends up in state). The EKS deployment takes its token from a Kubernetes Secret instead."
  type        = string
  default     = ""
  sensitive   = true
}

# ---------------------------------------------------------------------------------------
# AWS: SageMaker (optional)
# ---------------------------------------------------------------------------------------

variable "enable_sagemaker" {
  description = "Create the SageMaker model, endpoint config, endpoint and the invoke-only IAM user."
  type        = bool
  default     = false
}

variable "sagemaker_endpoint_name" {
  description = "Endpoint name; must equal upstream.endpointName of the sagemaker entry in config/models.production.json."
  type        = string
  default     = "llm-gateway-small"

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", var.sagemaker_endpoint_name))
    error_message = "sagemaker_endpoint_name must be 1-63 alphanumerics and hyphens, not starting or ending with a hyphen."
  }
}

variable "sagemaker_image_uri" {
  description = "LMI (DJL Serving) container image URI with the vLLM backend for aws_region, from the AWS Deep Learning Containers list (e.g. <account>.dkr.ecr.us-east-1.amazonaws.com/djl-inference:<lmi-version>)."
  type        = string
  default     = ""

  validation {
    condition     = !var.enable_sagemaker || can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.sagemaker_image_uri))
    error_message = "sagemaker_image_uri must be an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>) when enable_sagemaker = true."
  }
}

variable "sagemaker_model_s3_uri" {
  description = "Optional s3://bucket/prefix/ with uncompressed model weights; empty loads small_model_id from the Hugging Face hub."
  type        = string
  default     = ""

  validation {
    condition     = var.sagemaker_model_s3_uri == "" || can(regex("^s3://[a-z0-9.-]{3,63}/.*$", var.sagemaker_model_s3_uri))
    error_message = "sagemaker_model_s3_uri must be empty or an s3://bucket/prefix/ URI."
  }
}

variable "sagemaker_container_env" {
  description = "Extra LMI container environment (OPTION_* keys of the LMI version you use), merged over the defaults set by the module."
  type        = map(string)
  default     = {}
}

variable "sagemaker_instance_type" {
  description = "Endpoint instance type; ml.g5.2xlarge (1x A10G) is what the registry's usdPerGpuHour (1.515) assumes."
  type        = string
  default     = "ml.g5.2xlarge"

  validation {
    condition     = can(regex("^ml\\.g(5|6|6e)\\.[0-9]*x?large$", var.sagemaker_instance_type))
    error_message = "sagemaker_instance_type must be an ml.g5.*, ml.g6.* or ml.g6e.* instance type."
  }
}

variable "sagemaker_instance_count" {
  description = "Instances behind the endpoint (real-time endpoints bill per instance-hour, even when idle)."
  type        = number
  default     = 1

  validation {
    condition     = var.sagemaker_instance_count >= 1 && var.sagemaker_instance_count <= 10
    error_message = "sagemaker_instance_count must be between 1 and 10."
  }
}

variable "sagemaker_create_access_key" {
  description = "Create an access key for the invoke-only IAM user and expose it as the sensitive output aws_sagemaker_secret_json. False: create the key yourself (keeps it out of state)."
  type        = bool
  default     = true
}
