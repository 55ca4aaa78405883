import { describe, expect, it } from "vitest";
import type { RawFinding } from "../types";
import { yieldToStructured } from "./structured-first";

const at = (text: string, value: string, type: RawFinding["type"], score: number): RawFinding => {
  const start = text.indexOf(value);
  return { type, start, end: start + value.length, score };
};
const spans = (text: string, fs: RawFinding[]): Array<[string, string]> => fs.map((f) => [f.type, text.slice(f.start, f.end)]);

describe("yieldToStructured", () => {
  it("cuts an address that runs onto the phone line back to the address", () => {
    const text = "Flat 2, 18 Linden Row\nLeeds LS6 2AB\n0113 496 0123\nbye";
    const out = yieldToStructured([at(text, "Flat 2, 18 Linden Row\nLeeds LS6 2AB\n0113 496 0123", "STREET_ADDRESS", 0.99), at(text, "0113 496 0123", "PHONE_NUMBER", 0.9)], text);
    expect(spans(text, out)).toEqual([
      ["STREET_ADDRESS", "Flat 2, 18 Linden Row\nLeeds LS6 2AB"],
      ["PHONE_NUMBER", "0113 496 0123"],
    ]);
  });

  it("keeps the longer side when the identifier sits inside the span, and drops a span left with nothing", () => {
    const text = "Odile, odile.marchetti@example.org Marchetti";
    const person = at(text, text, "PERSON", 0.8);
    const email = at(text, "odile.marchetti@example.org", "EMAIL_ADDRESS", 1);
    expect(spans(text, yieldToStructured([person, email], text))).toEqual([
      ["PERSON", "Marchetti"],
      ["EMAIL_ADDRESS", "odile.marchetti@example.org"],
    ]);
    const only = "4111 1111 1111 1111";
    expect(spans(only, yieldToStructured([at(only, only, "ORGANIZATION", 0.9), at(only, only, "CREDIT_CARD", 1)], only))).toEqual([["CREDIT_CARD", only]]);
  });

  it("does not let an unlabelled digit group (maybe the postcode) cut an address", () => {
    const text = "Kheyaban-e Azadi 14, Shiraz 71946-53811";
    const fs = [at(text, text, "STREET_ADDRESS", 0.97), at(text, "71946-53811", "PHONE_NUMBER", 0.7)];
    expect(yieldToStructured(fs, text)).toEqual(fs);
  });

  it("leaves rule findings other than the checked identifiers, and non-overlapping spans, alone", () => {
    const text = "Dana Whitlock, born 2 May 1990, tel 0113 496 0123";
    const fs = [at(text, "Dana Whitlock", "PERSON", 0.9), at(text, "2 May 1990", "DATE_TIME", 0.85), at(text, "0113 496 0123", "PHONE_NUMBER", 0.9)];
    expect(yieldToStructured(fs, text)).toEqual(fs);
  });
});
