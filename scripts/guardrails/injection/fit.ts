/**
 * One fit = a model trained on a set of samples plus per-role calibration tables built from
 * OUT-OF-FOLD scores of that set's benign samples (inner k-fold by group), so a table never
 * describes texts its model has seen. The k-fold benchmark calls this per outer fold; the
 * training command calls it once on everything.
 */
import { buildTable, type CalibrationTable } from "../../../workers/gateway/src/guardrails/injection/calibrate";
import { DIM } from "../../../workers/gateway/src/guardrails/injection/features";
import type { LinearModel } from "../../../workers/gateway/src/guardrails/injection/model";
import { rawScoreOf } from "../../../workers/gateway/src/guardrails/injection/screen";
import { viewsOf } from "../../../workers/gateway/src/guardrails/injection/views";
import type { Role, Sample } from "./data";
import { foldOf } from "./groups";
import { DEFAULT_TRAIN, featuresOf, mulberry32, train, type Example, type Weights } from "./linear";

export interface Fitted {
  model: Weights;
  tables: Record<Role, CalibrationTable>;
}

const served = new WeakMap<Weights, LinearModel>();

/** The serving-time raw score (screen.ts rawScoreOf), for weights still in training form. */
export function rawScore(m: Weights, text: string): number {
  let lm = served.get(m);
  if (!lm) {
    const calibration = { raw: [0.5], rate: [0.5] };
    lm = { bias: m.b, weights: Float32Array.from(m.w.subarray(0, DIM)), ruleWeights: Float32Array.from(m.w.subarray(DIM)), calibration: { user: calibration, tool: calibration, system: calibration } };
    served.set(m, lm);
  }
  return rawScoreOf(text, lm).raw;
}

const plainCache = new Map<string, string>();
const plainOf = (text: string): string => plainCache.get(text) ?? (plainCache.set(text, viewsOf(text).plain), plainCache.get(text) ?? "");

const SHORT = 600;

/**
 * Single samples plus compositions: real attacks bury the payload among ordinary sentences, and
 * indirect ones sit inside documents and system prompts. Built only from the given samples.
 */
function examples(samples: readonly Sample[], rand: () => number): Array<{ text: string; y: 0 | 1 }> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const attacks = samples.filter((s) => s.y === 1 && s.role === "user" && s.text.length < SHORT).map((s) => s.text);
  // What gets planted in documents: user-style attacks and lines addressed to the AI by a third party.
  const planted = [...attacks, ...samples.filter((s) => s.y === 1 && s.role === "tool" && s.text.length < 300).map((s) => s.text)];
  const benign = samples.filter((s) => s.y === 0 && s.role === "user" && s.text.length < SHORT && s.source.startsWith("corpus/")).map((s) => s.text);
  const docs = samples.filter((s) => s.y === 0 && s.role === "tool").map((s) => s.text);
  const systems = samples.filter((s) => s.y === 0 && s.role === "system").map((s) => s.text);
  const out = samples.map((s) => ({ text: s.text, y: s.y }));
  if (attacks.length === 0 || benign.length === 0) return out;
  for (let i = 0; i < 800; i++) {
    const parts: string[] = [];
    for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) parts.push(pick(attacks));
    for (let k = Math.floor(rand() * 7); k > 0; k--) parts.splice(Math.floor(rand() * (parts.length + 1)), 0, pick(benign));
    out.push({ text: parts.join(" "), y: 1 });
    const b: string[] = [];
    for (let k = 1 + Math.floor(rand() * 5); k > 0; k--) b.push(pick(benign));
    out.push({ text: b.join(" "), y: 0 });
  }
  const inject = (host: string): string => {
    const cut = host.split(/(?<=[.!?\n])\s+/);
    cut.splice(Math.floor(rand() * (cut.length + 1)), 0, pick(planted));
    return cut.join(" ");
  };
  for (let i = 0; i < 300 && docs.length; i++) out.push({ text: inject(pick(docs)), y: 1 });
  for (let i = 0; i < 100 && systems.length; i++) out.push({ text: inject(pick(systems)), y: 1 });
  return out;
}

function trainOn(samples: readonly Sample[], seed: number): Weights {
  const rand = mulberry32(seed);
  const ex = examples(samples, rand);
  const pos = ex.filter((e) => e.y === 1).length;
  const neg = ex.length - pos;
  const data: Example[] = ex.map((e) => ({
    x: featuresOf(plainOf(e.text)),
    y: e.y,
    weight: e.y === 1 ? ex.length / (2 * pos) : ex.length / (2 * neg),
  }));
  return train(data, rand, DEFAULT_TRAIN);
}

/** Which benign samples describe each role's false alarms (see docs/guardrails.md, "Calibration"). */
function tableRoles(s: Sample): Role[] {
  if (s.y !== 0 || s.source === "router-corpus") return [];
  if (s.role !== "user") return [s.role];
  // Output constraints addressed to the assistant ("answer in one word", "never break
  // character") read like system prompts: they widen the few real system prompts we have.
  return /benign-constraints/.test(s.source) ? ["user", "system"] : ["user"];
}

export function fit(samples: readonly Sample[], heldOutBenign: readonly Sample[], seed: number, innerK = 3): Fitted {
  const model = trainOn(samples, seed);
  const scores: Record<Role, number[]> = { user: [], tool: [], system: [] };
  for (let f = 0; f < innerK; f++) {
    const inner = trainOn(
      samples.filter((s) => foldOf(`${s.group}|inner`, innerK) !== f),
      seed + 1 + f,
    );
    for (const s of samples) {
      if (foldOf(`${s.group}|inner`, innerK) !== f) continue;
      for (const r of tableRoles(s)) scores[r].push(rawScore(inner, s.text));
    }
  }
  // Benign tool output nobody trained on (SciFact abstracts of the other parity).
  for (const s of heldOutBenign) if (s.role === "tool") scores.tool.push(rawScore(model, s.text));
  return { model, tables: { user: buildTable(scores.user), tool: buildTable(scores.tool), system: buildTable(scores.system) } };
}
