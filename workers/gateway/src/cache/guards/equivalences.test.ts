import { describe, expect, it } from "vitest";
import { categoryMembers, categorySwapped } from "./categories";
import { currencies, isCurrencyCode } from "./currency";
import { americanSpelling } from "./spelling";
import { isCommonWord, isTitleCase } from "./title-case";
import { rolesSwapped } from "./word-order";

const members = (text: string): Map<number, Set<string>> => categoryMembers(text.split(" "));

describe("closed-set members", () => {
  it("folds plurals of countable members, British spellings and aliases", () => {
    expect(categorySwapped(members("two cats"), members("a cat"))).toBe(false);
    expect(categorySwapped(members("two mice"), members("a mouse"))).toBe(false);
    expect(categorySwapped(members("grey car"), members("gray car"))).toBe(false);
    expect(categorySwapped(members("postgresql on osx"), members("postgres on macos"))).toBe(false);
  });
  it("still refuses different members", () => {
    expect(categorySwapped(members("two cats"), members("a dog"))).toBe(true);
    expect(categorySwapped(members("grey car"), members("green car"))).toBe(true);
    expect(categorySwapped(members("on windows"), members("on mac"))).toBe(true);
    // Plurals are folded only in sets of countable nouns: "reds" is not a colour member.
    expect(members("reds").size).toBe(0);
  });
});

describe("currencies", () => {
  it.each([
    ["$200 million", ["usd"]],
    ["200 million USD", ["usd"]],
    ["100 US dollars", ["usd"]],
    ["€5 or 5 euros", ["eur"]],
    ["£3 sterling", ["gbp"]],
    ["C$10", ["cad"]],
    ["10 Canadian dollars", ["cad"]],
    ["HK$10", ["hkd"]],
    ["¥100", ["¥"]],
    ["100 yen", ["jpy"]],
    ["no money here", []],
  ])("%j -> %j", (text, codes) => {
    expect([...currencies(text)].sort()).toEqual(codes);
  });
  it("knows codes, not words", () => {
    expect(isCurrencyCode("USD")).toBe(true);
    expect(isCurrencyCode("USA")).toBe(false);
  });
});

describe("British spelling", () => {
  it.each([
    ["colour", "color"], ["grey", "gray"], ["centre", "center"], ["organised", "organized"], ["realising", "realizing"],
    ["wise", "wise"], ["rise", "rise"], ["four", "four"], ["your", "your"], ["emphasis", "emphasis"],
  ])("%j -> %j", (uk, us) => {
    expect(americanSpelling(uk)).toBe(us);
  });
});

describe("Title Case", () => {
  it("detects headlines by the share of capitalised content words", () => {
    expect(isTitleCase("Acme Opens First Repair Shop for Electric Bikes".split(" "))).toBe(true);
    expect(isTitleCase("Acme opens first repair shop for electric bikes".split(" "))).toBe(false);
    expect(isTitleCase("Obama Wins".split(" "))).toBe(false);
  });
  it("tells common words from names", () => {
    for (const w of ["Death", "Tent", "Star", "Opens", "Bikes", "Charged", "Work"]) expect(isCommonWord(w)).toBe(true);
    // Names split into several BPE tokens in lower case, or are known names and places.
    for (const w of ["Obama", "Kowalski", "Novak", "Smith", "Jordan", "Paris", "IAEA"]) expect(isCommonWord(w)).toBe(false);
  });
});

describe("role order", () => {
  const words = (t: string): string[] => t.toLowerCase().replace(/[,.]/g, "").split(" ");
  it("sees participants trading places", () => {
    expect(rolesSwapped(words("the big dog bit the small man"), words("the small man bit the big dog"))).toBe(true);
    expect(rolesSwapped(words("John said Mary lied"), words("Mary said John lied"))).toBe(true);
  });
  it("lets a clause move around its reporting verb", () => {
    expect(rolesSwapped(words("Hana said the two new interns are very happy here"), words("The two new interns are very happy here, Hana said"))).toBe(false);
  });
  it("counts many words changing sides of an anchor as a clause move only when asked", () => {
    const a = words("Before the vote the mayor said the new bridge plan was too costly");
    const b = words("The new bridge plan was too costly, the mayor said before the vote");
    expect(rolesSwapped(a, b, true)).toBe(false);
    expect(rolesSwapped(a, b, false)).toBe(true);
  });
});
