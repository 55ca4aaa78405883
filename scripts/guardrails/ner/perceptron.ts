/**
 * Averaged structured perceptron over the tagger's hashed features with BIO-constrained Viterbi
 * (Collins 2002). Averaging uses the lazy trick: keep w and Σ c·Δ, average = w − Σ c·Δ / c.
 * Sentences are visited in a seeded shuffle each epoch so the result is deterministic.
 */
import { decode, NUM_LABELS } from "../../../workers/gateway/src/guardrails/pii/tagger/decode";
import type { TokenFeatures } from "../../../workers/gateway/src/guardrails/pii/tagger/features";
import { rng } from "./generator/random";

export interface Sequence extends TokenFeatures {
  labels: Uint8Array;
}

export interface LinearChain {
  bits: number;
  weights: Float32Array;
  transitions: Float32Array;
  start: Float32Array;
}

export function emitFloat(m: LinearChain, seq: TokenFeatures, n: number): Float32Array {
  const L = NUM_LABELS;
  const mask = (1 << m.bits) - 1;
  const out = new Float32Array(n * L);
  for (let i = 0; i < n; i++) {
    for (let k = seq.offsets[i] as number; k < (seq.offsets[i + 1] as number); k++) {
      const base = ((seq.feats[k] as number) & mask) * L;
      for (let l = 0; l < L; l++) out[i * L + l] = (out[i * L + l] as number) + (m.weights[base + l] as number);
    }
  }
  return out;
}

export function trainPerceptron(data: readonly Sequence[], bits: number, epochs: number, seed: number, log?: (s: string) => void): LinearChain {
  const L = NUM_LABELS;
  const mask = (1 << bits) - 1;
  const m: LinearChain = { bits, weights: new Float32Array((1 << bits) * L), transitions: new Float32Array(L * L), start: new Float32Array(L) };
  const uw = new Float32Array(m.weights.length);
  const ut = new Float32Array(L * L);
  const us = new Float32Array(L);
  const r = rng(seed);
  const order = data.map((_, i) => i);
  let c = 1;
  for (let ep = 0; ep < epochs; ep++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    let errors = 0;
    for (const idx of order) {
      const s = data[idx] as Sequence;
      const n = s.labels.length;
      if (n === 0) continue;
      const pred = decode(emitFloat(m, s, n), n, m.transitions, m.start).labels;
      for (let i = 0; i < n; i++) {
        const g = s.labels[i] as number;
        const p = pred[i] as number;
        const gp = i > 0 ? (s.labels[i - 1] as number) : -1;
        const pp = i > 0 ? (pred[i - 1] as number) : -1;
        if (g !== p) {
          errors++;
          for (let k = s.offsets[i] as number; k < (s.offsets[i + 1] as number); k++) {
            const base = ((s.feats[k] as number) & mask) * L;
            m.weights[base + g] = (m.weights[base + g] as number) + 1;
            m.weights[base + p] = (m.weights[base + p] as number) - 1;
            uw[base + g] = (uw[base + g] as number) + c;
            uw[base + p] = (uw[base + p] as number) - c;
          }
        }
        if (g !== p || gp !== pp) {
          if (i === 0) {
            m.start[g] = (m.start[g] as number) + 1;
            m.start[p] = (m.start[p] as number) - 1;
            us[g] = (us[g] as number) + c;
            us[p] = (us[p] as number) - c;
          } else {
            m.transitions[gp * L + g] = (m.transitions[gp * L + g] as number) + 1;
            m.transitions[pp * L + p] = (m.transitions[pp * L + p] as number) - 1;
            ut[gp * L + g] = (ut[gp * L + g] as number) + c;
            ut[pp * L + p] = (ut[pp * L + p] as number) - c;
          }
        }
      }
      c++;
    }
    log?.(`epoch ${ep + 1}: token errors ${errors}`);
  }
  for (let i = 0; i < m.weights.length; i++) m.weights[i] = (m.weights[i] as number) - (uw[i] as number) / c;
  for (let i = 0; i < L * L; i++) m.transitions[i] = (m.transitions[i] as number) - (ut[i] as number) / c;
  for (let i = 0; i < L; i++) m.start[i] = (m.start[i] as number) - (us[i] as number) / c;
  return m;
}
