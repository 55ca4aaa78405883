import { contentText, type ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { calibratedScore, DEFAULT_THRESHOLD } from "./calibrate";
import { conceptMatches, distinctConcepts } from "./concepts";
import { RULES, ruleHits } from "./heuristics";
import { loadModel, logitOf, sigmoid, type InjectionSource, type LinearModel } from "./model";
import { viewsOf, WINDOW } from "./views";

export type { InjectionSource } from "./model";
export interface InjectionVerdict {
  score: number;
  label: "injection" | "benign";
  source: InjectionSource | null;
  reasons: string[];
}

/** 0.425: a 2% false-alarm rate on held-out benign texts of the same source (calibrate.ts). */
export { DEFAULT_THRESHOLD };

export interface TextScore {
  /** Calibrated: -log10(false-alarm rate) / 4 for this source. */
  score: number;
  /** The classifier's own probability, before calibration. */
  raw: number;
  label: "injection" | "benign";
  reasons: string[];
}

export interface RawScore {
  raw: number;
  /** The reading that scored worst ("plain" for the text itself and its windows). */
  view: string;
  /** Ids of the rules that fired on any reading. */
  rules: string[];
}

/**
 * The classifier over every reading of a text, worst one wins. Windows of a long text are scored
 * only when they hold a concept or a rule match: a window of ordinary prose cannot outscore the
 * whole text it is part of by much, and skipping it keeps a 1,000-token prompt well under a
 * millisecond. Training (scripts/guardrails/injection/fit.ts) scores with this same function.
 */
export function rawScoreOf(text: string, m: LinearModel = loadModel()): RawScore {
  const v = viewsOf(text);
  const rules = new Set<number>();
  const plainHits = ruleHits(v.plain);
  const matches = conceptMatches(v.plain);
  let best = logitOf(v.plain, m, plainHits, distinctConcepts(matches));
  let view = "plain";
  for (const h of plainHits) rules.add(h);
  for (const e of v.extra) {
    const hits = ruleHits(e.text);
    for (const h of hits) rules.add(h);
    const z = logitOf(e.text, m, hits);
    if (z > best) [best, view] = [z, e.name];
  }
  for (const w of v.windows) {
    // A window can only match rules its whole text matched (all but the line-anchored ones).
    const inside = matches.filter((c) => c.start >= w.start && c.start < w.start + WINDOW);
    const hits = plainHits.filter((h) => RULES[h]?.re.test(w.text));
    if (inside.length === 0 && hits.length === 0) continue;
    const z = logitOf(w.text, m, hits, distinctConcepts(inside));
    if (z > best) [best, view] = [z, "plain"];
  }
  return { raw: sigmoid(best), view, rules: [...rules].map((h) => RULES[h]?.id ?? "") };
}

/**
 * Scores one text: the worst reading's probability, calibrated for the text's source. Reasons
 * are the rules that fired and, when flagged, the classifier's probability and the decoded
 * reading that gave the attack away (`decoded:hex`).
 */
export function scoreText(text: string, threshold = DEFAULT_THRESHOLD, source: InjectionSource = "user"): TextScore {
  const m = loadModel();
  const r = rawScoreOf(text, m);
  const score = Math.round(calibratedScore(m.calibration[source], r.raw) * 1000) / 1000;
  const label = score >= threshold ? "injection" : "benign";
  const reasons = [...r.rules];
  if (label === "injection") {
    reasons.push(`classifier(${r.raw.toFixed(2)})`);
    if (r.view !== "plain") reasons.push(`decoded:${r.view}`);
  }
  return { score, raw: r.raw, label, reasons };
}

/**
 * Texts to screen, with their source: user turns; tool results and the arguments of tool calls
 * in the history (third-party or client-replayed text: indirect injection, OWASP LLM01); and
 * system/developer prompts, which have their own calibration because tenants fill them with role
 * instructions. Assistant prose is the model's own and is skipped.
 */
function screenable(request: ChatCompletionRequest): Array<{ source: InjectionSource; text: string }> {
  const out: Array<{ source: InjectionSource; text: string }> = [];
  const push = (source: InjectionSource, text: string): void => {
    if (text.trim()) out.push({ source, text });
  };
  for (const m of request.messages) {
    if (m.role === "assistant") {
      for (const tc of m.tool_calls ?? []) push("tool", tc.function.arguments);
    } else {
      push(m.role === "tool" ? "tool" : m.role === "system" || m.role === "developer" ? "system" : "user", contentText(m.content));
    }
  }
  return out;
}

/** The worst verdict over the request's screenable texts. */
export function screenInjection(request: ChatCompletionRequest, threshold = DEFAULT_THRESHOLD): InjectionVerdict {
  let best: InjectionVerdict = { score: 0, label: "benign", source: null, reasons: [] };
  for (const { source, text } of screenable(request)) {
    const s = scoreText(text, threshold, source);
    if (s.score > best.score) best = { score: s.score, label: s.label, source, reasons: s.reasons };
  }
  return best;
}
