import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeBatch } from "../consume-batch";
import { usageEvent } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startD1 } from "../testing/harness";
import { runDrift, windowsFor } from "./drift-job";

let d1: Awaited<ReturnType<typeof startD1>>;
const RUN_AT = Date.parse("2026-11-27T00:07:00Z");
const HOUR = 3_600_000;

function events(prefix: string, n: number, from: number, span: number, complexity: (i: number) => number) {
  return Array.from({ length: n }, (_, i) =>
    usageEvent({
      requestId: `${prefix}-${i}`,
      tenantId: "t-drift",
      completedAt: from + Math.floor((i * span) / n),
      decisions: { route: { complexity: complexity(i), intent: complexity(i) > 0.5 ? "coding" : "chat" } },
    }),
  );
}

beforeAll(async () => {
  d1 = await startD1();
  const deps = { db: d1.db, judges: [], sampling: { default: 0, rules: [] }, fetch: () => Promise.reject(new Error("offline")), credential: () => undefined, concurrency: 8, maxJudgeAttempts: 1, now: () => RUN_AT };
  // Baseline: mostly easy prompts over the previous days; last hour: mostly hard ones.
  await consumeBatch(fakeBatch(events("base", 150, RUN_AT - 3 * 24 * HOUR, 2 * 24 * HOUR, (i) => (i % 10) / 25)), deps);
  await consumeBatch(fakeBatch(events("now", 60, RUN_AT - HOUR - 7 * 60_000, HOUR - 1, (i) => 0.5 + (i % 10) / 21)), deps);
});
afterAll(() => d1.dispose());

describe("drift job", () => {
  it("computes hourly and daily windows from the cron time", () => {
    expect(windowsFor(RUN_AT).map((w) => [w.period, new Date(w.from).toISOString()])).toEqual([
      ["hour", "2026-11-26T23:00:00.000Z"],
      ["day", "2026-11-26T00:00:00.000Z"],
    ]);
  });

  it("stores PSI/KL snapshots and marks the shifted complexity and intent mix as alerts", async () => {
    expect(await runDrift(d1.db, RUN_AT, 0.2, RUN_AT)).toBeGreaterThan(0);
    const { results } = await d1.db
      .prepare("SELECT period, metric, psi, kl, alert FROM drift_snapshots WHERE tenant_id = 't-drift' AND period = 'hour' ORDER BY metric")
      .all<{ metric: string; psi: number; kl: number; alert: number }>();
    const byMetric = Object.fromEntries(results.map((r) => [r.metric, r]));
    expect(byMetric["complexity"]?.psi).toBeGreaterThan(0.2);
    expect(byMetric["complexity"]?.alert).toBe(1);
    expect(byMetric["intent"]?.alert).toBe(1);
    expect(byMetric["cost_per_request"]?.alert).toBe(0); // same model, same tokens: cost did not move
  });
});
