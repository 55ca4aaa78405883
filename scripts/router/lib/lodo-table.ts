/** Markdown for `router:eval --lodo` (printed, and pasted into docs/benchmarks/router.md). */
import { MIN_GAP, type LodoLine, type LodoReport, type Scores } from "./lodo-report";

const f3 = (x: number): string => x.toFixed(3);
const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
const cells = (s: Scores): string => `${f3(s.apgr)} | ${pct(s.cpt50)} | ${pct(s.cpt80)}`;
const PAIR: Record<LodoLine["pair"], string> = { "mixtral-gpt4": "Mixtral → GPT-4", "llama8b-nemotron51b": "Llama-8B → Nemotron-51B" };

function row(l: LodoLine): string {
  const beats = l.heldOut.apgr > l.length.apgr ? "yes" : `no (${(l.heldOut.apgr - l.length.apgr).toFixed(3)})`;
  return `| ${l.set} | ${PAIR[l.pair]} | ${l.rows} | ${pct(l.qWeak)} / ${pct(l.qStrong)} | ${cells(l.heldOut)} | ${f3(l.dev.apgr)} | ${cells(l.length)} | ${cells(l.random)} | ${beats} |`;
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
    ...(r.skipped.length ? [`Not scored (strong model not ahead by ${MIN_GAP * 100} points, so PGR is noise): ${r.skipped.map((k) => `${k.set} (${PAIR[k.pair]}, ${pct(k.qWeak)} / ${pct(k.qStrong)})`).join(", ")}.`, ""] : []),
    `Calibration (Platt on held-out logits, Mixtral/GPT-4 sets weighted equally): a = ${f3(r.platt.a)}, b = ${f3(r.platt.b)}; ECE ${f3(r.calibrationEce)}.`,
    "",
    "| threshold (frontier if P(small worse) >= t) | small-tier share | quality vs all-frontier | random routing, same share |",
    "|---|---|---|---|",
    ...sweep.map((t) => `| ${t.threshold.toFixed(3)}${t.threshold === r.defaultThreshold ? " (chosen)" : ""} | ${pct(t.smallShare)} | ${(t.quality * 100).toFixed(1)}% | ${(t.randomQuality * 100).toFixed(1)}% |`),
    "",
    "Quality target (router.qualityTarget) on each left-out set: band derived label-free from the set's held-out complexities (model and calibration fitted without the set); quality from the labels.",
    "",
    "| left-out set | target | frontier quality | band | small-tier share | predicted quality | measured quality |",
    "|---|---|---|---|---|---|---|",
    ...r.qualityTarget.map((t) => `| ${t.set} | ${t.target} | ${t.frontierQuality} | ${f3(t.band)} | ${pct(t.smallShare)} | ${(t.predicted * 100).toFixed(1)}% | ${(t.quality * 100).toFixed(1)}% |`),
  ].join("\n");
}
