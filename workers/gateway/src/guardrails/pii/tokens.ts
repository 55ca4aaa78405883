/** Word tokens with offsets: the unit the dictionary recognizers (person, location, org) walk. */
export interface Token {
  word: string;
  start: number;
  end: number;
  /** Starts with an upper-case letter. */
  cap: boolean;
}

// Letters with inner apostrophes/hyphens (O'Brien, El-Bashir), or initials like "J.".
const WORD = /\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*\.?|&/gu;
const MAX_TOKENS = 50_000;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text)) !== null && out.length < MAX_TOKENS) {
    let word = m[0];
    // Keep the dot only on single-letter initials and known abbreviations; otherwise it is punctuation.
    if (word.endsWith(".") && !/^(?:\p{Lu}|Dr|Mr|Mrs|Ms|Prof|St|Jr|Sr|Inc|Corp|Ltd|Co)\.$/u.test(word)) word = word.slice(0, -1);
    out.push({ word, start: m.index, end: m.index + word.length, cap: /^\p{Lu}/u.test(word) });
  }
  return out;
}

/** Possessive 's is not part of a name: "Jane Doe's" -> "Jane Doe". */
export function stripPossessive(t: Token): Token {
  const m = /['’]s$/.exec(t.word);
  return m ? { ...t, word: t.word.slice(0, -2), end: t.end - 2 } : t;
}

/** Whether only spaces (no punctuation or newline) separate two tokens. */
export function adjacent(text: string, a: Token, b: Token): boolean {
  return b.start - a.end <= 2 && /^ {1,2}$/.test(text.slice(a.end, b.start));
}

let lastText: string | null = null;
let lastTokens: Token[] = [];

/** Person, location and org recognizers all walk the same tokens; tokenize once per text. */
export function tokensOf(text: string): Token[] {
  if (text !== lastText) {
    lastTokens = tokenize(text).map(stripPossessive);
    lastText = text;
  }
  return lastTokens;
}
