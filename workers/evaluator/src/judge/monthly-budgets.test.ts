import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvent } from "../testing/events";
import { startD1 } from "../testing/harness";
import { exhaustedBudgets, monthStart } from "./monthly-budgets";

let d1: Awaited<ReturnType<typeof startD1>>;
beforeAll(async () => {
  d1 = await startD1();
});
afterAll(() => d1.dispose());

const NOW = Date.parse("2026-11-27T02:10:01Z");
let hour = 0;

async function tenant(id: string, budgets: Array<{ scope: string; scope_id?: string; monthly_usd: number; policy: string; ceiling_usd?: number }>) {
  await d1.db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, 0)").bind(id, id).run();
  for (const b of budgets) {
    await d1.db
      .prepare("INSERT INTO budgets (tenant_id, scope, scope_id, monthly_usd, policy, ceiling_usd, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0)")
      .bind(id, b.scope, b.scope_id ?? "", b.monthly_usd, b.policy, b.ceiling_usd ?? null)
      .run();
  }
}

/** Spend in the rollups: a judge row of the call's key and feature counts like its inference. */
async function spend(tenantId: string, usd: number, opts: { keyId?: string; feature?: string; kind?: string; at?: number } = {}) {
  await d1.db
    .prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES (?, ?, ?, 'm', 't', ?, ?, ?)")
    .bind(tenantId, opts.at ?? monthStart(NOW) + 3_600_000 * hour++, opts.feature ?? "", opts.keyId ?? "k1", opts.kind ?? "request", usd)
    .run();
}

describe("judging stops where the gateway stops admitting calls", () => {
  it("skips calls charged to a block budget at its cap, counting judge spend, and only those", async () => {
    await tenant("t-cap", [{ scope: "feature", scope_id: "search", monthly_usd: 1, policy: "block" }]);
    await spend("t-cap", 0.4, { feature: "search" });
    await spend("t-cap", 0.6, { feature: "search", kind: "judge" });
    await spend("t-cap", 5, { feature: "search", at: monthStart(NOW) - 3_600_000 }); // last month
    const search = usageEvent({ tenantId: "t-cap", requestId: "a", feature: "search" });
    const other = usageEvent({ tenantId: "t-cap", requestId: "b", feature: "other" });
    const result = await exhaustedBudgets(d1.db, [search, other], NOW);
    expect([...result]).toEqual([[search, "feature:search"]]);
  });

  it("lets a downgrade budget's calls be judged past the cap, until its ceiling", async () => {
    await tenant("t-down", [{ scope: "key", scope_id: "k9", monthly_usd: 1, policy: "downgrade" }]);
    await spend("t-down", 1.1, { keyId: "k9" });
    const e = usageEvent({ tenantId: "t-down", requestId: "c", keyId: "k9" });
    expect((await exhaustedBudgets(d1.db, [e], NOW)).size).toBe(0);
    await spend("t-down", 0.1, { keyId: "k9", kind: "judge" });
    expect((await exhaustedBudgets(d1.db, [e], NOW)).get(e)).toBe("key:k9");
  });

  it("counts a rotated key's predecessors against the budget its successor inherited", async () => {
    await tenant("t-rot", [{ scope: "key", scope_id: "key_new", monthly_usd: 1, policy: "block" }]);
    for (const [id, from] of [["key_old", null], ["key_new", "key_old"]] as const) {
      await d1.db
        .prepare("INSERT INTO api_keys (id, tenant_id, key_prefix, key_hash, role, scopes, created_at, rotated_from) VALUES (?, 't-rot', ?, 'h', 'service', '[]', 0, ?)")
        .bind(id, id.slice(4), from)
        .run();
    }
    await spend("t-rot", 0.7, { keyId: "key_old" });
    const e = usageEvent({ tenantId: "t-rot", requestId: "r", keyId: "key_new" });
    expect((await exhaustedBudgets(d1.db, [e], NOW)).size).toBe(0);
    await spend("t-rot", 0.3, { keyId: "key_new", kind: "judge" });
    expect((await exhaustedBudgets(d1.db, [e], NOW)).get(e)).toBe("key:key_new");
  });

  it("costs nothing for tenants without budgets", async () => {
    const e = usageEvent({ tenantId: "t-free", requestId: "d" });
    await spend("t-free", 100);
    expect((await exhaustedBudgets(d1.db, [e], NOW)).size).toBe(0);
  });
});
