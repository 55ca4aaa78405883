/**
 * bench:replay's tenants and traffic: each tenant is seeded with a service key (model calls)
 * and an admin key (settings, GET /v1/usage), and sent every replayed prompt once through the
 * gateway in workerd. Guardrails are off for these tenants so the upstream receives the
 * recorded prompt verbatim (the simulator replays by exact prompt) and the cache is bypassed
 * per request, so every row reaches the models.
 */
import type { SingleBar } from "cli-progress";
import { bearer, seedKey } from "../../test/harness/seed";
import type { Stack } from "../../test/harness/stack";

export interface TenantSpec {
  label: string;
  model: "frontier-sim" | "small-sim" | "auto";
  router?: Record<string, unknown>;
}

export interface Tenant extends TenantSpec {
  tenantId: string;
  service: string;
  admin: string;
}

export interface Served {
  status: number;
  requestId: string;
  /** Which tier's answer the client got. */
  tier: "small" | "frontier" | null;
  complexity: number | null;
  pWrong: number | null;
  cascade: string | null;
  /** The cheapest band the decision used and its source, from x-route-reason (`band=0.2650 quality_target`). */
  band: { below: number; source: string } | null;
  /** The routing reason (x-route-reason without the band), e.g. low_confidence. */
  reason: string | null;
}

export async function createTenant(stack: Stack, spec: TenantSpec): Promise<Tenant> {
  const { tenantId, key: service } = await seedKey(stack, { name: `replay ${spec.label}` });
  // Guardrails off lets more through redaction: the admin needs content:read for that PUT.
  const { key: admin } = await seedKey(stack, { role: "admin", tenantId, scopes: ["content:read"] });
  const settings = { guardrails: { pii: { enabled: false }, injection: { enabled: false } }, ...(spec.router ? { router: spec.router } : {}) };
  const res = await stack.fetch(`/admin/v1/tenants/${tenantId}/settings`, { method: "PUT", headers: bearer(admin), body: JSON.stringify(settings) });
  if (res.status !== 200) throw new Error(`settings for ${spec.label}: ${res.status} ${await res.text()}`);
  return { ...spec, tenantId, service, admin };
}

const num = (v: string | null): number | null => (v === null || v === "" || Number.isNaN(Number(v)) ? null : Number(v));

/** The band a decision was compared with, from `x-route-reason` (null when the header names none, e.g. a cache hit). */
export function bandOf(reason: string | null): Served["band"] {
  const m = /band=([0-9.]+) ([a-z_]+)/.exec(reason ?? "");
  return m ? { below: Number(m[1]), source: m[2]! } : null;
}

/** The feature every replayed request names (x-feature), unless a measurement asks for another one. */
export const REPLAY_FEATURE = "replay";

async function ask(stack: Stack, tenant: Tenant, prompt: string, feature: string): Promise<Served> {
  const res = await stack.fetch("/v1/chat/completions", {
    method: "POST",
    headers: bearer(tenant.service, { "cache-control": "no-cache, no-store", "x-feature": feature }),
    body: JSON.stringify({ model: tenant.model, messages: [{ role: "user", content: prompt }] }),
  });
  const body = (await res.json()) as { model?: string };
  return {
    status: res.status,
    requestId: res.headers.get("x-request-id") ?? "",
    tier: body.model === "small-sim" ? "small" : body.model === "frontier-sim" ? "frontier" : null,
    complexity: num(res.headers.get("x-route-complexity")),
    pWrong: num(res.headers.get("x-cascade-p-wrong")),
    cascade: res.headers.get("x-cascade"),
    band: bandOf(res.headers.get("x-route-reason")),
    reason: res.headers.get("x-route-reason")?.split(";")[0] ?? null,
  };
}

/** Every prompt once, `concurrency` at a time, in row order of the results. */
export async function replay(stack: Stack, tenant: Tenant, prompts: readonly string[], concurrency: number, bar: SingleBar, feature = REPLAY_FEATURE): Promise<Served[]> {
  const out = new Array<Served>(prompts.length);
  let next = 0;
  const lane = async () => {
    while (next < prompts.length) {
      const i = next++;
      out[i] = await ask(stack, tenant, prompts[i] as string, feature);
      bar.increment();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return out;
}

/** Waits until the evaluator has written `expected` request rows for the tenant (and no more arrive). */
export async function ledgerSettled(stack: Stack, tenantId: string, expected: number, timeoutMs = 180_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  const count = async () => (await stack.db.prepare("SELECT COUNT(*) AS n FROM usage_ledger WHERE tenant_id = ?1").bind(tenantId).first<{ n: number }>())?.n ?? 0;
  let last = -1;
  for (;;) {
    const n = await count();
    if (n >= expected && n === last) return;
    if (Date.now() > end) throw new Error(`ledger for ${tenantId}: ${n} rows after ${timeoutMs} ms, expected ${expected}`);
    last = n;
    await new Promise((r) => setTimeout(r, 1_500));
  }
}

/** Total inference cost as the tenant's own usage API reports it. */
export async function usageCost(stack: Stack, tenant: Tenant): Promise<{ costUsd: number; requests: number }> {
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const res = await stack.fetch(`/v1/usage?groupBy=tier&from=${encodeURIComponent(from)}`, { headers: bearer(tenant.admin) });
  if (res.status !== 200) throw new Error(`GET /v1/usage: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { rows: Array<{ costUsd: number; judgeCostUsd: number; requests: number }> };
  return { costUsd: body.rows.reduce((s, r) => s + r.costUsd - r.judgeCostUsd, 0), requests: body.rows.reduce((s, r) => s + r.requests, 0) };
}

/** Ledger cost per request id (a cascade draft that was escalated is `<id>:draft`). */
export async function ledgerCosts(stack: Stack, tenantId: string): Promise<Map<string, number>> {
  const rows = await stack.db.prepare("SELECT request_id, cost_usd FROM usage_ledger WHERE tenant_id = ?1 AND kind = 'request'").bind(tenantId).all<{ request_id: string; cost_usd: number }>();
  return new Map(rows.results.map((r) => [r.request_id, r.cost_usd]));
}
