/**
 * `npx tsx scripts/guardrails/probe-ner.ts [--model FILE]`: the entity tagger's false alarms on
 * probes written for it: spans outside the marked entities in English prompts carrying a paragraph
 * in another script (scripts/guardrails/ner/probes.ts, dev, used when choosing the tagger's
 * features and the prose rule; and ner/probes-heldout.ts, written after that choice and used only
 * to check it), and spans in English sentences that open with a capitalised common word. Runs in
 * seconds; docs/benchmarks/guardrails.md.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { decodeTaggerFile, TaggerFileSchema } from "../../workers/gateway/src/guardrails/pii/tagger/model";
import { tagText } from "../../workers/gateway/src/guardrails/pii/tagger/tag";
import { MIXED, probeText, sentenceInitialProbes } from "./ner/probes";
import { MIXED_HELDOUT } from "./ner/probes-heldout";
import { parseCli } from "../lib/cli";

const SHIPPED = resolve(import.meta.dirname, "../../workers/gateway/src/guardrails/pii/tagger/model/entity-tagger.json");
const { values } = parseCli({
  name: "npx tsx scripts/guardrails/probe-ner.ts",
  summary: "False alarms of the entity tagger on mixed-script prompts and sentence-initial capitalised words.",
  options: {
    model: { type: "string", value: "FILE", description: "tagger file (default: the shipped one)" },
    verbose: { type: "boolean", description: "print every tagged span" },
  },
});
const model = decodeTaggerFile(TaggerFileSchema.parse(JSON.parse(readFileSync(values.model ?? SHIPPED, "utf8"))));
const tagged = (text: string): Array<{ start: number; end: number; type: string }> => tagText(text, model).filter((s) => s.score >= 0.5);
const show = (text: string, s: { start: number; end: number; type: string }): string => `  ${s.type} "${text.slice(s.start, s.end)}"`;

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start < b.end && b.start < a.end;

function mixed(name: string, set: readonly string[]): void {
  let wrongSpans = 0;
  let names = 0;
  let found = 0;
  for (const marked of set) {
    const { text, names: gold } = probeText(marked);
    const spans = tagged(text);
    const wrong = spans.filter((s) => !gold.some((g) => overlaps(s, g)));
    wrongSpans += wrong.length;
    names += gold.length;
    found += gold.filter((g) => spans.some((s) => overlaps(s, g))).length;
    if (values.verbose) for (const s of wrong) console.log(show(text, s));
  }
  console.log(`mixed-script prompts, ${name} (${set.length}): ${wrongSpans} spans outside the marked entities; ${found} of ${names} entities tagged`);
}
mixed("dev", MIXED);
mixed("written after the choice", MIXED_HELDOUT);
let falseInitial = 0;
const initial = sentenceInitialProbes();
for (const text of initial) {
  const spans = tagged(text);
  falseInitial += spans.length;
  if (values.verbose) for (const s of spans) console.log(show(text, s));
}
console.log(`sentence-initial capitalised words (${initial.length} sentences, no entities): ${falseInitial} spans`);
