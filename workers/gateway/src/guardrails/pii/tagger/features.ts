/**
 * Hashed token features for the entity tagger, shared by training (scripts/guardrails/ner) and
 * inference so the two cannot drift: word identity, shape, affixes, optional character
 * trigrams, gazetteer bits, a ±2 token window, nearby address words and numbers, line breaks,
 * and the script group of words outside Latin text.
 * Each feature is a 32-bit hash; the model folds it into its bucket count.
 */
import { mix } from "./hash";
import { GAZ, GAZ_BITS, markPlaces } from "./lexicon";
import { TOKEN_KIND, type TagToken } from "./tokenize";
import { SCRIPT, wordInfo, type WordInfo } from "./word-info";

export interface FeatureOptions {
  charNgrams: boolean;
}

export interface TokenFeatures {
  /** Feature hashes of token i are feats[offsets[i] .. offsets[i+1]). */
  feats: Uint32Array;
  offsets: Int32Array;
}

/** Name and place lists; training may hide them per token so the model also learns without them. */
export const NAME_PLACE_BITS = GAZ.first | GAZ.last | GAZ.placeB | GAZ.placeI;

const BOS = 0x51a7;
const EOS = 0xe05a;
const ADDRESS_BITS = GAZ.street | GAZ.unit | GAZ.box | GAZ.military;
const SENTENCE_END = new Set([".", "!", "?", ":", ";"]);
const LATIN_IN_LATIN = SCRIPT.latin * 2;

/**
 * Per token: whether an address word (street type, unit, box, APO/FPO) or a number sits within
 * `w` tokens on either side, without crossing a blank line. Addresses are recognised by their
 * neighbourhood more than by any single word.
 */
function windowFlags(toks: readonly TagToken[], bits: Uint16Array, w: number): Uint8Array {
  const n = toks.length;
  const out = new Uint8Array(n);
  let lastAddr = -1e9;
  let lastNum = -1e9;
  for (let i = 0; i < n; i++) {
    if ((toks[i] as TagToken).breaks >= 2) (lastAddr = -1e9), (lastNum = -1e9);
    if (i - lastAddr <= w) out[i] = (out[i] as number) | 1;
    if (i - lastNum <= w) out[i] = (out[i] as number) | 2;
    if ((bits[i] as number) & ADDRESS_BITS) lastAddr = i;
    if ((toks[i] as TagToken).kind === TOKEN_KIND.number) lastNum = i;
  }
  lastAddr = 1e9;
  lastNum = 1e9;
  for (let i = n - 1; i >= 0; i--) {
    if (lastAddr - i <= w) out[i] = (out[i] as number) | 4;
    if (lastNum - i <= w) out[i] = (out[i] as number) | 8;
    if ((bits[i] as number) & ADDRESS_BITS) lastAddr = i;
    if ((toks[i] as TagToken).kind === TOKEN_KIND.number) lastNum = i;
    if ((toks[i] as TagToken).breaks >= 2) (lastAddr = 1e9), (lastNum = 1e9);
  }
  return out;
}

const LEXICON_BITS = GAZ.english | GAZ.stop;
const MAX_MEMO = 20_000;
const MEMO = [new Map<string, WordInfo>(), new Map<string, WordInfo>()] as const;
function wordInfos(toks: readonly TagToken[], charNgrams: boolean): WordInfo[] {
  const memo = MEMO[charNgrams ? 1 : 0];
  const cache = new Map<string, WordInfo>();
  return toks.map((t) => {
    const word = t.kind === TOKEN_KIND.word;
    let w = cache.get(t.text) ?? (word ? memo.get(t.text) : undefined);
    if (!w) {
      w = wordInfo(t, charNgrams);
      if (word && w.bits & LEXICON_BITS) {
        if (memo.size >= MAX_MEMO) memo.clear();
        memo.set(t.text, w);
      }
    }
    cache.set(t.text, w);
    return w;
  });
}

class HashBuffer {
  data = new Uint32Array(256);
  length = 0;
  push(h: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = h;
  }
}

// One scratch buffer, reused: featuresOf is synchronous and copies out what it filled.
const scratch = new HashBuffer();

export interface Prepared {
  toks: readonly TagToken[];
  info: WordInfo[];
  bits: Uint16Array;
  near: Uint8Array;
  /** Per token: script group × 2 + 1 when the word is not in the text's main script (see scriptFlags). */
  script: Uint8Array;
}

/**
 * Each word's script group, and whether it differs from the group most words of the text are
 * written in: a Greek, Armenian or Hebrew word inside English (or a Latin one inside Russian) is
 * usually a name, a place or an organisation, whichever script it is.
 */
function scriptFlags(info: readonly WordInfo[]): Uint8Array {
  const counts = new Int32Array(6);
  for (const w of info) counts[w.script] = (counts[w.script] as number) + 1;
  let main = 1;
  for (let g = 1; g < counts.length; g++) if ((counts[g] as number) > (counts[main] as number)) main = g;
  return Uint8Array.from(info, (w) => (w.script === 0 ? 0 : w.script * 2 + (w.script === main ? 0 : 1)));
}

/** Word facts, dictionary bits and neighbourhood flags for every token (linear, cheap). */
export function prepare(text: string, toks: readonly TagToken[], opts: FeatureOptions, hide?: Uint8Array): Prepared {
  const n = toks.length;
  const info = wordInfos(toks, opts.charNgrams);
  const bits = Uint16Array.from(info, (w) => w.bits);
  markPlaces(text, toks, info.map((w) => w.lower), bits);
  if (hide) for (let i = 0; i < n; i++) if (hide[i]) bits[i] = (bits[i] as number) & ~NAME_PLACE_BITS;
  return { toks, info, bits, near: windowFlags(toks, bits, 4), script: scriptFlags(info) };
}

/** Features of tokens from..to-1 (context may look outside the range). */
export function featuresOf(p: Prepared, from: number, to: number): TokenFeatures {
  const { toks, info, bits, near, script } = p;
  const n = toks.length;
  const hw = (i: number): number => (i < 0 ? BOS : i >= n ? EOS : (info[i] as WordInfo).hw);
  const hss = (i: number): number => (i < 0 ? BOS : i >= n ? EOS : (info[i] as WordInfo).hss);
  const out = scratch;
  out.length = 0;
  const offsets = new Int32Array(to - from + 1);
  for (let i = from; i < to; i++) {
    offsets[i - from] = out.length;
    const tok = toks[i] as TagToken;
    const w = info[i] as WordInfo;
    const b = bits[i] as number;
    const bPrev = i > 0 ? (bits[i - 1] as number) : 0x4000;
    const bNext = i + 1 < n ? (bits[i + 1] as number) : 0x8000;
    out.push(mix(0, 1));
    out.push(mix(w.hw, 2));
    out.push(mix(w.hs, 3));
    out.push(mix(w.hss, 4));
    for (let k = 0; k < w.own.length; k++) out.push(w.own[k] as number);
    for (let k = 0; k < GAZ_BITS; k++) if (b & (1 << k)) out.push(mix(k, 12));
    out.push(mix(b, 13));
    out.push(mix(bPrev, 22));
    out.push(mix(bNext, 23));
    out.push(mix(hw(i - 1), 14));
    out.push(mix(hw(i + 1), 15));
    out.push(mix(hw(i - 2), 16));
    out.push(mix(hw(i + 2), 17));
    out.push(mix(hss(i - 1), 18));
    out.push(mix(hss(i + 1), 19));
    out.push(mix(mix(hss(i - 1), w.hss), 20));
    out.push(mix(mix(w.hss, hss(i + 1)), 21));
    out.push(mix(mix(hw(i - 1), w.hss), 24));
    out.push(mix(mix(hw(i + 1), w.hss), 29));
    out.push(mix(near[i] as number, 32));
    out.push(mix(mix(near[i] as number, w.hss), 33));
    out.push(mix(mix(hw(i - 1), w.hw), 34));
    out.push(mix(mix(w.hw, hw(i + 1)), 35));
    // Not for a Latin word in Latin text, the common case: there the pair would only repeat the
    // shape feature, and the repeat doubled its weight (lower-case names lost recall on dev).
    const sc = script[i] as number;
    if (sc !== 0 && sc !== LATIN_IN_LATIN) {
      out.push(mix(sc, 36));
      out.push(mix(mix(sc, w.hss), 37));
    }
    out.push(mix(tok.breaks, 25));
    out.push(mix(i + 1 < n ? (toks[i + 1] as TagToken).breaks : 3, 26));
    out.push(mix((bPrev & 3) | ((b & 3) << 2) | ((bNext & 3) << 4), 30));
    if (i === 0 || tok.breaks > 0 || SENTENCE_END.has((toks[i - 1] as TagToken).text)) out.push(mix(1, 31));
  }
  offsets[to - from] = out.length;
  const feats = out.data.slice(0, out.length);
  // Nothing of one caller's text stays behind, and one huge text does not pin a huge buffer.
  if (out.data.length > 1 << 16) out.data = new Uint32Array(256);
  else out.data.fill(0, 0, out.length);
  return { feats, offsets };
}

/** Features of every token. `hide[i] = 1` removes token i's name/place bits (training only). */
export function tokenFeatures(text: string, toks: readonly TagToken[], opts: FeatureOptions, hide?: Uint8Array): TokenFeatures {
  return featuresOf(prepare(text, toks, opts, hide), 0, toks.length);
}
