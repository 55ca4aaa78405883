# Offline plan checks: `terraform init -backend=false && terraform test` (no cloud
# credentials needed: both providers are mocked; init still downloads their schemas).

mock_provider "cloudflare" {}

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["us-east-1a", "us-east-1b", "us-east-1c"]
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }
}

variables {
  cloudflare_account_id = "0123456789abcdef0123456789abcdef"
}

run "defaults_create_cloudflare_and_eks" {
  command = plan

  assert {
    condition     = length(module.network) == 1 && length(module.eks) == 1 && length(module.sagemaker) == 0
    error_message = "Defaults should create the VPC and the EKS origin, and no SageMaker endpoint."
  }

  assert {
    condition     = output.vectorize_create_command == "npx wrangler vectorize create llm-gateway-semantic-cache --dimensions=768 --metric=cosine"
    error_message = "The Vectorize command must match wrangler.toml (768 dims, cosine)."
  }

  assert {
    condition     = toset(keys(output.wrangler_placeholders)) == toset(["REPLACE-WITH-D1-DATABASE-ID", "REPLACE-WITH-CACHE-KV-ID", "REPLACE-WITH-KEYS-KV-ID"])
    error_message = "wrangler_placeholders must name exactly the placeholders in wrangler.toml."
  }
}

run "existing_vpc_and_sagemaker" {
  command = plan

  variables {
    create_vpc                  = false
    existing_vpc_id             = "vpc-0abc1234def567890"
    existing_private_subnet_ids = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"]
    enable_sagemaker            = true
    sagemaker_image_uri         = "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.33.0-lmi15.0.0-cu128"
  }

  assert {
    condition     = length(module.network) == 0 && length(module.sagemaker) == 1
    error_message = "An existing VPC must not create a network; enable_sagemaker must create the endpoint."
  }
}

run "cloudflare_only" {
  command = plan

  variables {
    enable_eks = false
  }

  assert {
    condition     = length(module.network) == 0 && length(module.eks) == 0 && output.vpc_id == null && output.eks_cluster_name == null
    error_message = "enable_eks = false must create nothing on AWS."
  }
}

run "sagemaker_needs_an_image" {
  command = plan

  variables {
    enable_sagemaker = true
  }

  expect_failures = [var.sagemaker_image_uri]
}

run "rejects_non_gpu_instance_types" {
  command = plan

  variables {
    gpu_instance_types = ["m5.xlarge"]
  }

  expect_failures = [var.gpu_instance_types]
}

run "existing_vpc_needs_subnets" {
  command = plan

  variables {
    create_vpc      = false
    existing_vpc_id = "vpc-0abc1234def567890"
  }

  expect_failures = [var.existing_private_subnet_ids]
}
