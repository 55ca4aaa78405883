/**
 * Recall on generated values for the checksum/pattern entities (the ones with a >= 0.98 target),
 * embedded in varied sentences. Values come from @faker-js/faker (seeded), the same generator
 * family Presidio's synthetic evaluation set uses. Names are not measured here: our name
 * dictionaries come from faker too, so that number would flatter us.
 */
import { faker } from "@faker-js/faker";
import { detectPii } from "../workers/gateway/src/guardrails/pii/detect";
import type { PiiEntityType } from "../workers/gateway/src/guardrails/types";
import { parseCli } from "../scripts/lib/cli";

faker.seed(42);
const N = 300;
const TEMPLATES = ["Please use {v} for this.", "{v}", "my details: {v}, thanks", "The value ({v}) was in the log.", "Contact info -> {v}; call later"];

const GENERATORS: Array<[PiiEntityType, () => string]> = [
  ["CREDIT_CARD", () => faker.finance.creditCardNumber({ issuer: faker.helpers.arrayElement(["visa", "mastercard", "amex", "discover"]) })],
  ["IBAN_CODE", () => faker.finance.iban({ formatted: faker.datatype.boolean() })],
  ["EMAIL_ADDRESS", () => faker.internet.email()],
  ["PHONE_NUMBER", () => faker.phone.number()],
  ["US_SSN", () => faker.helpers.fromRegExp(/[1-5][0-9]{2}-[1-9][0-9]-[1-9][0-9]{3}/)],
  ["IP_ADDRESS", () => (faker.datatype.boolean() ? faker.internet.ipv4() : faker.internet.ipv6())],
];

export function syntheticRecall(): Array<{ type: PiiEntityType; recall: number; n: number }> {
  return GENERATORS.map(([type, gen]) => {
    let hit = 0;
    for (let i = 0; i < N; i++) {
      const v = gen();
      const text = faker.helpers.arrayElement(TEMPLATES).replace("{v}", v);
      const start = text.indexOf(v);
      if (detectPii(text).some((f) => f.type === type && f.start <= start && f.end >= start + v.length)) hit++;
    }
    return { type, recall: hit / N, n: N };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  parseCli({ name: "npx tsx bench/guardrails-synthetic.ts", summary: "Recall of the checksum/pattern PII entities on generated values (faker, seeded); also part of bench:guardrails." });
  for (const r of syntheticRecall()) console.log(`| ${r.type} | ${r.n} | ${r.recall.toFixed(3)} |`);
}
