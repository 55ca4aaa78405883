import { describe, expect, it } from "vitest";
import { hitScore } from "./hit-score";
import { contentWords, lexicalOverlap, stem, wordWeight } from "./lexical-overlap";

describe("lexical overlap", () => {
  it("compares content words after light normalisation", () => {
    expect([...contentWords("What's the colour of the Hikers' tents?")].sort()).toEqual(["color", stem("hiker"), "tent"]);
    expect(stem("hikers")).toBe(stem("hiker"));
    expect(stem("charged")).toBe(stem("charges"));
    expect(lexicalOverlap("How do I reset my password?", "How can I reset my password?")).toBe(1);
    expect(lexicalOverlap("grey colour", "gray color")).toBe(1);
  });

  it("weights rare words above common ones", () => {
    expect(wordWeight("kowalczyk")).toBeGreaterThan(wordWeight("tent"));
    expect(wordWeight("tent")).toBeGreaterThan(wordWeight("time"));
  });

  it("leaves numbers and placeholders to the guards", () => {
    expect(lexicalOverlap("Invite 3 guests for <PERSON_1>", "Invite three guests for <PERSON_2>")).toBeLessThan(1);
    expect(lexicalOverlap("Invite 3 guests for <PERSON_1>", "Invite 4 guests for <PERSON_2>")).toBe(1);
    expect(lexicalOverlap("what is it", "is it")).toBe(1);
  });
});

describe("hitScore", () => {
  it("is the cosine when the content words are the same, and never above it", () => {
    expect(hitScore(0.9, "How do I reset my password?", "How can I reset my password?", 0.45)).toBeCloseTo(0.9);
    const swapped = hitScore(0.918, "My kid is learning to swim.", "My kid is learning to skate.", 0.45);
    expect(swapped).toBeLessThan(0.8);
    expect(hitScore(0.918, "My kid is learning to swim.", "My kid is learning to skate.", 0)).toBe(0.918);
  });
});
