import { describe, expect, it } from "vitest";
import { DRAFT_FEATURES, draftFeatureVector, draftSignals } from "./draft-features";

const WORD_PROBLEM = "A bakery bakes 18 trays of 12 rolls and sells 150 rolls. How many rolls are left?";

describe("draftSignals", () => {
  it("reads a worked calculation as math and checks it", () => {
    const good = draftSignals({ prompt: WORD_PROBLEM, draft: "18 x 12 = 216 rolls.\n216 - 150 = 66 rolls.\n#### 66" });
    expect(good).toMatchObject({ kind_math: 1, arith_wrong: 0, final_unsupported: 0, final_mismatch_last: 0, other_prior_logit: 0 });
    const slip = draftSignals({ prompt: WORD_PROBLEM, draft: "18 x 12 = 206 rolls.\n206 - 150 = 56 rolls.\n#### 56" });
    expect(slip.arith_wrong).toBe(1);
    const jump = draftSignals({ prompt: WORD_PROBLEM, draft: "18 x 12 = 216 rolls.\n216 - 150 = 66 rolls.\n#### 76" });
    expect(jump).toMatchObject({ final_unsupported: 1, final_mismatch_last: 1 });
    const skipped = draftSignals({ prompt: WORD_PROBLEM, draft: "18 x 12 = 216 rolls.\n#### 216" });
    expect(skipped.unused_quantities).toBeGreaterThan(0);
  });

  it("gives a plain answer the router's prior as its baseline", () => {
    const easy = draftSignals({ prompt: "Name the largest ocean.", draft: "The Pacific Ocean.", prior: 0.1 });
    expect(easy.kind_math + easy.kind_code + easy.kind_choice).toBe(0);
    expect(easy.other_prior_logit).toBeCloseTo(Math.log(0.1 / 0.9));
    expect(draftSignals({ prompt: "Name the largest ocean.", draft: "The Pacific Ocean." }).other_prior_logit).toBe(0);
  });

  it("recognises code and multiple-choice drafts", () => {
    expect(draftSignals({ prompt: "Write a function that adds two numbers.", draft: "```js\nconst add = (a, b) => a + b;\n```" })).toMatchObject({ kind_code: 1, code_missing: 0 });
    expect(draftSignals({ prompt: "Write a function that adds two numbers.", draft: "Just use the plus sign." }).code_missing).toBe(1);
    const mc = "Pick one.\nA) red\nB) blue\nAnswer with the letter.";
    expect(draftSignals({ prompt: mc, draft: "B" })).toMatchObject({ kind_choice: 1, choice_invalid: 0 });
    expect(draftSignals({ prompt: mc, draft: "green" }).choice_invalid).toBe(1);
  });

  it("uses token logprobs only when present", () => {
    const absent = draftSignals({ prompt: "Hi", draft: "Hello there." });
    expect([absent.logprobs_present, absent.logprob_mean, absent.logprob_low]).toEqual([0, 0, 0]);
    const unsure = draftSignals({ prompt: "Hi", draft: "Hello there.", logprobs: { tokens: 3, mean: -1.2, low: -6 } });
    expect(unsure).toMatchObject({ logprobs_present: 1, logprob_mean: 0.6, logprob_low: 0.6 });
  });

  it("marks truncation, refusals and hedging", () => {
    expect(draftSignals({ prompt: "Explain tides.", draft: "Tides are caused by", finishReason: "length" }).truncated).toBe(1);
    expect(draftSignals({ prompt: "Help", draft: "I'm sorry, but I can't help with that." }).refusal).toBe(1);
    expect(draftSignals({ prompt: "Is it 5?", draft: "I'm not sure, perhaps it might be 5, I don't know." }).hedging).toBeGreaterThan(0);
  });
});

describe("draftFeatureVector", () => {
  it("lays the signals out in DRAFT_FEATURES order, all finite", () => {
    const v = draftFeatureVector({ prompt: WORD_PROBLEM, draft: "18 x 12 = 216\n#### 66", prior: 0.3 });
    expect(v).toHaveLength(DRAFT_FEATURES.length);
    expect([...v].every(Number.isFinite)).toBe(true);
    expect(v[DRAFT_FEATURES.indexOf("kind_math")]).toBe(1);
  });
});
