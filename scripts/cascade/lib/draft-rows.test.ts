import { describe, expect, it } from "vitest";
import { pythonStrings, withoutExemplars } from "./draft-rows";

describe("RouterBench cells", () => {
  it("reads a Python list-of-strings literal with escapes and both quote styles", () => {
    expect(pythonStrings("['B\\n']")).toEqual(["B\n"]);
    expect(pythonStrings(`["it's fine", 'tab\\there', 'caf\\xe9']`)).toEqual(["it's fine", "tab\there", "café"]);
  });

  it("keeps only the last question after few-shot exemplars", () => {
    const prompt = "Q1?\nA) x\nB) y\nAnswer:\nA\n\nQ2?\nA) u\nB) v\nAnswer:\nB\n\nMy question?\nA) p\nB) q\nAnswer:";
    expect(withoutExemplars(prompt)).toBe("My question?\nA) p\nB) q\nAnswer:");
  });
});
