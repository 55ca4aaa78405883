/** What the gateway load benchmarks (overhead, profile, hotpath) share. */
import type { Stack } from "../../test/harness/stack";
import { seedKey } from "../../test/harness/seed";

/** The bare pass-through Worker: the runtime's floor (bench:overhead target (b)). */
export const PASS_THROUGH_WORKER = `export default { async fetch(req, env) {
  const url = new URL(req.url);
  return fetch(env.UPSTREAM + url.pathname, { method: req.method, headers: req.headers, body: req.body });
} }`;

/** Switches guardrails, cache and router off for a tenant: what remains is the gateway core. */
export async function makeCoreTenant(stack: Stack, tenantId: string): Promise<void> {
  // Turning redaction off lets content through, which needs content:read (docs/access-control.md).
  const admin = await seedKey(stack, { role: "admin", tenantId, scopes: ["content:read"] });
  const off = { guardrails: { pii: { enabled: false }, injection: { enabled: false } }, cache: { enabled: false }, router: { enabled: false } };
  const res = await stack.fetch(`/admin/v1/tenants/${tenantId}/settings`, { method: "PUT", headers: { authorization: `Bearer ${admin.key}`, "content-type": "application/json" }, body: JSON.stringify(off) });
  if (!res.ok) throw new Error(`core tenant settings: ${res.status} ${await res.text()}`);
}

/**
 * Rate limits and a monthly budget far above what a bench sends: every call is admitted after
 * one round trip to the limiter's Durable Object (the budget middleware's `admit`).
 */
export async function limitTenant(stack: Stack, tenantId: string): Promise<void> {
  const admin = await seedKey(stack, { role: "admin", tenantId });
  const headers = { authorization: `Bearer ${admin.key}`, "content-type": "application/json" };
  for (const [path, body] of [["limits", { tenant_requests_per_minute: 1_000_000, key_tokens_per_minute: 100_000_000 }], ["budget", { budgets: [{ monthly_usd: 100_000 }] }]] as const) {
    const res = await stack.fetch(`/admin/v1/tenants/${tenantId}/${path}`, { method: "PUT", headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`bench tenant ${path}: ${res.status} ${await res.text()}`);
  }
}
