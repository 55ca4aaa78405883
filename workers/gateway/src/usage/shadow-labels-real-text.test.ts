/**
 * Paired router labels compare against the other tier's answer only when that answer was judged
 * on real, whole text (shared/router-traffic/real-answer-sql.ts): a tool call (no text, scored 1
 * as empty), a cut-off answer or one that stopped for a tool call is no evidence the other tier
 * did as well. Through the real consumer (loopback judge), both directions: the labelled band's
 * hour labels and the retraining export's small_ok.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unitDraw } from "../../../../shared/hash/unit-draw";
import { binOf } from "../../../../shared/router-traffic/traffic-summary";
import { RouterTrainingExampleSchema } from "../../../../shared/schemas/router-training-example";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { hourLabels } from "../../../evaluator/src/router-traffic/hour-labels";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { streamRetrainingJsonl } from "./retraining-export";
import { judgedStore, type JudgedStore } from "./judged-store";

let store: JudgedStore;
const T = Date.parse("2026-12-03T14:00:00Z");
const QUESTION = [{ role: "user", content: "Book the meeting room for Thursday afternoon." }];

/** An answer on `tier`: served (its route) or, with `shadowOf`, the background call for that request. */
function answer(id: string, tier: "small" | "frontier", response: string, finishReason: string, shadowOf?: string): UsageEvent {
  const decisions = shadowOf ? { shadowOf, finishReason } : { route: { tier, complexity: tier === "small" ? 0.1 : 0.4, intent: "factual_qa" }, finishReason };
  return usageEvent({
    requestId: shadowOf ? `${shadowOf}:shadow` : id, tenantId: "acme", completedAt: T + (shadowOf ? 1_000 : 0), tier, model: `${tier}-sim`,
    ...(shadowOf ? { attempts: [], counterfactualCostUsd: undefined } : {}), decisions, content: { messages: QUESTION, response },
  });
}

// The judge stub scores "POOR" answers 2, others 5; an empty answer is scored 1 without a judge.
const TRAFFIC = [
  // Frontier served a tool call; the small shadow answered poorly: no evidence small would have done as well.
  answer("rt1", "frontier", "", "tool_calls"), answer("", "small", "POOR: maybe Thursday.", "stop", "rt1"),
  // Small served poorly; the frontier shadow called the tool (no text).
  answer("rt2", "small", "POOR: the room is free.", "stop"), answer("", "frontier", "", "tool_calls", "rt2"),
  // Small served well; the frontier shadow was cut off at its token cap.
  answer("rt3", "small", "Booked room 4 for Thursday 14:00-17:00.", "stop"), answer("", "frontier", "I have booked room 4 for", "length", "rt3"),
  // Small served poorly; the frontier shadow wrote a line of text and then stopped to call a tool.
  answer("rt4", "small", "POOR: rooms exist.", "stop"), answer("", "frontier", "POOR: let me look at the calendar first.", "tool_calls", "rt4"),
  // Control, a real pair: both failed in plain text, so the small answer lost nothing.
  answer("rt5", "small", "POOR: perhaps.", "stop"), answer("", "frontier", "POOR: I cannot see the calendar.", "stop", "rt5"),
];

beforeAll(async () => {
  store = await judgedStore(TRAFFIC, T);
});
afterAll(async () => {
  await store?.close();
});

describe("paired labels need the other answer judged on real text", () => {
  it("judged the tool calls and the cut-off answer as failures (what the pairing must not lean on)", async () => {
    const judged = await store.db.prepare("SELECT request_id, score_mean FROM evaluations ORDER BY request_id").all<{ request_id: string; score_mean: number }>();
    const score = Object.fromEntries(judged.results.map((r) => [r.request_id, r.score_mean]));
    expect(score["rt1"]).toBe(1);
    expect(score["rt2:shadow"]).toBe(1);
    expect(score["rt3:shadow"]).toBeLessThan(4);
    expect(score["rt3"]).toBe(5);
  });

  it("hour labels: a small answer is unpaired (bad when it failed, never a win) against such an answer", async () => {
    const labels = [...(await hourLabels(store.db, "acme", T, 3_600_000, 4, ["small"], T + 2 * 3_600_000)).values()][0];
    // Every label is shadow-backed: the highest draw sets D and is dropped.
    const d = Math.max(...["rt1", "rt2", "rt3", "rt4", "rt5"].map(unitDraw));
    const kept = (ids: string[]): number => ids.filter((id) => unitDraw(id) < d).length;
    // rt1's small shadow, rt2 and rt4 failed with nothing real to compare against: losses. rt3 passed,
    // but against a cut-off answer: no win. rt5 is a real pair, both failed: no loss.
    const expected = [[binOf(0.1), kept(["rt2", "rt3", "rt4", "rt5"]), kept(["rt2", "rt4"]), 0], [binOf(0.4), kept(["rt1"]), kept(["rt1"]), 0]];
    expect(labels).toEqual(expected.filter(([, n]) => n! > 0));
  });

  it("retraining export: a small shadow of a frontier tool call is small_ok only if it passed", async () => {
    const text = await new Response(streamRetrainingJsonl(store.db, { since: T - 1, tenantId: "acme", keyring: store.keyring })).text();
    const rows = text.trim().split("\n").filter(Boolean).map((l) => RouterTrainingExampleSchema.parse(JSON.parse(l)));
    expect(rows.find((r) => r.request_id === "rt1:shadow")).toMatchObject({ small_ok: false, small_ok_source: "shadow" });
  });
});
