/**
 * The entity tagger's numbers across training seeds: how much of a difference between two recipes
 * (or between a figure and its target) is retrain noise. For each recipe and training seed it
 * trains the tagger as `npm run guardrails:train-ner` does (same data, split seed and settings;
 * only the training seed, which orders the examples and hides dictionary bits, changes), puts the
 * model behind the detector that serves POST /v1/guardrails/check, and scores the dev and held-out
 * splits as bench/guardrails-ner.ts does, plus the mixed-script probes (tagger alone, score ≥ 0.5,
 * as scripts/guardrails/probe-ner.ts). Prints per-seed rows and mean ± sd per recipe (markdown).
 * Recipes: the shipped one, and the shipped one with the non-Latin prose rule switched the other
 * way (tagger/script-runs.ts), so the rule's effect is read against seed noise.
 * Run: npm run bench:guardrails-ner-seeds [-- --seeds 13,14,15,16,17] (about a minute per model)
 */
import { cpus } from "node:os";
import { runGuardrailCheck } from "../workers/gateway/src/guardrails/check";
import { useTaggerModel } from "../workers/gateway/src/guardrails/pii/tagger/load";
import { decodeTaggerFile, type TaggerModel } from "../workers/gateway/src/guardrails/pii/tagger/model";
import { tagText } from "../workers/gateway/src/guardrails/pii/tagger/tag";
import { DEFAULT_GUARDRAIL_SETTINGS } from "../workers/gateway/src/guardrails/settings";
import { testHashKey } from "../workers/gateway/src/guardrails/testing/hash-key";
import { trainTagger, type TrainConfig } from "../scripts/guardrails/ner/build";
import { DEFAULT_DATA, loadSplits } from "../scripts/guardrails/ner/datasets";
import type { Example, Span } from "../scripts/guardrails/ner/example";
import { recall, score, spanPrecision, type Tally } from "../scripts/guardrails/ner/evaluate";
import { MIXED, probeText, sentenceInitialProbes } from "../scripts/guardrails/ner/probes";
import { MIXED_HELDOUT } from "../scripts/guardrails/ner/probes-heldout";
import { SHIPPED_RUN } from "../scripts/guardrails/ner/spec";
import { parseCli } from "../scripts/lib/cli";

const { values } = parseCli({
  name: "npm run bench:guardrails-ner-seeds --",
  summary: "Entity tagger retrained with several seeds, with and without the non-Latin prose rule: dev, held-out and probe figures, mean ± sd.",
  options: {
    data: { type: "string", default: DEFAULT_DATA, value: "DIR", description: "NER data directory" },
    seeds: { type: "string", default: "13,14,15,16,17", value: "LIST", description: "training seeds, comma-separated" },
  },
});
const seeds = values.seeds.split(",").map(Number);
if (seeds.some((s) => !Number.isInteger(s))) throw new Error(`--seeds: integers, comma-separated (got ${values.seeds})`);

/** Held-out locales in neither training nor the name dictionaries (docs/benchmarks/guardrails.md, "Before / after"). */
const NEVER_USED = new Set(["en_GH", "fr_CH", "el", "he", "uk", "lv", "af_ZA", "sl_SI", "ka_GE", "hy", "ne", "yo_NG", "zu_ZA"]);
const localeOf = (ex: Example): string => ex.source.split(":")[1] ?? "";
const TAGGED = new Set(["PERSON", "LOCATION", "ORGANIZATION", "STREET_ADDRESS"]);

const viaCheck = (text: string): Span[] => runGuardrailCheck({ text, checks: ["pii"] }, DEFAULT_GUARDRAIL_SETTINGS, testHashKey("bench")).pii as Span[];

type Figures = Record<string, number>;

function tally(exs: readonly Example[], types: ReadonlySet<string>, type: string): Tally {
  return score(exs, viaCheck, types).get(type) ?? { gold: 0, found: 0, pred: 0, predOverlapAny: 0, predTyped: 0 };
}

interface ProbeCount {
  wrong: number;
  found: number;
  names: number;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start < b.end && b.start < a.end;

function probe(model: TaggerModel, set: readonly string[]): ProbeCount {
  const out: ProbeCount = { wrong: 0, found: 0, names: 0 };
  for (const marked of set) {
    const { text, names } = probeText(marked);
    const spans = tagText(text, model).filter((s) => s.score >= 0.5);
    out.wrong += spans.filter((s) => !names.some((g) => overlaps(s, g))).length;
    out.names += names.length;
    out.found += names.filter((g) => spans.some((s) => overlaps(s, g))).length;
  }
  return out;
}

function measure(model: TaggerModel, splits: ReturnType<typeof loadSplits>): Figures {
  useTaggerModel(model);
  const f: Figures = {};
  const gen = splits.test["generated-heldout"] ?? [];
  for (const type of TAGGED) {
    const t = tally(gen, TAGGED, type);
    f[`held ${type} recall`] = recall(t);
    f[`held ${type} span prec`] = spanPrecision(t);
  }
  f["held PERSON never-used recall"] = recall(tally(gen.filter((ex) => NEVER_USED.has(localeOf(ex))), TAGGED, "PERSON"));
  for (const name of ["wnut17-test", "sec-filings-test"]) {
    const t = tally(splits.test[name] ?? [], TAGGED, "PERSON");
    f[`${name} PERSON recall`] = recall(t);
    f[`${name} PERSON span prec`] = spanPrecision(t);
  }
  for (const name of ["generated-dev", "wnut17-dev", "btc-h"]) {
    const t = tally(splits.dev[name] ?? [], TAGGED, "PERSON");
    f[`dev ${name} PERSON recall`] = recall(t);
    f[`dev ${name} PERSON span prec`] = spanPrecision(t);
  }
  for (const type of ["STREET_ADDRESS", "LOCATION", "ORGANIZATION"]) f[`dev ${type} recall`] = recall(tally(splits.dev["generated-dev"] ?? [], TAGGED, type));
  const dev = probe(model, MIXED);
  const held = probe(model, MIXED_HELDOUT);
  f["probe dev: false spans"] = dev.wrong;
  f["probe dev: names found"] = dev.found;
  f["probe new: false spans"] = held.wrong;
  f["probe new: names found"] = held.found;
  f["sentence-initial: false spans"] = probe(model, sentenceInitialProbes()).wrong;
  useTaggerModel(null);
  return f;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.length < 2 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
const isCount = (k: string): boolean => k.startsWith("probe") || k.startsWith("sentence");
const fmt = (k: string, x: number): string => (isCount(k) ? x.toFixed(Number.isInteger(x) ? 0 : 1) : x.toFixed(3));

const shippedRule = SHIPPED_RUN.train.proseRule ?? false;
const recipes: Array<[string, TrainConfig]> = [
  [`shipped recipe (prose rule ${shippedRule ? "on" : "off"})`, SHIPPED_RUN.train],
  [`prose rule ${shippedRule ? "off" : "on"}`, { ...SHIPPED_RUN.train, proseRule: !shippedRule }],
];
const splits = loadSplits({ data: values.data, generated: SHIPPED_RUN.generated, seed: SHIPPED_RUN.splitSeed });
const calib = [...(splits.dev["generated-dev"] ?? []), ...(splits.dev["wnut17-dev"] ?? [])];
const results = new Map<string, Figures[]>();
for (const seed of seeds) {
  for (const [name, cfg] of recipes) {
    const t0 = Date.now();
    const figures = measure(decodeTaggerFile(trainTagger(splits.train, calib, { ...cfg, seed })), splits);
    (results.get(name) ?? results.set(name, []).get(name))?.push(figures);
    console.error(`${name}, seed ${seed}: ${((Date.now() - t0) / 1000).toFixed(0)} s, held-out PERSON ${fmt("", figures["held PERSON recall"] ?? NaN)}, probe dev ${figures["probe dev: false spans"]}`);
  }
}

const names = [...results.keys()];
const keys = Object.keys(results.get(names[0] as string)?.[0] ?? {});
console.log(`Training seeds ${seeds.join(", ")} (split seed ${SHIPPED_RUN.splitSeed}; seed ${SHIPPED_RUN.train.seed} is the shipped model). mean ± sd over seeds, then the range.\n`);
console.log(`| figure | ${names.join(" | ")} |\n| --- | ${names.map(() => "---").join(" | ")} |`);
for (const k of keys) {
  const cells = names.map((n) => {
    const xs = (results.get(n) ?? []).map((f) => f[k] ?? NaN);
    return `${fmt(k, mean(xs))} ± ${fmt(k, sd(xs))} (${fmt(k, Math.min(...xs))}–${fmt(k, Math.max(...xs))})`;
  });
  console.log(`| ${k} | ${cells.join(" | ")} |`);
}
console.log(`\nPer seed (${keys.join("; ")}):\n`);
for (const n of names) for (const [i, f] of (results.get(n) ?? []).entries()) console.log(`- ${n}, seed ${seeds[i]}: ${keys.map((k) => fmt(k, f[k] ?? NaN)).join(" / ")}`);
console.log(`\nmachine: ${cpus()[0]?.model ?? "?"} x${cpus().length}, node ${process.version}`);
