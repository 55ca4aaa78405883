import { describe, expect, it } from "vitest";
import { lexicalOverlap, stem } from "./lexical-overlap";
import { NO_SYNONYMS, SynonymTable } from "./synonyms";

const table = new SynonymTable([
  [stem("sofa"), stem("couch")],
  [stem("purchase"), stem("buy")],
]);

describe("synonym stage of the lexical overlap", () => {
  it("counts a word as shared when the other text swapped it for a synonym", () => {
    expect(lexicalOverlap("Where should the sofa go in a small flat?", "Where should the couch go in a small flat?", table)).toBe(1);
    expect(lexicalOverlap("Can I purchase tickets online?", "Can I buy tickets online?", table)).toBe(1);
    expect(lexicalOverlap("Where should the sofa go in a small flat?", "Where should the couch go in a small flat?")).toBeLessThan(1);
  });

  it("leaves a swap for an unrelated word unshared", () => {
    const related = lexicalOverlap("Where should the sofa go?", "Where should the couch go?", table);
    const unrelated = lexicalOverlap("Where should the sofa go?", "Where should the piano go?", table);
    expect(unrelated).toBeLessThan(related);
    expect(unrelated).toBeLessThan(1);
  });

  it("matches only against the other text's unshared words", () => {
    // "couch" is in both texts, so it cannot also stand in for the extra "sofa".
    expect(lexicalOverlap("the sofa and the couch", "the couch", table)).toBeLessThan(1);
  });

  it("is symmetric and knows nothing by default", () => {
    expect(table.related(stem("couch"), stem("sofa"))).toBe(true);
    expect(table.related(stem("sofa"), stem("buy"))).toBe(false);
    expect(NO_SYNONYMS.related(stem("sofa"), stem("couch"))).toBe(false);
  });
});
