/** Test scaffolding for the admin API: the real middleware stack around the sub-app. */
import { useAuditChainKey } from "../../../../../shared/audit/chain-key";
import { adminOperationsRoutes } from "../admin-operations";
import { authorize } from "../../middleware/authorize";
import { auth } from "../../middleware/auth";
import { defaultKeyCache } from "../../auth/key-lookup";
import { seedTenant } from "../../auth/seed-tenant";
import { createTestApp, createTestEnv } from "../../auth/testing/test-app";
import { ADMIN_MOUNT, adminRoutes } from "./index";

/** `env` adds bindings, e.g. AUDIT_CHAIN_KEY (registered before the first row is written). */
export async function adminFixture(env: Record<string, unknown> = {}) {
  defaultKeyCache.clear();
  const t = createTestEnv(env);
  useAuditChainKey(t.db, t.env);
  const app = createTestApp();
  app.use("*", auth(), authorize());
  app.route(ADMIN_MOUNT, adminRoutes);
  app.route(ADMIN_MOUNT, adminOperationsRoutes as unknown as typeof adminRoutes);
  app.get("/v1/models", (c) => c.json(c.get("auth")));
  const op = await seedTenant(t.db, { name: "operator", tenantId: "ten_ops", role: "admin", scopes: ["tenants:manage"] });
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } };
    if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
    const res = await app.request(path, init, t.env);
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json: json as Record<string, unknown> & { error?: { code: string; param: string | null } } };
  };
  /** Every row of every table this API writes, to prove failed calls wrote nothing. */
  const snapshot = async () => {
    const out: Record<string, unknown> = {};
    for (const table of ["tenants", "api_keys", "budgets", "tenant_limits", "audit_log"]) {
      out[table] = (await t.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()).results;
    }
    return JSON.stringify(out);
  };
  return { ...t, app, op, call, snapshot };
}
