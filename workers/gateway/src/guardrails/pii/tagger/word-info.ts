/**
 * Everything the tagger derives from a token's text alone (hashes of the word, its shapes,
 * affixes and character trigrams, dictionary bits), computed once per distinct word per text:
 * in running text most tokens are repeats ("the", ",", "and"). Shapes and n-grams are hashed
 * straight from char codes, with no intermediate strings.
 */
import { hashRange, mix } from "./hash";
import { wordBits } from "./lexicon";
import { TOKEN_KIND, type TagToken } from "./tokenize";

export interface WordInfo {
  lower: string;
  hw: number;
  hs: number;
  hss: number;
  bits: number;
  /** Affix, n-gram and length features, already final hashes. */
  own: Uint32Array;
  /** SCRIPT group of the word's first letter (SCRIPT.none for numbers and punctuation). */
  script: number;
}

/**
 * Coarse script groups. What a word's writing system says about it hardly depends on which
 * language of the group it is, so a group can carry what was learned from one script (Russian,
 * Arabic) to another the training data never showed (Greek, Armenian, Hebrew).
 */
export const SCRIPT = { none: 0, latin: 1, casedOther: 2, caseless: 3, cjk: 4, other: 5 } as const;

/** Script group of a letter: Latin; Greek, Cyrillic, Armenian; caseless alphabets (Hebrew, Arabic, Indic, Thai, Georgian); CJK; other. */
export function scriptOf(c: number): number {
  if (c < 0x250 || (c >= 0x1e00 && c <= 0x1eff)) return SCRIPT.latin;
  if (c < 0x590 || (c >= 0x10a0 && c <= 0x10cf)) return SCRIPT.casedOther;
  if (c < 0xe80 || caselessInPractice(c)) return SCRIPT.caseless;
  if ((c >= 0x3040 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)) return SCRIPT.cjk;
  return SCRIPT.other;
}

const X = 88;
const XL = 120;
const D = 100;
const O = 111;

/**
 * Georgian Mkhedruli has capital forms (Mtavruli) since Unicode 11, so toUpperCase() maps it, but
 * running text never uses them: read as cased it would make every Georgian word look lower-case,
 * i.e. never a name. It is caseless in practice, like Hebrew or Devanagari.
 */
const caselessInPractice = (c: number): boolean => c >= 0x10d0 && c <= 0x10ff;

function charClass(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? X : c >= 97 && c <= 122 ? XL : c >= 48 && c <= 57 ? D : c;
  if ((c >= 0xd800 && c <= 0xdfff) || caselessInPractice(c)) return O;
  const ch = String.fromCharCode(c);
  return ch.toLowerCase() !== ch ? X : ch.toUpperCase() !== ch ? XL : O;
}

/** FNV-1a over the word's character classes, runs cut at `maxRun`, at most `maxLen` classes. */
function shapeHash(t: string, maxRun: number, maxLen: number, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  let prev = -1;
  let run = 0;
  let len = 0;
  for (let i = 0; i < t.length && len < maxLen; i++) {
    const c = charClass(t.charCodeAt(i));
    run = c === prev ? run + 1 : 1;
    prev = c;
    if (run > maxRun) continue;
    h ^= c;
    h = Math.imul(h, 0x01000193);
    len++;
  }
  return h >>> 0;
}

/** Whether a word starts with a lower-case letter (Latin or any cased script used with case). */
export function startsLowerCase(t: string): boolean {
  const c = t.charCodeAt(0);
  return charClass(c) === XL;
}

const MAX_WORD = 24;

function trigramHashes(lower: string, out: number[]): void {
  const n = lower.length;
  const code = (i: number): number => (i < 0 ? 94 : i >= n ? 36 : lower.charCodeAt(i));
  for (let k = -1; k + 2 <= n && k < 15; k++) {
    let h = (0x811c9dc5 ^ Math.imul(120, 0x9e3779b1)) >>> 0;
    for (let j = k; j < k + 3; j++) {
      h ^= code(j);
      h = Math.imul(h, 0x01000193);
    }
    out.push(h >>> 0);
  }
}

export function wordInfo(tok: TagToken, charNgrams: boolean): WordInfo {
  const t = tok.text;
  const c0 = t.charCodeAt(0);
  const lower = t.toLowerCase();
  const n = lower.length;
  const own: number[] = [];
  if (tok.kind === TOKEN_KIND.word) {
    for (let k = 1; k <= 3 && k <= n; k++) own.push(hashRange(lower, 0, k, 100 + k));
    for (let k = 1; k <= 4 && k <= n; k++) own.push(hashRange(lower, n - k, n, 110 + k));
    if (charNgrams && n >= 4) trigramHashes(lower, own);
  } else if (tok.kind === TOKEN_KIND.number) own.push(mix(Math.min(n, 12), 27));
  return {
    lower,
    hw: n > MAX_WORD ? hashRange("<long>", 0, 6, 1) : hashRange(lower, 0, n, 1),
    hs: shapeHash(t, 2, 8, 2),
    hss: shapeHash(t, 1, 6, 3),
    bits: tok.kind === TOKEN_KIND.word ? wordBits(t, lower) : 0,
    own: Uint32Array.from(own),
    script: tok.kind === TOKEN_KIND.word ? scriptOf(c0) : SCRIPT.none,
  };
}
