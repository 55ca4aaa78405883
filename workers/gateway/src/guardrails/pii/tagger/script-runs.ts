/**
 * Runs of prose in a script other than Latin, for the tagger's post-rule on pasted paragraphs
 * ("Translate: Вчера я ходил в магазин…", a Japanese clause to summarise). The model has seen
 * non-Latin words almost only as names (every non-Latin word the generator writes is one; the
 * corpora are English), so inside such a paragraph it tags ordinary words and whole clauses.
 * Retraining with non-Latin prose halved that but cost name recall (docs/benchmarks.md, "Mixed-script
 * prompts"); this rule instead asks a span that lies wholly inside a long run for evidence the
 * model cannot supply there: in a cased script (Cyrillic, Greek, Armenian) a capital that is not
 * just the start of a sentence; caseless scripts (Hebrew, Arabic, Devanagari, Thai, CJK …) carry
 * no such evidence, so their spans inside a long run are dropped.
 * Generated names and addresses in other scripts sit in short runs, cut by numbers, Latin words and
 * line breaks ("кв. 342, 6 Ліста майдан"), so they do not reach the length a paragraph does.
 */
import { TOKEN_KIND, type TagToken } from "./tokenize";
import { SCRIPT, startsLowerCase, type WordInfo } from "./word-info";

/**
 * Run sizes (in word units, below) from which a run that opens a sentence, or any run, is read as
 * prose. Chosen on dev (docs/benchmarks/guardrails.md, "The prose rule").
 */
export const PROSE_RUN_UNITS = 6;
export const LONG_RUN_UNITS = 12;

// Sentence ends of the scripts concerned: Latin/Cyrillic/Greek punctuation, the Greek question mark,
// the Armenian full stop, the danda, CJK full stops.
const SENTENCE_END = new Set([".", "!", "?", ":", ";", "\u037e", "\u0589", "\u0964", "\u3002", "\uff01", "\uff1f", "\u061f"]);

/**
 * A word's weight in a run: a spaced-script word counts 1 (2 past 8 letters, a long compound);
 * CJK and Thai write clauses without spaces, so one token there is a third of its characters
 * (a Chinese or Korean name is 2–4 of them) or an eighth for Thai.
 */
function units(t: TagToken, script: number): number {
  const n = t.end - t.start;
  return script === SCRIPT.cjk ? Math.ceil(n / 3) : Math.ceil(n / 8);
}

/** Whether token i opens a sentence: first of the text or line, or after a sentence end. */
function opensSentence(toks: readonly TagToken[], i: number): boolean {
  const t = toks[i] as TagToken;
  return i === 0 || t.breaks > 0 || SENTENCE_END.has((toks[i - 1] as TagToken).text);
}

/** opensSentence, looking past opening quotes and brackets ("Translate: «Вчера …»"). */
function opensParagraph(toks: readonly TagToken[], i: number): boolean {
  let j = i;
  while (j > 0 && (toks[j] as TagToken).breaks === 0 && OPENERS.has((toks[j - 1] as TagToken).text)) j--;
  return opensSentence(toks, j);
}

const OPENERS = new Set(['"', "'", "«", "„", "“", "‘", "(", "[", "「", "『", "（"]);

// List separators (Latin/Cyrillic/Greek comma, Arabic comma, ideographic and fullwidth commas).
const LIST_SEP = new Set([",", "\u060c", "\u3001", "\uff0c"]);
/** A run cut by list separators into pieces of at most this many units reads as a list of names, not prose. */
const LIST_ITEM_UNITS = 3;

/**
 * Per token, 1 when it is a word inside a run of words of one non-Latin script group with only
 * punctuation between them (a number, a Latin word or a line break ends a run) that reads as a
 * pasted paragraph: ≥ PROSE_RUN_UNITS that open a sentence ("Translate: …", "… say? …"), more than
 * one sentence, or ≥ LONG_RUN_UNITS anywhere. A place list or a street name in the middle of an
 * English sentence ("a branch in শাল্লা, উত্তর মারিয়ানা দ্বীপপুঞ্জ") is none of these.
 */
export function proseRuns(toks: readonly TagToken[], info: readonly WordInfo[]): Uint8Array {
  const out = new Uint8Array(toks.length);
  // The rule is for paragraphs pasted into a Latin-script prompt; a message written wholly in
  // another script keeps the model's spans (over-redaction there fails closed).
  if (!info.some((w, i) => (toks[i] as TagToken).kind === TOKEN_KIND.word && w.script === SCRIPT.latin)) return out;
  let from = -1;
  let group: number = SCRIPT.none;
  let size = 0;
  let lastWord = -1;
  let sentences = 1;
  let items = 1;
  let item = 0;
  let maxItem = 0;
  const close = (): void => {
    const list = items >= 3 && Math.max(maxItem, item) <= LIST_ITEM_UNITS;
    const prose = !list && (size >= LONG_RUN_UNITS || (size >= PROSE_RUN_UNITS && (sentences > 1 || opensParagraph(toks, from))));
    if (from >= 0 && prose) for (let j = from; j <= lastWord; j++) if ((toks[j] as TagToken).kind === TOKEN_KIND.word) out[j] = 1;
    from = -1;
    size = 0;
    sentences = 1;
    items = 1;
    item = 0;
    maxItem = 0;
    group = SCRIPT.none;
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as TagToken;
    if (t.breaks > 0) close();
    if (t.kind === TOKEN_KIND.punct) continue;
    const g = t.kind === TOKEN_KIND.word ? (info[i] as WordInfo).script : SCRIPT.none;
    if (g === SCRIPT.none || g === SCRIPT.latin) {
      close();
      continue;
    }
    if (g !== group) close();
    if (from < 0) (from = i), (group = g);
    else if (opensSentence(toks, i)) sentences++;
    if (from !== i && LIST_SEP.has((toks[i - 1] as TagToken).text)) {
      maxItem = Math.max(maxItem, item);
      item = 0;
      items++;
    }
    item += units(t, g);
    size += units(t, g);
    lastWord = i;
  }
  close();
  return out;
}

/**
 * Whether the span of tokens [a, b) may stand. Spans not wholly inside prose runs always may. Inside
 * one: only cased-script words, the first and the last capitalised (a lower-case link between them,
 * "Собрание на Народното", is fine), and either more than one word ("Тимофей Ларионов") or one that
 * does not open a sentence ("… для Ларионова"); "Вчера", "Коробка" or a lower-case word at a
 * sentence start have nothing but the model's guess behind them.
 */
export function keepInProse(toks: readonly TagToken[], info: readonly WordInfo[], prose: Uint8Array, a: number, b: number): boolean {
  let first = -1;
  let last = -1;
  for (let i = a; i < b; i++) {
    if ((toks[i] as TagToken).kind === TOKEN_KIND.punct) continue;
    if (!prose[i]) return true;
    if ((info[i] as WordInfo).script !== SCRIPT.casedOther) return false;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) return true;
  if (startsLowerCase((toks[first] as TagToken).text) || startsLowerCase((toks[last] as TagToken).text)) return false;
  return last > first || !opensSentence(toks, first);
}
