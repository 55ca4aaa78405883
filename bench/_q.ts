import { readFileSync } from "node:fs";
import { LocalEmbedder } from "../workers/gateway/src/cache/embedder/local/local-embedder";
import { loadPairs, scorePairs, pickThreshold, spearman, rates } from "./cache-quality";
const file = process.argv[2] ?? "workers/gateway/src/cache/embedder/local/glove-100d-int8.bin";
const pairs = loadPairs("/work/shared/data/stsb-en-dev/stsb-en-dev.csv");
for (const sif of [true, false]) {
  const e = new LocalEmbedder(readFileSync(file), { sif });
  const s = await scorePairs(pairs, e);
  console.log(e.id, "spearman", spearman(s).toFixed(3), "guardOk pos", s.filter(p=>p.score>=4&&p.guardOk).length, "/", s.filter(p=>p.score>=4).length, "guardOk neg", s.filter(p=>p.score<=2&&p.guardOk).length, "/", s.filter(p=>p.score<=2).length);
  console.log(" noguard", pickThreshold(s, false, 0.01), " guard", pickThreshold(s, true, 0.01));
  for (const t of [0.8,0.85,0.9,0.95]) console.log("  ", t, rates(s,t,true));
}
