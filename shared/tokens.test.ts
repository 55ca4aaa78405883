import { countTokens as exact } from "gpt-tokenizer/encoding/cl100k_base";
import { describe, expect, it } from "vitest";
import { countChatTokens, countTokens } from "./tokens";

describe("countTokens", () => {
  it("counts ordinary text exactly as cl100k does", () => {
    for (const text of ["", "Hello, world!", "The quick brown fox jumps over the lazy dog. ".repeat(200), "数据 处理 系统"]) {
      expect(countTokens(text)).toBe(text ? exact(text) : 0);
    }
  });

  it("counts a run without spaces in pieces, off by at most a token per 256-character cut", () => {
    // Long space-free runs (CJK paragraphs, base64) are one BPE pre-token, whose cost grows with
    // the square of its length: counted whole, 40k CJK characters took seconds.
    const cjk = "数据处理系统的性能优化是一个复杂的问题".repeat(60); // 1,140 characters, still cheap to count whole
    const cuts = Math.floor(cjk.length / 256);
    expect(Math.abs(countTokens(cjk) - exact(cjk))).toBeLessThanOrEqual(cuts);
    const blob = `key=${"QUJD".repeat(400)} end`;
    expect(Math.abs(countTokens(blob) - exact(blob))).toBeLessThanOrEqual(Math.floor(blob.length / 256));
  });

  it("counts special-token text as plain text instead of throwing", () => {
    for (const text of ["end <|endoftext|> here", "<|im_start|>user\nhi<|im_end|>", "<|fim_prefix|><|endofprompt|>"]) {
      expect(countTokens(text)).toBe(exact(text, { disallowedSpecial: new Set() }));
      // As text, not as the one special token id: "<|endoftext|>" alone is several tokens.
      expect(countTokens(text)).toBeGreaterThan(3);
    }
    expect(countChatTokens([{ role: "user", text: "<|endoftext|>" }])).toBeGreaterThan(6);
  });

  it("frames chat messages as OpenAI does: 3 per message plus 3 to prime the reply", () => {
    expect(countChatTokens([{ role: "user", text: "hi" }])).toBe(3 + 3 + exact("user") + exact("hi"));
  });
});
