/** bench:replay's markdown: the measured tenants per router build, the targets, and the operating curves. */
import { bestAtQuality, type CascadeBand, type Point } from "./curve";
import type { LossEstimate } from "../../workers/gateway/src/router/quality-target/derive-band";
import type { TargetPoint } from "./quality-target";
import type { RouterBuild } from "./run-stack";
import type { Served } from "./tenants";

export interface TenantResult {
  label: string;
  correct: number;
  rows: number;
  /** Requests that reached the frontier (escalations included) / rows. */
  frontierShare: number;
  /** From GET /v1/usage (the quality-target tenants: their measured requests' ledger rows). */
  costUsd: number;
  errors: number;
}

/** What one router build measured: the routed tenants and the curves re-decided from its run. */
export interface RouterSection {
  router: RouterBuild;
  tenants: Map<string, TenantResult>;
  served: Map<string, Served[]>;
  routerAuc: number;
  verifierAuc: number;
  drafted: number;
  routerCurve: Point[];
  verifierCurve: Point[];
  /** Label-free target curves with each loss estimate (net: the router build's win curve). */
  targetCurves: Record<LossEstimate, TargetPoint[]>;
  cascadeBands: CascadeBand[];
}

export interface ReplayReport {
  command: string;
  machine: string;
  rows: number;
  folds: number;
  seconds: number;
  staticBand: number;
  target: number;
  verifierVersion: string;
  verifierThreshold: number;
  /** all-frontier and all-small (from the first stack). */
  baselines: Map<string, TenantResult>;
  sections: RouterSection[];
  qualityTargetLabel: string;
  qualityTargetBoundLabel: string;
}

const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}%`;
const routerName = (b: RouterBuild) => (b.kind === "shipped" ? `shipped ${b.version}${b.trainedOnRows ? " (**in-sample**: trained on these rows)" : ""}` : `${b.version} (**held out**: trained without GSM8K)`);

/** The bands the decisions used, e.g. `0.2650 / 0.2641 quality_target` (one per fold tenant). */
function bandsInForce(served: readonly Served[] | undefined): string {
  const seen = new Map<string, number>();
  for (const s of served ?? []) if (s.band) seen.set(`${s.band.below.toFixed(4)} ${s.band.source}`, (seen.get(`${s.band.below.toFixed(4)} ${s.band.source}`) ?? 0) + 1);
  return [...seen].map(([b, n]) => `${b} (${n})`).join(", ") || "—";
}

function tenantRows(r: ReplayReport): string[] {
  const base = r.baselines.get("all-frontier")!;
  const row = (t: TenantResult, router: string, band: string) =>
    `| ${t.label} | ${router} | ${t.correct} / ${t.rows} | ${pct(t.correct / base.correct)} | ${pct(t.frontierShare, 0)} | ${t.costUsd.toFixed(4)} | ${t === base ? "—" : pct(1 - t.costUsd / base.costUsd)} | ${band} | ${t.errors} |`;
  const lines = [
    "| tenant | router | correct | quality vs all-frontier | frontier calls | ledger cost (USD) | cost cut | band in force (requests) | errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...[...r.baselines.values()].map((t) => row(t, "—", "—")),
  ];
  for (const s of r.sections) {
    for (const label of ["auto", r.qualityTargetLabel, r.qualityTargetBoundLabel, "auto + cascade"]) {
      const t = s.tenants.get(label);
      const named = label === r.qualityTargetLabel ? `auto, quality target ${r.target} (net loss)` : label === r.qualityTargetBoundLabel ? `auto, quality target ${r.target} (upper bound, old policy)` : label;
      if (t) lines.push(row({ ...t, label: named }, s.router.kind === "shipped" ? "shipped (in-sample)" : "without GSM8K (held out)", label === "auto + cascade" ? "drafts every row" : bandsInForce(s.served.get(label))));
    }
  }
  return lines;
}

function verdict(name: string, measured: TenantResult | undefined, base: TenantResult, curve: readonly Point[], cutTarget: number, knob: string, digits: number, why: (quality: number) => string): string {
  if (!measured) return `- ${name}: not run.`;
  const quality = measured.correct / base.correct;
  const cut = 1 - measured.costUsd / base.costUsd;
  const met = quality >= 0.95 && cut >= cutTarget;
  const best = bestAtQuality(curve, 0.95);
  const along = best ? `best curve point at ≥ 95% quality: ${knob} ${best.threshold.toFixed(digits)}, ${pct(best.quality)} quality, ${pct(best.costCut)} cut` : "no curve point keeps 95% quality";
  const miss = met
    ? "met"
    : `**missed**${quality < 0.95 ? ` quality by ${(100 * (0.95 - quality)).toFixed(1)} points` : ""}${cut < cutTarget ? `${quality < 0.95 ? " and" : ""} cost cut by ${(100 * (cutTarget - cut)).toFixed(1)} points` : ""}`;
  const line = `- ${name} (target ≥ 95% quality at ≥ ${pct(cutTarget, 0)} cut): measured ${pct(quality)} quality, ${pct(cut)} cut — ${miss}; ${along}.`;
  return met ? line : `${line}\n  - Why: ${why(quality)}`;
}

/** What this run measured about the router's complexities on these rows (the static band's miss). */
export interface ComplexitySpread {
  lo: number;
  hi: number;
  /** Rows whose complexity is below the static band / rows with a complexity. */
  below: number;
  rows: number;
}

/** Why `auto` at the static band missed: where this set's complexities sit against the band (docs/router.md, "Why 0.17"). */
export function staticBandWhy(band: number, c: ComplexitySpread): string {
  const where = c.below === 0 ? `none of the ${c.rows} GSM8K complexities is below the static band ${band} (range ${c.lo.toFixed(3)}–${c.hi.toFixed(3)}), so \`auto\` sends every row to the frontier` : `${c.below} of ${c.rows} GSM8K complexities are below the static band ${band} (range ${c.lo.toFixed(3)}–${c.hi.toFixed(3)})`;
  return `${where}. The band was chosen on the pooled leave-one-dataset-out predictions of the five Mixtral/GPT-4 sets, where each task sits in its own narrow complexity range; one static band cannot follow a single task (docs/router.md, "Why 0.17"). A quality target, below, derives the band from the tenant's own traffic.`;
}

/** Below this complexity AUC for "the small model is wrong", the router's ranking is called weak. */
export const WEAK_RANKING_AUC = 0.7;

/**
 * Why a quality-target tenant missed: this run's numbers (predicted vs measured quality, the bands
 * in force, the router's AUC), then what the dated studies concluded, attributed to them (their
 * findings are not re-measured by this run).
 */
export function qualityTargetWhy(o: { target: number; predicted: number; measured: number; bands: string; bestBand: number | null; routerAuc: number }): string {
  const gap = (100 * (o.measured - o.predicted)).toFixed(1);
  const best = o.bestBand === null ? "" : ` where this run's best curve point at ≥ 95% needs ${o.bestBand.toFixed(3)}`;
  const lead =
    o.measured >= o.predicted
      ? `the label-free band is conservative on GSM8K: at target ${o.target} it predicted ${pct(o.predicted)} of all-frontier quality and ${pct(o.measured)} was measured (${gap} points more than asked), with bands ${o.bands}${best}.`
      : `the label-free band is optimistic on this set: at target ${o.target} it predicted ${pct(o.predicted)} and ${pct(o.measured)} was measured (${gap} points), with bands ${o.bands}${best}.`;
  const ranking =
    o.routerAuc < WEAK_RANKING_AUC
      ? `The router ranks these prompts weakly (complexity AUC ${o.routerAuc.toFixed(3)} for "the small model is wrong", below ${WEAK_RANKING_AUC}).`
      : `The router's complexity AUC for "the small model is wrong" is ${o.routerAuc.toFixed(3)} on these rows.`;
  return `${lead} ${ranking} Earlier studies, not re-measured here: the calibration study (2026-12-07; docs/benchmarks/router.md, "Quality-target band: can calibration alone meet …") found the pooled calibration flatter than GSM8K's own slope, so that a band read from complexities alone could not find GSM8K's cut-off, and that even with every answer of half the set judged a band read from those labels only reached the target's edge; the labelled-band study (2026-12-07; "Labelled band, held out") found that the shipped labelled band (a 95% guarantee) certifies much less at a few hundred labels. Design: docs/router.md, "Quality target" and "Labelled band".`;
}

/** Why the cascade missed (not the case in the committed run): how well the held-out verifier saw wrong drafts. */
export function cascadeWhy(verifierAuc: number, drafted: number): string {
  return `the held-out verifier ranks wrong drafts with AUC ${verifierAuc.toFixed(3)} on ${drafted} drafted rows; the curve below shows what each threshold trades (docs/router.md, "Cascade verifier").`;
}

function curveTable(title: string, knob: string, points: readonly Point[], digits = 2): string[] {
  return [
    `**${title}**`,
    "",
    `| ${knob} | ${points.map((p) => p.threshold.toFixed(digits)).join(" | ")} |`,
    `| --- | ${points.map(() => "---").join(" | ")} |`,
    `| quality vs all-frontier | ${points.map((p) => pct(p.quality)).join(" | ")} |`,
    `| frontier calls | ${points.map((p) => pct(p.frontierShare, 0)).join(" | ")} |`,
    `| ledger cost cut | ${points.map((p) => pct(p.costCut, 0)).join(" | ")} |`,
    "",
  ];
}

function targetTable(title: string, points: readonly TargetPoint[]): string[] {
  return [
    `**${title}**`,
    "",
    `| quality target | ${points.map((p) => p.threshold.toFixed(2)).join(" | ")} |`,
    `| --- | ${points.map(() => "---").join(" | ")} |`,
    `| band (fold A / B) | ${points.map((p) => p.bands.map((b) => b.toFixed(3)).join(" / ")).join(" | ")} |`,
    `| predicted quality (label-free) | ${points.map((p) => pct(p.predictedQuality)).join(" | ")} |`,
    `| measured quality vs all-frontier | ${points.map((p) => pct(p.quality)).join(" | ")} |`,
    `| frontier calls | ${points.map((p) => pct(p.frontierShare, 0)).join(" | ")} |`,
    `| ledger cost cut | ${points.map((p) => pct(p.costCut, 0)).join(" | ")} |`,
    "",
  ];
}

function cascadeTable(bands: readonly CascadeBand[]): string[] {
  return [
    "**`auto` with cascade, by quarter of router complexity (measured): what skipping the draft above a complexity would trade**",
    "",
    "| complexity | rows | small model right | drafts served | served drafts wrong |",
    "| --- | --- | --- | --- | --- |",
    ...bands.map((b) => `| ${b.from.toFixed(3)}–${b.to.toFixed(3)} | ${b.rows} | ${pct(b.smallRight / Math.max(1, b.rows), 0)} | ${pct(b.accepted / Math.max(1, b.rows), 0)} | ${b.accepted ? pct(b.acceptedWrong / b.accepted, 0) : "—"} |`),
    "",
  ];
}

/** The range of the recorded complexities (the quarters of the cascade table) and how many sit below the band. */
function complexitySpread(s: RouterSection, band: number): ComplexitySpread {
  const c = (s.served.get("auto") ?? []).flatMap((x) => (x.complexity === null ? [] : [x.complexity]));
  return { lo: s.cascadeBands[0]?.from ?? 0, hi: s.cascadeBands.at(-1)?.to ?? 0, below: c.filter((x) => x < band).length, rows: c.length };
}

function sectionText(r: ReplayReport, s: RouterSection): string[] {
  const base = r.baselines.get("all-frontier")!;
  const name = s.router.kind === "shipped" ? "Shipped router (in-sample for the router)" : "Router trained without GSM8K (held out)";
  const cascade = s.served.get("auto + cascade") ?? [];
  const skipped = cascade.filter((x) => x.cascade === null && x.status === 200).length;
  const unsure = ["auto", r.qualityTargetLabel, r.qualityTargetBoundLabel].map((l) => `${l}: ${(s.served.get(l) ?? []).filter((x) => x.reason === "low_confidence").length}`);
  const targetWhy = (estimate: LossEstimate, label: string) => (measured: number) =>
    qualityTargetWhy({
      target: r.target,
      predicted: s.targetCurves[estimate].find((p) => p.threshold === r.target)?.predictedQuality ?? r.target,
      measured,
      bands: [...new Set((s.served.get(label) ?? []).flatMap((x) => (x.band ? [x.band.below.toFixed(4)] : [])))].join(" / ") || "—",
      bestBand: bestAtQuality(s.routerCurve, 0.95)?.threshold ?? null,
      routerAuc: s.routerAuc,
    });
  return [
    `### ${name}: ${routerName(s.router)}`,
    "",
    "Targets (verifier cross-validated; router as labelled):",
    verdict("`auto` with cascade", s.tenants.get("auto + cascade"), base, s.verifierCurve, 0.5, "verifier threshold", 2, () => cascadeWhy(s.verifierAuc, s.drafted)),
    verdict(`\`auto\` at the static band ${r.staticBand}`, s.tenants.get("auto"), base, s.routerCurve, 0.3, "router band", 3, () => staticBandWhy(r.staticBand, complexitySpread(s, r.staticBand))),
    verdict(`\`auto\` with quality target ${r.target}, net loss (default)`, s.tenants.get(r.qualityTargetLabel), base, s.routerCurve, 0.3, "router band", 3, targetWhy("net", r.qualityTargetLabel)),
    verdict(`\`auto\` with quality target ${r.target}, upper bound (old policy)`, s.tenants.get(r.qualityTargetBoundLabel), base, s.routerCurve, 0.3, "router band", 3, targetWhy("upper_bound", r.qualityTargetBoundLabel)),
    "",
    `Ranking by "the small model's answer is wrong": router complexity AUC ${s.routerAuc.toFixed(3)} (prompt only), held-out verifier AUC ${s.verifierAuc.toFixed(3)} on the ${s.drafted} drafted rows (it sees the draft). Cascade rows that skipped the draft (complexity ≥ cascadeMaxComplexity): ${skipped}. Low-confidence raises (${unsure.join(", ")}).`,
    "",
    ...targetTable("`auto` with a quality target, net loss (default): label-free bands re-derived from the recorded complexities, each fold from the other fold's (as the measured tenants)", s.targetCurves.net),
    ...targetTable("`auto` with a quality target, upper bound (old policy): same complexities and folds", s.targetCurves.upper_bound),
    ...curveTable("`auto` without cascade: router band (small tier below this complexity; bands at every 10% of rows)", "band", s.routerCurve, 3),
    ...curveTable("`auto` with cascade: verifier threshold on P(draft wrong) (drafts above it escalate)", "threshold", s.verifierCurve),
    ...cascadeTable(s.cascadeBands),
  ];
}

export function replayMarkdown(r: ReplayReport): string {
  const small = r.baselines.get("all-small")!;
  const frontier = r.baselines.get("all-frontier")!;
  return [
    "# Replayed real answers (GSM8K half): routing and cascade",
    "",
    `Command: \`${r.command}\` (${r.seconds.toFixed(0)} s).`,
    `Machine: ${r.machine}.`,
    "",
    `Traffic: ${r.rows} GSM8K questions from \`../shared/data/routing/gsm8k-mixtral-gpt4-dev.csv\`, each sent once per tenant through the gateway and evaluator in workerd. The GPU simulator replays the recorded answers: the small tier (\`small-sim\`) answers with Mixtral-8x7B-Instruct's \`small_response\` (right on ${pct(small.correct / r.rows)} of rows), the frontier tier (\`frontier-sim\`) with GPT-4-1106's \`frontier_response\` (${pct(frontier.correct / r.rows)}). Quality is counted from the rows' correctness labels for the tier whose answer the client received; cost is the evaluator's ledger (\`GET /v1/usage\`, priced by config/models.local.json: small = self-hosted GPU-hour, frontier = per token), which bills every call: drafts, escalations and answers.`,
    "",
    `Routers: the shipped router was trained on these rows (its manifest lists this file), so its \`auto\` rows and curves are **in-sample for the router**. The held-out build is the same recipe with every GSM8K row left out (\`npm run router:train -- --exclude-family gsm8k\`: GSM8K and its translation MGSM, calibration included), served by the bench's Worker build only; its numbers are what a set the router never saw gets.`,
    "",
    `Quality target (\`router.qualityTarget: ${r.target}\`, the rest default): the band is derived label-free from the tenant's own complexities (docs/router.md, "Quality target"): the largest band whose expected loss stays within (1 − target) × frontier quality. Two estimates, measured on the same tenants from the same published histogram: the **net loss** (default: summed P(small worse) − P(small better), the second from the router build's win curve, fitted with its calibration) and the **upper bound** (summed P(small worse) only: the policy before the win curve, asked for by a feature whose settings say \`qualityEstimate: "upper_bound"\`; it has no traffic of its own, so its band comes from the same tenant window); the bench runs no judges, so frontier quality is the documented default 0.85 (GPT-4 is right on ${pct(frontier.correct / r.rows)} of these rows, which the band never reads). Warm-up by **calibration on the other fold's prompts**: two tenants, each first sent one half of the prompts (split by a hash of the prompt), then the evaluator's hourly job ran (histograms, KV), then each was measured on the other half with the band it derived, once the gateway's one-minute cache had expired. No correctness label is read for the band; the measured rows were never part of the traffic that set their band.`,
    "",
    `Verifier: ${r.verifierVersion}, default threshold ${r.verifierThreshold}, **scored only on rows it was not trained on**: ${r.folds} fold models trained out of process on the other folds (\`npm run cascade:train -- --folds ${r.folds}\`; fold = hash of the prompt), and the bench's Worker build serves each row with the model of its own fold. The default threshold was itself chosen on held-out predictions of these rows (\`cascade:train\`: the largest threshold whose 5-fold GSM8K predictions keep 96% of all-frontier quality), so the measured default point is not independent of them: read the curve's neighbouring thresholds too. The arithmetic and answer checks were debugged on drafts of this set (generic parsing fixes: units, labels in parentheses, percentages, running chains).`,
    "",
    ...tenantRows(r),
    "",
    "Operating curves re-decide every row from what the run recorded (router complexity, the held-out verifier's P(wrong), and each row's ledger cost on each tier from the all-small and all-frontier tenants); they ignore the low-confidence raise, so a curve point can differ slightly from a measured row.",
    "",
    ...r.sections.flatMap((s) => sectionText(r, s)),
  ].join("\n");
}
