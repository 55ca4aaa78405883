import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERTS_CRON } from "../scheduled";
import { usageEvent } from "../testing/events";
import { startEvaluator, type EvaluatorHarness } from "../testing/harness";
import { armStats, verdictFor, type ArmAggregate } from "./arm-stats";

let h: EvaluatorHarness;
const AT = Date.parse("2026-11-27T02:10:00Z");
const RUN = new Date("2026-11-27T03:00:00Z");
const bounds = { maxQualityDrop: 0.03, maxCostIncrease: 0.1, minSamples: 20 };

function routed(tenantId: string, id: string, arm: "control" | "candidate", extra: Record<string, unknown> = {}) {
  const version = arm === "candidate" ? "cand-1" : "1.0.0+abc";
  return usageEvent({ requestId: id, tenantId, completedAt: AT, decisions: { route: { tier: "frontier", reason: "complexity_above_threshold", complexity: 0.6, intent: "chat", arm, version, ...extra } } });
}

async function seedTenant(tenantId: string, scores: { control: number; candidate: number }) {
  await h.db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, ?1, 0)").bind(tenantId).run();
  const settings = { router: { rollout: { mode: "canary", candidateVersion: "cand-1", percent: 50, bounds } } };
  await h.db.prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES (?1, '', ?2, 0)").bind(tenantId, JSON.stringify(settings)).run();
  const events = [
    ...Array.from({ length: 30 }, (_, i) => routed(tenantId, `${tenantId}-c${i}`, "control")),
    ...Array.from({ length: 30 }, (_, i) => routed(tenantId, `${tenantId}-k${i}`, "candidate")),
    // Not counted: explicit model requests, cache hits, another candidate version.
    routed(tenantId, `${tenantId}-x1`, "candidate", { reason: "explicit_model" }),
    { ...routed(tenantId, `${tenantId}-x2`, "candidate"), cache: "hit-exact" as const },
    routed(tenantId, `${tenantId}-x3`, "candidate", { version: "cand-0" }),
  ];
  for (let i = 0; i < events.length; i += 40) await h.queue(events.slice(i, i + 40).map((e) => ({ id: e.requestId, body: e })));
  const judged = events.filter((e) => !e.requestId.includes("-x"));
  await h.db.batch(
    judged.map((e) =>
      h.db
        .prepare("INSERT INTO evaluations (request_id, tenant_id, status, score_mean, checks_json, judges_json, panel_version, completed_at, evaluated_at) VALUES (?1, ?2, 'ok', ?3, '{}', '[]', 'p1', ?4, ?4)")
        .bind(e.requestId, tenantId, e.requestId.includes("-k") ? scores.candidate : scores.control, AT),
    ),
  );
}

beforeAll(async () => {
  h = await startEvaluator();
  await seedTenant("t-worse", { control: 4.6, candidate: 4.0 });
  await seedTenant("t-same", { control: 4.6, candidate: 4.58 });
});
afterAll(() => h?.dispose());

describe("arm aggregates", () => {
  it("counts only router-decided requests of this candidate version, with scores on [0, 1]", async () => {
    const s = await armStats(h.db, { tenantId: "t-worse", candidateVersion: "cand-1", from: AT - 3_600_000, to: AT + 1 });
    expect(s.control).toMatchObject({ requests: 30, judged: 30 });
    expect(s.candidate).toMatchObject({ requests: 30, judged: 30, version: "cand-1" });
    expect(s.control.meanScore).toBeCloseTo(0.9, 6);
    expect(s.candidate.meanScore).toBeCloseTo(0.75, 6);
    expect(s.candidate.meanCostUsd).toBeCloseTo(s.control.meanCostUsd, 9);
    const none = await armStats(h.db, { tenantId: "t-worse", candidateVersion: "cand-1", from: AT + 1, to: AT + 2 });
    expect(none.candidate).toMatchObject({ requests: 0, judged: 0, meanScore: null });
  });

  it("judges cost on every request and quality on judged ones, each against the bounds", () => {
    const arm = (a: Partial<ArmAggregate>): ArmAggregate => ({ arm: "control", version: "v", requests: 100, meanCostUsd: 0.01, judged: 0, meanScore: null, ...a });
    expect(verdictFor(arm({}), arm({ meanCostUsd: 0.02 }), bounds)).toMatchObject({ status: "rollback", reasons: [expect.stringMatching(/cost rose 100/)] });
    expect(verdictFor(arm({}), arm({ meanCostUsd: 0.0101 }), bounds).status).toBe("insufficient_data");
    expect(verdictFor(arm({ judged: 50, meanScore: 0.8 }), arm({ judged: 50, meanScore: 0.79 }), bounds).status).toBe("healthy");
    expect(verdictFor(arm({ judged: 50, meanScore: 0.8 }), arm({ judged: 50, meanScore: 0.7 }), bounds).reasons[0]).toMatch(/quality dropped/);
  });
});

describe("rollout cron", () => {
  it("writes a rollback marker and one audit row for a regressed candidate, and leaves a healthy one serving", async () => {
    await h.scheduled(ALERTS_CRON, RUN);
    const rows = await h.db.prepare("SELECT tenant_id, status, reasons_json FROM router_rollouts ORDER BY tenant_id").all<{ tenant_id: string; status: string; reasons_json: string }>();
    expect(rows.results.map((r) => [r.tenant_id, r.status])).toEqual([["t-same", "healthy"], ["t-worse", "rolled_back"]]);
    expect(JSON.parse(rows.results[1]!.reasons_json)[0]).toMatch(/quality dropped 0.150/);
    const audit = async () => (await h.db.prepare("SELECT tenant_id, actor, target FROM audit_log WHERE action = 'router.rollout.rolled_back'").all()).results;
    expect(await audit()).toEqual([{ tenant_id: "t-worse", actor: "system", target: "router:cand-1" }]);

    // Sticky: a later run (even over an empty window) neither revives it nor audits twice.
    await h.scheduled(ALERTS_CRON, new Date(RUN.getTime() + 3 * 24 * 3_600_000));
    const after = await h.db.prepare("SELECT status FROM router_rollouts WHERE tenant_id = 't-worse'").first<{ status: string }>();
    expect(after?.status).toBe("rolled_back");
    expect(await audit()).toHaveLength(1);
  });
});
