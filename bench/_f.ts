import { readFileSync } from "node:fs";
import { LocalEmbedder } from "../workers/gateway/src/cache/embedder/local/local-embedder";
import { loadPairs, scorePairs } from "./cache-quality";
const e = new LocalEmbedder(readFileSync("workers/gateway/src/cache/embedder/local/glove-100d-int8.bin"));
const s = await scorePairs(loadPairs("/work/shared/data/stsb-en-dev/stsb-en-dev.csv"), e);
const neg = s.filter((p) => p.score <= 2 && p.guardOk).sort((a, b) => b.cos - a.cos).slice(0, 25);
for (const p of neg) console.log(p.cos.toFixed(3), p.score, "|", p.a, "|", p.b);
const pos = s.filter((p) => p.score >= 4 && p.guardOk).sort((a, b) => a.cos - b.cos).slice(0, 15);
for (const p of pos) console.log("POS", p.cos.toFixed(3), p.score, "|", p.a, "|", p.b);
