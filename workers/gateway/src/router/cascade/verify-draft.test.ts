import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { verifyDraft } from "./verify-draft";

type Req = Pick<ChatCompletionRequest, "messages" | "response_format">;
// A prompt the router finds easy: a plain draft is then served unless it shows a problem.
const EASY = { complexity: 0.1 };
const ask = (text: string, response_format?: Req["response_format"]): Req => ({ messages: [{ role: "user", content: text }], response_format });

describe("verifyDraft", () => {
  it("accepts a plain good answer to an easy prompt", () => {
    expect(verifyDraft(ask("What is the capital of Peru?"), "The capital of Peru is Lima.", { complexity: 0.1 })).toMatchObject({ ok: true, reasons: [] });
  });

  it("escalates a worked answer whose arithmetic is wrong and serves the same answer done right", () => {
    const q = ask("A gardener plants 7 rows of 9 tulips and 15 daffodils. How many flowers does she plant?");
    const right = verifyDraft(q, "7 x 9 = 63 tulips.\n63 + 15 = 78 flowers.\n#### 78", { complexity: 0.3 });
    const wrong = verifyDraft(q, "7 x 9 = 56 tulips.\n56 + 15 = 71 flowers.\n#### 71", { complexity: 0.3 });
    expect(right.ok).toBe(true);
    expect(wrong.ok).toBe(false);
    expect(wrong.reasons).toEqual(expect.arrayContaining(["p_wrong", "arith_wrong"]));
    expect(wrong.pWrong).toBeGreaterThan(right.pWrong);
  });

  it("escalates when P(wrong) is above the tenant's threshold", () => {
    const q = ask("A gardener plants 7 rows of 9 tulips and 15 daffodils. How many flowers does she plant?");
    const draft = "7 x 9 = 63 tulips.\n63 + 15 = 78 flowers.\n#### 78";
    const v = verifyDraft(q, draft);
    expect(verifyDraft(q, draft, { threshold: v.pWrong - 0.01 }).ok).toBe(false);
    expect(verifyDraft(q, draft, { threshold: v.pWrong + 0.01 }).ok).toBe(true);
  });

  it("rejects empty drafts and refusals in several languages", () => {
    expect(verifyDraft(ask("hi"), "  ")).toMatchObject({ ok: false, reasons: ["empty"] });
    expect(verifyDraft(ask("help"), "I'm sorry, but I can't help with that request.").reasons).toContain("refusal");
    expect(verifyDraft(ask("ayuda"), "Lo siento, pero no puedo ayudar con eso.").reasons).toContain("refusal");
    expect(verifyDraft(ask("hilfe"), "Ich kann dabei nicht helfen.").ok).toBe(false);
    expect(verifyDraft(ask("What is a refusal in law?"), "A refusal is when a party declines an offer.", EASY).ok).toBe(true);
  });

  it("rejects truncated drafts", () => {
    expect(verifyDraft(ask("write code"), "```python\ndef f():\n    return 1\n").reasons).toContain("truncated");
    expect(verifyDraft(ask("explain"), "Fine so far.", { finishReason: "length" }).reasons).toContain("truncated");
    expect(verifyDraft(ask("explain"), "This goes on and on about the topic, ".repeat(8) + "and then the").reasons).toContain("truncated");
  });

  it("checks JSON mode and JSON Schema", () => {
    const schema = { type: "object", properties: { age: { type: "integer" } }, required: ["age"] };
    const rf = { type: "json_schema" as const, json_schema: { name: "p", schema } };
    expect(verifyDraft(ask("age?", rf), '{"age": 31}', EASY).ok).toBe(true);
    expect(verifyDraft(ask("age?", rf), '{"age": "31"}').reasons).toContain("schema_mismatch");
    expect(verifyDraft(ask("json", { type: "json_object" }), "Sure! {age: 31}").reasons).toContain("invalid_json");
    expect(verifyDraft(ask("json", { type: "json_object" }), '```json\n{"a": 1}\n```', EASY).ok).toBe(true);
  });

  it("never throws on a client's schema and does not run its regexes: an uncompilable schema escalates", () => {
    const rf = (schema: Record<string, unknown>) => ({ type: "json_schema" as const, json_schema: { name: "p", schema } });
    expect(verifyDraft(ask("x", rf({ $ref: "#/$defs/nope" })), '{"a": 1}').reasons).toContain("schema_unverifiable");
    const backtracking = rf({ type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } });
    expect(verifyDraft(ask("x", backtracking), JSON.stringify({ s: `${"a".repeat(40)}!` }), EASY).ok).toBe(true);
    expect(verifyDraft(ask("x", rf({ type: "object", properties: { s: { type: "string", pattern: "[" } } })), '{"s": "x"}', EASY).ok).toBe(true);
  });

  it("escalates hedging, generation loops and missing code", () => {
    const hedged = verifyDraft(ask("Is it safe?"), "I'm not sure. I don't know, it is unclear and perhaps it might be fine.", { complexity: 0.2 });
    expect(hedged.ok).toBe(false);
    expect(hedged.reasons).toContain("hedging");
    const loop = verifyDraft(ask("poem"), "The sea rolls on forever more.\n".repeat(6));
    expect(loop).toMatchObject({ ok: false, pWrong: 1 });
    expect(loop.reasons).toContain("repetition");
    expect(verifyDraft(ask("Write a Python function that sorts a list."), "You could sort it with the built-in sorting routine.").reasons).toContain("code_missing");
  });

  it("reads a multiple-choice draft against the listed options", () => {
    const q = ask("Which is a mammal?\nA) trout\nB) whale\nC) gecko\nAnswer with the letter only.");
    expect(verifyDraft(q, "F").reasons).toContain("choice_invalid");
  });

  it("never throws and always gives P(wrong) in [0, 1], whatever the prompt and draft", () => {
    const text = fc.oneof(fc.string({ maxLength: 400 }), fc.array(fc.constantFrom("3", " x ", " = ", "4", "%", "$", "(", ")", "/", "\n", "####", "A) ", "answer is ", "1,000", ".", "-"), { maxLength: 80 }).map((a) => a.join("")));
    fc.assert(
      fc.property(text, text, fc.option(fc.double({ min: 0, max: 1, noNaN: true })), (prompt, draft, complexity) => {
        const v = verifyDraft(ask(prompt), draft, complexity === null ? {} : { complexity });
        expect(v.pWrong).toBeGreaterThanOrEqual(0);
        expect(v.pWrong).toBeLessThanOrEqual(1);
        expect(v.ok).toBe(v.pWrong <= v.threshold);
      }),
      { numRuns: 300 },
    );
  });
});
