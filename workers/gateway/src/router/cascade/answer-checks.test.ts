import { describe, expect, it } from "vitest";
import { choiceLetters, choiceProblem, consistency, finalAnswer, lengthMismatch, numbersIn, promptQuantities, unusedQuantityShare } from "./answer-checks";

describe("finalAnswer", () => {
  it("reads marked answers first, then the last number stated", () => {
    expect(finalAnswer("Work...\n#### 1,250")).toEqual({ value: 1250, explicit: true, markedWithoutNumber: false });
    expect(finalAnswer("So the total is \\boxed{42}.")).toMatchObject({ value: 42, explicit: true });
    expect(finalAnswer("Adding up, the answer is $18.50 in all.")).toMatchObject({ value: 18.5, explicit: true });
    expect(finalAnswer("She ends the week with 37 stickers.")).toMatchObject({ value: 37, explicit: false });
    expect(finalAnswer("#### Not enough information")).toEqual({ value: null, explicit: true, markedWithoutNumber: true });
  });
});

describe("quantities", () => {
  it("collects digits and number words from a prompt", () => {
    expect(promptQuantities("Twice a week she swims 3 km, half of it in the sea.").sort((a, b) => a - b)).toEqual([0.5, 2, 3]);
    expect(numbersIn("from -3 to $1,200.75")).toEqual([-3, 1200.75]);
  });

  it("measures which of the prompt's numbers the draft never used", () => {
    const prompt = "A shop sells 40 pens on Monday and 25 on Tuesday; each pen costs $3. What was the revenue?";
    expect(unusedQuantityShare(prompt, "40 + 25 = 65 pens, 65 * 3 = 195 dollars.")).toBe(0);
    expect(unusedQuantityShare(prompt, "40 * 3 = 120 dollars.")).toBeCloseTo(1 / 3);
  });
});

describe("consistency", () => {
  it("flags a final answer that the working never computed", () => {
    const prompt = "Tom has 6 boxes of 4 apples. How many apples?";
    expect(consistency({ value: 24, explicit: true, markedWithoutNumber: false }, [24], 24, prompt)).toEqual({ mismatchLast: false, unsupported: false });
    expect(consistency({ value: 30, explicit: true, markedWithoutNumber: false }, [24], 24, prompt)).toEqual({ mismatchLast: true, unsupported: true });
    // 0.4 computed, 40 (%) answered: the same answer.
    expect(consistency({ value: 40, explicit: true, markedWithoutNumber: false }, [0.4], 0.4, prompt).mismatchLast).toBe(false);
  });
});

describe("multiple choice", () => {
  const prompt = "Which gas do plants take in?\nA) oxygen\nB) carbon dioxide\nC) helium\nD) neon\nAnswer with one letter.";
  it("lists the options and checks the draft names exactly one of them", () => {
    expect(choiceLetters(prompt)).toEqual(["A", "B", "C", "D"]);
    expect(choiceProblem(prompt, "B")).toBe("none");
    expect(choiceProblem(prompt, "The answer is (B).")).toBe("none");
    expect(choiceProblem(prompt, "F")).toBe("invalid");
    expect(choiceProblem(prompt, "Plants breathe.")).toBe("invalid");
    expect(choiceProblem(prompt, "A. Actually the answer is C")).toBe("ambiguous");
    expect(choiceProblem("What is 2 + 2?", "4")).toBe("none");
  });
});

describe("lengthMismatch", () => {
  it("compares the draft's length with what the prompt asks", () => {
    expect(lengthMismatch("Reply with one word: is the sky blue?", "Yes")).toEqual({ tooLong: false, tooShort: false });
    expect(lengthMismatch("Reply with one word: is the sky blue?", "word ".repeat(40))).toMatchObject({ tooLong: true });
    expect(lengthMismatch("Explain why ice floats on water.", "Density.")).toMatchObject({ tooShort: true });
  });
});
