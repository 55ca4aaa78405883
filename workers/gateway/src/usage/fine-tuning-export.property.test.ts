/**
 * Properties of one exported line, whatever the stored exchange holds: it is either skipped or
 * a valid OpenAI chat-format example whose target is the better answer; PII written in clear
 * (here: emails, card and phone numbers) never survives; existing placeholders are kept.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FineTuningExampleSchema } from "../../../../shared/schemas/fine-tuning-example";
import { fineTuningExample, type FineTuningRow } from "./fine-tuning-export";

const ROW: FineTuningRow = { source: "pair", cursor_id: "r:draft", student_id: "r:draft", completed_at: 1, student_score: 2, student_model: "small-sim", teacher_id: "r", teacher_score: 5, teacher_model: "frontier-sim", content_envelope: "" };
const SECRETS = ["ana.lopez@example.org", "4111 1111 1111 1111", "+1 415 555 0134"];
const PLACEHOLDERS = ["<PERSON_1>", "<EMAIL_ADDRESS_2>", "<PHONE_NUMBER_1>"];

const piece = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 4 },
  fc.constantFrom(...SECRETS),
  fc.constantFrom(...PLACEHOLDERS),
  fc.constantFrom("<|endoftext|>", "\n", " "),
);
// Pieces are joined with a sentence boundary: a card number glued to other digits ("0 4111...")
// is a different digit run, which the gateway's detector (and this export) does not claim to find.
const text = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(". "));
const role = fc.oneof({ arbitrary: fc.constantFrom("system", "user", "assistant", "developer"), weight: 6 }, fc.constantFrom("tool", "function", "other"));
const content = fc.record({ messages: fc.array(fc.record({ role, content: text }), { maxLength: 6 }), response: text });

describe("fineTuningExample properties", () => {
  it("is null or a valid example ending in the redacted better answer, with no clear-text PII", () => {
    fc.assert(
      fc.property(content, fc.boolean(), (c, withMeta) => {
        const out = fineTuningExample(ROW, JSON.stringify(c), withMeta);
        if (out === null) return;
        expect(FineTuningExampleSchema.safeParse(out).success).toBe(true);
        expect(out.messages).toHaveLength(c.messages.length + 1);
        expect(out.messages.at(-1)).toMatchObject({ role: "assistant", weight: 1 });
        expect(c.messages.at(-1)?.role).toBe("user");
        expect(out.metadata !== undefined).toBe(withMeta);
        const written = out.messages.map((m) => m.content).join("\n");
        for (const secret of SECRETS) expect(written).not.toContain(secret);
        for (const p of PLACEHOLDERS) if (JSON.stringify(c).includes(p)) expect(written).toContain(p);
      }),
      { numRuns: 300 },
    );
  });

  it("leaves a placeholder whole where a detector would read a name around it (after a title)", () => {
    const c = { messages: [{ role: "system", content: "Dr. <PERSON_1> reviews claims." }, { role: "user", content: "Ask Prof. <PERSON_2> too." }], response: "Write to <EMAIL_ADDRESS_2>." };
    const out = fineTuningExample(ROW, JSON.stringify(c), false);
    expect(out?.messages.map((m) => m.content)).toEqual(["Dr. <PERSON_1> reviews claims.", "Ask Prof. <PERSON_2> too.", "Write to <EMAIL_ADDRESS_2>."]);
  });

  it("skips what is not a JSON exchange instead of throwing", () => {
    fc.assert(fc.property(fc.string(), (s) => {
      expect(() => fineTuningExample(ROW, s, false)).not.toThrow();
    }), { numRuns: 200 });
  });
});
