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

/** The `X-Feature` header; an empty one counts as absent (it must not hide metadata.feature). */
export const featureHeader = (c: Context): string | undefined => c.req.header("x-feature") || undefined;

export function featureOf(c: Context<AppEnv>, request: Pick<ChatCompletionRequest, "metadata">): string | null {
  const value = featureHeader(c) ?? request.metadata?.feature;
  const allowed = c.get("auth").features;
  if (value === undefined || value === "") {
    // A key limited to some features acts for one of them, always: otherwise leaving the feature
    // out would escape both the limit and that feature's budget and policies.
    if (allowed !== null) {
      throw new GatewayError("forbidden", `This API key acts only for features ${allowed.join(", ")}: name one with X-Feature or metadata.feature.`, { code: "feature_required", param: "metadata.feature" });
    }
    return null;
  }
  if (!FEATURE.test(value)) {
    throw new GatewayError("invalid_request", "The feature name may only use letters, digits and . _ : - (at most 128).", { param: "metadata.feature" });
  }
  if (allowed !== null && !allowed.includes(value)) {
    throw new GatewayError("forbidden", `This API key may not act for feature "${value}".`, { code: "feature_not_allowed" });
  }
  return value;
}
