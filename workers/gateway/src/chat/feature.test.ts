import { describe, expect, it } from "vitest";
import type { AuthContext } from "../app-env";
import { createTestApp } from "../auth/testing/test-app";
import { featureOf } from "./feature";

function app(features: string[] | null) {
  const a = createTestApp();
  const auth: AuthContext = { tenantId: "ten_a", keyId: "key_a", role: "service", scopes: [], models: null, tiers: null, features };
  a.post("/f", async (c) => {
    c.set("auth", auth);
    const body = (await c.req.json()) as { metadata?: Record<string, string> };
    return c.json({ feature: featureOf(c as unknown as Parameters<typeof featureOf>[0], body) });
  });
  return (headers: Record<string, string>, body: unknown = {}) => a.request("/f", { method: "POST", headers, body: JSON.stringify(body) });
}

describe("featureOf", () => {
  it("makes a key limited to some features name one of them, by header or body, and an empty header hides nothing", async () => {
    const call = app(["search"]);
    const missing = await call({});
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("feature_required");
    expect(await (await call({ "x-feature": "search" })).json()).toEqual({ feature: "search" });
    expect(await (await call({ "x-feature": "" }, { metadata: { feature: "search" } })).json()).toEqual({ feature: "search" });
    expect((await call({ "x-feature": "" }, { metadata: { feature: "other" } })).status).toBe(403);
  });

  it("lets an unrestricted key leave the feature out", async () => {
    expect(await (await app(null)({})).json()).toEqual({ feature: null });
  });
});
