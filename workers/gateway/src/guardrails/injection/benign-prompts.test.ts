import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scoreText } from "./screen";

/**
 * Regression guard for false positives on ordinary task prompts. The router's held-out split
 * (our own shipped data, ~420 prompts, 12 intents, en/es/fr/de) is full of output constraints
 * ("cite no sources you cannot verify", "answer with the letter only", benign role-play) that
 * once scored as injections and got users a 400. It is never used to train the classifier.
 */
const HELDOUT = new URL("../../../../../data/router/heldout.jsonl", import.meta.url);

describe("benign task prompts (router held-out split)", () => {
  const prompts = readFileSync(HELDOUT, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { prompt: string }).prompt);

  it("flags under 1% of them", () => {
    expect(prompts.length).toBeGreaterThan(300);
    const flagged = prompts.filter((p) => scoreText(p).label === "injection");
    // The list in the failure message is what to look at when this breaks.
    expect(flagged.length / prompts.length, flagged.join("\n---\n")).toBeLessThan(0.01);
  });
});
