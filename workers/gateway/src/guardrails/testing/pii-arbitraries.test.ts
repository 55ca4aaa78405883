import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactText } from "../redact/redact-text";
import { PiiVault } from "../redact/vault";
import { DEFAULT_GUARDRAIL_SETTINGS } from "../settings";
import { PII_BY_KIND, sentenceWith } from "./pii-arbitraries";
import { testHashKey } from "./hash-key";

/** The generators are sound: each value is redacted when it stands in a sentence (the property test builds on this). */
describe("generated PII values", () => {
  it.each(Object.keys(PII_BY_KIND) as Array<keyof typeof PII_BY_KIND>)("%s is redacted in a sentence", (kind) => {
    const values = PII_BY_KIND[kind].chain((v) => sentenceWith(v).map((s) => [v, s] as const));
    fc.assert(
      fc.property(values, ([value, sentence]) => {
        const out = redactText(sentence, DEFAULT_GUARDRAIL_SETTINGS.pii, new PiiVault(), testHashKey("t")).text;
        expect(out).not.toContain(value);
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});
