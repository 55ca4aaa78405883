/** Test scaffolding for /v1/prompts (and /v1/graphql): the real auth middleware around the routes, keys per role. */
import type { Hono } from "hono";
import { errorBody, GatewayError } from "../../../../shared/errors";
import type { AppEnv } from "../app-env";
import type { AccessEnv } from "../auth/access-env";
import { defaultKeyCache } from "../auth/key-lookup";
import { seedTenant } from "../auth/seed-tenant";
import { createTestApp, createTestEnv, MemoryKV } from "../auth/testing/test-app";
import { authorize } from "../middleware/authorize";
import { auth } from "../middleware/auth";

export interface CallResult {
  status: number;
  json: Record<string, unknown> & {
    error?: { code: string; param: string | null; message: string };
    /** GraphQL answers' errors. */
    errors?: { message: string; path?: (string | number)[]; extensions: { code: string; status?: number; param?: string | null } }[];
  };
}

export async function promptsFixture(routes: Hono<AppEnv>[], env: Record<string, unknown> = {}) {
  defaultKeyCache.clear();
  const t = createTestEnv({ CACHE_KV: new MemoryKV(), ...env });
  const app = createTestApp();
  app.use("*", async (c, next) => {
    c.set("requestId", "req_test");
    await next();
  });
  app.notFound((c) => c.json(errorBody(new GatewayError("not_found", "No such route.")), 404));
  app.use("*", auth(), authorize());
  for (const r of routes) app.route("/", r as unknown as Hono<AccessEnv>);
  const dev = await seedTenant(t.db, { name: "acme", tenantId: "ten_acme", role: "developer" });
  const keys = {
    developer: dev.key,
    viewer: (await seedTenant(t.db, { name: "acme", tenantId: "ten_acme", role: "viewer" })).key,
    admin: (await seedTenant(t.db, { name: "acme", tenantId: "ten_acme", role: "admin" })).key,
    service: (await seedTenant(t.db, { name: "acme", tenantId: "ten_acme", role: "service" })).key,
    supportDev: (await seedTenant(t.db, { name: "acme", tenantId: "ten_acme", role: "developer", features: ["support"] })).key,
    supportViewer: (await seedTenant(t.db, { name: "acme", tenantId: "ten_acme", role: "viewer", features: ["support"] })).key,
    contentDev: (await seedTenant(t.db, { name: "acme", tenantId: "ten_acme", role: "developer", scopes: ["content:read"] })).key,
    otherTenant: (await seedTenant(t.db, { name: "other", tenantId: "ten_other", role: "developer" })).key,
  };
  const call = async (method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}): Promise<CallResult> => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers } };
    if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
    const res = await app.request(path, init, t.env);
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = { raw: text };
    }
    return { status: res.status, json: json as CallResult["json"] };
  };
  /** Every prompt table and the audit log, to prove a refused call wrote nothing. */
  const snapshot = async () => {
    const out: Record<string, unknown> = {};
    for (const table of ["prompts", "prompt_versions", "prompt_labels", "audit_log"]) out[table] = (await t.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()).results;
    return JSON.stringify(out);
  };
  return { ...t, app, keys, call, snapshot };
}

export const GREETING = {
  id: "greeting",
  description: "Support greeting",
  messages: [
    { role: "system", content: "You are a support agent for {{product}}. Answer in a {{tone}} tone." },
    { role: "user", content: "Customer {{customer}} asks: {{question}}" },
  ],
  variables: [
    { name: "product" },
    { name: "tone", type: "enum", values: ["formal", "casual"], required: false, default: "formal" },
    { name: "customer" },
    { name: "question", maxLength: 2000 },
  ],
  labels: ["production"],
};
