terraform {
  # 1.9+: variable validations may refer to other variables.
  required_version = ">= 1.9.0"

  required_providers {
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "~> 5.14"
    }
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # State holds the SageMaker invoke key and the Hugging Face token when those are enabled:
  # use an encrypted remote backend, e.g.
  #   backend "s3" {
  #     bucket       = "my-tfstate"
  #     key          = "llm-gateway/terraform.tfstate"
  #     region       = "us-east-1"
  #     encrypt      = true
  #     use_lockfile = true
  #   }
}
