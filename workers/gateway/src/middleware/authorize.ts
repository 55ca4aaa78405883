/**
 * `authorize()`: after `auth()`, allows or denies by ROUTE_POLICIES alone. A request whose
 * method + path has no policy is answered 404 (fail closed: an unlisted route is unreachable,
 * and the route-policy test fails before that ships). Also enforces the key's feature
 * allow-list when the feature is known from the `X-Feature` header.
 */
import type { MiddlewareHandler } from "hono";
import { GatewayError } from "../../../../shared/errors";
import type { AccessEnv } from "../auth/access-env";
import { assertFeatureAllowed } from "../auth/allow-lists";
import { decide, findPolicy } from "../auth/route-policies";

export const FORBIDDEN_MESSAGE = "This API key is not allowed to call this endpoint.";

export function authorize(): MiddlewareHandler<AccessEnv> {
  return async (c, next) => {
    const policy = findPolicy(c.req.method, c.req.path);
    if (!policy) throw new GatewayError("not_found", `No route ${c.req.method} ${c.req.path}.`);
    if (policy.roles !== "public") {
      const auth = c.get("auth");
      if (!auth) throw new GatewayError("unauthorized", "Invalid or missing API key.");
      if (decide(policy, auth) === "deny") throw new GatewayError("forbidden", FORBIDDEN_MESSAGE);
      const feature = c.req.header("x-feature") ?? null;
      if (feature) assertFeatureAllowed(auth, feature);
    }
    await next();
  };
}
