import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { ingest } from "../usage/test-fixtures";
import { compareVersions, CompareQuerySchema } from "./compare-versions";

let d1: Awaited<ReturnType<typeof startD1>>;
const T0 = Date.parse("2026-11-26T10:15:00Z");
const caller = { tenantId: "acme", keyId: "k1", features: null };
const prompt = { id: "welcome-note", version: 1 };

async function judge(requestId: string, score: number): Promise<void> {
  await d1.db
    .prepare("INSERT INTO evaluations (request_id, tenant_id, status, score_mean, checks_json, judges_json, panel_version, completed_at, evaluated_at) VALUES (?1, 'acme', 'ok', ?2, '{}', '[]', 'p1', ?3, ?3)")
    .bind(requestId, score, T0)
    .run();
}

beforeAll(async () => {
  d1 = await startD1();
  await d1.db.prepare("INSERT INTO prompts (tenant_id, id, description, feature, latest_version, created_at, created_by, updated_at) VALUES ('acme', ?1, '', NULL, 1, ?2, 'k1', ?2)").bind(prompt.id, T0).run();
  await ingest(d1.db, [
    usageEvent({ requestId: "w1", tenantId: "acme", completedAt: T0, prompt, model: "small-sim", tier: "small" }),
    // The frontier shadow of w1 (same prompt version), judged beside it, and a drawn shadow that was skipped.
    usageEvent({ requestId: "w1:shadow", tenantId: "acme", completedAt: T0 + 1_000, prompt, decisions: { shadowOf: "w1" } }),
    usageEvent({ requestId: "w2", tenantId: "acme", completedAt: T0 + 2_000, prompt, model: "small-sim", tier: "small" }),
    usageEvent({ requestId: "w2:shadow", tenantId: "acme", completedAt: T0 + 3_000, prompt, status: 0, errorCode: "shadow_skipped", costUsd: 0, decisions: { shadowOf: "w2", shadowSkipped: "call_failed" } }),
  ]);
  await judge("w1", 4);
  await judge("w1:shadow", 1);
  await judge("w2", 5);
});
afterAll(() => d1.dispose());

describe("compareVersions", () => {
  it("counts served requests only: shadows add cost, never requests, errors or judge scores", async () => {
    const query = CompareQuerySchema.parse({ from: "2026-11-26T00:00:00Z", to: "2026-11-27T00:00:00Z" });
    const [v1] = (await compareVersions(d1.db, caller, prompt.id, query)).versions;
    expect(v1).toMatchObject({ version: 1, requests: 2, errors: 0, judged: 2, judgeScoreMean: 4.5 });
  });
});
