import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { queryUsage, UsageQuerySchema, type UsageRow } from "./query-usage";
import { getRequestTrace } from "./request-trace";
import { ingest } from "./test-fixtures";

// Review s12-a finding 3: a draft or shadow rolls up in its own tier, model and hour, so it may be
// netted only in groupings it shares with its request.
let d1: Awaited<ReturnType<typeof startD1>>;
const T = Date.parse("2026-11-21T09:59:59Z");
const small = { model: "small-sim", tier: "small", usage: { input: { total: 400, cached: 0 }, output: { total: 300, reasoning: 0 }, source: "upstream" as const } };
const range = { from: "2026-11-21T00:00:00Z", to: "2026-11-22T00:00:00Z" };
const q = (groupBy: string) => UsageQuerySchema.parse({ ...range, groupBy });

beforeAll(async () => {
  d1 = await startD1();
  await ingest(d1.db, [
    // A small-served request (a saving against the frontier) and its frontier shadow, which completes 5 s into the next hour.
    usageEvent({ requestId: "g-small", tenantId: "grp", completedAt: T, ...small, counterfactualCostUsd: 0.01 }),
    usageEvent({ requestId: "g-small:shadow", tenantId: "grp", completedAt: T + 5_000, decisions: { shadowOf: "g-small" } }),
  ]);
});
afterAll(() => d1.dispose());

const rowsOf = async (groupBy: string) => queryUsage(d1.db, "grp", q(groupBy), null);
const trace = async () => (await getRequestTrace(d1.db, "grp", "g-small", { contentAccess: "none", features: null }))!.cost;

describe("net cost avoided per grouping", () => {
  it("nets the shadow where it shares the request's group: the row equals the request trace's net saving", async () => {
    const cost = await trace();
    expect(cost.shadowUsd).toBeGreaterThan(0);
    for (const groupBy of ["", "day", "feature", "key", "day,feature"]) {
      const report = await rowsOf(groupBy);
      expect(report.costAvoidedNet).toBe(true);
      expect(report.rows).toHaveLength(1);
      expect(report.rows[0]!.costAvoidedUsd).toBeCloseTo(cost.avoidedUsd, 8);
      expect(report.rows[0]!.shadowCostUsd).toBeCloseTo(cost.shadowUsd, 8);
    }
  });

  it("grouped by tier, model or hour, reports each row's gross saving and the shadow's spend where it ran, agreeing with the trace", async () => {
    const cost = await trace();
    const gross = cost.avoidedUsd + cost.draftUsd + cost.shadowUsd;
    expect(cost.draftUsd).toBe(0);
    const check = (rows: UsageRow[], served: (r: UsageRow) => boolean) => {
      const request = rows.find(served)!;
      const other = rows.find((r) => !served(r))!;
      // The request's own row: its gross saving (not netted from a shadow in another row), and no shadow spend.
      expect(request).toMatchObject({ requests: 1, shadowCostUsd: 0 });
      expect(request.costAvoidedUsd).toBeCloseTo(gross, 8);
      // The shadow's row: spend only, never a negative saving for a row with no request.
      expect(other).toMatchObject({ requests: 0, costAvoidedUsd: 0 });
      expect(other.shadowCostUsd).toBeCloseTo(cost.shadowUsd, 8);
      // Summed, gross minus the spend lines is the trace's net saving.
      expect(rows.reduce((n, r) => n + r.costAvoidedUsd - r.shadowCostUsd - r.draftCostUsd, 0)).toBeCloseTo(cost.avoidedUsd, 8);
    };
    for (const [groupBy, served] of [
      ["tier", (r: UsageRow) => r.tier === "small"],
      ["model", (r: UsageRow) => r.model === "small-sim"],
      ["hour", (r: UsageRow) => r.hour === "2026-11-21T09:00:00.000Z"],
      ["feature,tier", (r: UsageRow) => r.tier === "small"],
    ] as const) {
      const report = await rowsOf(groupBy);
      expect(report.costAvoidedNet).toBe(false);
      expect(report.rows).toHaveLength(2);
      check(report.rows, served);
    }
  });
});
