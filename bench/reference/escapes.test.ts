import { describe, expect, it } from "vitest";
import { countEscapes, judgeServed, type LabelledRow } from "./escapes";

const kettle: LabelledRow = { smallOk: false, frontierOk: true, smallResponse: "The kettle holds 2 litres.", frontierResponse: "The kettle holds 1.5 litres." };
const letter: LabelledRow = { smallOk: true, frontierOk: true, smallResponse: "B", frontierResponse: "B" };

describe("judgeServed", () => {
  it("reads the label of the model whose recorded answer was served", () => {
    expect(judgeServed(kettle, { status: 200, content: "The kettle holds 2 litres.", tier: "small" })).toEqual({ kind: "small", correct: false });
    expect(judgeServed(kettle, { status: 200, content: " The kettle holds 1.5 litres.\n", tier: "frontier" })).toEqual({ kind: "frontier", correct: true });
  });

  it("goes by the text, not the tier header, for a cached answer", () => {
    // A semantic hit stored from a neighbouring prompt whose small answer reads like this row's frontier answer.
    expect(judgeServed(kettle, { status: 200, content: "The kettle holds 1.5 litres.", tier: "small" })).toEqual({ kind: "frontier", correct: true });
  });

  it("counts an answer to another prompt as an escape", () => {
    expect(judgeServed(kettle, { status: 200, content: "Paris is the capital.", tier: "frontier" })).toEqual({ kind: "foreign", correct: false });
  });

  it("uses the serving tier when both models wrote the same text", () => {
    const split: LabelledRow = { ...letter, smallOk: false };
    expect(judgeServed(split, { status: 200, content: "B", tier: "small" })).toEqual({ kind: "small", correct: false });
    expect(judgeServed(split, { status: 200, content: "B", tier: "frontier" })).toEqual({ kind: "frontier", correct: true });
  });

  it("counts a failed request as an error escape", () => {
    expect(judgeServed(letter, { status: 429, content: "", tier: null })).toEqual({ kind: "error", correct: false });
  });
});

describe("countEscapes", () => {
  it("adds up wrong, foreign and failed answers", () => {
    const verdicts = [
      judgeServed(kettle, { status: 200, content: "The kettle holds 2 litres.", tier: "small" }),
      judgeServed(kettle, { status: 200, content: "The kettle holds 1.5 litres.", tier: "frontier" }),
      judgeServed(kettle, { status: 200, content: "A", tier: "small" }),
      judgeServed(letter, { status: 503, content: "", tier: null }),
    ];
    expect(countEscapes(verdicts)).toEqual({ escapes: 3, foreign: 1, errors: 1 });
  });
});
