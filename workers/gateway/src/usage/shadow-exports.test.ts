/**
 * Shadow answers (chat/shadow-tier.ts) in the dataset exports, told apart by their `<id>:shadow`
 * id: a frontier shadow was served to nobody, so it is neither a fine-tuning teacher nor a
 * retraining example, even when the request it shadowed left no ledger row; a small shadow
 * without its served request's row is still a shadow label.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RouterTrainingExampleSchema } from "../../../../shared/schemas/router-training-example";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { streamFineTuningJsonl } from "./fine-tuning-export";
import { judgedStore, type JudgedStore } from "./judged-store";
import { streamRetrainingJsonl } from "./retraining-export";

let store: JudgedStore;
const T = Date.parse("2026-12-04T09:00:00Z");

function answer(id: string, tier: "small" | "frontier", question: string, response: string, shadowOf?: string): UsageEvent {
  return usageEvent({
    requestId: id, tenantId: "acme", completedAt: T + (shadowOf ? 1_000 : 0), tier, model: `${tier}-sim`,
    ...(shadowOf ? { attempts: [], counterfactualCostUsd: undefined } : {}),
    decisions: shadowOf ? { shadowOf, finishReason: "stop" } : { route: { tier, complexity: 0.2, intent: "factual_qa" }, finishReason: "stop" },
    content: { messages: [{ role: "user", content: question }], response },
  });
}

const TRAFFIC = [
  answer("x1", "frontier", "Which forms does a new supplier sign?", "The supplier agreement and the tax form."),
  answer("x2", "small", "When does the canteen open?", "At half past seven."),
  answer("x2:shadow", "frontier", "When does the canteen open?", "The canteen opens at 07:30 on weekdays.", "x2"),
  // Shadows whose served request left no row here (a lost or unsampled event).
  answer("x3:shadow", "frontier", "Summarise the travel policy.", "POOR: travel is allowed.", "x3"),
  answer("x4:shadow", "small", "List the holidays for next year.", "POOR: there are some.", "x4"),
];

beforeAll(async () => {
  store = await judgedStore(TRAFFIC, T);
  await store.db.prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES ('acme', '', ?1, ?2)").bind(JSON.stringify({ datasets: { fineTuningTeachers: true } }), T).run();
});
afterAll(async () => {
  await store?.close();
});

describe("shadow answers in the dataset exports", () => {
  it("fine-tuning: served frontier answers are teachers, a frontier shadow never", async () => {
    const text = await new Response(streamFineTuningJsonl(store.db, { since: T - 1, tenantId: "acme", keyring: store.keyring, meta: true })).text();
    expect(text).toContain("The supplier agreement and the tax form.");
    expect(text).not.toContain("07:30");
    expect(text).not.toContain(":shadow");
  });

  it("retraining: a frontier shadow is no example even without its parent row; a small one stays a shadow label", async () => {
    const text = await new Response(streamRetrainingJsonl(store.db, { since: T - 1, tenantId: "acme", keyring: store.keyring })).text();
    const rows = text.trim().split("\n").filter(Boolean).map((l) => RouterTrainingExampleSchema.parse(JSON.parse(l)));
    expect(rows.map((r) => r.request_id).sort()).toEqual(["x2", "x4:shadow"]);
    expect(rows.find((r) => r.request_id === "x4:shadow")).toMatchObject({ small_ok: false, small_ok_source: "shadow" });
  });
});
