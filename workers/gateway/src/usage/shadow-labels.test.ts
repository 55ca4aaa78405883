/**
 * Router labels from shadow calls (chat/shadow-tier.ts), through the real consumer (a loopback
 * judge, content sealed): frontier-served requests with their small `<id>:shadow` answers, which
 * the retraining export turns into small_ok labels, and small-served requests with their
 * frontier `<id>:shadow` answers, which the labelled band's hour labels pair with them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RouterTrainingExampleSchema, type RouterTrainingExample } from "../../../../shared/schemas/router-training-example";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { feedbackSummary } from "../../../../scripts/router/lib/feedback-check";
import { binOf } from "../../../../shared/router-traffic/traffic-summary";
import { unitDraw } from "../../../../shared/hash/unit-draw";
import { hourLabels } from "../../../evaluator/src/router-traffic/hour-labels";
import { streamRetrainingJsonl } from "./retraining-export";
import { judgedStore, type JudgedStore } from "./judged-store";

let store: JudgedStore;
const T = Date.parse("2026-12-02T10:00:00Z");

function served(id: string, question: string, response: string, at: number, tier: "small" | "frontier" = "frontier"): UsageEvent {
  return usageEvent({
    requestId: id, tenantId: "acme", completedAt: at, tier, model: `${tier}-sim`,
    decisions: { route: { tier, complexity: tier === "small" ? 0.1 : 0.4, intent: "factual_qa" } },
    content: { messages: [{ role: "user", content: question }], response },
  });
}

/** What the gateway publishes for the background call on the other tier: its own id, pointing at the request. */
function shadow(of: UsageEvent, response: string, tier: "small" | "frontier" = "small"): UsageEvent {
  return usageEvent({
    requestId: `${of.requestId}:shadow`, tenantId: of.tenantId, completedAt: of.completedAt + 1_000, tier, model: `${tier}-sim`,
    costUsd: tier === "small" ? 0.0004 : 0.02, counterfactualCostUsd: undefined, attempts: [], decisions: { shadowOf: of.requestId, finishReason: "stop" },
    content: { messages: of.content?.messages ?? [], response },
  });
}

const f1 = served("f1", "How long do refunds take for <PERSON_1>?", "Refunds take five days.", T);
const f2 = served("f2", "Explain the tax treatment of refunds.", "Refunds reverse the original tax line.", T + 10);
const f3 = served("f3", "Quote clause 9 of our contract.", "POOR: I cannot see the contract.", T + 20);
const s4 = served("s4", "What are your opening hours?", "Nine to six.", T + 30, "small");
const s5 = served("s5", "Which clause covers late fees?", "POOR: some clause.", T + 40, "small");
const TRAFFIC = [
  f1, f2, f3, s4, s5, shadow(f1, "Five days."), shadow(f2, "POOR: taxes are complex."), shadow(f3, "POOR: no idea."),
  shadow(s4, "We open at nine and close at six.", "frontier"), shadow(s5, "POOR: I cannot see the contract.", "frontier"),
];

beforeAll(async () => {
  store = await judgedStore(TRAFFIC, T);
});
afterAll(async () => {
  await store?.close();
});

async function exported(): Promise<RouterTrainingExample[]> {
  const text = await new Response(streamRetrainingJsonl(store.db, { since: T - 1, tenantId: "acme", keyring: store.keyring })).text();
  return text.trim().split("\n").filter(Boolean).map((l) => RouterTrainingExampleSchema.parse(JSON.parse(l)));
}

describe("shadow answers (both directions) through the real consumer", () => {
  it("bills each shadow to its request as inference spend, not as a client request", async () => {
    const rows = await store.db.prepare("SELECT request_id, parent_request_id, tier, cost_usd FROM usage_ledger WHERE request_id LIKE '%:shadow' ORDER BY request_id").all<{ request_id: string; parent_request_id: string; tier: string; cost_usd: number }>();
    expect(rows.results.map((r) => [r.request_id, r.parent_request_id, r.tier])).toEqual([
      ["f1:shadow", "f1", "small"], ["f2:shadow", "f2", "small"], ["f3:shadow", "f3", "small"], ["s4:shadow", "s4", "frontier"], ["s5:shadow", "s5", "frontier"],
    ]);
    for (const r of rows.results) expect(r.cost_usd).toBeGreaterThan(0);
    const kinds = await store.db.prepare("SELECT tier, kind, SUM(requests) AS n FROM usage_rollups_hourly WHERE kind != 'judge' GROUP BY tier, kind ORDER BY tier, kind").all<{ tier: string; kind: string; n: number }>();
    // s4 and s5 are the client requests served on the small tier, f1-f3 on the frontier; each shadow is
    // billed once, on its own tier, rolled up apart from requests (and from cascade drafts).
    expect(kinds.results).toEqual([
      { tier: "frontier", kind: "request", n: 3 }, { tier: "frontier", kind: "shadow", n: 2 }, { tier: "small", kind: "request", n: 2 }, { tier: "small", kind: "shadow", n: 3 },
    ]);
  });

  it("judges every shadow and stores its exchange sealed, never in clear", async () => {
    const judged = await store.db.prepare("SELECT request_id, score_mean FROM evaluations WHERE request_id LIKE 'f%' ORDER BY request_id").all<{ request_id: string; score_mean: number }>();
    expect(judged.results.map((r) => [r.request_id, r.score_mean])).toEqual([["f1", 5], ["f1:shadow", 5], ["f2", 5], ["f2:shadow", 2], ["f3", 2], ["f3:shadow", 2]]);
    const traces = await store.db.prepare("SELECT content_envelope FROM request_traces WHERE request_id LIKE '%:shadow'").all<{ content_envelope: string }>();
    expect(traces.results).toHaveLength(5);
    for (const t of traces.results) {
      expect(t.content_envelope).toMatch(/^gwe1\.k1\./);
      // Whole phrases: a short word can turn up by chance in random base64url ciphertext (it did: "tax").
      for (const clear of ["How long do refunds", "tax treatment of refunds", "Quote clause 9", "POOR: taxes are complex", "POOR: no idea", "Five days."]) expect(t.content_envelope).not.toContain(clear);
    }
  });

  it("exports a small_ok label for frontier-served prompts, judged against the served answer", async () => {
    const rows = await exported();
    const labels = Object.fromEntries(rows.filter((r) => r.small_ok !== undefined).map((r) => [r.request_id, [r.small_ok, r.small_ok_source]]));
    // f3: the frontier failed the prompt too, and the shadow did as well: sending it small loses nothing.
    expect(labels).toEqual({ "f1:shadow": [true, "shadow"], "f2:shadow": [false, "shadow"], "f3:shadow": [true, "shadow"], s4: [true, "served"], s5: [false, "served"] });
    // A frontier shadow was served to nobody: not an example of its own, even when it scored low.
    expect(rows.map((r) => r.request_id)).not.toContain("s5:shadow");
    const f1Shadow = rows.find((r) => r.request_id === "f1:shadow");
    // Features of the request it shadowed (its route), the prompt still redacted.
    expect(f1Shadow).toMatchObject({ prompt: "How long do refunds take for <PERSON_1>?", complexity: 0.4, intent: "factual_qa", source: "feedback" });
    expect(feedbackSummary(rows)).toMatch(/^feedback: 5 judged small-tier outcomes \(2 served on the small tier, 3 shadow answers to frontier-served prompts\)/);
  });

  it("judges each frontier shadow beside its served small answer, and the hour's labels pair them", async () => {
    const judged = await store.db.prepare("SELECT request_id, tier, score_mean FROM evaluations WHERE request_id LIKE 's%' ORDER BY request_id").all<{ request_id: string; tier: string; score_mean: number }>();
    expect(judged.results.map((r) => [r.request_id, r.tier, r.score_mean])).toEqual([["s4", "small", 5], ["s4:shadow", "frontier", 5], ["s5", "small", 2], ["s5:shadow", "frontier", 2]]);
    const byFeature = await hourLabels(store.db, "acme", T, 3_600_000, 4, ["small"], T + 2 * 3_600_000);
    expect(byFeature.size).toBe(1);
    const labels = [...byFeature.values()][0];
    // Every label here is shadow-backed: the one with the highest draw sets D and is dropped.
    const d = Math.max(...["f1", "f2", "f3", "s4", "s5"].map(unitDraw));
    const kept = (ids: string[]): string[] => ids.filter((id) => unitDraw(id) < d);
    // s5 failed on the small tier, but so did the frontier: paired, no loss (unpaired it was one).
    expect(kept(["s5"])).toEqual(["s5"]);
    const f2Bad = kept(["f2"]).length;
    expect(labels).toEqual([[binOf(0.1), kept(["s4", "s5"]).length, 0, 0], [binOf(0.4), kept(["f1", "f2", "f3"]).length, f2Bad, 0]].filter(([, n]) => n! > 0));
  });
});
