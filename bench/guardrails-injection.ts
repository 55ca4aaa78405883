/**
 * Held-out measurement of the injection screen. Prints, per data source, the share flagged
 *   - dev: by the shipped model (trained on these rows: in-sample, for comparison only);
 *   - k-fold: 5 folds split by near-duplicate group, each scored by a model and calibration
 *     tables fitted without its fold (scripts/guardrails/injection/fit.ts);
 *   - leave-source-out: a model fitted without that whole source (jailbreak-dev, notinject-dev,
 *     or one language), the closest we get to data nobody here has seen;
 * at thresholds 0.5, 0.425 (the default) and 0.38: 1%, 2% and 3% calibrated false alarms. Also: encoded
 * variants of held-out attacks, and benign sets never trained on (router held-out, STS-B, SciFact).
 * Run: npm run bench:guardrails-cv [-- --data ../shared/data]   (~10 min on 2 cores)
 */
import { cpus, loadavg } from "node:os";
import { calibratedScore } from "../workers/gateway/src/guardrails/injection/calibrate";
import { scoreText } from "../workers/gateway/src/guardrails/injection/screen";
import { corpusSamples, extraTrainingSamples, heldOutBenign, sharedSamples, type Sample } from "../scripts/guardrails/injection/data";
import { fit, rawScore, type Fitted } from "../scripts/guardrails/injection/fit";
import { assignGroups, foldOf } from "../scripts/guardrails/injection/groups";
import { parseCli } from "../scripts/lib/cli";

const { values } = parseCli({
  name: "npm run bench:guardrails-cv --",
  summary: "The injection screen by k-fold-by-group and leave-source-out cross-validation. Runs for minutes.",
  options: { data: { type: "string", default: new URL("../../shared/data", import.meta.url).pathname, value: "DIR", description: "shared data directory" } },
});
const DATA = values.data;
const K = 5;
const T1 = 0.5;
const T2 = 0.425;
const T3 = 0.38;

const base = [...corpusSamples(), ...sharedSamples(DATA), ...extraTrainingSamples(DATA)];
assignGroups(base);
const held = heldOutBenign(DATA);
const score = (f: Fitted, s: Sample): number => calibratedScore(f.tables[s.role], rawScore(f.model, s.text));

const ENCODINGS: Record<string, (s: string) => string> = {
  base64: (s) => Buffer.from(s).toString("base64"),
  hex: (s) => Buffer.from(s).toString("hex"),
  reversed: (s) => [...s].reverse().join(""),
  rot13: (s) => s.replace(/[a-z]/gi, (c) => String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (c === c.toLowerCase() ? 97 : 65))),
  "tag characters": (s) => `Hi!${[...s].map((c) => String.fromCodePoint(0xe0000 + (c.codePointAt(0) ?? 0))).join("")}`,
  "url-encoded": (s) => [...new TextEncoder().encode(s)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""),
  leetspeak: (s) => s.replace(/[aeiost]/g, (c) => ({ a: "4", e: "3", i: "1", o: "0", s: "5", t: "7" })[c] ?? c),
};
const encodable = (s: Sample): boolean => s.y === 1 && s.lang === "en" && s.role === "user" && s.text.length < 300 && s.source.startsWith("corpus/");

// k-fold by group
const kfold = new Map<Sample, number>();
const heldFlags = new Map<string, number[]>();
const encoded = new Map<string, number[]>();
for (let f = 0; f < K; f++) {
  const fitted = fit(base.filter((s) => foldOf(s.group, K) !== f), held, 100 + f);
  for (const s of base) if (foldOf(s.group, K) === f) kfold.set(s, score(fitted, s));
  for (const s of held) (heldFlags.get(s.source) ?? heldFlags.set(s.source, []).get(s.source))?.push(score(fitted, s));
  for (const s of base.filter((x) => foldOf(x.group, K) === f && encodable(x))) {
    for (const [name, enc] of Object.entries(ENCODINGS)) (encoded.get(name) ?? encoded.set(name, []).get(name))?.push(score(fitted, { ...s, text: enc(s.text) }));
  }
  console.error(`fold ${f + 1}/${K} done`);
}

// leave one source out
const loso = new Map<Sample, number>();
const leaveOut: Array<[string, (s: Sample) => boolean]> = [
  ["jailbreak-dev", (s) => s.source === "jailbreak-dev"],
  ["notinject-dev", (s) => s.source === "notinject-dev"],
  ...["ja", "ru", "ar", "ko", "hi"].map((l): [string, (s: Sample) => boolean] => [`language ${l}`, (s) => s.lang === l]),
];
for (const [name, out] of leaveOut) {
  const fitted = fit(base.filter((s) => !out(s)), held, 200);
  for (const s of base.filter(out)) loso.set(s, score(fitted, s));
  console.error(`left out ${name}`);
}

const rate = (xs: readonly number[], t: number): string => (xs.length ? (xs.filter((x) => x >= t).length / xs.length).toFixed(3) : "-");
const both = (xs: readonly number[]): string => (xs.length ? `${rate(xs, T1)} / **${rate(xs, T2)}** / ${rate(xs, T3)}` : "-");

console.log("| source | kind | n | dev (in-sample) | k-fold held-out | leave-source-out |\n| --- | --- | --- | --- | --- | --- |");
const keys = [...new Set(base.map((s) => `${s.source}|${s.y}`))].sort();
for (const key of keys) {
  const rows = base.filter((s) => `${s.source}|${s.y}` === key);
  const dev = rows.map((s) => scoreText(s.text, T1, s.role).score);
  const lo = rows.filter((s) => loso.has(s)).map((s) => loso.get(s) ?? 0);
  const [source, y] = key.split("|");
  console.log(`| ${source} | ${y === "1" ? "attacks caught" : "benign flagged"} | ${rows.length} | ${both(dev)} | ${both(rows.map((s) => kfold.get(s) ?? 0))} | ${both(lo)} |`);
}
console.log("\n| attacks by language (corpus/attacks-multilingual) | n | k-fold held-out | leave-language-out |\n| --- | --- | --- | --- |");
for (const lang of ["ja", "ru", "ar", "ko", "hi"]) {
  const rows = base.filter((s) => s.source === "corpus/attacks-multilingual" && s.lang === lang);
  console.log(`| ${lang} | ${rows.length} | ${both(rows.map((s) => kfold.get(s) ?? 0))} | ${both(rows.map((s) => loso.get(s) ?? 0))} |`);
}
console.log("\n| encoded held-out attacks (k-fold) | n | caught |\n| --- | --- | --- |");
for (const [name, xs] of encoded) console.log(`| ${name} | ${xs.length} | ${both(xs)} |`);
console.log("\n| benign, never trained on (mean over the 5 fold models) | role | n | flagged |\n| --- | --- | --- | --- |");
for (const [src, xs] of heldFlags) console.log(`| ${src} | ${held.find((s) => s.source === src)?.role} | ${xs.length / K} | ${both(xs)} |`);
console.log(`\nCells: share at threshold ${T1} (1% calibrated false alarms) / **${T2} (2%, the default)** / ${T3} (3%). machine: ${cpus()[0]?.model ?? "?"} x${cpus().length}, node ${process.version}, load ${loadavg()[0]?.toFixed(1)}`);
