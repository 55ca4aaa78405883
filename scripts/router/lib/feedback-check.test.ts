import { describe, expect, it } from "vitest";
import type { RouterTrainingExample } from "../../../shared/schemas/router-training-example";
import { feedbackProblem, feedbackSummary } from "./feedback-check";

const row = (extra: Partial<RouterTrainingExample>): RouterTrainingExample => ({ prompt: "Where is my parcel?", source: "feedback", complexity: 0.4, ...extra });

describe("feedbackProblem", () => {
  it("refuses an empty export and one without a judged small-tier outcome, naming why", () => {
    expect(feedbackProblem("f.jsonl", [])).toMatch(/no feedback rows/);
    expect(feedbackProblem("f.jsonl", [row({ weight: 2 }), row({})])).toMatch(/2 feedback rows but none with small_ok/);
  });

  it("accepts an export with at least one small_ok label", () => {
    expect(feedbackProblem("f.jsonl", [row({}), row({ small_ok: false })])).toBeNull();
  });
});

describe("feedbackSummary", () => {
  it("counts small_ok labels by source, shadows of frontier-served prompts apart", () => {
    const rows = [row({ small_ok: true, small_ok_source: "served" }), row({ small_ok: false, small_ok_source: "shadow" }), row({ small_ok: true, small_ok_source: "shadow" }), row({ weight: 2 })];
    expect(feedbackSummary(rows)).toBe("feedback: 3 judged small-tier outcomes (1 served on the small tier, 2 shadow answers to frontier-served prompts) of 4 feedback rows (only those move the router)");
  });
});
