import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { JudgeSchema } from "../../../evaluator/src/judge/config";
import { JudgePolicySchema } from "../../../evaluator/src/judge/policy";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { MIGRATIONS_DIR, splitStatements } from "../../../evaluator/src/testing/migrations";
import { startJudgeStub } from "../../../evaluator/src/testing/judge-stub";
import { queryUsage, UsageQuerySchema } from "./query-usage";
import { csvCell, usageCsv } from "./usage-csv";
import { ingest } from "./test-fixtures";

let d1: Awaited<ReturnType<typeof startD1>>;
const T0 = Date.parse("2026-11-26T10:15:00Z");

beforeAll(async () => {
  d1 = await startD1();
  await ingest(d1.db, [
    usageEvent({ requestId: "a1", tenantId: "acme", completedAt: T0, feature: "chat" }),
    usageEvent({ requestId: "a2", tenantId: "acme", completedAt: T0 + 60_000, feature: "chat", status: 500, errorCode: "upstream_error" }),
    usageEvent({ requestId: "a3", tenantId: "acme", completedAt: T0 + 3_600_000, feature: "search", model: "small-sim", tier: "small" }),
    usageEvent({ requestId: "a4", tenantId: "acme", completedAt: T0 + 86_400_000, feature: null, cache: "hit-semantic" }),
    usageEvent({ requestId: "b1", tenantId: "other", completedAt: T0 }),
  ]);
  // A replay must not change any number below.
  await ingest(d1.db, [usageEvent({ requestId: "a1", tenantId: "acme", completedAt: T0, feature: "chat" })]);
});
afterAll(() => d1.dispose());

const q = (raw: Record<string, string>) => UsageQuerySchema.parse(raw);

describe("queryUsage", () => {
  it("groups the tenant's rollups by day and feature, and never shows another tenant", async () => {
    const report = await queryUsage(d1.db, "acme", q({ from: "2026-11-26T00:00:00Z", to: "2026-11-28T00:00:00Z", groupBy: "day,feature" }), null);
    expect(report.rows.map((r) => [r.day, r.feature, r.requests, r.errors, r.cacheHits])).toEqual([
      ["2026-11-26", "chat", 2, 1, 0],
      ["2026-11-26", "search", 1, 0, 0],
      ["2026-11-27", null, 1, 0, 1],
    ]);
    const total = await queryUsage(d1.db, "acme", q({ from: "2026-11-26T00:00:00Z", to: "2026-11-28T00:00:00Z", groupBy: "" }), null);
    expect(total.rows).toHaveLength(1);
    expect(total.rows[0]?.requests).toBe(4);
    expect(total.rows[0]?.costUsd).toBeCloseTo(2 * 0.00725 + (1000 * 0.1 + 500) / 2500 * (1.2 / 3600), 8);
  });

  it("groups by hour, model and tier within the time range", async () => {
    const report = await queryUsage(d1.db, "acme", q({ from: "2026-11-26T10:00:00Z", to: "2026-11-26T12:00:00Z", groupBy: "hour,tier" }), null);
    expect(report.rows.map((r) => [r.hour, r.tier, r.requests])).toEqual([
      ["2026-11-26T10:00:00.000Z", "frontier", 2],
      ["2026-11-26T11:00:00.000Z", "small", 1],
    ]);
  });

  it("reads only the features of a key's allow-list (one bound JSON list: a key may name 100)", async () => {
    const range = { from: "2026-11-26T00:00:00Z", to: "2026-11-28T00:00:00Z" };
    const some = await queryUsage(d1.db, "acme", q({ ...range, groupBy: "feature" }), ["search", "absent"]);
    expect(some.rows.map((r) => [r.feature, r.requests])).toEqual([["search", 1]]);
    const many = Array.from({ length: 99 }, (_, i) => `f${i}`).concat("chat");
    const total = await queryUsage(d1.db, "acme", q({ ...range, groupBy: "" }), many);
    expect(total.rows[0]?.requests).toBe(2);
    expect((await queryUsage(d1.db, "acme", q({ ...range, groupBy: "" }), [])).rows).toEqual([]);
  });

  it("splits cost avoided into what the cache avoided and what routing avoided; migration 0064 backfills the same split", async () => {
    const range = { from: "2026-11-26T00:00:00Z", to: "2026-11-28T00:00:00Z" };
    const report = await queryUsage(d1.db, "acme", q({ ...range, groupBy: "day,feature" }), null);
    const hit = report.rows.find((r) => r.day === "2026-11-27"); // a4, the semantic cache hit
    expect(hit?.costAvoidedUsd).toBeGreaterThan(0);
    expect(hit?.costAvoidedCacheUsd).toBe(hit?.costAvoidedUsd);
    expect(hit?.costAvoidedRoutingUsd).toBe(0);
    for (const r of report.rows.filter((x) => x !== hit)) {
      expect(r.costAvoidedCacheUsd).toBe(0);
      expect(r.costAvoidedRoutingUsd).toBe(r.costAvoidedUsd);
    }
    const total = (await queryUsage(d1.db, "acme", q({ ...range, groupBy: "" }), null)).rows[0];
    expect(total?.costAvoidedCacheUsd).toBeCloseTo(hit?.costAvoidedUsd ?? NaN, 8);
    expect((total?.costAvoidedCacheUsd ?? 0) + (total?.costAvoidedRoutingUsd ?? 0)).toBeCloseTo(total?.costAvoidedUsd ?? NaN, 8);

    // Rollups written before the column existed: the migration's backfill gives the same split.
    await d1.db.prepare("UPDATE usage_rollups_hourly SET cost_avoided_cache_usd = 0").run();
    const migration = splitStatements(readFileSync(join(MIGRATIONS_DIR, "0064_add_cost_avoided_split.sql"), "utf8"));
    for (const statement of migration.filter((st) => st.trimStart().startsWith("UPDATE") || st.includes("\nUPDATE"))) await d1.db.prepare(statement).run();
    expect((await queryUsage(d1.db, "acme", q({ ...range, groupBy: "day,feature" }), null)).rows).toEqual(report.rows);
  });

  it("nets the drafts and shadows a request caused from its saving: all-frontier cost minus everything spent; shadows on their own line", async () => {
    const T = Date.parse("2026-11-21T09:10:00Z");
    const small = { model: "small-sim", tier: "small", usage: { input: { total: 400, cached: 0 }, output: { total: 300, reasoning: 0 }, source: "upstream" as const } };
    await ingest(d1.db, [
      // A cascade: the small draft was escalated, the frontier answered.
      usageEvent({ requestId: "n-casc", tenantId: "netted", completedAt: T, counterfactualCostUsd: 0.01 }),
      usageEvent({ requestId: "n-casc:draft", tenantId: "netted", completedAt: T, ...small, decisions: { cascadeDraftOf: "n-casc" } }),
      // A small-served request with its frontier shadow, and one whose shadow was skipped (a marker, nothing spent).
      usageEvent({ requestId: "n-small", tenantId: "netted", completedAt: T, ...small, counterfactualCostUsd: 0.01 }),
      usageEvent({ requestId: "n-small:shadow", tenantId: "netted", completedAt: T, decisions: { shadowOf: "n-small" } }),
      usageEvent({ requestId: "n-skip", tenantId: "netted", completedAt: T, ...small, counterfactualCostUsd: 0.01 }),
      usageEvent({ requestId: "n-skip:shadow", tenantId: "netted", completedAt: T, status: 0, errorCode: "shadow_skipped", costUsd: 0, usage: { input: { total: 0, cached: 0 }, output: { total: 0, reasoning: 0 }, source: "none" }, content: undefined, decisions: { shadowOf: "n-skip", shadowSkipped: "budget_exceeded" } }),
    ]);
    const range = { from: "2026-11-21T00:00:00Z", to: "2026-11-22T00:00:00Z" };
    const row = (await queryUsage(d1.db, "netted", q({ ...range, groupBy: "" }), null)).rows[0]!;
    const ledger = await d1.db
      .prepare("SELECT SUM(CASE WHEN parent_request_id IS NULL THEN counterfactual_cost_usd END) AS frontier, SUM(cost_usd) AS spent, SUM(CASE WHEN request_id LIKE '%:shadow' THEN cost_usd END) AS shadows, SUM(CASE WHEN request_id LIKE '%:draft' THEN cost_usd END) AS drafts FROM usage_ledger WHERE tenant_id = 'netted'")
      .first<{ frontier: number; spent: number; shadows: number; drafts: number }>();
    expect(ledger!.drafts).toBeGreaterThan(0);
    expect(ledger!.shadows).toBeGreaterThan(0);
    expect(row.requests).toBe(3);
    expect(row.costAvoidedUsd).toBeCloseTo(ledger!.frontier - ledger!.spent, 8);
    expect(row.shadowCostUsd).toBeCloseTo(ledger!.shadows, 8);
    expect(row.costAvoidedCacheUsd + row.costAvoidedRoutingUsd - row.shadowCostUsd).toBeCloseTo(row.costAvoidedUsd, 8);
    expect(row.inferenceCostUsd).toBeCloseTo(ledger!.spent, 8);
    // Rows booked before the netting (a draft that booked its own counterfactual, as rows before 8fe937d did) count only as spend.
    await d1.db.prepare("UPDATE usage_rollups_hourly SET cost_avoided_usd = 0.5 WHERE tenant_id = 'netted' AND kind IN ('draft', 'shadow')").run();
    expect((await queryUsage(d1.db, "netted", q({ ...range, groupBy: "" }), null)).rows[0]).toEqual(row);
  });

  it("rejects unknown groups and inverted ranges", () => {
    expect(UsageQuerySchema.safeParse({ groupBy: "day,password" }).success).toBe(false);
    expect(UsageQuerySchema.safeParse({ from: "2026-11-27T00:00:00Z", to: "2026-11-26T00:00:00Z" }).success).toBe(false);
    // Past year 9999 an instant cannot be formatted: a 400 here, not a RangeError (500) later.
    expect(UsageQuerySchema.safeParse({ from: "8999999999999999", to: "9000000000000000" }).success).toBe(false);
  });

  it("exports CSV with a header and safe cells", async () => {
    const csv = await usageCsv(d1.db, "acme", q({ from: "2026-11-26T00:00:00Z", to: "2026-11-28T00:00:00Z", groupBy: "day,feature" }), null);
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "day,feature,requests,errors,cacheHits,promptTokens,completionTokens,cachedTokens,reasoningTokens,costUsd,inferenceCostUsd,costAvoidedUsd,costAvoidedCacheUsd,costAvoidedRoutingUsd,judgeCalls,judgeCostUsd,judgeShare," +
        "judgeEligible,judged,judgeEscalated,judgeEscalationsSkipped,judgeChecksOnly,judgeChecksFailed,judgeCoverage,avgLatencyMs,shadowCostUsd,draftCostUsd,costAvoidedNet",
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]?.startsWith("2026-11-26,chat,2,1,0,2000,1000,")).toBe(true);
    expect(lines.slice(1).every((l) => l.endsWith(",true"))).toBe(true);
    // Grouped by tier the saving is gross (spend on its own columns), and every row says so.
    const byTier = (await usageCsv(d1.db, "acme", q({ from: "2026-11-26T00:00:00Z", to: "2026-11-28T00:00:00Z", groupBy: "tier" }), null)).trim().split("\r\n");
    expect(byTier.slice(1).every((l) => l.endsWith(",false"))).toBe(true);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it("reports judge spend as its own line beside inference spend and savings, with the coverage the judge budget bought", async () => {
    const stub = await startJudgeStub(() => 5);
    try {
      const T = Date.parse("2026-11-20T09:00:00Z");
      const small = (i: number, feature: string) =>
        usageEvent({ requestId: `j-${feature}-${i}`, tenantId: "judged", completedAt: T, feature, model: "small-sim", tier: "small", usage: { input: { total: 60, cached: 0 }, output: { total: 250, reasoning: 0 }, source: "upstream" } });
      const deps = { judges: [JudgeSchema.parse({ name: "cheap", baseUrl: stub.url, model: "small-sim" })], sampling: { default: 1, rules: [] }, fetch: (u: string, i: RequestInit) => fetch(u, i) };
      await ingest(d1.db, [...Array.from({ length: 6 }, (_, i) => small(i, "faq")), ...Array.from({ length: 6 }, (_, i) => small(i, "chat"))], deps);
      await ingest(d1.db, [usageEvent({ requestId: "j-rich", tenantId: "judged-rich", completedAt: T, feature: "rich" })], deps);
      // Judge calls are booked when they are made (now), the answers when they were given (T).
      const range = { from: "2026-11-20T00:00:00Z", to: new Date(Date.now() + 3_600_000).toISOString() };
      const report = await queryUsage(d1.db, "judged", q({ ...range, groupBy: "feature" }), null);
      expect(report.rows.map((r) => r.feature)).toEqual(["chat", "faq"]);
      for (const r of report.rows) {
        expect(r.costUsd).toBeCloseTo(r.inferenceCostUsd + r.judgeCostUsd, 8);
        expect(r.judged + r.judgeChecksOnly).toBe(r.judgeEligible);
        expect(r.judgeEligible).toBe(6);
      }
      // Small-tier answers cost little: the tenant's 10% buys judging for part of them only.
      const total = await queryUsage(d1.db, "judged", q({ ...range, groupBy: "" }), null);
      expect(total.rows[0]?.judgeShare).toBeLessThanOrEqual(0.1);
      expect(total.rows[0]?.judgeCostUsd).toBeGreaterThan(0);
      expect(total.rows[0]?.judgeCoverage).toBeGreaterThan(0);
      expect(total.rows[0]?.judgeCoverage).toBeLessThan(1);
      // A frontier answer pays for its own judging.
      const rich = await queryUsage(d1.db, "judged-rich", q({ ...range, groupBy: "feature" }), null);
      expect(rich.rows[0]).toMatchObject({ feature: "rich", judgeEligible: 1, judged: 1, judgeCoverage: 1 });
      const byKey = await queryUsage(d1.db, "judged", q({ ...range, groupBy: "key" }), null);
      expect(byKey.rows[0]?.judgeCoverage).toBeNull();
    } finally {
      await stub.close();
    }
  });

  it("bills an escalated cascade draft as inference spend without counting it as a request, and judges it only when asked", async () => {
    const stub = await startJudgeStub(() => 2);
    try {
      const T = Date.parse("2026-11-21T09:00:00Z");
      const pair = (id: string) => [
        usageEvent({ requestId: `${id}:draft`, tenantId: "casc", completedAt: T, model: "small-sim", tier: "small", decisions: { cascadeDraftOf: id } }),
        usageEvent({ requestId: id, tenantId: "casc", completedAt: T + 1, decisions: { route: { complexity: 0.3 }, cascade: { accepted: false } } }),
      ];
      const deps = { judges: [JudgeSchema.parse({ name: "cheap", baseUrl: stub.url, model: "small-sim" })], sampling: { default: 1, rules: [] }, fetch: (u: string, i: RequestInit) => fetch(u, i), policy: JudgePolicySchema.parse({ maxShareOfInference: null, escalation: { lowScore: 1, unsureBelow: 1, disagreement: false, auditRate: 0 } }) };
      await ingest(d1.db, pair("c1"), deps);
      await ingest(d1.db, pair("c2"), { ...deps, judgeDrafts: true });
      const range = { from: "2026-11-21T00:00:00Z", to: new Date(Date.now() + 3_600_000).toISOString() };
      const row = (await queryUsage(d1.db, "casc", q({ ...range, groupBy: "" }), null)).rows[0]!;
      expect(row.requests).toBe(2);
      const ledger = (await d1.db.prepare("SELECT request_id, kind, parent_request_id, cost_usd FROM usage_ledger WHERE tenant_id = 'casc' AND kind = 'request' ORDER BY request_id").all<{ request_id: string; parent_request_id: string | null; cost_usd: number }>()).results;
      expect(ledger.map((r) => [r.request_id, r.parent_request_id])).toEqual([["c1", null], ["c1:draft", "c1"], ["c2", null], ["c2:draft", "c2"]]);
      expect(row.inferenceCostUsd).toBeCloseTo(ledger.reduce((s, r) => s + r.cost_usd, 0), 8);
      // Judged: both served answers; the drafts only where the deployment judges drafts (the fine-tuning export).
      const judged = (await d1.db.prepare("SELECT request_id FROM evaluations WHERE tenant_id = 'casc' ORDER BY request_id").all<{ request_id: string }>()).results.map((r) => r.request_id);
      expect(judged).toEqual(["c1", "c2", "c2:draft"]);
    } finally {
      await stub.close();
    }
  });
});

