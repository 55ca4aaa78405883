import { describe, expect, it } from "vitest";
import { chunkDocument } from "./chunk-document";

const para = (n: number, word: string) => Array.from({ length: n }, (_, i) => `The ${word} number ${i + 1} stays in its own sentence.`).join(" ");

describe("chunkDocument", () => {
  it("keeps headings as the chunk's path and never crosses one", () => {
    const md = `# Guide\n\nIntro text about the guide.\n\n## Install\n\nRun the installer twice.\n\n## Use\n\nOpen the app.`;
    const chunks = chunkDocument(md, "Manual", { size: 500, overlap: 0 });
    expect(chunks.map((c) => [c.heading, c.text])).toEqual([
      ["Guide", "Intro text about the guide."],
      ["Guide > Install", "Run the installer twice."],
      ["Guide > Use", "Open the app."],
    ]);
  });

  it("uses the title for text without headings and splits long paragraphs at sentence ends", () => {
    const chunks = chunkDocument(para(30, "apple"), "Fruit", { size: 300, overlap: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.heading).toBe("Fruit");
      expect(c.text.length).toBeLessThanOrEqual(300);
      expect(c.text).toMatch(/^The apple number \d+/);
      expect(c.text).toMatch(/sentence\.$/);
    }
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
  });

  it("repeats whole trailing sentences up to the overlap", () => {
    const chunks = chunkDocument(para(30, "pear"), "", { size: 300, overlap: 120 });
    for (let i = 1; i < chunks.length; i++) {
      const prev = (chunks[i - 1]?.text ?? "").split(/(?<=\.) /);
      const next = chunks[i]?.text ?? "";
      // The next chunk starts with the previous one's last sentence(s), at most 120 characters of them.
      const shared = [1, 2, 3].map((k) => prev.slice(-k).join(" ")).filter((tail) => next.startsWith(`${tail} `));
      expect(shared.length).toBeGreaterThan(0);
      expect(shared.every((tail) => tail.length <= 120)).toBe(true);
      expect(next.length).toBeLessThanOrEqual(300);
    }
  });

  it("splits a sentence longer than a chunk at words and keeps code fences whole", () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    const chunks = chunkDocument(`${long}\n\n\`\`\`\n# not a heading\n\`\`\``, "T", { size: 250, overlap: 0 });
    expect(chunks.every((c) => c.text.length <= 250)).toBe(true);
    expect(chunks.some((c) => c.text.includes("# not a heading"))).toBe(true);
    expect(chunks.every((c) => c.heading === "T")).toBe(true);
  });

  it("returns nothing for blank text", () => {
    expect(chunkDocument(" \n\n \n", "T")).toEqual([]);
  });
});
