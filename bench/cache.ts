/**
 * Semantic cache benchmark: `npm run bench:cache [-- --data path/to/stsb.csv]`.
 * Quality on STS-B pairs (hit rate on pairs scored >= 4, false-hit rate on pairs <= 2) for the
 * shipped embedder with and without guards, SIF weighting and no common-component removal as
 * alternatives, the threshold
 * sweep, a 2-fold check of how a threshold picked on one half transfers to the other; then
 * in-process lookup latency at 10k/100k entries and embedding time. Prints markdown.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { LocalEmbedder } from "../workers/gateway/src/cache/embedder/local/local-embedder";
import { DEFAULT_SEMANTIC_THRESHOLD } from "../workers/gateway/src/cache/settings";
import { loadPairs, pickThreshold, rates, scorePairs, spearman, type ScoredPair } from "./cache-quality";
import { measureEmbedding, measureLookup } from "./cache-latency";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: new URL("../../shared/data/stsb-en-dev/stsb-en-dev.csv", import.meta.url).pathname },
    artifact: { type: "string", default: "workers/gateway/src/cache/embedder/local/glove-sif-int8.bin" },
    sizes: { type: "string", default: "10000,100000" },
  },
});
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const ms = (x: number): string => `${x.toFixed(3)} ms`;

function sweep(scored: ScoredPair[]): void {
  console.log("\n| threshold | hit rate (guards) | false hits (guards) | hit rate (no guards) | false hits (no guards) |\n|---|---|---|---|---|");
  for (let t = 0.8; t <= 0.9801; t += 0.01) {
    const g = rates(scored, t, true);
    const n = rates(scored, t, false);
    console.log(`| ${t.toFixed(2)} | ${pct(g.hitRate)} | ${pct(g.falseHitRate)} | ${pct(n.hitRate)} | ${pct(n.falseHitRate)} |`);
  }
}

function twoFold(scored: ScoredPair[]): void {
  const halves = [scored.filter((_, i) => i % 2 === 0), scored.filter((_, i) => i % 2 === 1)];
  console.log("\n| picked on | threshold | held-out hit rate | held-out false hits |\n|---|---|---|---|");
  halves.forEach((pick, k) => {
    const t = pickThreshold(pick, true, 0.01).threshold;
    const r = rates(halves[1 - k] as ScoredPair[], t, true);
    console.log(`| half ${k + 1} | ${t.toFixed(3)} | ${pct(r.hitRate)} | ${pct(r.falseHitRate)} |`);
  });
}

async function main(): Promise<void> {
  const artifact = readFileSync(values.artifact);
  const pairs = loadPairs(values.data);
  const shipped = new LocalEmbedder(artifact);
  const sif = new LocalEmbedder(artifact, { weighting: "sif" });
  const bare = new LocalEmbedder(artifact, { removeCommon: false });
  console.log(`pairs: ${pairs.length} (>= 4: ${pairs.filter((p) => p.score >= 4).length}, <= 2: ${pairs.filter((p) => p.score <= 2).length}); artifact ${(artifact.length / 1e6).toFixed(2)} MB`);
  console.log("\n| embedder | Spearman | guards | threshold at <= 1% false hits | hit rate | false hits | at default " + DEFAULT_SEMANTIC_THRESHOLD + ": hit / false |\n|---|---|---|---|---|---|---|");
  let main: ScoredPair[] = [];
  for (const e of [shipped, sif, bare]) {
    const scored = await scorePairs(pairs, e);
    if (e === shipped) main = scored;
    for (const guards of [true, false]) {
      const best = pickThreshold(scored, guards, 0.01);
      const d = rates(scored, DEFAULT_SEMANTIC_THRESHOLD, guards);
      console.log(`| ${e.id} | ${spearman(scored).toFixed(3)} | ${guards ? "on" : "off"} | ${best.threshold.toFixed(3)} | ${pct(best.hitRate)} | ${pct(best.falseHitRate)} | ${pct(d.hitRate)} / ${pct(d.falseHitRate)} |`);
    }
  }
  const rule = pickThreshold(main, true, 0.01).threshold + 0.005;
  console.log(`\nthreshold rule (lowest 0.005-grid threshold with <= 1% false hits, guards on, + one 0.005 step of margin): ${rule.toFixed(3)} (DEFAULT_SEMANTIC_THRESHOLD = ${DEFAULT_SEMANTIC_THRESHOLD})`);
  const pos = main.filter((p) => p.score >= 4);
  const accepted = pos.filter((p) => p.guardOk);
  const atDefault = accepted.filter((p) => p.cos >= DEFAULT_SEMANTIC_THRESHOLD).length / accepted.length;
  console.log(`\nguards refuse ${pct(1 - accepted.length / pos.length)} of pairs scored >= 4 before any threshold (they differ in a number, date, entity, negation...); of the ones they accept, ${pct(atDefault)} hit at ${DEFAULT_SEMANTIC_THRESHOLD}`);
  sweep(main);
  twoFold(main);
  const sentences = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const emb = await measureEmbedding(shipped, sentences);
  console.log(`\nembedding (local, 1 text/call, ${sentences.length} texts): mean ${ms(emb.mean)}, p50 ${ms(emb.p50)}, p99 ${ms(emb.p99)}`);
  const sizes = values.sizes.split(",").map(Number);
  const lat = await measureLookup(shipped, sentences, sentences.slice(0, 500), sizes, DEFAULT_SEMANTIC_THRESHOLD);
  console.log(`\nlookup, in process (FlatIndex as inside the Durable Object), ${lat.length ? 500 : 0} queries, top-4, minScore ${DEFAULT_SEMANTIC_THRESHOLD}; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  console.log("\n| entries in one namespace | mode | wall p50 | wall p99 | CPU p50 | CPU p99 |\n|---|---|---|---|---|---|");
  for (const r of lat) console.log(`| ${r.entries} | ${r.mode} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.cpuP50)} | ${ms(r.cpuP99)} |`);
}

await main();
