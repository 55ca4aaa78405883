/**
 * Semantic cache benchmark: `npm run bench:cache [-- --data path/to/stsb.csv]`.
 * Quality on STS-B pairs (hit rate on pairs scored >= 4, false-hit rate on pairs <= 2) for the
 * shipped embedder with and without guards and with and without the lexical penalty of the hit
 * score, SIF weighting and no common-component removal as alternatives; the two fixed rules
 * (lexical weight, threshold), the threshold sweep, a 2-fold check of how both picked on one
 * half transfer to the other; then in-process lookup latency at 10k/100k entries, embedding and
 * hit-score time. Prints markdown.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { LocalEmbedder } from "../workers/gateway/src/cache/embedder/local/local-embedder";
import { DEFAULT_LEXICAL_WEIGHT, DEFAULT_MIN_COSINE, DEFAULT_SEMANTIC_THRESHOLD } from "../workers/gateway/src/cache/settings";
import {
  COSINE_ONLY, LEXICAL_WEIGHT_GRID, auc, loadPairs, pickLexicalWeight, pickThreshold, rates, scorePairs, spearman, type Decision, type ScoredPair,
} from "./cache-quality";
import { measureEmbedding, measureHitScore, measureLookup } from "./cache-latency";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: new URL("../../shared/data/stsb-en-dev/stsb-en-dev.csv", import.meta.url).pathname },
    artifact: { type: "string", default: "workers/gateway/src/cache/embedder/local/glove-sif-int8.bin" },
    sizes: { type: "string", default: "10000,100000" },
  },
});
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const ms = (x: number): string => `${x.toFixed(3)} ms`;

/** The shipped decision with a given lexical weight (the cosine floor is fixed by latency). */
const decision = (lexicalWeight: number): Decision => ({ lexicalWeight, minCosine: DEFAULT_MIN_COSINE });
const SHIPPED = decision(DEFAULT_LEXICAL_WEIGHT);

/** The fixed threshold rule: lowest 0.005-grid threshold with <= 1% false hits (guards on), plus one step. */
function ruleThreshold(scored: ScoredPair[], d: Decision): number {
  return Number((pickThreshold(scored, true, 0.01, d).threshold + 0.005).toFixed(3));
}

const halvesOf = (scored: ScoredPair[]): ScoredPair[][] => [scored.filter((_, i) => i % 2 === 0), scored.filter((_, i) => i % 2 === 1)];

/**
 * The shipped default: the strictest of the rule applied to the whole set and to each half.
 * The 1% point rests on a handful of non-paraphrases (~6 of 647), so one pick can land where
 * another sample would see 2% false hits; taking the strictest pick is the margin.
 */
function defaultThreshold(scored: ScoredPair[], d: Decision): number {
  return Math.max(ruleThreshold(scored, d), ...halvesOf(scored).map((h) => ruleThreshold(h, d)));
}

function sweep(scored: ScoredPair[]): void {
  console.log(`\n| hit-score threshold | hit rate (guards) | false hits (guards) | hit rate (no guards) | false hits (no guards) | cosine alone as score, guards: hit / false |\n|---|---|---|---|---|---|`);
  for (let t = 0.5; t <= 0.9801; t += 0.02) {
    const g = rates(scored, t, true, SHIPPED);
    const n = rates(scored, t, false, SHIPPED);
    const c = rates(scored, t, true, COSINE_ONLY);
    console.log(`| ${t.toFixed(2)} | ${pct(g.hitRate)} | ${pct(g.falseHitRate)} | ${pct(n.hitRate)} | ${pct(n.falseHitRate)} | ${pct(c.hitRate)} / ${pct(c.falseHitRate)} |`);
  }
}

/** Both rules applied to one half, measured on the other. */
function twoFold(scored: ScoredPair[]): void {
  const halves = halvesOf(scored);
  console.log("\n| picked on | lexical weight | threshold | held-out hit rate | held-out false hits | cosine alone: threshold, held-out hit / false |\n|---|---|---|---|---|---|");
  halves.forEach((pick, k) => {
    const other = halves[1 - k] as ScoredPair[];
    const w = pickLexicalWeight(pick);
    const t = ruleThreshold(pick, decision(w));
    const r = rates(other, t, true, decision(w));
    const tc = ruleThreshold(pick, COSINE_ONLY);
    const c = rates(other, tc, true, COSINE_ONLY);
    console.log(`| half ${k + 1} | ${w.toFixed(2)} | ${t.toFixed(3)} | ${pct(r.hitRate)} | ${pct(r.falseHitRate)} | ${tc.toFixed(3)}: ${pct(c.hitRate)} / ${pct(c.falseHitRate)} |`);
  });
}

async function main(): Promise<void> {
  const artifact = readFileSync(values.artifact);
  const pairs = loadPairs(values.data);
  const shipped = new LocalEmbedder(artifact);
  const sif = new LocalEmbedder(artifact, { weighting: "sif" });
  const bare = new LocalEmbedder(artifact, { removeCommon: false });
  console.log(`pairs: ${pairs.length} (>= 4: ${pairs.filter((p) => p.score >= 4).length}, <= 2: ${pairs.filter((p) => p.score <= 2).length}); artifact ${(artifact.length / 1e6).toFixed(2)} MB`);
  const main = await scorePairs(pairs, shipped);
  const w = pickLexicalWeight(main);
  console.log(`\nlexical weight rule (highest ROC AUC of the hit score on guard-accepted pairs, grid 0-0.5 step 0.05, ties to the smaller): ${w.toFixed(2)} (DEFAULT_LEXICAL_WEIGHT = ${DEFAULT_LEXICAL_WEIGHT})`);
  console.log(`AUC by weight: ${LEXICAL_WEIGHT_GRID.map((x) => `${x.toFixed(2)}: ${auc(main, x).toFixed(4)}`).join(", ")}`);
  const rule = defaultThreshold(main, SHIPPED);
  console.log(`threshold rule (lowest 0.005-grid hit-score threshold with <= 1% false hits, guards on, cosine floor ${DEFAULT_MIN_COSINE}, + one 0.005 step; the strictest of that on the whole set and on each half) at weight ${DEFAULT_LEXICAL_WEIGHT}: ${rule.toFixed(3)} (whole set alone: ${ruleThreshold(main, SHIPPED).toFixed(3)}; DEFAULT_SEMANTIC_THRESHOLD = ${DEFAULT_SEMANTIC_THRESHOLD})`);
  console.log(`\n| embedder | decision | Spearman | guards | threshold at <= 1% false hits | hit rate | false hits | at its default: hit / false |\n|---|---|---|---|---|---|---|---|`);
  // Cosine alone is shown at the default the same rule gives it, so the rows compare like with like.
  const cosDefault = defaultThreshold(main, COSINE_ONLY);
  for (const e of [shipped, sif, bare]) {
    const scored = e === shipped ? main : await scorePairs(pairs, e);
    for (const [label, d, t] of [[`hit score (weight ${DEFAULT_LEXICAL_WEIGHT}, cosine >= ${DEFAULT_MIN_COSINE})`, SHIPPED, DEFAULT_SEMANTIC_THRESHOLD], ["cosine alone", COSINE_ONLY, cosDefault]] as const) {
      for (const guards of [true, false]) {
        const best = pickThreshold(scored, guards, 0.01, d);
        const r = rates(scored, t, guards, d);
        console.log(`| ${e.id} | ${label} | ${spearman(scored, d.lexicalWeight).toFixed(3)} | ${guards ? "on" : "off"} | ${best.threshold.toFixed(3)} | ${pct(best.hitRate)} | ${pct(best.falseHitRate)} | ${t.toFixed(3)}: ${pct(r.hitRate)} / ${pct(r.falseHitRate)} |`);
      }
    }
  }
  const pos = main.filter((p) => p.score >= 4);
  const accepted = pos.filter((p) => p.guardOk);
  const atDefault = rates(accepted, DEFAULT_SEMANTIC_THRESHOLD, true, SHIPPED).hitRate;
  console.log(`\nguards refuse ${pct(1 - accepted.length / pos.length)} of pairs scored >= 4 before any threshold (they differ in a number, date, entity, negation...); of the ones they accept, ${pct(atDefault)} hit at ${DEFAULT_SEMANTIC_THRESHOLD}`);
  sweep(main);
  twoFold(main);
  const sentences = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const emb = await measureEmbedding(shipped, sentences);
  console.log(`\nembedding (local, 1 text/call, ${sentences.length} texts): mean ${ms(emb.mean)}, p50 ${ms(emb.p50)}, p99 ${ms(emb.p99)}`);
  const hs = measureHitScore(pairs, DEFAULT_LEXICAL_WEIGHT);
  console.log(`hit score per candidate (lexical overlap of both texts, ${pairs.length} pairs): mean ${ms(hs.mean)}, p50 ${ms(hs.p50)}, p99 ${ms(hs.p99)}`);
  const sizes = values.sizes.split(",").map(Number);
  const minScore = Math.max(DEFAULT_SEMANTIC_THRESHOLD, DEFAULT_MIN_COSINE);
  const lat = await measureLookup(shipped, sentences, sentences.slice(0, 500), sizes, minScore);
  console.log(`\nlookup, in process (FlatIndex as inside the Durable Object), ${lat.length ? 500 : 0} queries, top-4, minScore ${minScore} (max of threshold and cosine floor: the hit score never exceeds the cosine); load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  console.log("\n| entries in one namespace | mode | wall p50 | wall p99 | CPU p50 | CPU p99 |\n|---|---|---|---|---|---|");
  for (const r of lat) console.log(`| ${r.entries} | ${r.mode} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.cpuP50)} | ${ms(r.cpuP99)} |`);
}

await main();
