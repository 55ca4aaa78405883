provider "cloudflare" {
  # null -> the provider reads CLOUDFLARE_API_TOKEN from the environment (preferred).
  api_token = var.cloudflare_api_token
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge({ project = var.project, managed-by = "terraform" }, var.tags)
  }
}
