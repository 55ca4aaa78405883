/**
 * Finds development-set sentences quoted in source files: tests must use sentences of their own,
 * or they check the rows the guards were tuned on instead of behaviour (docs/semantic-cache.md,
 * "Held-out discipline"). A quote is a dev sentence of 3+ words inside a string, or any run of
 * 6 words a string shares with a dev sentence, compared after lower-casing and dropping
 * punctuation.
 */
const MIN_SENTENCE_WORDS = 3;
const SHARED_RUN = 6;

export function words(text: string): string[] {
  return text.toLowerCase().replace(/[’']/g, "").match(/[\p{L}\p{N}]+/gu) ?? [];
}

export interface DevIndex {
  sentences: Set<string>;
  runs: Set<string>;
}

export function indexDevSentences(sentences: Iterable<string>): DevIndex {
  const index: DevIndex = { sentences: new Set(), runs: new Set() };
  for (const s of sentences) {
    const w = words(s);
    if (w.length >= MIN_SENTENCE_WORDS) index.sentences.add(w.join(" "));
    for (let i = 0; i + SHARED_RUN <= w.length; i++) index.runs.add(w.slice(i, i + SHARED_RUN).join(" "));
  }
  return index;
}

/** String literals of a TypeScript source (quotes and template text, escapes decoded loosely). */
export function stringLiterals(source: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g;
  for (const m of source.matchAll(re)) {
    const raw = m[1] ?? m[2] ?? m[3] ?? "";
    out.push(raw.replace(/\\u([0-9a-fA-F]{4})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/\\(.)/g, "$1"));
  }
  return out;
}

/** The dev sentences (or shared 6-word runs) a string quotes. */
export function quotedDevText(literal: string, index: DevIndex): string[] {
  const w = words(literal);
  const found = new Set<string>();
  const joined = ` ${w.join(" ")} `;
  for (let i = 0; i + SHARED_RUN <= w.length; i++) {
    const run = w.slice(i, i + SHARED_RUN).join(" ");
    if (index.runs.has(run)) found.add(run);
  }
  // Whole short sentences: every sub-sequence of the literal of 3-5 words.
  for (let n = MIN_SENTENCE_WORDS; n < SHARED_RUN; n++) {
    for (let i = 0; i + n <= w.length; i++) {
      const part = w.slice(i, i + n).join(" ");
      if (index.sentences.has(part) && joined.includes(` ${part} `)) found.add(part);
    }
  }
  return [...found];
}
