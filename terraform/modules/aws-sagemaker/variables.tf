variable "endpoint_name" {
  description = "SageMaker endpoint name; config/models.production.json uses llm-gateway-small."
  type        = string
}

variable "image_uri" {
  description = "LMI (DJL) container image URI with the vLLM backend, from the region of the endpoint."
  type        = string
}

variable "model_id" {
  description = "Hugging Face model id served by the container (HF_MODEL_ID) when model_s3_uri is empty."
  type        = string
}

variable "model_s3_uri" {
  description = "Optional s3://bucket/prefix/ of uncompressed weights; when set the container loads from S3 instead of the hub."
  type        = string
}

variable "hf_token" {
  description = "Hugging Face token for gated models (only when loading from the hub). Stored in state and in the model's environment."
  type        = string
  sensitive   = true
}

variable "container_env" {
  description = "Extra container environment (LMI OPTION_* settings); merged over the defaults."
  type        = map(string)
}

variable "max_model_len" {
  description = "Maximum context length (OPTION_MAX_MODEL_LEN)."
  type        = number
}

variable "instance_type" {
  description = "Endpoint instance type (ml.g5.* / ml.g6.* / ml.g6e.*)."
  type        = string
}

variable "instance_count" {
  description = "Initial instance count of the production variant."
  type        = number
}

variable "create_access_key" {
  description = "Create an access key for the invoke-only IAM user (for the AWS_SAGEMAKER_SECRET Worker secret). The secret lands in Terraform state."
  type        = bool
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
