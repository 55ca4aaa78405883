/**
 * Semantic cache benchmark: `npm run bench:cache [-- --data path/to/stsb.csv]`. Prints markdown
 * for docs/benchmarks/cache.md:
 *  1. guard rules by 2-fold ablation (cache-guards.ts) and the lexical weight rule on each half;
 *  2. the static default and the cold threshold picked by their fixed rules on each half and
 *     measured on the other (cache-rules.ts), the sweep per half, and the pairs sent through one
 *     cache namespace as chat traffic would be (cache-protocol.ts);
 *  3. the false-hit guarantee: labelled pairs streamed as traffic through the gate, the judge
 *     revealing labels of audited hits and shadow checks (cache-stream*.ts);
 *  4. latency: embedding, hit score, the gate, lookup at 10k / 100k entries.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseCli } from "../scripts/lib/cli";
import { LocalEmbedder } from "../workers/gateway/src/cache/embedder/local/local-embedder";
import { DEFAULT_LEXICAL_WEIGHT, DEFAULT_MIN_COSINE, DEFAULT_SEMANTIC_THRESHOLD } from "../workers/gateway/src/cache/settings";
import { MEASURED_COLD_THRESHOLDS, scorerId } from "../workers/gateway/src/cache/calibration/scorer";
import { LEXICAL_WEIGHT_GRID, auc, loadPairs, pickLexicalWeight, rates, scorePairs, type Decision, type ScoredPair } from "./cache-quality";
import { guardAblation, guardAblationTable } from "./cache-guards";
import { COLD_RULE, STATIC_RULE, TAIL_COLD_RULE, budgetSweepTable, halvesOf, heldOutShippedProcedure, heldOutShippedTable, twoFold, twoFoldTable } from "./cache-rules";
import { oneNamespace, protocolSweep } from "./cache-protocol";
import { ceiling } from "./cache-ceiling";
import { wordnetSynonyms } from "./cache-synonyms";
import { runStreams, streamTable, type Scenario, type StreamSettings } from "./cache-stream-report";
import { measureEmbedding, measureGate, measureHitScore, measureLookup } from "./cache-latency";

const { values } = parseCli({
  name: "npm run bench:cache --",
  summary: "Semantic cache: guard and threshold rules cross-validated on two halves of STS pairs, the false-hit guarantee under streamed traffic, embedding and lookup latency (markdown for docs/benchmarks/cache.md). Runs for several minutes.",
  options: {
    data: { type: "string", default: new URL("../../shared/data/stsb-en-dev/stsb-en-dev.csv", import.meta.url).pathname, description: "STS pairs (CSV: a, b, score)" },
    artifact: { type: "string", default: "workers/gateway/src/cache/embedder/local/glove-sif-int8.bin", description: "local embedder artifact: the shipped GloVe one (the constants in settings.ts are its), or usedistil-int8.bin, the distilled student measured but not shipped" },
    "lexical-weight": { type: "string", default: String(DEFAULT_LEXICAL_WEIGHT), description: "hit-score lexical weight of the scorer measured (the student's rule pick is 0.15)" },
    threshold: { type: "string", default: String(DEFAULT_SEMANTIC_THRESHOLD), description: "static hit-score threshold of the scorer measured (the student's rule pick is 0.845)" },
    sizes: { type: "string", default: "10000,100000", description: "lookup latency index sizes" },
    requests: { type: "string", default: "200000", description: "requests per simulated stream" },
    seeds: { type: "string", default: "5", description: "streams per half and delta" },
    parts: { type: "string", default: "quality,stream,latency", description: "which sections to run" },
  },
});
// The scorer measured: the shipped one by default; another artifact needs its own constants.
const LEXICAL_WEIGHT = Number(values["lexical-weight"]);
const STATIC_THRESHOLD = Number(values.threshold);
const pct = (x: number, d = 1): string => `${(100 * x).toFixed(d)}%`;
const ms = (x: number): string => `${x.toFixed(3)} ms`;
const SHIPPED: Decision = { lexicalWeight: LEXICAL_WEIGHT, minCosine: DEFAULT_MIN_COSINE };
const DELTAS = [0.005, 0.01, 0.02];

function sweepPerHalf(halves: ScoredPair[][]): string {
  const rows = ["| hit-score threshold | half 1: recall / false hits | half 2: recall / false hits |", "|---|---|---|"];
  for (let t = 0.6; t <= 0.9001; t += 0.02) {
    const cells = halves.map((h) => rates(h, Number(t.toFixed(2)), true, SHIPPED)).map((r) => `${pct(r.hitRate)} / ${pct(r.falseHitRate, 2)}`);
    rows.push(`| ${t.toFixed(2)} | ${cells.join(" | ")} |`);
  }
  return rows.join("\n");
}

/** The shipped scorer against the same scorer with WordNet synonyms in the overlap (3 senses a word). */
async function featuresTable(pairs: ReturnType<typeof loadPairs>, embedder: LocalEmbedder, shipped: ScoredPair[][]): Promise<string> {
  const withSynonyms = halvesOf(await scorePairs(pairs, embedder, undefined, wordnetSynonyms(3)));
  const rows = [
    `| scorer | half | ROC AUC | recall at <= 1% false hits | ${DELTAS.map((d) => `recall at wrong/served <= ${pct(d)}: one threshold / every band`).join(" | ")} |`,
    `|---|---|---|---|${DELTAS.map(() => "---").join("|")}|`,
  ];
  for (const [name, halves] of [[`shipped (cosine - ${LEXICAL_WEIGHT} x (1 - overlap))`, shipped], ["+ WordNet synonyms in the overlap", withSynonyms]] as const) {
    for (const [k, h] of halves.entries()) {
      const c = ceiling(h, SHIPPED, DELTAS);
      rows.push(`| ${name} | ${k + 1} | ${auc(h, LEXICAL_WEIGHT).toFixed(4)} | ${pct(c.atOnePercentFalseHits)} | ${c.atShare.map((x, i) => `${pct(x)} / ${pct(c.perBand[i] ?? 0)}`).join(" | ")} |`);
    }
  }
  return rows.join("\n");
}

async function quality(scored: ScoredPair[], pairs: ReturnType<typeof loadPairs>, embedder: LocalEmbedder): Promise<ColdPicks> {
  const halves = halvesOf(scored);
  const labelled = (h: ScoredPair[]) => `${h.filter((p) => p.score >= 4).length} paraphrases, ${h.filter((p) => p.score <= 2).length} non-paraphrases`;
  console.log(`\nhalves: even rows (half 1: ${labelled(halves[0] ?? [])}), odd rows (half 2: ${labelled(halves[1] ?? [])})`);
  console.log(`\n## Guard rules (2-fold ablation, pairs with cosine >= ${DEFAULT_MIN_COSINE}; in brackets: at the static default ${STATIC_THRESHOLD})\n`);
  console.log(guardAblationTable(guardAblation(halves, SHIPPED, STATIC_THRESHOLD), STATIC_THRESHOLD));
  console.log(`\n## Lexical weight (highest ROC AUC on a 0.05 grid): half 1 ${pickLexicalWeight(halves[0] ?? [])}, half 2 ${pickLexicalWeight(halves[1] ?? [])}, whole set ${pickLexicalWeight(scored)} (LEXICAL_WEIGHT = ${LEXICAL_WEIGHT})`);
  console.log(`AUC by weight (whole set): ${LEXICAL_WEIGHT_GRID.map((x) => `${x.toFixed(2)}: ${auc(scored, x).toFixed(4)}`).join(", ")}`);
  const statics = twoFold(STATIC_RULE, scored, SHIPPED);
  console.log(`\n## Static default (maxFalseHitRate null; STATIC_THRESHOLD = ${STATIC_THRESHOLD})\n\n${twoFoldTable(STATIC_RULE, statics)}`);
  console.log(`\n## The shipped procedure held out (4 folds: strictest pick on the other three folds and their halves)\n\n${heldOutShippedTable(heldOutShippedProcedure(STATIC_RULE, scored, SHIPPED))}`);
  console.log(`\n## Static rule, budget varied (each half's pick measured on the other)\n\n${budgetSweepTable(scored, SHIPPED, [0, 0.0025, 0.005, 0.0075, 0.01])}`);
  const colds = twoFold(COLD_RULE, scored, SHIPPED);
  const shippedCold = MEASURED_COLD_THRESHOLDS.get(scorerId(embedder.id, LEXICAL_WEIGHT));
  console.log(`\n## Cold threshold (MEASURED_COLD_THRESHOLDS = ${shippedCold ?? "none: exact hits only"})\n\n${twoFoldTable(COLD_RULE, colds)}`);
  const tails = twoFold(TAIL_COLD_RULE, scored, SHIPPED);
  console.log(`\n## Cold threshold, tail rule\n\n${twoFoldTable(TAIL_COLD_RULE, tails)}\n\nHeld out, 4 folds:\n\n${heldOutShippedTable(heldOutShippedProcedure(TAIL_COLD_RULE, scored, SHIPPED))}`);
  console.log(`\n## Sweep per half (hit score, guards on)\n\n${sweepPerHalf(halves)}`);
  const pairHalves = halvesOf(pairs.map((p) => ({ ...p, cos: 0, overlap: 0, guardOk: true })));
  console.log("\n## Pairs through one cache namespace (as chat traffic; every answer stored)\n\n| policy | set | recall | false hits | of which on another pair's entry (exact) |\n|---|---|---|---|---|");
  for (const [label, policy] of [[`static ${STATIC_THRESHOLD}`, { maxFalseHitRate: null, threshold: STATIC_THRESHOLD, lexicalWeight: LEXICAL_WEIGHT }], [`bound, cold start at ${shippedCold ?? "exact only"}`, { lexicalWeight: LEXICAL_WEIGHT }]] as const) {
    for (const [k, half] of pairHalves.entries()) {
      const r = await oneNamespace(half, embedder, policy);
      console.log(`| ${label} | half ${k + 1} | ${pct(r.positivesHit / r.positives)} | ${pct(r.negativesHit / r.negatives, 2)} (${r.negativesHit} of ${r.negatives}) | ${r.negativesHitElsewhere} (${r.negativesHitExact}) |`);
    }
  }
  console.log(`\n## One namespace, static threshold swept (what the false hits are)\n\n${await protocolSweep(pairHalves, embedder, STATIC_THRESHOLD, { lexicalWeight: LEXICAL_WEIGHT })}`);
  console.log(`\n## Features tried: the best any threshold could do (labels known, per half)\n\n${await featuresTable(pairs, embedder, halves)}`);
  return { cold: colds.folds.map((f) => f.threshold), tail: tails.folds.map((f) => f.threshold) };
}

interface ColdPicks {
  cold: number[];
  tail: number[];
}

function guarantee(scored: ScoredPair[], picks: ColdPicks, settings: StreamSettings): void {
  const halves = halvesOf(scored);
  // A stream over half k starts cold at the threshold the rule picked on the other half (Infinity: exact hits only).
  const heldOut = (rulePicks: number[]) => (k: number): number | null => {
    const t = rulePicks[1 - k] as number;
    return Number.isFinite(t) ? t : null;
  };
  const [strict, tail] = [heldOut(picks.cold), heldOut(picks.tail)];
  const scenarios: Scenario[] = [
    { name: "shipped scorer, strict cold start (max + 0.02 rule)", decision: SHIPPED, cold: strict },
    { name: "shipped scorer, strict cold start (tail rule)", decision: SHIPPED, cold: tail },
    { name: "shipped scorer, exact-only cold start (any embedder)", decision: SHIPPED, cold: () => null },
    { name: "shipped scorer, judge wrong 3% of the time, max + 0.02 start", decision: SHIPPED, cold: strict, judgeError: 0.03 },
    { name: "shipped scorer, judge wrong 3% of the time, tail-rule start", decision: SHIPPED, cold: tail, judgeError: 0.03 },
    { name: "shipped scorer, judge wrong 3% of the time, exact-only start", decision: SHIPPED, cold: () => null, judgeError: 0.03 },
    { name: "1% of cached answers wrong at any score, exact-only cold start", decision: SHIPPED, cold: () => null, baseError: 0.01 },
  ];
  console.log(`\n## False-hit guarantee under streamed traffic (${settings.requests / 1000}k requests per stream, ${settings.seeds} streams pooled per row; audit ${pct(settings.auditRate, 0)} of served hits, shadow-check ${pct(settings.shadowRate, 0)} of refused near-misses; calibration re-read every ${settings.refreshEvery} requests)\n`);
  console.log(streamTable(runStreams(halves, scenarios, DELTAS, settings), settings));
  const other: Scenario[] = [{ name: "cosine alone as the score (another scale), exact-only cold start", decision: { lexicalWeight: 0, minCosine: DEFAULT_MIN_COSINE }, cold: () => null }];
  console.log(`\n${streamTable(runStreams(halves, other, DELTAS, settings), settings).split("\n").slice(2).join("\n")}`);
}

async function latency(embedder: LocalEmbedder, pairs: ReturnType<typeof loadPairs>): Promise<void> {
  const sentences = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const emb = await measureEmbedding(embedder, sentences);
  console.log(`\nembedding (local, 1 text/call, ${sentences.length} texts): mean ${ms(emb.mean)}, p50 ${ms(emb.p50)}, p99 ${ms(emb.p99)}`);
  const hs = measureHitScore(pairs, LEXICAL_WEIGHT);
  console.log(`hit score per candidate (${pairs.length} pairs): mean ${ms(hs.mean)}, p50 ${ms(hs.p50)}, p99 ${ms(hs.p99)}`);
  const gate = measureGate();
  console.log(`gate per calibration snapshot (exact bounds of 25 bands from fresh counts; once per snapshot reload, memoised): wall mean ${ms(gate.mean)}, p99 ${ms(gate.p99)}; CPU mean ${ms(gate.cpuMean)}, p99 ${ms(gate.cpuP99)}`);
  const sizes = values.sizes.split(",").map(Number);
  const lat = await measureLookup(embedder, sentences, sentences.slice(0, 500), sizes, DEFAULT_MIN_COSINE);
  console.log(`\nlookup, in process (FlatIndex as inside the Durable Object), 500 queries, top-4, minScore ${DEFAULT_MIN_COSINE} (the cosine floor); load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  console.log("\n| entries in one namespace | mode | wall p50 | wall p99 | CPU p50 | CPU p99 |\n|---|---|---|---|---|---|");
  for (const r of lat) console.log(`| ${r.entries} | ${r.mode} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.cpuP50)} | ${ms(r.cpuP99)} |`);
}

async function main(): Promise<void> {
  const artifact = readFileSync(values.artifact);
  const pairs = loadPairs(values.data);
  const embedder = new LocalEmbedder(artifact);
  console.log(`pairs: ${pairs.length} (>= 4: ${pairs.filter((p) => p.score >= 4).length}, <= 2: ${pairs.filter((p) => p.score <= 2).length}); embedder ${embedder.id}, ${(artifact.length / 1e6).toFixed(2)} MB`);
  const parts = new Set(values.parts.split(","));
  const scored = await scorePairs(pairs, embedder);
  const picksOf = (rule: typeof COLD_RULE): number[] => twoFold(rule, scored, SHIPPED).folds.map((f) => f.threshold);
  const cold: ColdPicks = parts.has("quality") ? await quality(scored, pairs, embedder) : { cold: picksOf(COLD_RULE), tail: picksOf(TAIL_COLD_RULE) };
  const settings: StreamSettings = { requests: Number(values.requests), seeds: Number(values.seeds), auditRate: 0.05, shadowRate: 0.25, refreshEvery: 200 };
  if (parts.has("stream")) guarantee(scored, cold, settings);
  if (parts.has("latency")) await latency(embedder, pairs);
}

await main();
