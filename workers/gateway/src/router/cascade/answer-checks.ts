/**
 * What a draft answers and whether that answer holds together: the final answer extracted
 * (`#### 42`, `\boxed{42}`, "the answer is 42", else the last number stated), checked against
 * the draft's own working (was it ever computed? is it the last result?), against the
 * prompt's quantities (a word problem whose numbers the draft never uses was not solved),
 * and for multiple-choice prompts against the listed options. Task-generic on purpose: no
 * rule names a dataset.
 */
import { agrees, parseNumber } from "./arithmetic";

export interface FinalAnswer {
  /** The numeric final answer, if one can be read. */
  value: number | null;
  /** The draft marks its answer (####, \boxed, "answer is", "Answer:"). */
  explicit: boolean;
  /** The marked answer holds no number ("#### No valid solution"). */
  markedWithoutNumber: boolean;
}

const NUMBER_IN = /-?[$€£]?\s?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)/g;

/** Numbers in `text`, in order (commas as thousands separators, currency signs dropped). */
export function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(NUMBER_IN)) {
    const v = parseNumber(m[0].replace(/^-\s*/, "-"));
    if (v !== null) out.push(v);
  }
  return out;
}

const MARKERS = [/####\s*([^\n]*)/g, /\\boxed\{([^{}]*)\}/g, /\b(?:final answer|the answer|answer)\s*(?:is|:|=)\s*:?\s*([^\n]*)/gi];

export function finalAnswer(text: string): FinalAnswer {
  for (const re of MARKERS) {
    const hits = [...text.matchAll(re)];
    const last = hits.at(-1)?.[1];
    if (last === undefined) continue;
    const n = numbersIn(last.slice(0, 80))[0];
    return { value: n ?? null, explicit: true, markedWithoutNumber: n === undefined };
  }
  const all = numbersIn(text.slice(-400));
  return { value: all.at(-1) ?? null, explicit: false, markedWithoutNumber: false };
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, hundred: 100, thousand: 1000,
  half: 0.5, twice: 2, double: 2, triple: 3, thrice: 3, dozen: 12, quarter: 0.25, third: 3, fourth: 4, fifth: 5,
};

/** Distinct quantities a prompt states, in digits or common number words. */
export function promptQuantities(prompt: string): number[] {
  const found = new Set(numbersIn(prompt));
  for (const m of prompt.toLowerCase().matchAll(/\b[a-z]+\b/g)) {
    const v = NUMBER_WORDS[m[0]];
    if (v !== undefined) found.add(v);
  }
  return [...found];
}

/**
 * Share of the prompt's quantities the draft never mentions (as the number, the number word,
 * or a percentage as a fraction). Word problems are solved by using their numbers.
 */
export function unusedQuantityShare(prompt: string, draft: string): number {
  const wanted = promptQuantities(prompt).filter((q) => q !== 1);
  if (wanted.length < 2) return 0;
  const used = new Set([...numbersIn(draft), ...promptQuantities(draft)]);
  const seen = (q: number) => used.has(q) || used.has(q / 100) || used.has(q * 100);
  return wanted.filter((q) => !seen(q)).length / wanted.length;
}

export interface Consistency {
  /** The final answer differs from the last result the working computed. */
  mismatchLast: boolean;
  /** The final answer is neither a computed result nor a prompt quantity. */
  unsupported: boolean;
}

export function consistency(final: FinalAnswer, results: readonly number[], lastResult: number | null, prompt: string): Consistency {
  if (final.value === null || results.length === 0) return { mismatchLast: false, unsupported: false };
  const v = final.value;
  // 0.12 and 12 (%) are one answer written two ways.
  const matches = (x: number) => agrees(x, v) || agrees(v, x) || agrees(x * 100, v) || agrees(x, v * 100);
  return {
    mismatchLast: lastResult !== null && !matches(lastResult),
    unsupported: !results.some(matches) && !promptQuantities(prompt).some(matches),
  };
}

/** Option letters of the prompt's last multiple-choice block ("A) ...", "(B) ...", "C. ..."). */
export function choiceLetters(prompt: string): string[] {
  const tail = prompt.slice(-3000).split(/\n\s*\n/).slice(-3).join("\n");
  const letters = new Set<string>();
  for (const m of tail.matchAll(/^\s*\(?([A-H])[).:]\s+\S/gm)) letters.add(m[1] as string);
  return letters.size >= 2 ? [...letters].sort() : [];
}

/** For a multiple-choice prompt: the draft names no listed option, or several different ones. */
export function choiceProblem(prompt: string, draft: string): "none" | "invalid" | "ambiguous" {
  const letters = choiceLetters(prompt);
  if (letters.length === 0) return "none";
  const t = draft.trim();
  const bare = /^\(?([A-H])\)?[.):]?(?:\s|$)/.exec(t)?.[1];
  const stated = [...t.matchAll(/\b(?:answer|option|choice)\s*(?:is|:)?\s*\(?([A-H])\b/gi)].map((m) => (m[1] as string).toUpperCase());
  const named = new Set([...(bare ? [bare] : []), ...stated]);
  if (named.size === 0) return "invalid";
  if ([...named].some((l) => !letters.includes(l))) return "invalid";
  return named.size > 1 ? "ambiguous" : "none";
}

const ASKS_BRIEF = /\b(?:only|just)\b[^.\n]{0,40}\b(?:single|one|letter|word|number|choice|name)\b|\bwithout (?:any )?explanation\b|\bone[- ]word\b|\bin (?:one|a single) sentence\b|\bbriefly\b|\bshort answer\b|\bin (?:\d{1,2}|two|three|five|ten) words\b/i;
const ASKS_DETAIL = /\b(?:explain|step[- ]by[- ]step|show (?:your|the) work|in detail|describe|elaborate|justify|essay|compare)\b/i;

/** Length against what the prompt asks: a one-word ask answered at length, or a "explain" answered in a line. */
export function lengthMismatch(prompt: string, draft: string): { tooLong: boolean; tooShort: boolean } {
  const words = draft.trim().split(/\s+/).filter(Boolean).length;
  const ask = prompt.slice(-1500);
  return { tooLong: ASKS_BRIEF.test(ask) && words > 25, tooShort: ASKS_DETAIL.test(ask) && words < 12 };
}

const SELF_DOUBT = /\b(?:assum(?:e|ing)|however|not enough information|insufficient information|no valid|does not make sense|doesn't make sense|impossible|contradict|re-?evaluate|let me (?:re|try)|wait,|actually,|i made (?:a|an) (?:mistake|error)|correction:|unclear)\b/gi;
const APPROXIMATE = /≈|\b(?:approximately|approx\.?|roughly|rounded|round(?:ing)? (?:up|down|to))\b/gi;

export const selfDoubtCount = (draft: string): number => (draft.match(SELF_DOUBT) ?? []).length;
export const approximationCount = (draft: string): number => (draft.match(APPROXIMATE) ?? []).length;
