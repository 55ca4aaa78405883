import { describe, expect, it } from "vitest";
import { live, recordChat } from "./live";
import { labelText, seriesKey } from "./series";

describe("recordChat", () => {
  it("counts stream resume rounds by model and outcome", () => {
    live.drain();
    const facts = { tenant: "t", model: "small-sim", tier: "small", status: 200, cache: "miss", routeTier: null, routeReason: null, durationSeconds: 0.2, ttftSeconds: 0.05, attempts: [] };
    recordChat({ ...facts, resumes: [{ model: "small-sim", outcome: "resumed" }, { model: "small-sim", outcome: "resumed" }, { model: "small-sim", outcome: "failed" }] });
    recordChat(facts);
    const counts = live.drain();
    expect(counts[seriesKey("gateway_stream_resumes_total", labelText({ model: "small-sim", outcome: "resumed" }))]).toBe(2);
    expect(counts[seriesKey("gateway_stream_resumes_total", labelText({ model: "small-sim", outcome: "failed" }))]).toBe(1);
  });
});
