/**
 * The judge panel: deterministic checks first, then every judge scores every rubric (bounded
 * concurrency), then a weighted aggregate with a disagreement flag (judges >= 2 points apart
 * on any rubric). Judges that fail are reported, not averaged in; if all fail the panel throws
 * so the consumer can retry the message later.
 */
import { EMPTY_USAGE, type TokenUsage } from "../../../../shared/usage";
import { mapLimit } from "../concurrency";
import type { StoredContent } from "../trace/trace-record";
import { hardFailure, runChecks, type CheckResult } from "./checks";
import type { Judge } from "./config";
import { callJudge, JudgeCallError, type Fetch } from "./judge-client";
import { RUBRICS, type Rubric } from "./rubrics";

export interface JudgeOutcome {
  name: string;
  model: string;
  version: string;
  weight: number;
  scores: Partial<Record<Rubric, { score: number; reason: string }>>;
  usage: TokenUsage;
  error: string | null;
}

export interface PanelResult {
  checks: CheckResult;
  judges: JudgeOutcome[];
  rubricMeans: Partial<Record<Rubric, number>>;
  scoreMean: number;
  disagreement: boolean;
}

export interface PanelDeps {
  fetch: Fetch;
  credential: (secretName: string) => string | undefined;
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

const addUsage = (a: TokenUsage, b: TokenUsage): TokenUsage => ({
  input: { total: a.input.total + b.input.total, cached: a.input.cached + b.input.cached },
  output: { total: a.output.total + b.output.total, reasoning: a.output.reasoning + b.output.reasoning },
  source: b.source === "none" ? a.source : b.source,
});

async function runJudge(judge: Judge, content: StoredContent, deps: PanelDeps): Promise<JudgeOutcome> {
  const outcome: JudgeOutcome = { name: judge.name, model: judge.model, version: judge.version, weight: judge.weight, scores: {}, usage: EMPTY_USAGE, error: null };
  const credential = judge.credential ? deps.credential(judge.credential) : undefined;
  const calls = await Promise.allSettled(RUBRICS.map((r) => callJudge(judge, r, content, credential, deps.fetch)));
  calls.forEach((call, i) => {
    const rubric = RUBRICS[i] as Rubric;
    if (call.status === "fulfilled") {
      outcome.scores[rubric] = call.value.judgement;
      outcome.usage = addUsage(outcome.usage, call.value.usage);
    } else {
      outcome.error = call.reason instanceof Error ? call.reason.message : "judge call failed";
      if (call.reason instanceof JudgeCallError) outcome.usage = addUsage(outcome.usage, call.reason.usage);
    }
  });
  return outcome;
}

export function aggregate(checks: CheckResult, judges: readonly JudgeOutcome[]): Omit<PanelResult, "checks" | "judges"> {
  const rubricMeans: Partial<Record<Rubric, number>> = {};
  let disagreement = false;
  for (const rubric of RUBRICS) {
    const scored = judges.filter((j) => j.scores[rubric] !== undefined);
    if (scored.length === 0) continue;
    const values = scored.map((j) => j.scores[rubric]?.score ?? 0);
    if (Math.max(...values) - Math.min(...values) >= 2) disagreement = true;
    const weight = scored.reduce((s, j) => s + j.weight, 0);
    rubricMeans[rubric] = scored.reduce((s, j) => s + j.weight * (j.scores[rubric]?.score ?? 0), 0) / weight;
  }
  // A response that breaks the requested JSON Schema fails format whatever a judge thought.
  if (checks.schemaValid === false) rubricMeans.format = 1;
  const means = Object.values(rubricMeans);
  let scoreMean = means.length ? means.reduce((a, b) => a + b, 0) / means.length : 1;
  if (hardFailure(checks)) scoreMean = Math.min(scoreMean, 2);
  return { rubricMeans, scoreMean: Math.round(scoreMean * 1000) / 1000, disagreement };
}

export async function runPanel(content: StoredContent, judges: readonly Judge[], deps: PanelDeps, finishReason?: unknown): Promise<PanelResult> {
  const checks = runChecks(content.response, content.responseFormat, finishReason);
  // Nothing for a judge to read: score it without paying for calls.
  if (checks.empty) return { checks, judges: [], rubricMeans: {}, scoreMean: 1, disagreement: false };
  const outcomes = await mapLimit(judges, deps.concurrency ?? 4, (j) => runJudge(j, content, deps));
  if (!outcomes.some((o) => Object.keys(o.scores).length > 0)) {
    throw new PanelUnavailableError(outcomes.map((o) => o.error).join("; ") || "no judges configured", outcomes);
  }
  return { checks, judges: outcomes, ...aggregate(checks, outcomes) };
}
