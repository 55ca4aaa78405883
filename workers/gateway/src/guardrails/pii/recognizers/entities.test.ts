import { describe, expect, it } from "vitest";
import type { RawFinding } from "../../types";
import { entitiesRecognizer, fuseEntities } from "./entities";
import { found } from "./test-helpers";

const f = (type: RawFinding["type"], start: number, end: number, score: number): RawFinding => ({ type, start, end, score });

describe("fusing the tagger with the dictionary recognizers", () => {
  it("raises the score where both agree and keeps the tagger's span", () => {
    expect(fuseEntities([f("PERSON", 0, 12, 0.6)], [f("PERSON", 0, 5, 0.55)])).toEqual([f("PERSON", 0, 12, 0.7)]);
  });
  it("widens an address to what the street pattern found", () => {
    expect(fuseEntities([f("STREET_ADDRESS", 5, 20, 0.8)], [f("STREET_ADDRESS", 5, 30, 0.9)])).toEqual([f("STREET_ADDRESS", 5, 30, 0.99)]);
  });
  it("drops a place inside an address; keeps what only one side found", () => {
    const out = fuseEntities([f("STREET_ADDRESS", 0, 40, 0.9)], [f("LOCATION", 25, 33, 0.85), f("ORGANIZATION", 50, 60, 0.85)]);
    expect(out).toEqual([f("STREET_ADDRESS", 0, 40, 0.9), f("ORGANIZATION", 50, 60, 0.85)]);
  });
});

describe("entities recognizer", () => {
  it("finds no name or address inside URLs, emails or paths", () => {
    expect(found(entitiesRecognizer, "see https://intranet.example.org/teams/Rosalind-Achterberg/5432/docs")).toEqual([]);
    expect(found(entitiesRecognizer, "write to rosalind.achterberg@example.org")).toEqual([]);
  });
  it("finds a name and an address in one message", () => {
    const text = "Hi, this is Rosalind Achterberg; my new address is 88 Ferncliff Terrace, Apt 4, Duluth, MN 55803.";
    expect(found(entitiesRecognizer, text)).toEqual([
      ["PERSON", "Rosalind Achterberg"],
      ["STREET_ADDRESS", "88 Ferncliff Terrace, Apt 4, Duluth, MN 55803"],
    ]);
  });
});
