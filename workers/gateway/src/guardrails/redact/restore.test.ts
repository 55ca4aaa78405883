import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createStreamRestorer, restoreText } from "./restore";
import { PiiVault } from "./vault";

function vault(): PiiVault {
  const v = new PiiVault();
  v.placeholderFor("PERSON", "Jane Doe");
  v.placeholderFor("EMAIL_ADDRESS", "jane@example.com");
  return v;
}

describe("restoreText", () => {
  it("restores known placeholders and leaves unknown ones", () => {
    expect(restoreText("Hi <PERSON_1>, <PERSON_9> and <b>", vault())).toBe("Hi Jane Doe, <PERSON_9> and <b>");
  });
});

describe("createStreamRestorer", () => {
  it("restores a placeholder split across chunks", () => {
    const r = createStreamRestorer(vault());
    const out = [r.push("Dear <PER"), r.push("SON_1"), r.push(">, write to <EMAIL_"), r.push("ADDRESS_1> ok"), r.flush()];
    expect(out.join("")).toBe("Dear Jane Doe, write to jane@example.com ok");
    expect(out[0]).toBe("Dear ");
  });

  it("does not hold back ordinary angle brackets", () => {
    const r = createStreamRestorer(vault());
    expect(r.push("a < b and <div>")).toBe("a < b and <div>");
    expect(r.push("x <")).toBe("x ");
    expect(r.flush()).toBe("<");
  });

  it("equals restoreText of the whole for any chunking (property)", () => {
    const v = vault();
    const text = "Hello <PERSON_1>! mail <EMAIL_ADDRESS_1> or <PERSON_2> <<PERSON_1>> <PERSON_1";
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const r = createStreamRestorer(v);
        let out = "";
        let prev = 0;
        for (const p of [...points, text.length]) {
          out += r.push(text.slice(prev, p));
          prev = p;
        }
        out += r.flush();
        expect(out).toBe(restoreText(text, v));
      }),
    );
  });
});
