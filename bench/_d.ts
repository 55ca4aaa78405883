import { readFileSync } from "node:fs";
import { decodeArtifact } from "../workers/gateway/src/cache/embedder/local/artifact-format";
import { LocalEmbedder } from "../workers/gateway/src/cache/embedder/local/local-embedder";
import { tokenize } from "../workers/gateway/src/cache/embedder/local/tokenize";
import { cosine } from "../workers/gateway/src/cache/embedder/embedder";
const buf = readFileSync("workers/gateway/src/cache/embedder/local/glove-100d-int8.bin");
const t = decodeArtifact(buf);
const idx = new Map(t.words.map((w, i) => [w, i]));
for (const w of ["the", "a", "man", "is", "playing", "guitar", "cougar", "bear"]) {
  const i = idx.get(w);
  if (i === undefined) { console.log(w, "OOV"); continue; }
  let n = 0, d = 0; for (let k = 0; k < t.dims; k++) { const x = t.vectors[i * t.dims + k]! * t.scales[i]!; n += x * x; d += x * t.commonComponent[k]!; }
  console.log(w, i, "w", t.weights[i]!.toFixed(3), "norm", Math.sqrt(n).toFixed(2), "dot cc", d.toFixed(2));
}
console.log("hashNorm", t.hashNorm);
for (const sif of [true, false]) { const e = new LocalEmbedder(buf, { sif }); const [a, b] = await e.embed(["The man is playing the guitar.", "A man is playing a guitar."]); console.log(sif, cosine(a!, b!)); }
