import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { verifyDraft } from "./verify-draft";

type Req = Pick<ChatCompletionRequest, "messages" | "response_format">;
const ask = (text: string, response_format?: Req["response_format"]): Req => ({ messages: [{ role: "user", content: text }], response_format });

describe("verifyDraft", () => {
  it("accepts a plain good answer", () => {
    expect(verifyDraft(ask("What is the capital of Peru?"), "The capital of Peru is Lima.")).toEqual({ ok: true, reasons: [], score: 1 });
  });

  it("rejects empty drafts and refusals in several languages", () => {
    expect(verifyDraft(ask("hi"), "  ")).toMatchObject({ ok: false, reasons: ["empty"] });
    expect(verifyDraft(ask("help"), "I'm sorry, but I can't help with that request.").reasons).toContain("refusal");
    expect(verifyDraft(ask("ayuda"), "Lo siento, pero no puedo ayudar con eso.").reasons).toContain("refusal");
    expect(verifyDraft(ask("hilfe"), "Ich kann dabei nicht helfen.").ok).toBe(false);
    expect(verifyDraft(ask("What is a refusal in law?"), "A refusal is when a party declines an offer.").ok).toBe(true);
  });

  it("rejects truncated drafts", () => {
    expect(verifyDraft(ask("write code"), "```python\ndef f():\n    return 1\n").reasons).toContain("truncated");
    expect(verifyDraft(ask("explain"), "Fine so far.", { finishReason: "length" }).reasons).toContain("truncated");
    expect(verifyDraft(ask("explain"), "This goes on and on about the topic, ".repeat(8) + "and then the").reasons).toContain("truncated");
  });

  it("checks JSON mode and JSON Schema", () => {
    const schema = { type: "object", properties: { age: { type: "integer" } }, required: ["age"] };
    const rf = { type: "json_schema" as const, json_schema: { name: "p", schema } };
    expect(verifyDraft(ask("age?", rf), '{"age": 31}').ok).toBe(true);
    expect(verifyDraft(ask("age?", rf), '{"age": "31"}').reasons).toContain("schema_mismatch");
    expect(verifyDraft(ask("json", { type: "json_object" }), "Sure! {age: 31}").reasons).toContain("invalid_json");
    expect(verifyDraft(ask("json", { type: "json_object" }), '```json\n{"a": 1}\n```').ok).toBe(true);
  });

  it("never throws on a client's schema and does not run its regexes: an uncompilable schema escalates", () => {
    const rf = (schema: Record<string, unknown>) => ({ type: "json_schema" as const, json_schema: { name: "p", schema } });
    expect(verifyDraft(ask("x", rf({ $ref: "#/$defs/nope" })), '{"a": 1}').reasons).toContain("schema_unverifiable");
    const backtracking = rf({ type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } });
    expect(verifyDraft(ask("x", backtracking), JSON.stringify({ s: `${"a".repeat(40)}!` })).ok).toBe(true);
    expect(verifyDraft(ask("x", rf({ type: "object", properties: { s: { type: "string", pattern: "[" } } })), '{"s": "x"}').ok).toBe(true);
  });

  it("lowers the score for hedging, repetition and missing code", () => {
    const hedged = verifyDraft(ask("Is it safe?"), "I'm not sure. I don't know, it is unclear and perhaps it might be fine.");
    expect(hedged.reasons).toContain("hedging");
    expect(hedged.score).toBeLessThan(1);
    const loop = verifyDraft(ask("poem"), "The sea rolls on forever more.\n".repeat(6));
    expect(loop).toMatchObject({ ok: false });
    expect(loop.reasons).toContain("repetition");
    expect(verifyDraft(ask("Write a Python function that sorts a list."), "You could sort it with the built-in sorting routine.").reasons).toContain("missing_code");
  });

  it("asks for substance on hard prompts", () => {
    expect(verifyDraft(ask("Prove it"), "It's true.", { complexity: 0.8 }).reasons).toContain("too_short");
  });
});
