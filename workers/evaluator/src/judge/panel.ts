/**
 * The judge panel: deterministic checks first, then each judge gives its verdict on the answer
 * in one call (bounded concurrency): cheap judges an overall score, strong judges a score per
 * rubric. Then a weighted aggregate of the judges' overall scores, the rubric means where
 * rubrics were scored, a disagreement flag (judges >= 2 points apart overall or on a rubric)
 * and the least confident judge's confidence. Judges that fail are reported, not averaged in;
 * if all fail the panel throws so the consumer can retry later.
 * The tiered flow (tiered.ts) runs this with the cheap judges, and merges the strong judges'
 * verdict in when the escalation policy asks for one.
 */
import { EMPTY_USAGE, type TokenUsage } from "../../../../shared/usage";
import { mapLimit } from "../concurrency";
import type { StoredContent } from "../trace/trace-record";
import { hardFailure, runChecks, type CheckResult } from "./checks";
import type { Judge, JudgeTier } from "./config";
import { callPanelJudge, JudgeCallError, type JudgeTransportDeps } from "./judge-client";
import { RUBRICS, type Rubric } from "./rubrics";

export interface JudgeOutcome {
  name: string;
  model: string;
  version: string;
  weight: number;
  tier: JudgeTier;
  /** The judge's overall 1-5 score (the mean of its rubric scores when it gave them); null when it did not answer. */
  overall: number | null;
  scores: Partial<Record<Rubric, { score: number; reason: string }>>;
  /** The judge's own confidence in its scores, 1-5; null when it did not answer. */
  confidence: number | null;
  usage: TokenUsage;
  error: string | null;
}

export interface PanelResult {
  checks: CheckResult;
  judges: JudgeOutcome[];
  rubricMeans: Partial<Record<Rubric, number>>;
  scoreMean: number;
  disagreement: boolean;
  /** Lowest confidence among the judges that scored (null: no judge was asked). */
  confidence: number | null;
}

export interface PanelDeps extends JudgeTransportDeps {
  concurrency?: number;
}

/** No judge scored anything; `judges` still carry what their failed calls were billed. */
export class PanelUnavailableError extends Error {
  constructor(
    message: string,
    readonly judges: readonly JudgeOutcome[] = [],
  ) {
    super(message);
  }
}

export async function runJudge(judge: Judge, content: StoredContent, deps: JudgeTransportDeps): Promise<JudgeOutcome> {
  const outcome: JudgeOutcome = { name: judge.name, model: judge.model, version: judge.version, weight: judge.weight, tier: judge.tier, overall: null, scores: {}, confidence: null, usage: EMPTY_USAGE, error: null };
  try {
    const { verdict, usage } = await callPanelJudge(judge, content, deps);
    outcome.overall = verdict.overall;
    outcome.scores = verdict.scores;
    outcome.confidence = verdict.confidence;
    outcome.usage = usage;
  } catch (err) {
    outcome.error = err instanceof Error ? err.message : "judge call failed";
    if (err instanceof JudgeCallError) outcome.usage = err.usage;
  }
  return outcome;
}

export const scored = (j: JudgeOutcome): boolean => j.overall !== null;

const spread = (values: readonly number[]): number => (values.length ? Math.max(...values) - Math.min(...values) : 0);

export function aggregate(checks: CheckResult, judges: readonly JudgeOutcome[]): Omit<PanelResult, "checks" | "judges"> {
  const rubricMeans: Partial<Record<Rubric, number>> = {};
  const withOverall = judges.filter(scored);
  let disagreement = spread(withOverall.map((j) => j.overall ?? 0)) >= 2;
  for (const rubric of RUBRICS) {
    const withScore = judges.filter((j) => j.scores[rubric] !== undefined);
    if (withScore.length === 0) continue;
    const values = withScore.map((j) => j.scores[rubric]?.score ?? 0);
    if (Math.max(...values) - Math.min(...values) >= 2) disagreement = true;
    const weight = withScore.reduce((s, j) => s + j.weight, 0);
    rubricMeans[rubric] = withScore.reduce((s, j) => s + j.weight * (j.scores[rubric]?.score ?? 0), 0) / weight;
  }
  // A response that breaks the requested JSON Schema fails format whatever a judge thought.
  if (checks.schemaValid === false) rubricMeans.format = 1;
  const weight = withOverall.reduce((s, j) => s + j.weight, 0);
  let scoreMean = weight > 0 ? withOverall.reduce((s, j) => s + j.weight * (j.overall ?? 0), 0) / weight : 1;
  // A hard failure (empty, truncated, leak, broken schema) is bad whatever the judges said.
  if (hardFailure(checks)) scoreMean = Math.min(scoreMean, 2);
  const confidences = withOverall.flatMap((j) => (j.confidence === null ? [] : [j.confidence]));
  return { rubricMeans, scoreMean: Math.round(scoreMean * 1000) / 1000, disagreement, confidence: confidences.length ? Math.min(...confidences) : null };
}

/** An empty answer: nothing for a judge to read, so it is scored without paying for calls. */
export function emptyAnswerResult(checks: CheckResult): PanelResult {
  return { checks, judges: [], rubricMeans: {}, scoreMean: 1, disagreement: false, confidence: null };
}

export async function runPanel(content: StoredContent, judges: readonly Judge[], deps: PanelDeps, finishReason?: unknown): Promise<PanelResult> {
  const checks = runChecks(content.response, content.responseFormat, finishReason);
  if (checks.empty) return emptyAnswerResult(checks);
  return scorePanel(checks, content, judges, deps);
}

/** The judges' half of runPanel, for callers that already ran the checks. */
export async function scorePanel(checks: CheckResult, content: StoredContent, judges: readonly Judge[], deps: PanelDeps): Promise<PanelResult> {
  const outcomes = await mapLimit(judges, deps.concurrency ?? 4, (j) => runJudge(j, content, deps));
  if (!outcomes.some(scored)) {
    throw new PanelUnavailableError(outcomes.map((o) => o.error).join("; ") || "no judges configured", outcomes);
  }
  return { checks, judges: outcomes, ...aggregate(checks, outcomes) };
}

/**
 * The strong judges' verdict replaces the cheap one (they were asked because the cheap pass
 * could not be trusted); both stay in `judges`, and a cheap/strong gap of >= 2 on any rubric
 * is the disagreement. If no strong judge scored, the cheap verdict stands.
 */
export function mergeStrong(cheap: PanelResult, strong: readonly JudgeOutcome[]): PanelResult {
  const judges = [...cheap.judges, ...strong];
  const strongScored = strong.filter(scored);
  if (strongScored.length === 0) return { ...cheap, judges };
  const verdict = aggregate(cheap.checks, strongScored);
  const gap = aggregate(cheap.checks, [...cheap.judges.filter(scored), ...strongScored]).disagreement;
  return { ...verdict, checks: cheap.checks, judges, disagreement: gap };
}
