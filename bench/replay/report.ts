/** bench:replay's markdown: the measured tenants, the targets, and the operating curves. */
import { bestAtQuality, type Point } from "./curve";

export interface TenantResult {
  label: string;
  correct: number;
  rows: number;
  /** Requests that reached the frontier (escalations included) / rows. */
  frontierShare: number;
  /** From GET /v1/usage. */
  costUsd: number;
  errors: number;
}

export interface ReplayReport {
  command: string;
  machine: string;
  rows: number;
  folds: number;
  seconds: number;
  routerVersion: string;
  /** The default band below which `auto` uses the small tier. */
  routerBand: number;
  /** The router's training data include the replayed rows (its manifest lists the file). */
  routerTrainedOnRows: boolean;
  verifierVersion: string;
  verifierThreshold: number;
  verifierAuc: number;
  routerAuc: number;
  drafted: number;
  tenants: TenantResult[];
  routerCurve: Point[];
  verifierCurve: Point[];
}

const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}%`;

function tenantTable(r: ReplayReport): string[] {
  const base = r.tenants[0] as TenantResult;
  const lines = [
    "| tenant | correct | quality vs all-frontier | frontier calls | ledger cost (USD) | cost cut | errors |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const t of r.tenants) {
    lines.push(`| ${t.label} | ${t.correct} / ${t.rows} | ${pct(t.correct / base.correct)} | ${pct(t.frontierShare, 0)} | ${t.costUsd.toFixed(4)} | ${t === base ? "—" : pct(1 - t.costUsd / base.costUsd)} | ${t.errors} |`);
  }
  return lines;
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

function verdict(name: string, measured: TenantResult, base: TenantResult, curve: readonly Point[], cutTarget: number, knob: string, digits: number): string {
  const quality = measured.correct / base.correct;
  const cut = 1 - measured.costUsd / base.costUsd;
  const met = quality >= 0.95 && cut >= cutTarget;
  const best = bestAtQuality(curve, 0.95);
  const along = best ? `best curve point at ≥ 95% quality: ${knob} ${best.threshold.toFixed(digits)}, ${pct(best.quality)} quality, ${pct(best.costCut)} cut` : "no curve point keeps 95% quality";
  const miss = met
    ? "met"
    : `**missed**${quality < 0.95 ? ` quality by ${(100 * (0.95 - quality)).toFixed(1)} points` : ""}${cut < cutTarget ? `${quality < 0.95 ? " and" : ""} cost cut by ${(100 * (cutTarget - cut)).toFixed(1)} points` : ""}`;
  return `- ${name} (target ≥ 95% quality at ≥ ${pct(cutTarget, 0)} cut): measured ${pct(quality)} quality, ${pct(cut)} cut — ${miss}; ${along}.`;
}

export function replayMarkdown(r: ReplayReport): string {
  const [frontier, , auto, cascade] = r.tenants as [TenantResult, TenantResult, TenantResult, TenantResult];
  return [
    "# Replayed real answers (GSM8K half): routing and cascade",
    "",
    `Command: \`${r.command}\` (${r.seconds.toFixed(0)} s).`,
    `Machine: ${r.machine}.`,
    "",
    `Traffic: ${r.rows} GSM8K questions from \`../shared/data/routing/gsm8k-mixtral-gpt4-dev.csv\`, each sent once per tenant through the gateway and evaluator in workerd. The GPU simulator replays the recorded answers: the small tier (\`small-sim\`) answers with Mixtral-8x7B-Instruct's \`small_response\`, the frontier tier (\`frontier-sim\`) with GPT-4-1106's \`frontier_response\`. Quality is counted from the rows' correctness labels for the tier whose answer the client received; cost is the evaluator's ledger (\`GET /v1/usage\`, priced by config/models.local.json: small = self-hosted GPU-hour, frontier = per token), which bills every call: drafts, escalations and answers.`,
    `Router: model ${r.routerVersion} (\`Classification.complexity\` as shipped; default band: small below ${r.routerBand}, low confidence raises one tier)${r.routerTrainedOnRows ? "; **the router was trained on these rows** (its manifest lists this file), so the `auto` row and the router curve are in-sample for the router — its held-out numbers are `npm run router:eval -- --lodo` in docs/benchmarks.md" : ""}. Verifier: ${r.verifierVersion}, default threshold ${r.verifierThreshold}, **scored only on rows it was not trained on**: ${r.folds} fold models trained out of process on the other folds (\`npm run cascade:train -- --folds ${r.folds}\`; fold = hash of the prompt), and the bench's Worker build serves each row with the model of its own fold. Held-out AUC of P(draft wrong) on the ${r.drafted} drafted rows: **${r.verifierAuc.toFixed(3)}**. The default threshold was itself chosen on held-out predictions of these rows (\`cascade:train\`: the largest threshold whose 5-fold GSM8K predictions keep 96% of all-frontier quality), so the measured default point is not independent of them: read the curve's neighbouring thresholds too. The arithmetic and answer checks were debugged on drafts of this set (generic parsing fixes: units, labels in parentheses, percentages, running chains).`,
    "",
    ...tenantTable(r),
    "",
    "Targets (cross-validated):",
    verdict("`auto` with cascade", cascade, frontier, r.verifierCurve, 0.5, "verifier threshold", 2),
    verdict("`auto` without cascade", auto, frontier, r.routerCurve, 0.3, "router band", 3),
    "",
    `Why, in one number each: the router's complexity ranks these prompts by "the small model's answer is wrong" with AUC ${r.routerAuc.toFixed(3)} (it sees only the prompt), the held-out verifier with AUC ${r.verifierAuc.toFixed(3)} (it sees the draft). Keeping 95% of all-frontier quality while the small model is right on ${pct(r.tenants[1]!.correct / r.rows)} of rows and the frontier on ${pct(frontier.correct / r.rows)} leaves room for few small-tier answers unless the ranking is good; the curves below show where each ranking lands.`,
    "",
    "Operating curves, re-deciding every row from what the run recorded (router complexity, the held-out verifier's P(wrong), and each row's ledger cost on each tier from the all-small and all-frontier tenants). The router curve ignores the low-confidence raise, so its point at the default band can differ from the measured `auto` row.",
    "",
    ...curveTable("`auto` with cascade: verifier threshold on P(draft wrong) (drafts above it escalate)", "threshold", r.verifierCurve),
    ...curveTable("`auto` without cascade: router band (small tier below this complexity; bands at every 10% of rows)", "band", r.routerCurve, 3),
  ].join("\n");
}
