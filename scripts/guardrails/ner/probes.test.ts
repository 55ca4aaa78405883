import { describe, expect, it } from "vitest";
import { MIXED, probeText, sentenceInitialProbes } from "./probes";
import { MIXED_HELDOUT } from "./probes-heldout";

describe("entity tagger probes", () => {
  it("strip the entity marks and point at the marked text", () => {
    const { text, names } = probeText("Ask [[Ana Lima]] and [[김서연]] first.");
    expect(text).toBe("Ask Ana Lima and 김서연 first.");
    expect(names.map((n) => text.slice(n.start, n.end))).toEqual(["Ana Lima", "김서연"]);
    expect(probeText("no marks here")).toEqual({ text: "no marks here", names: [] });
  });

  it("pair English with a paragraph in another script in every mixed prompt", () => {
    for (const marked of MIXED) {
      const { text } = probeText(marked);
      expect(text, marked).toMatch(/[A-Za-z]{4,}/);
      expect(text.replace(/[\p{Script=Latin}\P{L}]/gu, "").length, marked).toBeGreaterThan(10);
    }
  });

  it("keep the prompts written after the prose rule apart from the dev ones, each mixing English and another script", () => {
    const dev = new Set(MIXED.map((m) => probeText(m).text));
    for (const marked of MIXED_HELDOUT) {
      const { text } = probeText(marked);
      expect(dev.has(text), marked).toBe(false);
      expect(text, marked).toMatch(/[A-Za-z]{4,}/);
      expect(text, marked).toMatch(/[^\p{Script=Latin}\P{L}]/u);
    }
    expect(new Set(MIXED_HELDOUT).size).toBe(MIXED_HELDOUT.length);
  });

  it("write 100 distinct sentence-initial probes, half of them after a first sentence", () => {
    const probes = sentenceInitialProbes();
    expect(probes).toHaveLength(100);
    expect(new Set(probes).size).toBe(100);
    expect(probes.filter((p) => p.startsWith("Thanks for the quick reply. "))).toHaveLength(50);
    for (const p of probes) expect(p.replace(/^Thanks for the quick reply\. /, "")).toMatch(/^[A-Z][a-z]+ [a-z]/);
  });
});
