/** Markdown for `router:eval --lodo` (printed, and pasted into docs/benchmarks/router.md). */
import { BOOTSTRAP, MIN_GAP, type BelowLength, type LodoLine, type LodoReport, type Scores } from "./lodo-report";
import type { TargetLine, TargetOutcome } from "./quality-target-eval";

const f3 = (x: number): string => x.toFixed(3);
const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
const cells = (s: Scores): string => `${f3(s.apgr)} | ${pct(s.cpt50)} | ${pct(s.cpt80)}`;
const PAIR: Record<LodoLine["pair"], string> = { "mixtral-gpt4": "Mixtral → GPT-4", "llama8b-nemotron51b": "Llama-8B → Nemotron-51B" };

function row(l: LodoLine): string {
  const beats = l.heldOut.apgr > l.length.apgr ? "yes" : `no (${(l.heldOut.apgr - l.length.apgr).toFixed(3)})`;
  return `| ${l.set} | ${PAIR[l.pair]} | ${l.rows} | ${pct(l.qWeak)} / ${pct(l.qStrong)} | ${cells(l.heldOut)} | ${f3(l.dev.apgr)} | ${cells(l.length)} | ${cells(l.random)} | ${beats} |`;
}

const q1 = (x: number): string => `${(x * 100).toFixed(1)}%`;
const outcome = (o: TargetOutcome): string => `${f3(o.band)} | ${pct(o.smallShare)} | ${q1(o.predicted)} | ${q1(o.quality)}`;

/** Per target and estimate, over the left-out sets (default frontier quality): mean and worst measured quality, mean small-tier share. */
function targetSummary(lines: readonly TargetLine[]): string[] {
  const out = ["| target | estimate | mean measured quality | worst set | sets below target | mean small-tier share |", "|---|---|---|---|---|---|"];
  for (const target of [...new Set(lines.map((l) => l.target))])
    for (const e of ["upper_bound", "net"] as const) {
      const ls = lines.filter((l) => l.target === target && l.frontierQuality === "default");
      const worst = ls.reduce((w, l) => (l[e].quality < w[e].quality ? l : w), ls[0]!);
      const mean = (f: (o: TargetOutcome) => number) => ls.reduce((a, l) => a + f(l[e]), 0) / ls.length;
      out.push(`| ${target} | ${e} | ${q1(mean((o) => o.quality))} | ${worst.set} ${q1(worst[e].quality)} | ${ls.filter((l) => l[e].quality < target).length} of ${ls.length} | ${pct(mean((o) => o.smallShare))} |`);
    }
  return out;
}

/** Below this AUC, length's signal is called weak. */
const WEAK_AUC = 0.7;

/**
 * What the corpus prior does on the set: "ranks backwards" only when its AUC is more than two
 * standard errors below 0.5; "carries no signal" within two of it, named as a cause only when
 * leaving the prior out scores better (it dilutes); nothing when it ranks the right way.
 */
function priorCause(b: BelowLength): string | null {
  const backwards = b.priorAuc < 0.5 - 2 * b.priorAucSe;
  const dilutes = b.devWithoutPrior > b.dev;
  if (!backwards && !(b.priorAuc < 0.5 + 2 * b.priorAucSe && dilutes)) return null;
  const what = backwards ? "the corpus prior ranks these rows backwards" : "the corpus prior carries no signal on these rows (AUC within 2 SE of 0.5)";
  if (!dilutes) return what;
  const length = b.lengthAuc < WEAK_AUC ? "length's weak signal" : "length's signal";
  return `${what} and dilutes ${length}${b.devWithoutPrior < b.lengthApgr ? `, though even without it the model stays below length (${f3(b.devWithoutPrior)} vs ${f3(b.lengthApgr)})` : ""}`;
}

/** What was checked on a set below the length baseline, and the cause it points to. */
export function belowLengthNote(b: BelowLength): string {
  const share = (n: string): string => pct(b.active[n] ?? 0);
  const others = Object.keys(b.active).filter((n) => n !== "log_option_len");
  const sparse = others.every((n) => (b.active[n] ?? 0) <= 0.2);
  const prior = priorCause(b);
  // Missing options are a cause only where the benchmark has them: a free-form set never did.
  const cause = [
    ...((b.active.log_option_len ?? 0) === 0 && b.multipleChoiceOrigin ? ["its prompts carry no answer options though the benchmark is multiple choice (the option-length input never fires)"] : []),
    ...(sparse ? ["the other within-task inputs rarely fire, so length and sentence count are nearly all the model reads"] : []),
    ...(prior ? [prior] : []),
  ];
  return [
    `**${b.set}** (${PAIR[b.pair]}): held-out − length ${b.gap.toFixed(3)}; below length in ${pct(b.gapBelowShare)} of bootstrap resamples (5th–95th percentile ${b.gapP5.toFixed(3)} to ${b.gapP95.toFixed(3)}).`,
    `Checked: median prompt ${b.medianChars} characters; inputs other than length and sentence count non-zero on ${Object.keys(b.active).map((n) => `${n} ${share(n)}`).join(", ")} of rows;`,
    `AUC for "weak wrong, strong right": prompt length ${f3(b.lengthAuc)}, corpus prior ${f3(b.priorAuc)} (Hanley–McNeil SE ${f3(b.priorAucSe)}); dev APGR ${f3(b.dev)}, ${f3(b.devWithoutPrior)} without the prior term.`,
    cause.length ? `Cause: ${cause.join("; ")}.` : "No cause found among these checks.",
  ].join(" ");
}

export function lodoMarkdown(r: LodoReport): string {
  const head = [
    "| left-out set | weak → strong | rows | q weak / strong | held-out APGR | CPT(50%) | CPT(80%) | dev APGR (in-sample) | length APGR | CPT(50%) | CPT(80%) | random APGR | CPT(50%) | CPT(80%) | held-out > length |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const extra = [r.mmluSubjectFolds, r.pooled].filter((l): l is LodoLine => l !== null);
  const near = (t: number): boolean => Math.abs(t - r.defaultThreshold) <= 0.0151;
  const sweep = r.thresholds.filter((t) => Math.round(t.threshold * 1000) % 50 === 0 || near(t.threshold));
  return [
    ...head,
    ...r.lines.map(row),
    ...extra.map(row),
    "",
    ...(r.belowLength.length ? [`Below the prompt-length baseline (sets left out whole; bootstrap: ${BOOTSTRAP} seeded resamples of the set's rows):`, "", ...r.belowLength.map((b) => `- ${belowLengthNote(b)}`), ""] : []),
    ...(r.skipped.length ? [`Not scored (strong model not ahead by ${MIN_GAP * 100} points, so PGR is noise): ${r.skipped.map((k) => `${k.set} (${PAIR[k.pair]}, ${pct(k.qWeak)} / ${pct(k.qStrong)})`).join(", ")}.`, ""] : []),
    `Calibration (Platt on held-out logits, Mixtral/GPT-4 sets weighted equally): a = ${f3(r.platt.a)}, b = ${f3(r.platt.b)}; ECE ${f3(r.calibrationEce)}.`,
    "",
    "| threshold (frontier if P(small worse) >= t) | small-tier share | quality vs all-frontier | random routing, same share |",
    "|---|---|---|---|",
    ...sweep.map((t) => `| ${t.threshold.toFixed(3)}${t.threshold === r.defaultThreshold ? " (chosen)" : ""} | ${pct(t.smallShare)} | ${(t.quality * 100).toFixed(1)}% | ${(t.randomQuality * 100).toFixed(1)}% |`),
    "",
    "Quality target (router.qualityTarget) on each left-out set: band derived label-free from the set's held-out complexities (model, calibration and win curve fitted without the set), with the loss's upper bound (P(small worse), wins not credited) and with the net loss (P(small worse) − P(small better)); quality from the labels.",
    "",
    ...targetSummary(r.qualityTarget),
    "",
    "| left-out set | target | frontier quality | upper bound: band | small-tier share | predicted | measured | net: band | small-tier share | predicted | measured |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...r.qualityTarget.map((t) => `| ${t.set} | ${t.target} | ${t.frontierQuality} | ${outcome(t.upper_bound)} | ${outcome(t.net)} |`),
  ].join("\n");
}
