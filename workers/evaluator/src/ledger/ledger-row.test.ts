import { describe, expect, it } from "vitest";
import { usageEvent } from "../testing/events";
import { PriceBook } from "../pricing/price-book";
import { ledgerRowFromEvent, routeFacts } from "./ledger-row";

const day = (iso: string) => Date.parse(iso);
const book = new PriceBook([
  { tenant_id: "*", model: "frontier-sim", effective_from: day("2026-01-01T00:00:00Z"), pricing_json: JSON.stringify({ kind: "per-token", inputPer1M: 2, outputPer1M: 10 }) },
  { tenant_id: "*", model: "frontier-sim", effective_from: day("2026-06-01T00:00:00Z"), pricing_json: JSON.stringify({ kind: "per-token", inputPer1M: 1, outputPer1M: 5 }) },
  { tenant_id: "vip", model: "frontier-sim", effective_from: day("2026-01-01T00:00:00Z"), pricing_json: JSON.stringify({ kind: "per-token", inputPer1M: 0, outputPer1M: 1 }) },
  { tenant_id: "*", model: "small-sim", effective_from: day("2026-01-01T00:00:00Z"), pricing_json: JSON.stringify({ kind: "gpu-hour", usdPerGpuHour: 3.6, gpus: 2, tokensPerSecond: 1000, inputTokenWeight: 0.1 }) },
]);
const usage = { input: { total: 1000, cached: 0 }, output: { total: 1000, reasoning: 0 }, source: "upstream" as const };

describe("ledger row cost attribution", () => {
  it("uses the price in force when the request completed", () => {
    expect(ledgerRowFromEvent(usageEvent({ usage, completedAt: day("2026-03-01T00:00:00Z") }), book).costUsd).toBeCloseTo(0.012, 10);
    expect(ledgerRowFromEvent(usageEvent({ usage, completedAt: day("2026-07-01T00:00:00Z") }), book).costUsd).toBeCloseTo(0.006, 10);
  });

  it("prefers a tenant's own price over the list price", () => {
    expect(ledgerRowFromEvent(usageEvent({ usage, tenantId: "vip" }), book).costUsd).toBeCloseTo(0.001, 10);
  });

  it("prices self-hosted tiers from GPU-hours and throughput", () => {
    // (1000 out + 0.1 * 1000 in) / 1000 tok/s = 1.1 s of 2 GPUs at $3.6/h = 1.1 * 0.002 = $0.0022
    const row = ledgerRowFromEvent(usageEvent({ usage, model: "small-sim", tier: "small" }), book, "frontier-sim");
    expect(row.costUsd).toBeCloseTo(0.0022, 10);
    expect(row.counterfactualCostUsd).toBeCloseTo(0.006, 10);
    expect(row.costAvoidedUsd).toBeCloseTo(0.0038, 10);
  });

  it("books no cost avoided for a draft or shadow call: it is spend on top of its request", () => {
    // Priced as the gateway publishes them: a counterfactual (the frontier's price) rides on every chat event.
    const shadow = ledgerRowFromEvent(usageEvent({ requestId: "r7:shadow", usage, model: "small-sim", tier: "small", counterfactualCostUsd: 0.02, decisions: { shadowOf: "r7" } }), book, "frontier-sim");
    expect(shadow).toMatchObject({ parentRequestId: "r7", counterfactualCostUsd: null, costAvoidedUsd: 0 });
    expect(shadow.costUsd).toBeCloseTo(0.0022, 10);
    const draft = ledgerRowFromEvent(usageEvent({ requestId: "r8:draft", usage, model: "small-sim", tier: "small", counterfactualCostUsd: 0.02, decisions: { cascadeDraftOf: "r8" } }), book);
    expect(draft).toMatchObject({ parentRequestId: "r8", counterfactualCostUsd: null, costAvoidedUsd: 0 });
    // The request itself keeps its saving.
    expect(ledgerRowFromEvent(usageEvent({ requestId: "r7", usage, model: "small-sim", tier: "small", counterfactualCostUsd: 0.02 }), book).costAvoidedUsd).toBeCloseTo(0.02 - 0.0022, 10);
  });

  it("falls back to the event's cost for a model without a price row", () => {
    expect(ledgerRowFromEvent(usageEvent({ model: "unknown", costUsd: 0.42 }), book)).toMatchObject({ costUsd: 0.42, priceSource: "event" });
  });

  it("reads route facts defensively", () => {
    expect(routeFacts({ route: { complexity: 2, intent: 5 } })).toEqual({ complexity: null, intent: null });
    expect(routeFacts({})).toEqual({ complexity: null, intent: null });
  });

  it("links an escalated cascade draft to the request it was drafted for; other rows have no parent", () => {
    const draft = ledgerRowFromEvent(usageEvent({ requestId: "r9:draft", model: "small-sim", tier: "small", decisions: { cascadeDraftOf: "r9" } }), book);
    expect(draft).toMatchObject({ kind: "request", parentRequestId: "r9" });
    expect(ledgerRowFromEvent(usageEvent(), book).parentRequestId).toBeNull();
    expect(ledgerRowFromEvent(usageEvent({ decisions: { cascadeDraftOf: 7 } }), book).parentRequestId).toBeNull();
  });
});
