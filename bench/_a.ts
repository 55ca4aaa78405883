import { readFileSync } from "node:fs";
import { decodeArtifact } from "../workers/gateway/src/cache/embedder/local/artifact-format";
import { LocalEmbedder } from "../workers/gateway/src/cache/embedder/local/local-embedder";
import { tokenize, variants } from "../workers/gateway/src/cache/embedder/local/tokenize";
import { cosine } from "../workers/gateway/src/cache/embedder/embedder";
import { loadPairs } from "./cache-quality";
import { guardCompatible } from "../workers/gateway/src/cache/guards/guard-compatible";
const file = process.argv[2] ?? "workers/gateway/src/cache/embedder/local/glove-100d-int8.bin";
const buf = readFileSync(file);
const t = decodeArtifact(buf);
const idx = new Map(t.words.map((w, i) => [w, i]));
const e = new LocalEmbedder(buf);
const unit = (i: number) => { const v = new Float32Array(t.dims); let n = 0; for (let k = 0; k < t.dims; k++) { v[k] = t.vectors[i * t.dims + k]!; n += v[k]! ** 2; } n = Math.sqrt(n); return v.map((x) => x / n); };
const look = (w: string) => idx.get(w) ?? variants(w).map((x) => idx.get(x)).find((x) => x !== undefined);
function words(s: string) { return tokenize(s).map((w) => { const i = look(w); return { w, i, wt: i === undefined ? 1 : t.weights[i]!, v: i === undefined ? null : unit(i) }; }); }
function dir(a: ReturnType<typeof words>, b: ReturnType<typeof words>) {
  let num = 0, den = 0, worst = 1;
  for (const x of a) {
    let best = 0;
    for (const y of b) { const s = x.w === y.w ? 1 : x.v && y.v ? cosine(x.v, y.v) : 0; if (s > best) best = s; }
    num += x.wt * best; den += x.wt; if (x.wt > 0.5) worst = Math.min(worst, best);
  }
  return { avg: den ? num / den : 0, worst };
}
const pairs = loadPairs("/work/shared/data/stsb-en-dev/stsb-en-dev.csv");
const rows = [];
for (const p of pairs) {
  const [va, vb] = await e.embed([p.a, p.b]);
  const cos = cosine(va!, vb!);
  const A = words(p.a), B = words(p.b);
  const d1 = dir(A, B), d2 = dir(B, A);
  const align = (d1.avg + d2.avg) / 2; const alignMin = Math.min(d1.avg, d2.avg);
  const worst = Math.min(d1.worst, d2.worst);
  const g = guardCompatible(p.a, p.b).ok && guardCompatible(p.b, p.a).ok;
  rows.push({ score: p.score, g, cos, align, alignMin, worst, mix: Math.min(cos, align), mix2: Math.min(cos, alignMin), geo: Math.sqrt(Math.max(0,cos) * align) });
}
for (const key of ["cos", "align", "alignMin", "mix", "mix2", "geo"] as const) {
  for (const guards of [false, true]) {
    const pos = rows.filter((r) => r.score >= 4), neg = rows.filter((r) => r.score <= 2);
    let best = { t: 1, hit: 0, fh: 0 };
    for (let th = 1; th >= 0.3; th -= 0.005) {
      const ok = (r: any) => r[key] >= th && (!guards || r.g);
      const fh = neg.filter(ok).length / neg.length;
      if (fh > 0.01) break;
      best = { t: +th.toFixed(3), hit: pos.filter(ok).length / pos.length, fh };
    }
    console.log(key, guards ? "guards" : "noguard", best);
  }
}
