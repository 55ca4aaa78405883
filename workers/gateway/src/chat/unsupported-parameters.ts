/**
 * Request parameters the gateway refuses rather than silently dropping.
 *
 * `n > 1` (several choices): only OpenAI-compatible upstreams (OpenAI, vLLM) take it; Anthropic
 * Messages, Workers AI and TGI on SageMaker have no such parameter, and `"model": "auto"` may
 * route to any of them. The pipeline around the call is also one answer per request: the cache
 * stores one, the cascade verifies one, output guardrails and PII restoration read one. So the
 * gateway answers with OpenAI's own error for an unsupported value (as it does for models
 * without `n`) instead of returning one choice where several were asked for. Send n requests.
 */
import { GatewayError } from "../../../../shared/errors";
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";

export function rejectUnsupportedParameters(request: ChatCompletionRequest): void {
  if (request.n != null && request.n > 1) {
    throw new GatewayError(
      "invalid_request",
      `Unsupported value: 'n' does not support ${request.n} here. Only the default (1) is supported: send ${request.n} requests instead.`,
      { param: "n", code: "unsupported_value" },
    );
  }
}
