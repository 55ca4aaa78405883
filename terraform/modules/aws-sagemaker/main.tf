# Optional SageMaker real-time endpoint for the same small model, and an IAM user that can do
# nothing but invoke it (the gateway's AWS_SAGEMAKER_SECRET).

data "aws_partition" "current" {}

locals {
  from_s3 = var.model_s3_uri != ""

  default_env = merge(
    {
      # LMI: vLLM engine, OpenAI chat schema (payload "openai-messages" in the registry).
      OPTION_ROLLING_BATCH   = "vllm"
      TENSOR_PARALLEL_DEGREE = "max"
      OPTION_MAX_MODEL_LEN   = tostring(var.max_model_len)
    },
    local.from_s3 ? {} : { HF_MODEL_ID = var.model_id },
    var.hf_token == "" || local.from_s3 ? {} : { HF_TOKEN = var.hf_token },
  )

  s3_bucket = local.from_s3 ? split("/", trimprefix(var.model_s3_uri, "s3://"))[0] : ""
}

# --- execution role (pull the image, read weights, write logs and metrics) -----------

data "aws_iam_policy_document" "sagemaker_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.endpoint_name}-sagemaker-execution"
  assume_role_policy = data.aws_iam_policy_document.sagemaker_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid = "PullImage"
    actions = [
      "ecr:GetAuthorizationToken",
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = ["*"]
  }

  statement {
    sid = "LogsAndMetrics"
    actions = [
      "cloudwatch:PutMetricData",
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = local.from_s3 ? [1] : []
    content {
      sid     = "ReadWeights"
      actions = ["s3:GetObject", "s3:ListBucket"]
      resources = [
        "arn:${data.aws_partition.current.partition}:s3:::${local.s3_bucket}",
        "arn:${data.aws_partition.current.partition}:s3:::${local.s3_bucket}/*",
      ]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "sagemaker-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# --- model, endpoint configuration, endpoint -------------------------------------------

resource "aws_sagemaker_model" "small" {
  name               = "${var.endpoint_name}-${substr(sha256(jsonencode([var.image_uri, local.default_env, var.container_env, var.model_s3_uri])), 0, 8)}"
  execution_role_arn = aws_iam_role.execution.arn

  primary_container {
    image       = var.image_uri
    environment = merge(local.default_env, var.container_env)

    dynamic "model_data_source" {
      for_each = local.from_s3 ? [1] : []
      content {
        s3_data_source {
          s3_uri           = endswith(var.model_s3_uri, "/") ? var.model_s3_uri : "${var.model_s3_uri}/"
          s3_data_type     = "S3Prefix"
          compression_type = "None"
        }
      }
    }
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.execution]
}

resource "aws_sagemaker_endpoint_configuration" "small" {
  # A new configuration per model revision: the endpoint switches over with a blue/green update.
  name_prefix = "${var.endpoint_name}-"

  production_variants {
    variant_name           = "AllTraffic"
    model_name             = aws_sagemaker_model.small.name
    instance_type          = var.instance_type
    initial_instance_count = var.instance_count

    # Downloading ~16 GB of weights and compiling CUDA graphs takes minutes.
    model_data_download_timeout_in_seconds            = 1800
    container_startup_health_check_timeout_in_seconds = 1800
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "small" {
  name                 = var.endpoint_name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.small.name
  tags                 = var.tags
}

# --- invoke-only identity for the gateway ------------------------------------------------

data "aws_iam_policy_document" "invoke" {
  statement {
    sid = "InvokeSmallModelOnly"
    actions = [
      "sagemaker:InvokeEndpoint",
      "sagemaker:InvokeEndpointWithResponseStream",
    ]
    resources = [aws_sagemaker_endpoint.small.arn]
  }
}

resource "aws_iam_policy" "invoke" {
  name        = "${var.endpoint_name}-invoke"
  description = "InvokeEndpoint(+WithResponseStream) on ${var.endpoint_name} only"
  policy      = data.aws_iam_policy_document.invoke.json
  tags        = var.tags
}

resource "aws_iam_user" "gateway" {
  name = "${var.endpoint_name}-gateway"
  tags = var.tags
}

resource "aws_iam_user_policy_attachment" "gateway" {
  user       = aws_iam_user.gateway.name
  policy_arn = aws_iam_policy.invoke.arn
}

resource "aws_iam_access_key" "gateway" {
  count = var.create_access_key ? 1 : 0
  user  = aws_iam_user.gateway.name
}
