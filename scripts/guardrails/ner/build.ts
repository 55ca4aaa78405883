/** Turns examples into feature sequences, trains, quantizes and calibrates a tagger file. */
import { NUM_LABELS, ENTITY_TYPES, type TaggedType } from "../../../workers/gateway/src/guardrails/pii/tagger/decode";
import { tokenFeatures } from "../../../workers/gateway/src/guardrails/pii/tagger/features";
import { decodeTaggerFile, quantize, type TaggerFile, type TaggerModel } from "../../../workers/gateway/src/guardrails/pii/tagger/model";
import { isLowerSpan, tagText } from "../../../workers/gateway/src/guardrails/pii/tagger/tag";
import { alignLabels } from "./align";
import type { Example, Span } from "./example";
import { rng } from "./generator/random";
import { trainPerceptron, type Sequence } from "./perceptron";

export interface TrainConfig {
  bits: number;
  epochs: number;
  charNgrams: boolean;
  /** Share of tokens whose name/place dictionary bits are hidden during training. */
  hideGazetteer: number;
  seed: number;
  /**
   * Share of training texts seen in lower case (labels unchanged): chat and tickets are typed
   * that way, and the CoNLL sets are mostly capitalised. Absent in older configs: 0.
   */
  lowerShare?: number;
  /** Spans inside non-Latin prose need name evidence (tagger/script-runs.ts). Absent in older configs: false. */
  proseRule?: boolean;
}

/** Lower-cases a seeded share of the examples whose length does not change (offsets stay valid). */
function lowerSome(examples: readonly Example[], share: number, seed: number): readonly Example[] {
  if (share <= 0) return examples;
  const r = rng(seed + 11);
  return examples.map((ex) => {
    if (r() >= share) return ex;
    const text = ex.text.toLowerCase();
    return text.length === ex.text.length ? { ...ex, text } : ex;
  });
}

export function toSequences(examples: readonly Example[], cfg: TrainConfig): Sequence[] {
  const r = rng(cfg.seed + 7);
  return examples.map((ex) => {
    const { toks, labels } = alignLabels(ex);
    const hide = new Uint8Array(toks.length);
    for (let i = 0; i < hide.length; i++) hide[i] = r() < cfg.hideGazetteer ? 1 : 0;
    return { ...tokenFeatures(ex.text, toks, { charNgrams: cfg.charNgrams }, hide), labels };
  });
}

/** Logistic fit of P(span is right) on its margin, per type, by gradient descent (dev spans only). */
function fitCalibration(points: Array<[number, boolean]>): { a: number; b: number } {
  if (points.length < 20) return { a: 0.3, b: 0 };
  const scaleM = Math.max(1e-6, points.reduce((s, [m]) => s + Math.abs(m), 0) / points.length);
  let a = 0;
  let b = 0;
  for (let it = 0; it < 500; it++) {
    let ga = 0;
    let gb = 0;
    for (const [m, y] of points) {
      const p = 1 / (1 + Math.exp(-(a * (m / scaleM) + b)));
      ga += (p - (y ? 1 : 0)) * (m / scaleM);
      gb += p - (y ? 1 : 0);
    }
    a -= (0.5 * ga) / points.length;
    b -= (0.5 * gb) / points.length;
  }
  return { a: a / scaleM, b };
}

/** Fewer lower-case dev spans than this: they share their type's map. */
const MIN_LOWER_POINTS = 100;

export function calibrate(model: TaggerModel, dev: readonly Example[]): TaggerFile["calibration"] {
  const pts = new Map<string, Array<[number, boolean]>>();
  const add = (k: string, p: [number, boolean]): void => void (pts.get(k) ?? pts.set(k, []).get(k))?.push(p);
  for (const ex of dev) {
    for (const p of tagText(ex.text, model)) {
      const right = ex.spans.some((g: Span) => g.type === p.type && p.start < g.end && g.start < p.end);
      add(p.type, [p.margin, right]);
      if (isLowerSpan(ex.text.slice(p.start, p.end))) add(`${p.type}:lower`, [p.margin, right]);
    }
  }
  const fit = (t: TaggedType): TaggerFile["calibration"][TaggedType] => {
    const lower = pts.get(`${t}:lower`) ?? [];
    return { ...fitCalibration(pts.get(t) ?? []), ...(lower.length >= MIN_LOWER_POINTS ? { lower: fitCalibration(lower) } : {}) };
  };
  return Object.fromEntries(ENTITY_TYPES.map((t) => [t, fit(t)])) as TaggerFile["calibration"];
}

export function trainTagger(train: readonly Example[], calib: readonly Example[], cfg: TrainConfig, log?: (s: string) => void): TaggerFile {
  const seqs = toSequences(lowerSome(train, cfg.lowerShare ?? 0, cfg.seed), cfg);
  log?.(`${seqs.length} sequences, ${seqs.reduce((s, q) => s + q.labels.length, 0)} tokens`);
  const lc = trainPerceptron(seqs, cfg.bits, cfg.epochs, cfg.seed, log);
  // Clip the long tail so int8 keeps resolution where most weights are.
  const abs = Float32Array.from(lc.weights, Math.abs).filter((v) => v > 0).sort();
  const clip = abs[Math.floor(abs.length * 0.999)] ?? 1;
  const clipped = Float32Array.from(lc.weights, (v) => Math.max(-clip, Math.min(clip, v)));
  const q = quantize(clipped);
  const file: TaggerFile = {
    version: 1,
    bits: cfg.bits,
    labels: NUM_LABELS,
    charNgrams: cfg.charNgrams,
    scale: q.scale,
    weights: q.base64,
    transitions: Array.from(lc.transitions, (v) => Math.round(v * 1000) / 1000),
    start: Array.from(lc.start, (v) => Math.round(v * 1000) / 1000),
    calibration: { PERSON: { a: 0.3, b: 0 }, LOCATION: { a: 0.3, b: 0 }, ORGANIZATION: { a: 0.3, b: 0 }, STREET_ADDRESS: { a: 0.3, b: 0 } },
    training: { ...cfg, sequences: seqs.length },
    proseRule: cfg.proseRule ?? false,
  };
  file.calibration = calibrate(decodeTaggerFile(file), calib);
  return file;
}
