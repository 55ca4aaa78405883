import { describe, expect, it } from "vitest";
import { agrees, checkArithmetic, evaluate, parseNumber } from "./arithmetic";

describe("evaluate", () => {
  it("follows precedence, parentheses, powers, percentages and tight fractions", () => {
    expect(evaluate("2 + 3 * 4")).toBe(14);
    expect(evaluate("(2 + 3) * 4")).toBe(20);
    expect(evaluate("2 ^ 3 ^ 2")).toBe(512);
    expect(evaluate("250 * 12%")).toBeCloseTo(30);
    expect(evaluate("9 / 3/4")).toBeCloseTo(12);
    expect(evaluate("$1,250.50 - $250.50")).toBe(1000);
    expect(evaluate("6 x 7")).toBe(42);
    expect(evaluate("6 × 7 ÷ 2")).toBe(21);
    expect(evaluate("-4 + 10")).toBe(6);
  });

  it("refuses what it cannot read instead of guessing", () => {
    expect(evaluate("3y + 2")).toBeNull();
    expect(evaluate("5x")).toBeNull();
    expect(evaluate("8 / 0")).toBeNull();
    expect(evaluate("(3 + 4")).toBeNull();
    expect(evaluate("apples")).toBeNull();
  });

  it("parses numbers with separators and currency", () => {
    expect(parseNumber("$12,400")).toBe(12400);
    expect(parseNumber("3.25")).toBe(3.25);
    expect(parseNumber("abc")).toBeNull();
  });

  it("accepts a result rounded to the precision it is written with", () => {
    expect(agrees(7 / 3, 2.33, "2.33")).toBe(true);
    expect(agrees(7 / 3, 2.4, "2.4")).toBe(false);
  });
});

describe("checkArithmetic", () => {
  it("recomputes the steps a draft states and counts the wrong ones", () => {
    const good = checkArithmetic("The farm has 12 x 8 = 96 hens.\nThey lay 96 * 2 = 192 eggs a day.");
    expect(good).toMatchObject({ checked: 2, wrong: 0, lastResult: 192 });
    const bad = checkArithmetic("The farm has 12 x 8 = 86 hens.\nThey lay 86 * 2 = 172 eggs a day.");
    expect(bad).toMatchObject({ checked: 2, wrong: 1 });
  });

  it("reads calculator annotations in place and the text around them once", () => {
    const r = checkArithmetic("Tickets cost 4 * 15 = <<4*15=60>>60 dollars.\nWith the fee: 60 + 5 = <<60+5=66>>66 dollars.");
    expect(r.wrong).toBeGreaterThan(0);
    expect(r.lastResult).toBe(66);
  });

  it("drops unit words and labels between numbers and operators", () => {
    expect(checkArithmetic("She walks 3 laps * 400 meters/lap = 1200 meters.")).toMatchObject({ checked: 1, wrong: 0 });
    expect(checkArithmetic("Total: 40 (morning bus) + 25 (evening bus) = 65 riders.")).toMatchObject({ checked: 1, wrong: 0 });
  });

  it("accepts a running chain that restates a result and goes on", () => {
    expect(checkArithmetic("Each pays 30 + 18 + 12 = 60 / 3 = 20 dollars.")).toMatchObject({ wrong: 0, lastResult: 20 });
    expect(checkArithmetic("The price is 10 + 0.5 * 20 = 10 + 10 = 20 dollars.")).toMatchObject({ checked: 2, wrong: 0 });
  });

  it("skips algebra and multiplier words rather than misreading them", () => {
    expect(checkArithmetic("5x + 3x = 64\n8x = 64")).toMatchObject({ checked: 0, wrong: 0 });
    expect(checkArithmetic("y * 3 + 4 = 19")).toMatchObject({ checked: 0 });
    expect(checkArithmetic("She bought 3 dozen + 4 = 40 rolls.")).toMatchObject({ wrong: 0 });
  });

  it("takes a percentage written either way", () => {
    expect(checkArithmetic("The share is 45 / 180 = 25%.")).toMatchObject({ checked: 1, wrong: 0 });
    expect(checkArithmetic("The share is 45 / 180 = 0.25.")).toMatchObject({ checked: 1, wrong: 0 });
  });
});
