/**
 * The judge panel on one cache audit: every judge scores the cache-fit rubric once (the same
 * JUDGES, client and schema-checked answers as the rubric panel), weighted mean, and a verdict
 * "hit correct" when the mean reaches the pass score. Judges that fail are reported, not
 * averaged in; if all fail the panel throws so the consumer retries the message later.
 */
import { EMPTY_USAGE, type TokenUsage } from "../../../../shared/usage";
import { mapLimit } from "../concurrency";
import type { Judge } from "../judge/config";
import { callJudgeWith, JudgeCallError, type Judgement, type JudgeMessage } from "../judge/judge-client";
import { PanelUnavailableError, type PanelDeps } from "../judge/panel";
import { CACHE_AUDIT_RESPONSE_FORMAT, CACHE_AUDIT_RUBRIC } from "./audit-prompt";

export interface AuditJudgeOutcome {
  name: string;
  model: string;
  version: string;
  weight: number;
  scores: { [CACHE_AUDIT_RUBRIC]?: Judgement };
  usage: TokenUsage;
  error: string | null;
}

export interface AuditVerdict {
  judges: AuditJudgeOutcome[];
  scoreMean: number;
  correct: boolean;
  disagreement: boolean;
}

/** Default pass score: "correct for B, minor omissions" or better counts as a correct hit. */
export const DEFAULT_PASS_SCORE = 4;

async function runJudge(judge: Judge, messages: readonly JudgeMessage[], deps: PanelDeps): Promise<AuditJudgeOutcome> {
  const outcome: AuditJudgeOutcome = { name: judge.name, model: judge.model, version: judge.version, weight: judge.weight, scores: {}, usage: EMPTY_USAGE, error: null };
  try {
    const call = await callJudgeWith(judge, messages, CACHE_AUDIT_RESPONSE_FORMAT, deps);
    outcome.scores[CACHE_AUDIT_RUBRIC] = call.judgement;
    outcome.usage = call.usage;
  } catch (err) {
    outcome.error = err instanceof Error ? err.message : "judge call failed";
    if (err instanceof JudgeCallError) outcome.usage = err.usage;
  }
  return outcome;
}

/** Weighted mean of the judges that answered; null when none did. */
export function auditVerdict(judges: readonly AuditJudgeOutcome[], passScore: number): AuditVerdict | null {
  const scored = judges.flatMap((j) => {
    const s = j.scores[CACHE_AUDIT_RUBRIC];
    return s ? [{ score: s.score, weight: j.weight }] : [];
  });
  if (scored.length === 0) return null;
  const weight = scored.reduce((sum, s) => sum + s.weight, 0);
  const mean = Math.round((scored.reduce((sum, s) => sum + s.weight * s.score, 0) / weight) * 1000) / 1000;
  const values = scored.map((s) => s.score);
  return { judges: [...judges], scoreMean: mean, correct: mean >= passScore, disagreement: Math.max(...values) - Math.min(...values) >= 2 };
}

export async function runAuditPanel(messages: readonly JudgeMessage[], judges: readonly Judge[], deps: PanelDeps, passScore: number): Promise<AuditVerdict> {
  const outcomes = await mapLimit(judges, deps.concurrency ?? 4, (j) => runJudge(j, messages, deps));
  const verdict = auditVerdict(outcomes, passScore);
  if (!verdict) throw new PanelUnavailableError(outcomes.map((o) => o.error).join("; ") || "no judges configured");
  return verdict;
}
