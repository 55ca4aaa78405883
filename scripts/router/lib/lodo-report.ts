/**
 * `router:eval --lodo`: every set scored by a complexity model fitted without it, next to the
 * in-sample (dev) score, the prompt-length baseline and random routing on the same rows; the
 * within-MMLU k-fold by subject group; all Mixtral/GPT-4 sets pooled; and the default-threshold
 * sweep on calibrated held-out predictions.
 */
import type { RouterTrainingExample } from "../../../shared/schemas/router-training-example";
import { outcomeLabel, type OutcomeRow } from "../outcomes/outcome-row";
import { applyPlatt, ece, type Platt } from "./calibration";
import { COMPLEXITY_FEATURES, linearLogit, type LinearComplexity } from "./complexity-model";
import { auc } from "./metrics";
import { crossFitLogits, subjectFolds } from "./cross-fit";
import { featurizeOutcomes, lodoLogits, lodoPlatt, MAIN_FAMILIES } from "./lodo";
import { mulberry32 } from "./rng";
import { routingReport, type EvalItem } from "./routellm-metrics";
import { qualityTargetLines, type TargetLine } from "./quality-target-eval";
import { complexityInputs, trainComplexity, trainCorpusModel, type RecipeOptions } from "./train-router";

export interface Scores {
  apgr: number;
  cpt50: number;
  cpt80: number;
}

export interface LodoLine {
  set: string;
  pair: OutcomeRow["pair"];
  rows: number;
  qWeak: number;
  qStrong: number;
  heldOut: Scores;
  dev: Scores;
  length: Scores;
  random: Scores;
}

export interface ThresholdPoint {
  threshold: number;
  smallShare: number;
  quality: number;
  /** Random routing with the same small-tier share on every set. */
  randomQuality: number;
}

/**
 * What was measured on a set left out whole whose held-out score is below the prompt-length
 * baseline: whether the features had anything to read there, what length and the corpus prior
 * each say about its rows, and how far the gap is from noise.
 */
export interface BelowLength {
  set: string;
  pair: OutcomeRow["pair"];
  /** held-out minus length APGR, and the length baseline's APGR. */
  gap: number;
  lengthApgr: number;
  /**
   * Over seeded bootstrap resamples of the set's rows: the share where held-out is below length,
   * and the 5th and 95th percentiles of the difference (percentiles, not an sd: with a small
   * weak/strong gap, PGR's denominator makes the resampled APGRs heavy-tailed).
   */
  gapBelowShare: number;
  gapP5: number;
  gapP95: number;
  medianChars: number;
  /** Share of rows on which each complexity input other than length and sentence count is non-zero (log_option_len: answer options laid out). */
  active: Record<string, number>;
  /**
   * Whether the source benchmark is multiple choice (MULTIPLE_CHOICE_FAMILIES, or another copy of
   * the family lays options out): only then is "no answer options" a loss the prompts suffered.
   */
  multipleChoiceOrigin: boolean;
  /** AUC for "weak wrong and strong right" of the prompt length and of the corpus prior's logit. */
  lengthAuc: number;
  priorAuc: number;
  /** Hanley–McNeil standard error of priorAuc: within 2 SE of 0.5 the prior carries no signal we can tell from noise. */
  priorAucSe: number;
  /** In-sample (dev) APGR of the complexity model, and the same model with its prior term left out. */
  dev: number;
  devWithoutPrior: number;
}

export interface LodoReport {
  lines: LodoLine[];
  /** The sets in `lines` scored below the length baseline, with what was checked on each. */
  belowLength: BelowLength[];
  /** Sets left out of the table: the strong model is not ahead by MIN_GAP, so PGR is undefined or noise. */
  skipped: { set: string; pair: OutcomeRow["pair"]; qWeak: number; qStrong: number }[];
  mmluSubjectFolds: LodoLine | null;
  pooled: LodoLine | null;
  platt: Platt;
  calibrationEce: number;
  thresholds: ThresholdPoint[];
  /** Highest threshold keeping >= 95% of all-frontier quality (mean over the Mixtral/GPT-4 sets). */
  defaultThreshold: number;
  /** The label-free quality-target band on each left-out set (quality-target-eval.ts). */
  qualityTarget: TargetLine[];
}

/** LLMRouter pairs where the 51B model is not clearly ahead of the 8B one (MGSM, MATH, NQ, TriviaQA, CommonGen) say nothing about routing. */
export const MIN_GAP = 0.05;

const pick = (r: Scores): Scores => ({ apgr: r.apgr, cpt50: r.cpt50, cpt80: r.cpt80 });

function randomScores(items: readonly EvalItem[], draws = 100): Scores {
  const rng = mulberry32(12345);
  const acc = { apgr: 0, cpt50: 0, cpt80: 0 };
  for (let d = 0; d < draws; d++) {
    const r = routingReport(items.map((it) => ({ ...it, score: rng() })));
    (acc.apgr += r.apgr / draws), (acc.cpt50 += r.cpt50 / draws), (acc.cpt80 += r.cpt80 / draws);
  }
  return acc;
}

function line(set: string, rows: readonly OutcomeRow[], idx: readonly number[], held: Float64Array, dev: Float64Array): LodoLine {
  const items = (score: (i: number) => number): EvalItem[] => idx.map((i) => ({ score: score(i), weakOk: rows[i]!.weakOk, strongOk: rows[i]!.strongOk }));
  const h = routingReport(items((i) => held[i]!));
  return {
    set, pair: rows[idx[0]!]!.pair, rows: idx.length, qWeak: h.qWeak, qStrong: h.qStrong,
    heldOut: pick(h), dev: pick(routingReport(items((i) => dev[i]!))), length: pick(routingReport(items((i) => rows[i]!.prompt.length))), random: randomScores(items(() => 0)),
  };
}

export const BOOTSTRAP = 300;

/**
 * Source benchmarks whose questions come with answer options (MMLU, ARC, OpenBookQA, GPQA and
 * CommonsenseQA letter their choices; Winogrande picks one of two fillers). A copy whose prompts
 * lack the options lost them; a free-form set (GSM8K, MBPP, ...) never had any.
 */
export const MULTIPLE_CHOICE_FAMILIES: ReadonlySet<string> = new Set(["mmlu", "arc_challenge", "winogrande", "commonsense_qa", "openbook_qa", "gpqa"]);

/** Hanley & McNeil (1982) standard error of an AUC from nPos positives and nNeg negatives. */
export function aucStandardError(a: number, nPos: number, nNeg: number): number {
  if (nPos === 0 || nNeg === 0 || !Number.isFinite(a)) return NaN;
  const q1 = a / (2 - a);
  const q2 = (2 * a * a) / (1 + a);
  return Math.sqrt((a * (1 - a) + (nPos - 1) * (q1 - a * a) + (nNeg - 1) * (q2 - a * a)) / (nPos * nNeg));
}
/** Inputs that fire on every prompt (length, sentences) say nothing about whether the features could read a set. */
const ALWAYS_ON = new Set(["log_chars", "log_sentences"]);

function belowLength(l: LodoLine, rows: readonly OutcomeRow[], idx: readonly number[], held: Float64Array, inputs: readonly Float64Array[], devModel: LinearComplexity): BelowLength {
  const prior = COMPLEXITY_FEATURES.length;
  const option = COMPLEXITY_FEATURES.indexOf("log_option_len");
  // Other copies of the same benchmark (another file or pair) that lay options out.
  const otherCopyHasOptions = rows.some((r, i) => r.family === l.set && r.pair !== l.pair && option >= 0 && inputs[i]![option] !== 0);
  const apgr = (ids: readonly number[], score: (i: number) => number) => routingReport(ids.map((i) => ({ score: score(i), weakOk: rows[i]!.weakOk, strongOk: rows[i]!.strongOk }))).apgr;
  const rng = mulberry32(2024);
  const diffs = Array.from({ length: BOOTSTRAP }, () => {
    const ids = idx.map(() => idx[Math.floor(rng() * idx.length)]!);
    return apgr(ids, (i) => held[i]!) - apgr(ids, (i) => rows[i]!.prompt.length);
  });
  diffs.sort((a, b) => a - b);
  const chars = idx.map((i) => rows[i]!.prompt.length).sort((a, b) => a - b);
  const gain = idx.map((i) => !rows[i]!.weakOk && rows[i]!.strongOk);
  const priorAuc = auc(idx.map((i) => inputs[i]![prior]!), gain);
  const withoutPrior = (i: number) => inputs[i]!.reduce((z, v, k) => z + (k === prior ? 0 : v * devModel.coef[k]!), devModel.bias);
  return {
    set: l.set,
    pair: l.pair,
    gap: l.heldOut.apgr - l.length.apgr,
    lengthApgr: l.length.apgr,
    gapBelowShare: diffs.filter((d) => d < 0).length / diffs.length,
    gapP5: diffs[Math.floor(0.05 * diffs.length)]!,
    gapP95: diffs[Math.ceil(0.95 * diffs.length) - 1]!,
    medianChars: chars[Math.floor((chars.length - 1) / 2)]!,
    active: Object.fromEntries(COMPLEXITY_FEATURES.flatMap((n, k) => (ALWAYS_ON.has(n) ? [] : [[n, idx.filter((i) => inputs[i]![k] !== 0).length / idx.length]]))),
    multipleChoiceOrigin: MULTIPLE_CHOICE_FAMILIES.has(l.set) || otherCopyHasOptions,
    lengthAuc: auc(idx.map((i) => rows[i]!.prompt.length), gain),
    priorAuc,
    priorAucSe: aucStandardError(priorAuc, gain.filter(Boolean).length, gain.filter((g) => !g).length),
    dev: l.dev.apgr,
    devWithoutPrior: apgr(idx, withoutPrior),
  };
}

/** Routing to frontier when calibrated P(small worse) >= t: quality as a share of all-frontier, per set then averaged. */
function sweep(rows: readonly OutcomeRow[], p: Float64Array): ThresholdPoint[] {
  const grid = Array.from({ length: 91 }, (_, i) => Math.round(50 + i * 5) / 1000);
  return grid.map((t) => {
    let share = 0;
    let quality = 0;
    let randomQuality = 0;
    const fams = MAIN_FAMILIES.filter((f) => rows.some((r) => r.family === f && r.pair === "mixtral-gpt4"));
    for (const f of fams) {
      const idx = rows.map((_, i) => i).filter((i) => rows[i]!.family === f && rows[i]!.pair === "mixtral-gpt4");
      const small = idx.filter((i) => p[i]! < t);
      const correct = idx.reduce((s, i) => s + ((p[i]! < t ? rows[i]!.weakOk : rows[i]!.strongOk) ? 1 : 0), 0);
      const frontier = idx.reduce((s, i) => s + (rows[i]!.strongOk ? 1 : 0), 0);
      const weak = idx.reduce((s, i) => s + (rows[i]!.weakOk ? 1 : 0), 0);
      const sh = small.length / idx.length;
      share += sh / fams.length;
      quality += correct / Math.max(1, frontier) / fams.length;
      randomQuality += (sh * weak + (1 - sh) * frontier) / Math.max(1, frontier) / fams.length;
    }
    return { threshold: t, smallShare: share, quality, randomQuality };
  });
}

export function lodoReport(corpus: readonly RouterTrainingExample[], rows: readonly OutcomeRow[], opts: RecipeOptions, onStep?: (step: string) => void): LodoReport {
  onStep?.("corpus model (intent + prior)");
  const corpusModel = trainCorpusModel(corpus, opts);
  onStep?.("features");
  const set = featurizeOutcomes(rows);
  const inputs = set.x.map((x) => complexityInputs(corpusModel, x));
  onStep?.("leave-one-dataset-out fits");
  const held = lodoLogits(rows, inputs);
  const devModel = trainComplexity(rows, inputs);
  const dev = Float64Array.from(inputs, (f) => linearLogit(devModel, f));
  const lines: LodoLine[] = [];
  const below: BelowLength[] = [];
  const skipped: LodoReport["skipped"] = [];
  const order = [...MAIN_FAMILIES, ...[...new Set(rows.map((r) => r.family))].filter((f) => !(MAIN_FAMILIES as readonly string[]).includes(f)).sort()];
  for (const f of order)
    for (const pair of ["mixtral-gpt4", "llama8b-nemotron51b"] as const) {
      const idx = rows.map((_, i) => i).filter((i) => rows[i]!.family === f && rows[i]!.pair === pair);
      if (!idx.length) continue;
      const l = line(f, rows, idx, held, dev);
      if (l.qStrong - l.qWeak >= MIN_GAP) {
        lines.push(l);
        if (l.heldOut.apgr < l.length.apgr) below.push(belowLength(l, rows, idx, held, inputs, devModel));
      } else skipped.push({ set: f, pair, qWeak: l.qWeak, qStrong: l.qStrong });
    }
  const mmlu = rows.map((_, i) => i).filter((i) => rows[i]!.family === "mmlu");
  let mmluSubjectFolds: LodoLine | null = null;
  if (mmlu.length) {
    onStep?.("MMLU k-fold by subject group");
    const { foldOf, folds } = subjectFolds(rows, 4);
    mmluSubjectFolds = line("mmlu (4-fold by subject group)", rows, mmlu, crossFitLogits(rows, inputs, foldOf, folds), dev);
  }
  const main = rows.map((_, i) => i).filter((i) => rows[i]!.pair === "mixtral-gpt4" && (MAIN_FAMILIES as readonly string[]).includes(rows[i]!.family));
  const platt = lodoPlatt(rows, held);
  const p = Float64Array.from(held, (z) => applyPlatt(platt, z));
  const thresholds = sweep(rows, p);
  const ok = thresholds.filter((t) => t.quality >= 0.95);
  return {
    lines, belowLength: below, skipped, mmluSubjectFolds, platt, thresholds,
    pooled: main.length ? line("all Mixtral/GPT-4 sets pooled", rows, main, held, dev) : null,
    calibrationEce: ece(main.map((i) => p[i]!), main.map((i) => outcomeLabel(rows[i]!.weakOk, rows[i]!.strongOk))),
    defaultThreshold: ok.length ? ok[ok.length - 1]!.threshold : 0,
    qualityTarget: qualityTargetLines(rows, held),
  };
}
