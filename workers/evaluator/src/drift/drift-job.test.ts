import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DRIFT_CRON } from "../scheduled";
import { usageEvent } from "../testing/events";
import { startEvaluator, type EvaluatorHarness } from "../testing/harness";
import { windowsFor } from "./drift-job";

let h: EvaluatorHarness;
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

const asMessages = (evs: ReturnType<typeof events>) => evs.map((e) => ({ id: e.requestId, body: e }));

beforeAll(async () => {
  h = await startEvaluator();
  // Baseline: mostly easy prompts over the previous days; last hour: mostly hard ones.
  await h.queue(asMessages(events("base", 200, RUN_AT - 3 * 24 * HOUR, 2 * 24 * HOUR, (i) => (i % 10) / 25)));
  await h.queue(asMessages(events("now", 60, RUN_AT - HOUR - 7 * 60_000, HOUR - 1, (i) => 0.5 + (i % 10) / 21)));
});
afterAll(() => h.dispose());

describe("drift job", () => {
  it("computes hourly and daily windows from the cron time", () => {
    expect(windowsFor(RUN_AT).map((w) => [w.period, new Date(w.from).toISOString()])).toEqual([
      ["hour", "2026-11-26T23:00:00.000Z"],
      ["day", "2026-11-26T00:00:00.000Z"],
    ]);
  });

  it("stores PSI/KL snapshots and marks the shifted complexity and intent mix as alerts", async () => {
    await h.scheduled(DRIFT_CRON, new Date(RUN_AT));
    const { results } = await h.db
      .prepare("SELECT period, metric, psi, kl, alert FROM drift_snapshots WHERE tenant_id = 't-drift' AND period = 'hour' ORDER BY metric")
      .all<{ metric: string; psi: number; kl: number; alert: number }>();
    const byMetric = Object.fromEntries(results.map((r) => [r.metric, r]));
    expect(byMetric["complexity"]?.psi).toBeGreaterThan(0.2);
    expect(byMetric["complexity"]?.alert).toBe(1);
    expect(byMetric["intent"]?.alert).toBe(1);
    expect(byMetric["cost_per_request"]?.alert).toBe(0); // same model, same tokens: cost did not move
  });
});
