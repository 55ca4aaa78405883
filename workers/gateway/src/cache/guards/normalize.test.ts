import { describe, expect, it } from "vitest";
import { canonicalNumber, normalizeFacts, repairMojibake } from "./normalize";

describe("normalizeFacts", () => {
  it.each([
    ["in the U.S. today", "in the US today"],
    ["on 2024-05-03", "on may 3 2024"],
    ["on 2024-13-03", "on 2024-13-03"],
    ["1.5 million people", "1500000 people"],
    ["2 Billion users", "2000000000 users"],
    ["twenty-five guests", "25 guests"],
    ["Ninety nine problems", "99 problems"],
    ["05/03", "05/03"],
  ])("%j -> %j", (input, output) => {
    expect(normalizeFacts(input)).toBe(output);
  });
});

describe("canonicalNumber", () => {
  it.each([["1,000", "1000"], ["03", "3"], ["3rd", "3"], ["0.5", "0.5"], ["0", "0"]])("%j -> %j", (input, output) => {
    expect(canonicalNumber(input)).toBe(output);
  });
});

describe("repairMojibake", () => {
  it.each([
    ["BBC\u201a\u00c4\u00f4s Doctor Who", "BBC\u2019s Doctor Who"],
    ["don\u00e2\u20ac\u2122t", "don\u2019t"],
    ["\u00c4pfel \u20ac5", "\u00c4pfel \u20ac5"],
  ])("%j -> %j", (input, output) => {
    expect(repairMojibake(input)).toBe(output);
  });
});
