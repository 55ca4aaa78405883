/**
 * Detection runs on a normalized COPY of the text so that zero-width characters,
 * full-width/mathematical letters and mixed-script homoglyphs cannot hide PII or an
 * injection; `map` takes every normalized offset back to the original so findings still
 * point at the user's own characters. Text hidden in tag characters or variation-selector
 * runs (invisible.ts) is decoded in place, so it is screened and redacted like visible text.
 */
import { hiddenRuns, isInvisibleFormat, isTag, isVariationSelector, type HiddenRun } from "./invisible";

export interface NormalizedText {
  text: string;
  /** map[i] = original offset of normalized char i; map[text.length] = original length. */
  map: Uint32Array;
  /** ends[i] = original offset just after the code point that produced normalized char i. */
  ends: Uint32Array;
  /** True when anything changed (callers may skip re-mapping). */
  changed: boolean;
}


// Cyrillic/Greek letters that render like Latin ones. Folded only inside words that already
// mix scripts, so genuine Russian or Greek text is left alone.
const HOMOGLYPHS: Record<string, string> = {
  а: "a", е: "e", о: "o", р: "p", с: "c", х: "x", у: "y", і: "i", ј: "j", ѕ: "s", һ: "h", ԁ: "d", ԛ: "q", ԝ: "w",
  А: "A", В: "B", Е: "E", К: "K", М: "M", Н: "H", О: "O", Р: "P", С: "C", Т: "T", Х: "X", І: "I", Ј: "J", Ѕ: "S",
  α: "a", ο: "o", ν: "v", ι: "i", κ: "k", ρ: "p", τ: "t", υ: "u", χ: "x",
  Α: "A", Β: "B", Ε: "E", Ζ: "Z", Η: "H", Ι: "I", Κ: "K", Μ: "M", Ν: "N", Ο: "O", Ρ: "P", Τ: "T", Υ: "Y", Χ: "X",
};

const nfkcCache = new Map<string, string>();

/** NFKC of one code point, only for ranges where compatibility forms are used to disguise text. */
function foldCodePoint(cp: number, ch: string): string {
  const compat =
    (cp >= 0xff01 && cp <= 0xff5e) || // full-width ASCII
    (cp >= 0x1d400 && cp <= 0x1d7ff) || // mathematical alphanumerics
    (cp >= 0x2460 && cp <= 0x24ff) || // enclosed alphanumerics
    (cp >= 0x2070 && cp <= 0x209f) || // super/subscripts
    cp === 0x3000 ||
    (cp >= 0x2000 && cp <= 0x200a); // odd spaces
  if (!compat) return ch;
  let out = nfkcCache.get(ch);
  if (out === undefined) {
    out = ch.normalize("NFKC");
    if (nfkcCache.size < 4096) nfkcCache.set(ch, out);
  }
  return out;
}

const isLatin = (c: string): boolean => /[A-Za-z]/.test(c);

/** Replace lone surrogates with U+FFFD, same length, so offsets stay 1:1. */
export function toWellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/**
 * Identity offsets: ASCII-only text (the common case) needs no copy, and its offset tables are
 * built only if a finding is mapped back (most texts have none).
 */
class IdentityText implements NormalizedText {
  readonly changed = false;
  private mapTable: Uint32Array | null = null;
  private endsTable: Uint32Array | null = null;
  constructor(readonly text: string) {}
  get map(): Uint32Array {
    if (!this.mapTable) {
      const n = this.text.length;
      this.mapTable = new Uint32Array(n + 1);
      for (let i = 0; i <= n; i++) this.mapTable[i] = i;
    }
    return this.mapTable;
  }
  get ends(): Uint32Array {
    if (!this.endsTable) {
      const n = this.text.length;
      this.endsTable = new Uint32Array(n);
      for (let i = 0; i < n; i++) this.endsTable[i] = i + 1;
    }
    return this.endsTable;
  }
}

function identity(input: string): NormalizedText {
  return new IdentityText(input);
}

export function normalizeForDetection(input: string): NormalizedText {
  if (!/[^\x00-\x7F]/.test(input)) return identity(input);
  const out: string[] = [];
  const map: number[] = [];
  const ends: number[] = [];
  let changed = false;
  const runs = hiddenRuns(input);
  let r = 0;
  for (let i = 0; i < input.length; ) {
    const run = runs[r];
    if (run && run.start === i) {
      decodeRun(run, out, map, ends);
      i = run.end;
      r++;
      changed = true;
      continue;
    }
    const cp = input.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    let ch = input.slice(i, i + width);
    if (width === 1 && cp >= 0xd800 && cp <= 0xdfff) ch = "\uFFFD";
    if (cp < 0x80) {
      out.push(ch);
      map.push(i);
      ends.push(i + 1);
    } else if (isInvisibleFormat(cp) || isVariationSelector(cp) || isTag(cp)) {
      changed = true;
    } else {
      const folded = foldCodePoint(cp, ch);
      if (folded !== ch) changed = true;
      for (const unit of folded.split("")) {
        out.push(unit);
        map.push(i);
        ends.push(i + width);
      }
    }
    i += width;
  }
  map.push(input.length);
  const text = /[\u0370-\u03FF\u0400-\u052F]/.test(input) ? foldMixedScriptWords(out) : out.join("");
  if (text !== out.join("")) changed = true;
  return { text, map: Uint32Array.from(map), ends: Uint32Array.from(ends), changed };
}

/**
 * Hidden text goes where it was, set off by spaces so it does not glue onto visible words. Tag
 * characters map one to one (a redaction covers exactly the hidden value); a selector run's
 * bytes do not, so each decoded char maps to the whole run.
 */
function decodeRun(run: HiddenRun, out: string[], map: number[], ends: number[]): void {
  if (!run.text) return;
  const push = (c: string, start: number, end: number): void => {
    out.push(c);
    map.push(start);
    ends.push(end);
  };
  if (/[\p{L}\p{N}]$/u.test(out[out.length - 1] ?? "")) push(" ", run.start, run.start + 2);
  for (let k = 0; k < run.text.length; k++) {
    if (run.kind === "tag") push(run.text[k] ?? " ", run.start + 2 * k, run.start + 2 * k + 2);
    else push(run.text[k] ?? " ", run.start, run.end);
  }
  push(" ", run.end - 2, run.end);
}

/** Folds homoglyphs only in words (letter runs) that contain at least one ASCII letter. */
function foldMixedScriptWords(chars: string[]): string {
  let i = 0;
  while (i < chars.length) {
    if (!/\p{L}/u.test(chars[i] ?? "")) {
      i++;
      continue;
    }
    let j = i;
    let latin = false;
    let glyph = false;
    while (j < chars.length && /\p{L}|\p{M}/u.test(chars[j] ?? "")) {
      const c = chars[j] ?? "";
      if (isLatin(c)) latin = true;
      else if (HOMOGLYPHS[c] !== undefined) glyph = true;
      j++;
    }
    if (latin && glyph) for (let k = i; k < j; k++) chars[k] = HOMOGLYPHS[chars[k] ?? ""] ?? chars[k] ?? "";
    i = j;
  }
  return chars.join("");
}

/** Map a [start, end) span of the normalized text back to the original text. */
export function mapSpan(norm: NormalizedText, start: number, end: number): [number, number] {
  const s = norm.map[start] ?? 0;
  if (end <= start) return [s, s];
  return [s, norm.ends[end - 1] ?? s];
}
