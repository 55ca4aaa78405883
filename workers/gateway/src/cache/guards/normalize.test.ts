import { describe, expect, it } from "vitest";
import { canonicalNumber, normalizeFacts } from "./normalize";

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
