import { contentText, type ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { calibratedScore, DEFAULT_THRESHOLD } from "./calibrate";
import { RULES, ruleHits } from "./heuristics";
import { loadModel, logitOf, sigmoid, type InjectionSource } from "./model";
import { viewsOf } from "./views";

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

/**
 * Scores one text: the classifier over every view (decoded readings included), worst view wins,
 * then calibration for the text's source. Reasons are the rules that fired and, when the worst
 * view was a decoded one, its name (`decoded:hex`).
 */
export function scoreText(text: string, threshold = DEFAULT_THRESHOLD, source: InjectionSource = "user"): TextScore {
  const m = loadModel();
  const v = viewsOf(text);
  const reasons = new Set<string>();
  let best = -Infinity;
  let bestView = "plain";
  const plainHits = ruleHits(v.plain);
  for (const view of [{ name: "plain", text: v.plain }, ...v.extra]) {
    const hits = view.name === "plain" ? plainHits : ruleHits(view.text);
    for (const h of hits) reasons.add(RULES[h]?.id ?? "");
    const z = logitOf(view.text, m, hits);
    if (z > best) [best, bestView] = [z, view.name];
  }
  // A window can only match rules its whole text matched (all but the line-anchored ones).
  for (const w of v.windows) {
    const z = logitOf(w, m, plainHits.filter((h) => RULES[h]?.re.test(w)));
    if (z > best) [best, bestView] = [z, "plain"];
  }
  const raw = sigmoid(best);
  const score = Math.round(calibratedScore(m.calibration[source], raw) * 1000) / 1000;
  const label = score >= threshold ? "injection" : "benign";
  if (label === "injection") {
    reasons.add(`classifier(${raw.toFixed(2)})`);
    if (bestView !== "plain") reasons.add(`decoded:${bestView}`);
  }
  return { score, raw, label, reasons: [...reasons] };
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
