/**
 * Runs the entity tagger over a text: tokens → hashed features → int8 emissions → Viterbi →
 * scored spans. Only windows around tokens that can start or carry an entity are decoded
 * (capitalised or caseless-script words, numbers, dictionary and address words, ±2 tokens of
 * context); the rest of the text is labelled O without computing its features. In ordinary
 * prose that skips most tokens, which keeps the tagger within the request path's CPU budget.
 */
import { decode, foldTransitions, NUM_LABELS, spansOf, type TaggedType } from "./decode";
import { featuresOf, prepare, type Prepared } from "./features";
import { GAZ } from "./lexicon";
import type { TaggerModel } from "./model";
import { keepInProse, proseRuns } from "./script-runs";
import { TOKEN_KIND, tagTokens, type TagToken } from "./tokenize";
import { startsLowerCase } from "./word-info";

export interface TaggedSpan {
  type: TaggedType;
  start: number;
  end: number;
  score: number;
  /** Decoding margin (model units) before calibration. */
  margin: number;
}

const ACC = new Int32Array(NUM_LABELS);

/** Emission scores n × L from int8 weights: integer sums, one multiply per cell. */
export function emissions(model: TaggerModel, feats: Uint32Array, offsets: Int32Array, n: number): Float32Array {
  const L = NUM_LABELS;
  const out = new Float32Array(n * L);
  const acc = ACC;
  const w = model.weights;
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    for (let k = offsets[i] as number; k < (offsets[i + 1] as number); k++) {
      const base = ((feats[k] as number) & model.mask) * L;
      for (let l = 0; l < L; l++) acc[l] = (acc[l] as number) + (w[base + l] as number);
    }
    for (let l = 0; l < L; l++) out[i * L + l] = (acc[l] as number) * model.scale;
  }
  return out;
}

const CONTEXT = 2;
const CUE_BITS = GAZ.first | GAZ.last | GAZ.placeB | GAZ.placeI | GAZ.street | GAZ.unit | GAZ.box | GAZ.military | GAZ.orgSuffix | GAZ.title | GAZ.stateCode;

// Words after which a lower-case name is expected ("hi john", "thanks anna", "my name is li wei").
const INTRO = new Set(
  `hi hey hello dear thanks thank cheers regards is am i'm im by from with to and for at of into met meet saw see ask tell call
said told cc attn via mr mrs ms dr name named called love best sincerely yours her his my our sister brother wife husband
son daughter mom dad friend colleague boss manager patient client customer tenant user it's its this , - —`.split(/\s+/),
);
const NAME_BITS = GAZ.first | GAZ.last;
// After these, even a word no dictionary knows is probably a name ("this is tobiah", "dear ngozi").
const STRONG_INTRO = new Set(`hi hey hello dear thanks thank cheers regards is i'm im it's its name named called sincerely yours mr mrs ms dr`.split(" "));

function isLowerName(p: Prepared, i: number): boolean {
  const b = p.bits[i] as number;
  const prose = (b & (GAZ.stop | GAZ.english)) !== 0;
  const prev = i > 0 ? (p.info[i - 1] as { lower: string }).lower : "";
  if (!(b & NAME_BITS)) return STRONG_INTRO.has(prev) && !prose;
  // In the name lists and not an English word: decode it wherever it stands ("referred delfina
  // labadie", "warre lemmens from ..."); the model, not the position, decides. Names that are
  // also words ("will", "rose") need a name beside them or an introducing word.
  if (!prose) return true;
  const near = (j: number): boolean => j >= 0 && j < p.toks.length && ((p.bits[j] as number) & NAME_BITS) !== 0;
  return near(i - 1) || near(i + 1) || INTRO.has(prev);
}

/** Whether the closest word within 3 tokens before `i` is Latin-script (false at the start of the text). */
function afterLatin(p: Prepared, i: number): boolean {
  for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
    const t = p.toks[j] as TagToken;
    if (t.kind === TOKEN_KIND.word) return t.text.charCodeAt(0) < 0x370;
  }
  return false;
}

/**
 * A token that may start or carry an entity: capitalised or caseless-script words that are not
 * stopwords, dictionary and address words, lower-case words of non-Latin scripts inside Latin
 * text, and Latin lower-case words that look like a name in a name's position. Numbers, lower-case words and punctuation are only context.
 */
function isCue(p: Prepared, i: number): boolean {
  const t = p.toks[i] as TagToken;
  if (t.kind !== TOKEN_KIND.word) return false;
  const bits = p.bits[i] as number;
  if (bits & CUE_BITS & ~NAME_BITS) return true;
  const c = t.text.charCodeAt(0);
  const lower = startsLowerCase(t.text);
  // Lower case in Greek, Cyrillic, Armenian ... right after Latin-script words ("met јордан
  // белковска"): a name or a place far more often than not. Within a run of that script it is
  // prose, which would cost a decode of every word.
  if (lower && c >= 0x370) return !(bits & GAZ.stop) && afterLatin(p, i);
  if (lower) return isLowerName(p, i);
  return !(bits & GAZ.stop) || (bits & NAME_BITS) !== 0;
}

/** [from, to) token windows around cues, merged when they touch. */
export function windows(p: Prepared): Array<[number, number]> {
  const n = p.toks.length;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    if (!isCue(p, i)) continue;
    const from = Math.max(0, i - CONTEXT);
    const to = Math.min(n, i + CONTEXT + 1);
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

const POSSESSIVE = /['’][sS]$/u;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** A span written all in lower case ("anna kowalski"); caseless scripts are not. */
export const isLowerSpan = (s: string): boolean => s === s.toLowerCase() && s !== s.toUpperCase();

// Folded once per model object: tagText runs on models that no longer change (the shipped one,
// or a trained one being calibrated).
const FOLDED = new WeakMap<TaggerModel, Float32Array>();
function foldedFor(model: TaggerModel): Float32Array {
  let trans = FOLDED.get(model);
  if (!trans) FOLDED.set(model, (trans = foldTransitions(model.transitions)));
  return trans;
}

/**
 * Entity spans with character offsets; punctuation at either edge of a span is trimmed. A span
 * inside a paragraph of non-Latin prose needs more than the model's guess (script-runs.ts).
 */
export function tagText(text: string, model: TaggerModel): TaggedSpan[] {
  const toks = tagTokens(text);
  if (toks.length === 0) return [];
  const p = prepare(text, toks, { charNgrams: model.charNgrams });
  const out: TaggedSpan[] = [];
  let prose: Uint8Array | undefined;
  for (const [from, to] of windows(p)) {
    const { feats, offsets } = featuresOf(p, from, to);
    const n = to - from;
    const { labels, margins } = decode(emissions(model, feats, offsets, n), n, model.transitions, model.start, foldedFor(model));
    for (const s of spansOf(labels, margins)) {
      let a = from + s.first;
      let b = from + s.end;
      while (a < b && (toks[a] as TagToken).kind === TOKEN_KIND.punct) a++;
      while (b > a && (toks[b - 1] as TagToken).kind === TOKEN_KIND.punct && (toks[b - 1] as TagToken).text !== ".") b--;
      if (a >= b) continue;
      if (model.proseRule && !keepInProse(toks, p.info, (prose ??= proseRuns(toks, p.info)), a, b)) continue;
      const last = toks[b - 1] as TagToken;
      // "Smith's" is one token (inner apostrophes keep O'Brien whole); the possessive is not the name.
      const end = POSSESSIVE.test(last.text) && last.text.length > 2 ? last.end - 2 : last.end;
      const type = model.calibration[s.type];
      const cal = type?.lower && isLowerSpan(text.slice((toks[a] as TagToken).start, end)) ? type.lower : type;
      const score = cal ? sigmoid(cal.a * s.margin + cal.b) : 0.5;
      out.push({ type: s.type, start: (toks[a] as TagToken).start, end, score, margin: s.margin });
    }
  }
  return out;
}
