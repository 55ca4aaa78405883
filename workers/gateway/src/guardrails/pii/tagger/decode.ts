/**
 * Label set and decoding for the linear-chain tagger: Viterbi under BIO constraints, plus
 * max-marginals (best path score through a token's label vs. through O) as a confidence per
 * token. Max-product only, no exponentials: two passes of n·L² additions.
 */
export const ENTITY_TYPES = ["PERSON", "LOCATION", "ORGANIZATION", "STREET_ADDRESS"] as const;
export type TaggedType = (typeof ENTITY_TYPES)[number];
/** 0 = O; 1 + 2k = B-type k; 2 + 2k = I-type k. */
export const NUM_LABELS = 1 + 2 * ENTITY_TYPES.length;
export const labelType = (l: number): TaggedType | null => (l === 0 ? null : (ENTITY_TYPES[(l - 1) >> 1] ?? null));
export const isInside = (l: number): boolean => l > 0 && l % 2 === 0;

const NEG = -1e9;

/** I-X may only follow B-X or I-X, and cannot start a text. */
export function allowed(prev: number, cur: number): boolean {
  if (!isInside(cur)) return true;
  return prev === cur || prev === cur - 1;
}

export interface Decoded {
  labels: Uint8Array;
  /** Best path score minus the best score with this token labelled O (0 for O tokens). */
  margins: Float32Array;
}

/** Transitions with the disallowed moves folded in, so the decoder's inner loops have no branches. */
export function foldTransitions(transitions: Float32Array): Float32Array {
  const L = NUM_LABELS;
  const trans = new Float32Array(L * L);
  for (let p = 0; p < L; p++) for (let c = 0; c < L; c++) trans[p * L + c] = allowed(p, c) ? (transitions[p * L + c] as number) : NEG;
  return trans;
}

// Per-call work arrays, reused: decode is synchronous and returns only labels and margins.
// Every cell it reads is written first in the same call (beta's last row is cleared).
// A window too long to keep its arrays for (the tagger's windows are a few tokens) gets its own.
const work = (size: number) => ({ alpha: new Float32Array(size), back: new Uint8Array(size), beta: new Float32Array(size) });
let scratch = work(64 * NUM_LABELS);
function scratchFor(size: number): ReturnType<typeof work> {
  if (size > 4096 * NUM_LABELS) return work(size);
  if (scratch.alpha.length < size) scratch = work(size);
  return scratch;
}

/**
 * `emit` is n×L (row-major), `transitions` L×L [prev][cur], `start` L. `trans` is
 * foldTransitions(transitions), passed in by callers that decode many windows with one frozen
 * model (training changes its transitions between decodes, so it lets each call fold them).
 */
export function decode(emit: Float32Array, n: number, transitions: Float32Array, start: Float32Array, trans = foldTransitions(transitions)): Decoded {
  const L = NUM_LABELS;
  const { alpha, back, beta } = scratchFor(n * L);
  for (let l = 0; l < L; l++) alpha[l] = (isInside(l) ? NEG : (start[l] as number)) + (emit[l] as number);
  for (let i = 1; i < n; i++) {
    for (let c = 0; c < L; c++) {
      let best = NEG * 2;
      let arg = 0;
      for (let p = 0; p < L; p++) {
        const v = (alpha[(i - 1) * L + p] as number) + (trans[p * L + c] as number);
        if (v > best) (best = v), (arg = p);
      }
      alpha[i * L + c] = best + (emit[i * L + c] as number);
      back[i * L + c] = arg;
    }
  }
  beta.fill(0, (n - 1) * L, n * L);
  for (let i = n - 2; i >= 0; i--) {
    for (let p = 0; p < L; p++) {
      let best = NEG * 2;
      for (let c = 0; c < L; c++) {
        const v = (trans[p * L + c] as number) + (emit[(i + 1) * L + c] as number) + (beta[(i + 1) * L + c] as number);
        if (v > best) best = v;
      }
      beta[i * L + p] = best;
    }
  }
  const labels = new Uint8Array(n);
  const margins = new Float32Array(n);
  if (n === 0) return { labels, margins };
  let last = 0;
  for (let l = 1; l < L; l++) if ((alpha[(n - 1) * L + l] as number) > (alpha[(n - 1) * L + last] as number)) last = l;
  labels[n - 1] = last;
  for (let i = n - 1; i > 0; i--) labels[i - 1] = back[i * L + (labels[i] as number)] as number;
  for (let i = 0; i < n; i++) {
    const l = labels[i] as number;
    if (l !== 0) margins[i] = (alpha[i * L + l] as number) + (beta[i * L + l] as number) - (alpha[i * L] as number) - (beta[i * L] as number);
  }
  return { labels, margins };
}

export interface LabelSpan {
  type: TaggedType;
  /** Token indices, end exclusive. */
  first: number;
  end: number;
  /** Smallest token margin inside the span. */
  margin: number;
}

/** Spans from a BIO label sequence (an I- without its B- starts a span too). */
export function spansOf(labels: Uint8Array, margins?: Float32Array): LabelSpan[] {
  const out: LabelSpan[] = [];
  let cur: LabelSpan | null = null;
  for (let i = 0; i <= labels.length; i++) {
    const l = i < labels.length ? (labels[i] as number) : 0;
    const type = labelType(l);
    const continues = cur !== null && isInside(l) && type === cur.type;
    if (!continues && cur) {
      cur.end = i;
      out.push(cur);
      cur = null;
    }
    if (type && !continues) cur = { type, first: i, end: i + 1, margin: Infinity };
    if (cur) cur.margin = Math.min(cur.margin, margins ? (margins[i] as number) : 0);
  }
  return out;
}
