/**
 * Sentence ends: ., ! or ? followed by space and a capital, digit, quote or bracket, except
 * after common abbreviations ("e.g.", "et al.", "Fig.", "Dr.") and single initials ("J. Smith").
 */
const ABBREVIATIONS = new Set(["e.g", "i.e", "al", "fig", "figs", "dr", "mr", "mrs", "ms", "prof", "vs", "no", "approx", "ca", "cf", "eq", "ref", "st", "inc", "ltd", "vol", "pp"]);
const END = /[.!?]["')\]]?\s+(?=["'(\[]?[\p{Lu}\p{N}])/gu;

export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(END)) {
    const at = m.index ?? 0;
    const before = /([\p{L}.]+)$/u.exec(text.slice(Math.max(start, at - 12), at))?.[1]?.toLowerCase() ?? "";
    if (ABBREVIATIONS.has(before) || /^\p{L}$/u.test(before)) continue;
    const end = at + m[0].length;
    const sentence = text.slice(start, end).trim();
    if (sentence) out.push(sentence);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}
