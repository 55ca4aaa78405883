import { describe, expect, it, vi } from "vitest";
import { ROLES, type Role } from "../app-env";
import { authorize } from "../middleware/authorize";
import { auth } from "../middleware/auth";
import { ADMIN_MOUNT, adminRoutes } from "../routes/admin";
import { KeyCache } from "./key-lookup";
import { ROUTE_POLICIES, findPolicy, policyForPattern } from "./route-policies";
import { seedTenant } from "./seed-tenant";
import { createTestApp, createTestEnv } from "./testing/test-app";

vi.mock("cloudflare:workers", () => ({ DurableObject: class {}, env: {} }));

/** Public routes of the issue, listed here until every one is registered in createApp(). */
const DOCUMENTED_ROUTES: [string, string][] = [
  ["POST", "/v1/chat/completions"], ["POST", "/v1/embeddings"], ["GET", "/v1/models"], ["POST", "/v1/route"],
  ["POST", "/v1/guardrails/check"], ["GET", "/v1/usage"], ["GET", "/v1/usage.csv"], ["GET", "/v1/requests/:id"], ["GET", "/healthz"], ["DELETE", "/v1/cache"],
  ["GET", "/v1/cache/quality"], ["POST", "/v1/feedback"],
];

const registered = (app: { routes: { method: string; path: string }[] }, prefix = ""): [string, string][] =>
  app.routes.filter((r) => r.method !== "ALL").map((r) => [r.method, `${prefix}${r.path}`.replace(/(.)\/$/, "$1")]);

async function appRoutes(): Promise<[string, string][]> {
  const { createApp } = await import("../app");
  return registered(createApp());
}

/**
 * The expected matrix, written independently of ROUTE_POLICIES: a change in who may call
 * what must change both. "op" = admin key with the operator scope tenants:manage.
 */
type Who = Role | "op";
const ALL: Who[] = [...ROLES, "op"];
const EXPECTED: Record<string, Who[]> = {
  "GET /healthz": ALL,
  "GET /metrics": ["admin", "op"],
  "GET /openapi.json": ALL,
  "POST /v1/chat/completions": ["service", "developer"],
  "POST /v1/embeddings": ["service", "developer"],
  "GET /v1/models": ALL,
  "POST /v1/route": ["service", "developer"],
  "POST /v1/guardrails/check": ["service", "developer"],
  "GET /v1/usage": ["developer", "viewer", "admin", "op"],
  "GET /v1/usage.csv": ["developer", "viewer", "admin", "op"],
  "GET /v1/usage/latency": ["developer", "viewer", "admin", "op"],
  "GET /v1/requests/:id": ["developer", "viewer", "admin", "op"],
  "GET /v1/router/rollout": ["developer", "viewer", "admin", "op"],
  "GET /v1/drift": ["developer", "viewer", "admin", "op"],
  "DELETE /v1/cache": ["developer", "admin", "op"],
  "GET /v1/cache/quality": ["developer", "viewer", "admin", "op"],
  "POST /v1/prompts": ["developer", "admin", "op"],
  "GET /v1/prompts": ["developer", "viewer", "admin", "op"],
  "GET /v1/prompts/:id": ["developer", "viewer", "admin", "op"],
  "POST /v1/prompts/:id/versions": ["developer", "admin", "op"],
  "GET /v1/prompts/:id/versions": ["developer", "viewer", "admin", "op"],
  "GET /v1/prompts/:id/versions/:version": ["developer", "viewer", "admin", "op"],
  "POST /v1/prompts/:id/labels/:label": ["developer", "admin", "op"],
  "POST /v1/prompts/:id/render": ["developer", "admin", "op"],
  "GET /v1/prompts/:id/compare": ["developer", "viewer", "admin", "op"],
  "GET /v1/requests": ["developer", "viewer", "admin", "op"],
  "GET /v1/evaluations": ["developer", "viewer", "admin", "op"],
  "GET /v1/graphql": ["developer", "viewer", "admin", "op"],
  "POST /v1/graphql": ["developer", "viewer", "admin", "op"],
  "POST /v1/feedback": ["service", "developer"],
  "POST /v1/collections": ["developer", "admin", "op"],
  "GET /v1/collections": ALL,
  "GET /v1/collections/:id": ALL,
  "DELETE /v1/collections/:id": ["developer", "admin", "op"],
  "POST /v1/collections/:id/documents": ["developer", "admin", "op"],
  "GET /v1/collections/:id/documents": ALL,
  "GET /v1/collections/:id/documents/:doc": ALL,
  "DELETE /v1/collections/:id/documents/:doc": ["developer", "admin", "op"],
  "POST /v1/collections/:id/search": ["service", "developer"],
  "POST /admin/v1/tenants": ["op"],
  "GET /admin/v1/tenants": ["op"],
  "POST /admin/v1/tenants/:id/keys": ["admin", "op"],
  "GET /admin/v1/tenants/:id/keys": ["admin", "op"],
  "DELETE /admin/v1/keys/:id": ["admin", "op"],
  "POST /admin/v1/keys/:id/rotate": ["admin", "op"],
  "GET /admin/v1/tenants/:id/budget": ["admin", "op"],
  "PUT /admin/v1/tenants/:id/budget": ["admin", "op"],
  "GET /admin/v1/tenants/:id/limits": ["admin", "op"],
  "PUT /admin/v1/tenants/:id/limits": ["admin", "op"],
  "GET /admin/v1/audit/verify": ["op"],
  "GET /admin/v1/tenants/:id/settings": ["admin", "op"],
  "PUT /admin/v1/tenants/:id/settings": ["admin", "op"],
  "GET /admin/v1/tenants/:id/alerts": ["admin", "op"],
  "POST /admin/v1/tenants/:id/alerts": ["admin", "op"],
  "DELETE /admin/v1/tenants/:id/alerts/:rule": ["admin", "op"],
  "GET /admin/v1/datasets/retraining": ["op"],
  "GET /admin/v1/datasets/fine-tuning": ["op"],
  "GET /admin/v1/tenants/:id/archive/:table/:day": ["admin", "op"],
};

describe("ROUTE_POLICIES", () => {
  it("has a policy for every route the app and the admin sub-app register, and for every documented route", async () => {
    const routes = [...(await appRoutes()), ...registered(adminRoutes, ADMIN_MOUNT), ...DOCUMENTED_ROUTES];
    const missing = routes.filter(([m, p]) => !policyForPattern(m, p)).map(([m, p]) => `${m} ${p}`);
    expect(missing).toEqual([]);
  });

  it("is exactly the expected matrix, route by route", () => {
    expect(ROUTE_POLICIES.map((p) => `${p.method} ${p.path}`).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("enforces every route x every role through auth() + authorize()", async () => {
    const t = createTestEnv();
    const app = createTestApp();
    app.use("*", async (c, next) => (findPolicy(c.req.method, c.req.path)?.roles === "public" ? next() : auth({ cache: new KeyCache() })(c, next)));
    app.use("*", authorize());
    for (const p of ROUTE_POLICIES) app.on(p.method, p.path, (c) => c.text("ok"));
    const keys = {} as Record<Who, string>;
    const tenant = await seedTenant(t.db, { name: "matrix", role: "service" });
    keys.service = tenant.key;
    for (const role of ["developer", "viewer", "admin"] as const) keys[role] = (await seedTenant(t.db, { name: "m", tenantId: tenant.tenantId, role })).key;
    keys.op = (await seedTenant(t.db, { name: "m", tenantId: tenant.tenantId, role: "admin", scopes: ["tenants:manage", "content:read"] })).key;
    const failures: string[] = [];
    for (const p of ROUTE_POLICIES) {
      const path = p.path.replace(/:[^/]+/g, "x1");
      for (const who of ALL) {
        const res = await app.request(path, { method: p.method, headers: { authorization: `Bearer ${keys[who]}` } }, t.env);
        const want = EXPECTED[`${p.method} ${p.path}`]!.includes(who) ? 200 : 403;
        if (res.status !== want) failures.push(`${p.method} ${p.path} as ${who}: ${res.status} != ${want}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers 404 for a method + path without a policy (fail closed)", async () => {
    const t = createTestEnv();
    const app = createTestApp();
    app.use("*", authorize());
    app.get("/v1/secret-unlisted", (c) => c.text("leak"));
    expect((await app.request("/v1/secret-unlisted", {}, t.env)).status).toBe(404);
  });

  it("enforces a key's feature allow-list from X-Feature", async () => {
    const t = createTestEnv();
    const app = createTestApp();
    app.use("*", auth({ cache: new KeyCache() }), authorize());
    app.post("/v1/chat/completions", (c) => c.text("ok"));
    const { key } = await seedTenant(t.db, { name: "f", role: "service", features: ["search"] });
    const call = (feature: string) => app.request("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${key}`, "x-feature": feature } }, t.env);
    expect((await call("search")).status).toBe(200);
    expect((await call("billing")).status).toBe(403);
  });
});
