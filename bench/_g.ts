import { loadPairs } from "./cache-quality";
import { guardCompatible } from "../workers/gateway/src/cache/guards/guard-compatible";
const pairs = loadPairs("/work/shared/data/stsb-en-dev/stsb-en-dev.csv");
const counts: Record<string, number> = {};
let shown = 0;
for (const p of pairs.filter((p) => p.score >= 4)) {
  const g1 = guardCompatible(p.b, p.a);
  const g2 = guardCompatible(p.a, p.b);
  const r = g1.reason ?? g2.reason;
  if (r) { counts[r] = (counts[r] ?? 0) + 1; if (shown++ < 40) console.log(r, "|", p.a, "|", p.b); }
}
console.log(counts);
