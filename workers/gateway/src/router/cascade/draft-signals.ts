/**
 * Cheap text signals that a draft answer from the small tier should not be served:
 * refusals, hedging, truncation, degenerate repetition. Multilingual where it matters (en, es,
 * fr, de). Patterns are anchored on phrases models actually emit, not single words, so an
 * answer that merely discusses "refusal" is not flagged.
 */
const REFUSAL = [
  /\b(i|we)\s*(?:am|'m)?\s*(?:cannot|can't|can not|won't|unable to|not able to)\s+(?:help|assist|provide|comply|do that|answer|fulfil|fulfill)/i,
  /\bas an ai(?: language model)?\b[^.]{0,60}\b(?:cannot|can't|don't|do not|unable)\b/i,
  /\bi(?:'m| am) sorry,? but i (?:can(?:'|no)t|won't|am unable)/i,
  /\b(?:no puedo|lo siento, pero no)\s+(?:ayudar|responder|proporcionar|hacer)/i,
  /\bje ne (?:peux|suis) pas (?:en mesure d'|en mesure de )?(?:vous |t')?(?:aider|répondre|fournir)/i,
  /\bich kann (?:dir |ihnen )?(?:dabei )?nicht (?:helfen|antworten|bereitstellen)/i,
];
const HEDGES = [
  /\bi(?:'m| am) not (?:sure|certain)\b/gi,
  /\bi don't know\b|\bi do not know\b/gi,
  /\bit(?:'s| is) (?:unclear|hard to say|difficult to say)\b/gi,
  /\bi (?:cannot|can't) be (?:sure|certain)\b/gi,
  /\b(?:possibly|perhaps|probably|might be|may be)\b/gi,
  /\bno estoy seguro\b|\bje ne suis pas (?:sûr|certain)\b|\bich bin (?:mir )?nicht sicher\b/gi,
];

export const isRefusal = (text: string): boolean => REFUSAL.some((re) => re.test(text.slice(0, 600)));

/** Hedge count per 100 words (strong hedges count double). */
export function hedgeRate(text: string): number {
  const words = Math.max(20, text.split(/\s+/).length);
  let n = 0;
  HEDGES.forEach((re, i) => (n += (text.match(re) ?? []).length * (i < 4 || i === 5 ? 2 : 1)));
  return (n * 100) / words;
}

/** Unclosed code fence, or a long answer stopping mid-sentence. */
export function looksTruncated(text: string): boolean {
  const fences = (text.match(/```/g) ?? []).length;
  if (fences % 2 === 1) return true;
  const trimmed = text.trimEnd();
  if (trimmed.length < 200) return false;
  return !/[.!?。！？:;)\]}"'`*>|…\n-]$|\p{Emoji}$/u.test(trimmed);
}

/** Share of repeated lines/sentences: loops are a classic small-model failure. */
export function repetition(text: string): number {
  const parts = text.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim().toLowerCase()).filter((s) => s.length > 12);
  if (parts.length < 4) return 0;
  return 1 - new Set(parts).size / parts.length;
}

/** True when the prompt asks for code (write/implement/fix ... function/code/script). */
export const asksForCode = (prompt: string): boolean =>
  /\b(write|implement|create|fix|refactor|give me)\b[^.?!\n]{0,60}\b(function|code|script|program|class|query|regex|method)\b/i.test(prompt);

export const hasCode = (text: string): boolean => /```|^( {4}|\t)\S|\b(def|function|class|return|SELECT|const|public)\b/m.test(text);
