/**
 * Trains the prompt-injection classifier on the project's own corpus
 * (workers/gateway/src/guardrails/injection/corpus/*.jsonl; never on shared/data, which is
 * only for evaluation) and writes int8 weights to injection/model/injection-model.json.
 * Deterministic (seeded). Run: npm run guardrails:train
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { DIM, featurize } from "../../workers/gateway/src/guardrails/injection/features";

const DIR = "workers/gateway/src/guardrails/injection";
const Row = z.object({ text: z.string().min(1), label: z.enum(["injection", "benign"]), family: z.string() });
type Row = z.infer<typeof Row>;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

function loadCorpus(): Row[] {
  const rows: Row[] = [];
  for (const f of readdirSync(`${DIR}/corpus`).filter((n) => n.endsWith(".jsonl"))) {
    for (const line of readFileSync(`${DIR}/corpus/${f}`, "utf8").split("\n")) if (line.trim()) rows.push(Row.parse(JSON.parse(line)));
  }
  return rows;
}

/** Single rows plus multi-sentence compositions: real attacks are long and bury the payload in chatter. */
function augment(rows: readonly Row[]): Array<{ text: string; y: number }> {
  const attacks = rows.filter((r) => r.label === "injection").map((r) => r.text);
  const benign = rows.filter((r) => r.label === "benign").map((r) => r.text);
  const out = rows.map((r) => ({ text: r.text, y: r.label === "injection" ? 1 : 0 }));
  for (let i = 0; i < 800; i++) {
    const parts: string[] = [];
    const nA = 1 + Math.floor(rand() * 5);
    for (let k = 0; k < nA; k++) parts.push(pick(attacks));
    for (let k = Math.floor(rand() * 3); k > 0; k--) parts.splice(Math.floor(rand() * parts.length), 0, pick(benign));
    out.push({ text: parts.join(" "), y: 1 });
    const b: string[] = [];
    for (let k = 1 + Math.floor(rand() * 5); k > 0; k--) b.push(pick(benign));
    out.push({ text: b.join(" "), y: 0 });
  }
  return out;
}

function train(data: Array<{ x: Map<number, number>; y: number }>, epochs = 40, lr = 0.5, l2 = 1e-5): { w: Float64Array; b: number } {
  const w = new Float64Array(DIM);
  let b = 0;
  for (let e = 0; e < epochs; e++) {
    const order = data.map((_, i) => i).sort(() => rand() - 0.5);
    const rate = lr / (1 + e * 0.1);
    for (const i of order) {
      const { x, y } = data[i] as { x: Map<number, number>; y: number };
      let z = b;
      for (const [j, v] of x) z += (w[j] ?? 0) * v;
      const g = 1 / (1 + Math.exp(-z)) - y;
      for (const [j, v] of x) w[j] = (w[j] ?? 0) * (1 - rate * l2) - rate * g * v;
      b -= rate * g * 0.1;
    }
  }
  return { w, b };
}

function quantize(w: Float64Array): { scale: number; weights: string } {
  let max = 0;
  for (const v of w) max = Math.max(max, Math.abs(v));
  const scale = max / 127 || 1;
  const bytes = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) bytes[i] = Math.round((w[i] ?? 0) / scale) & 0xff;
  return { scale, weights: Buffer.from(bytes).toString("base64") };
}

const rows = loadCorpus();
const data = augment(rows).map((d) => ({ x: featurize(d.text.toLowerCase()), y: d.y }));
const { w, b } = train(data);
let correct = 0;
for (const d of data) {
  let z = b;
  for (const [j, v] of d.x) z += (w[j] ?? 0) * v;
  if (z > 0 === (d.y === 1)) correct++;
}
writeFileSync(`${DIR}/model/injection-model.json`, JSON.stringify({ version: 1, dim: DIM, bias: b, ...quantize(w) }));
console.log(`rows=${rows.length} samples=${data.length} train-acc=${(correct / data.length).toFixed(3)}`);
