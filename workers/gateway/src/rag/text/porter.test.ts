import { describe, expect, it } from "vitest";
import { porterStem } from "./porter";
import { terms } from "./terms";

describe("porterStem", () => {
  // Pairs from Porter's published vocabulary/output lists (also what SQLite FTS5's porter gives).
  it.each([
    ["caresses", "caress"], ["ponies", "poni"], ["cats", "cat"], ["agreed", "agre"], ["plastered", "plaster"], ["motoring", "motor"],
    ["hopping", "hop"], ["filing", "file"], ["happy", "happi"], ["relational", "relat"], ["conditional", "condit"], ["digitizer", "digit"],
    ["triplicate", "triplic"], ["hopefulness", "hope"], ["revival", "reviv"], ["adjustment", "adjust"], ["adoption", "adopt"], ["controlling", "control"],
    ["generalization", "gener"], ["probate", "probat"], ["rate", "rate"], ["cease", "ceas"], ["sky", "sky"],
  ])("%s -> %s", (word, stem) => expect(porterStem(word)).toBe(stem));

  it("terms lower-cases, drops diacritics and stopwords, and stems", () => {
    expect(terms("The Cafés are RUNNING in the 2 cities")).toEqual(["cafe", "run", "2", "citi"]);
  });
});
