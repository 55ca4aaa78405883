import { describe, expect, it } from "vitest";
import type { RouterTrainingExample } from "../../../shared/schemas/router-training-example";
import { feedbackProblem } from "./feedback-check";

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
