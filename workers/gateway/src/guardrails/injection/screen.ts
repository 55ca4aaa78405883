import { contentText, type ChatCompletionRequest, type ChatMessage } from "../../../../../shared/schemas/openai-chat";
import { heuristicScore } from "./heuristics";
import { classify } from "./model";
import { viewsOf } from "./views";

export type InjectionSource = "user" | "tool" | "system";
export interface InjectionVerdict {
  score: number;
  label: "injection" | "benign";
  source: InjectionSource | null;
  reasons: string[];
}

export const DEFAULT_THRESHOLD = 0.5;

/**
 * Source weights: tool results and retrieved documents are untrusted third-party text
 * (indirect injection, OWASP LLM01) and weigh fully; system/developer prompts are written by
 * the tenant and commonly contain role instructions, so they weigh half.
 */
const SOURCE_WEIGHT: Record<InjectionSource, number> = { user: 1, tool: 1, system: 0.5 };

export interface TextScore {
  score: number;
  label: "injection" | "benign";
  reasons: string[];
}

/**
 * Scores one text: heuristics over every view, the classifier over every view (max). Per-window
 * classification of long texts was measured and added nothing on the dev sets, so it is off:
 * buried payloads are caught by the rules, which are position-independent.
 */
export function scoreText(text: string, threshold = DEFAULT_THRESHOLD): TextScore {
  const v = viewsOf(text);
  const all = [v.plain, ...v.extra];
  const h = heuristicScore(all);
  let clf = 0;
  for (const view of all) clf = Math.max(clf, classify(view));
  // Independent evidence: the classifier and the rules each raise the score.
  const score = 1 - (1 - clf * 0.85) * (1 - h.score);
  const reasons = [...h.reasons, ...(clf >= threshold ? [`classifier(${clf.toFixed(2)})`] : [])];
  const rounded = Math.round(score * 1000) / 1000;
  return { score: rounded, label: rounded >= threshold ? "injection" : "benign", reasons };
}

function sourceOf(m: ChatMessage): InjectionSource {
  if (m.role === "tool") return "tool";
  if (m.role === "system" || m.role === "developer") return "system";
  return "user";
}

/** Texts to screen: user turns, tool results, system/developer prompts. Assistant turns are the model's own. */
function screenable(request: ChatCompletionRequest): Array<{ source: InjectionSource; text: string }> {
  const out: Array<{ source: InjectionSource; text: string }> = [];
  for (const m of request.messages) {
    if (m.role === "assistant") continue;
    const text = contentText(m.content);
    if (text.trim()) out.push({ source: sourceOf(m), text });
  }
  return out;
}

/** The worst weighted verdict over the request's screenable messages. */
export function screenInjection(request: ChatCompletionRequest, threshold = DEFAULT_THRESHOLD): InjectionVerdict {
  let best: InjectionVerdict = { score: 0, label: "benign", source: null, reasons: [] };
  for (const { source, text } of screenable(request)) {
    const s = scoreText(text, threshold);
    const score = Math.round(s.score * SOURCE_WEIGHT[source] * 1000) / 1000;
    if (score > best.score) best = { score, label: score >= threshold ? "injection" : "benign", source, reasons: s.reasons };
  }
  return best;
}
