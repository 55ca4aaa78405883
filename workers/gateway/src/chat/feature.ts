/**
 * The product feature a request belongs to (cost attribution, per-feature policies): the
 * `X-Feature` header, else `metadata.feature` in the body. Restricted to a safe token so it
 * can go into headers, keys and logs without escaping.
 */
import type { Context } from "hono";
import { GatewayError } from "../../../../shared/errors";
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import type { AppEnv } from "../app-env";

const FEATURE = /^[A-Za-z0-9._:-]{1,128}$/;

export function featureOf(c: Context<AppEnv>, request: Pick<ChatCompletionRequest, "metadata">): string | null {
  const value = c.req.header("x-feature") ?? request.metadata?.feature;
  if (value === undefined || value === "") return null;
  if (!FEATURE.test(value)) {
    throw new GatewayError("invalid_request", "The feature name may only use letters, digits and . _ : - (at most 128).", { param: "metadata.feature" });
  }
  const allowed = c.get("auth").features;
  if (allowed !== null && !allowed.includes(value)) {
    throw new GatewayError("forbidden", `This API key may not act for feature "${value}".`, { code: "feature_not_allowed" });
  }
  return value;
}
