/**
 * Invisible characters that can carry or hide text. Two uses:
 * - detection (normalize.ts) DECODES what carries text, so a hidden instruction or email is
 *   screened and redacted like visible text;
 * - forwarding (`stripInvisible`) REMOVES what carries text or reorders what is displayed, so the
 *   model never receives a payload the user cannot see (models read tag characters natively).
 *
 * Carriers: the tag block U+E0020–E007E mirrors ASCII 0x20–0x7E (Unicode §23.9, "ASCII
 * smuggling"); runs of variation selectors encode one byte each (U+FE00–FE0F = 0–15,
 * U+E0100–E01EF = 16–255, the "emoji smuggling" scheme). One legitimate tag use is kept:
 * subdivision flags (🏴 + 2–7 tag letters/digits + CANCEL TAG, e.g. England's flag).
 */

export const isTag = (cp: number): boolean => cp >= 0xe0000 && cp <= 0xe007f;
export const isVariationSelector = (cp: number): boolean => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);

/** Format characters with no visible glyph, removed from the detection copy (they split words). */
export function isInvisibleFormat(cp: number): boolean {
  return (
    cp === 0x00ad || cp === 0x034f || cp === 0x061c || cp === 0x115f || cp === 0x1160 || cp === 0x17b4 || cp === 0x17b5 ||
    (cp >= 0x180b && cp <= 0x180f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) || cp === 0x3164 || cp === 0xfeff || cp === 0xffa0 || (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0x1d173 && cp <= 0x1d17a)
  );
}

/**
 * Removed before forwarding: bidi embeddings/overrides/isolates (they reorder what a reviewer
 * sees, "Trojan Source"), zero-width space, word joiner and invisible operators, BOM, Hangul
 * fillers used as blank "letters", interlinear annotation marks, musical format controls.
 * Kept: ZWNJ/ZWJ and LRM/RLM/ALM (Persian, Indic scripts and emoji sequences need them) and soft hyphens.
 */
function strippedOnForward(cp: number): boolean {
  return isInvisibleFormat(cp) && cp !== 0x200c && cp !== 0x200d && cp !== 0x200e && cp !== 0x200f && cp !== 0x061c && cp !== 0x00ad;
}

const BLACK_FLAG = 0x1f3f4;
const CANCEL_TAG = 0xe007f;

export interface HiddenRun {
  /** UTF-16 offsets of the run in the original text, end exclusive. */
  start: number;
  end: number;
  kind: "tag" | "selector";
  /** Decoded text; for tags one char per code point (offsets `start + 2*i`). */
  text: string;
}

/** Length in UTF-16 units of the subdivision-flag tag sequence starting at `i`, or 0. */
function flagTagsAt(text: string, i: number): number {
  if ((text.codePointAt(i - 2) ?? 0) !== BLACK_FLAG) return 0;
  let j = i;
  while (j < text.length && j - i <= 14) {
    const cp = text.codePointAt(j) ?? 0;
    if (cp === CANCEL_TAG) return j + 2 - i;
    if (!((cp >= 0xe0030 && cp <= 0xe0039) || (cp >= 0xe0061 && cp <= 0xe007a))) return 0;
    j += 2;
  }
  return 0;
}

function decodeSelectors(bytes: number[]): string {
  try {
    const s = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(bytes));
    return /^[\P{C}\n\t]*$/u.test(s) ? s : "";
  } catch {
    return "";
  }
}

/** Every run of hidden-text carriers in `text` (flag tag sequences excluded), in order. */
export function hiddenRuns(text: string): HiddenRun[] {
  const out: HiddenRun[] = [];
  // A UTF-16 pre-check (no u flag): tag characters all start with the high surrogate U+DB40.
  // eslint-disable-next-line no-misleading-character-class -- the lone surrogate is the point
  if (!/[\uDB40\uFE00-\uFE0F]/.test(text)) return out;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) ?? 0;
    const flag = isTag(cp) ? flagTagsAt(text, i) : 0;
    if (flag > 0) {
      i += flag;
    } else if (isTag(cp)) {
      let j = i;
      let decoded = "";
      for (let c = cp; j < text.length && isTag(c); c = text.codePointAt(j) ?? 0) {
        decoded += c >= 0xe0020 && c <= 0xe007e ? String.fromCharCode(c - 0xe0000) : " ";
        j += 2;
      }
      out.push({ start: i, end: j, kind: "tag", text: decoded });
      i = j;
    } else if (isVariationSelector(cp) && isVariationSelector(text.codePointAt(i + (cp > 0xffff ? 2 : 1)) ?? 0)) {
      // A single selector after an emoji or CJK ideograph is ordinary; runs of two or more are bytes.
      let j = i;
      const bytes: number[] = [];
      for (let c = cp; j < text.length && isVariationSelector(c); c = text.codePointAt(j) ?? 0) {
        bytes.push(c <= 0xfe0f ? c - 0xfe00 : c - 0xe0100 + 16);
        j += c > 0xffff ? 2 : 1;
      }
      out.push({ start: i, end: j, kind: "selector", text: decodeSelectors(bytes) });
      i = j;
    } else {
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return out;
}

/** The text hidden in `text`, runs joined by newlines ("" when there is none). */
export function hiddenText(text: string): string {
  return hiddenRuns(text)
    .map((r) => r.text.trim())
    .filter(Boolean)
    .join("\n");
}

/** `text` without hidden-text carriers and display-reordering controls: what is forwarded upstream. */
export function stripInvisible(text: string): string {
  if (!/[^\x00-\x7F]/.test(text)) return text;
  const runs = hiddenRuns(text);
  let out = "";
  let r = 0;
  for (let i = 0; i < text.length; ) {
    const run = runs[r];
    if (run && i === run.start) {
      i = run.end;
      r++;
      continue;
    }
    const cp = text.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    if (!strippedOnForward(cp)) out += text.slice(i, i + width);
    i += width;
  }
  return out;
}
