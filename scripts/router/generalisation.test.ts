// Behaviour on prompts written after training, in public-benchmark styles, with subjects and
// scenarios absent from every training set: the complexity ranking must follow what makes a
// prompt hard for a small model, not corpus wording. complexity is a calibrated P(small worse)
// whose real-world range is narrow (about 0.1-0.4), so the checks are rankings, each hard prompt
// above each easy one, plus a gap on that scale, rather than absolute margins.
import { describe, expect, it } from "vitest";
import { featurize } from "../../workers/gateway/src/router/features/featurize";
import { referenceBackend } from "./lib/reference-backend";

const backend = referenceBackend();
const scores = async (prompts: string[]): Promise<number[]> => Promise.all(prompts.map(async (p) => (await backend(featurize({ prompt: p }))).complexity));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const mcq = (stem: string, opts: string[]): string => `${stem}\n${opts.map((o, i) => `${"ABCD"[i]}. ${o}`).join("\n")}\nAnswer:`;

async function expectRanked(easyPrompts: string[], hardPrompts: string[], gap: number): Promise<void> {
  const [easy, hard] = [await scores(easyPrompts), await scores(hardPrompts)];
  expect(Math.min(...hard)).toBeGreaterThan(Math.max(...easy));
  expect(mean(hard)).toBeGreaterThan(mean(easy) + gap);
}

describe("complexity generalises beyond the training sets", () => {
  it("ranks school-level exam questions below college/professional ones", async () => {
    await expectRanked(
      [
        mcq("Which of the following is a primary color?", ["Green", "Red", "Purple", "Orange"]),
        mcq("Which continent is Egypt in?", ["Asia", "Europe", "Africa", "South America"]),
        mcq("In sociology, a norm is best defined as:", ["a shared expectation of behaviour", "a law", "a religion", "a statistic"]),
      ],
      [
        mcq("Find the characteristic of the ring Z_3 x 3Z.", ["0", "3", "12", "30"]),
        mcq("A 0.5 kg mass on a spring with constant 200 N/m oscillates with amplitude 0.1 m. What is its maximum speed?", ["1 m/s", "2 m/s", "4 m/s", "20 m/s"]),
        mcq("Under a race-notice recording statute, which subsequent purchaser of unrecorded land prevails?", ["The first buyer", "A later bona fide purchaser who records first", "The seller", "Neither"]),
      ],
      0.03,
    );
  });

  it("ranks multi-step word problems above one-step ones", async () => {
    await expectRanked(
      ["Tom has 5 apples and buys 3 more. How many apples does he have?", "A pack has 6 pencils. How many pencils are in 4 packs?"],
      [
        "A farmer has 3 fields. The first yields 120 kg of wheat, the second yields 25% more than the first, and the third yields half of the first two combined. He sells 60% of the total at $2.50 per kg. How much money does he earn?",
        "A cinema sells adult tickets at $12 and child tickets at $7. On Saturday it sold 40 more child tickets than adult tickets and took $1,360 in total. How many adult tickets were sold?",
      ],
      0.05,
    );
  });

  it("ranks small talk and lookups below design, debugging and proofs", async () => {
    await expectRanked(
      ["yo! how's your day going?", "What's the currency of Japan?", "Translate 'see you tomorrow' into Spanish."],
      [
        "Our Kafka consumers occasionally process the same message twice after a rebalance. Explain why and design an exactly-once pipeline.",
        "Show that every bounded monotone sequence of real numbers converges.",
      ],
      0.04,
    );
  });
});
