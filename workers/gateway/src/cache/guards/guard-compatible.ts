/**
 * Second line of defence after the vector match: two texts can be close in embedding space
 * yet ask for different answers ("enable" vs "disable", "May 3" vs "May 4", "Paris" vs
 * "London"). Pure and cheap; run on the redacted texts at lookup time. False negatives (a
 * refused true paraphrase) cost one upstream call; false positives cost a wrong answer, so
 * every check is "must be equal", never "similar enough".
 */
import { PLACES, MAX_PLACE_WORDS } from "../../guardrails/pii/dictionaries";
import {
  CURRENCIES, EXCLUSIVE_SETS, MONTHS, MONTH_ABBR, NEGATIONS, NUMBER_WORDS, PLACE_WORD_EXCEPTIONS, POLARITY_PAIRS, RELATIVE_DAYS, STOPWORDS, WEEKDAYS,
} from "./lexicon";
import { acronymLinks, aliasPhrases, canonicalKeys, droppedGivenName } from "./entities";
import { canonicalEntity } from "./entity-aliases";
import { canonicalNumber, normalizeFacts } from "./normalize";

export interface GuardVerdict {
  ok: boolean;
  reason?: "negation" | "polarity" | "numbers" | "dates" | "entities" | "currency" | "placeholders" | "word-order" | "category";
}

interface Features {
  raw: string[];
  words: string[];
  /** Alias-folded keys of all words and short phrases, plus names linked through acronyms. */
  keys: Set<string>;
  wordSet: Set<string>;
  joined: string;
  negated: boolean;
  numbers: Set<string>;
  dates: Set<string>;
  entities: Set<string>;
  currencies: Set<string>;
  placeholders: Set<string>;
}

/** All-caps words that are emphasis, not names ("do NOT", "is it OK"). */
const SHOUTED_WORDS = new Set(["OK", "NOT", "NO", "YES", "ALL", "ANY", "ONLY", "NEVER", "DO", "DONT", "IS", "THE", "AND", "OR"]);
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const NUMBER = /\d+(?:[.,]\d+)*(?:st|nd|rd|th)?/g;
const PLACEHOLDER = /<[A-Z][A-Z_]*?_\d{1,6}>|<[A-Z_]+:[0-9a-f]{12}>/g;

export function guardCompatible(newText: string, cachedText: string): GuardVerdict {
  const a = features(newText);
  const b = features(cachedText);
  if (a.negated !== b.negated) return { ok: false, reason: "negation" };
  if (polarityFlip(a, b)) return { ok: false, reason: "polarity" };
  if (!sameSet(a.numbers, b.numbers)) return { ok: false, reason: "numbers" };
  if (!sameSet(a.dates, b.dates)) return { ok: false, reason: "dates" };
  if (!sameSet(a.currencies, b.currencies)) return { ok: false, reason: "currency" };
  if (!sameSet(a.placeholders, b.placeholders)) return { ok: false, reason: "placeholders" };
  linkAcronyms(a, b);
  linkAcronyms(b, a);
  if (!entitiesCovered(a, b) || !entitiesCovered(b, a)) return { ok: false, reason: "entities" };
  if (categorySwapped(a.wordSet, b.wordSet)) return { ok: false, reason: "category" };
  if (rolesSwapped(a.words, b.words)) return { ok: false, reason: "word-order" };
  return { ok: true };
}

function features(text: string): Features {
  const placeholders = new Set((text.match(PLACEHOLDER) ?? []).map((p) => p.replace(/\d+|:[0-9a-f]+/g, "")));
  const clean = normalizeFacts(text.replace(PLACEHOLDER, " ").normalize("NFKC"));
  const matches = [...clean.matchAll(WORD)];
  const raw = matches.map((m) => m[0]);
  const words = raw.map((w) => w.toLowerCase().replace(/['’]/g, ""));
  const numbers = new Set((clean.match(NUMBER) ?? []).map(canonicalNumber));
  const dates = new Set<string>();
  const entities = new Set<string>();
  raw.forEach((w, i) => {
    const lower = words[i] ?? "";
    const num = NUMBER_WORDS[lower];
    if (num) numbers.add(num.replace(/(st|nd|rd|th)$/, ""));
    if (isDateWord(lower, w, raw[i - 1], raw[i + 1])) dates.add(canonicalMonth(lower));
    const at = matches[i]?.index ?? 0;
    if (isEntity(w, sentenceStart(clean, at)) && !isInitial(w, clean.slice(at + w.length))) entities.add(entityKey(w, lower));
  });
  for (const place of places(words)) entities.add(place);
  // "United States" is one name: its parts need no separate match once the phrase is known.
  for (const phrase of aliasPhrases(words)) {
    entities.add(phrase);
    for (const part of phrase.split(" ")) entities.delete(part.replace(/s$/, ""));
  }
  return {
    raw,
    words,
    keys: canonicalKeys(words),
    wordSet: new Set(words),
    joined: ` ${words.join(" ")} `,
    negated: words.some((w) => NEGATIONS.has(w)),
    numbers,
    dates,
    entities,
    currencies: new Set((clean.match(CURRENCIES) ?? []).map((c) => c.toLowerCase())),
    placeholders,
  };
}

function isDateWord(lower: string, raw: string, prev?: string, next?: string): boolean {
  if (WEEKDAYS.includes(lower) || RELATIVE_DAYS.includes(lower)) return true;
  // "may", "march" are also verbs: count them as months when capitalised mid-sentence or next to a number.
  const nearNumber = /^\d/.test(next ?? "") || /^\d/.test(prev ?? "");
  if (lower === "may" || lower === "march") return nearNumber || (raw[0] === raw[0]?.toUpperCase() && prev !== undefined);
  return MONTHS.includes(lower) || (MONTH_ABBR.includes(lower) && nearNumber);
}

function canonicalMonth(lower: string): string {
  const i = MONTH_ABBR.indexOf(lower);
  if (i < 0) return lower;
  return MONTHS.find((m) => m.startsWith(lower.slice(0, 3))) ?? lower;
}

/** A capitalised word that does not open a sentence, or an ALL-CAPS / alphanumeric code. */
function isEntity(word: string, atSentenceStart: boolean): boolean {
  if (SHOUTED_WORDS.has(word)) return false;
  // Title Case headlines capitalise function words ("Opens Camp For Refugees"); they name nothing.
  if (/^\p{Lu}\p{Ll}*$/u.test(word) && STOPWORDS.has(word.toLowerCase())) return false;
  if (/^[A-Z]{2,}\d*$|^[A-Za-z]+\d+[A-Za-z\d]*$/.test(word)) return true;
  if (!/^\p{Lu}/u.test(word) || word === "I") return false;
  return !atSentenceStart;
}

/** Plural-insensitive key; acronyms keep their final S ("US" is not "U"). */
function entityKey(raw: string, lower: string): string {
  return /^\p{Lu}+$/u.test(raw) ? lower : lower.replace(/s$/, "");
}

/** A middle initial ("Franklyn M. Bergonzi"): often dropped by a paraphrase, it names no one alone. */
function isInitial(word: string, after: string): boolean {
  return /^\p{Lu}$/u.test(word) && /^\.\s*\p{Lu}/u.test(after);
}

function sentenceStart(text: string, index: number): boolean {
  const before = text.slice(0, index).trimEnd();
  // A period after an initial or a title ("Franklyn M. Bergonzi", "Dr. Smith") does not end a sentence.
  if (ABBREVIATION_END.test(before)) return false;
  return before === "" || /[.!?:;\n"'(\[-]$/.test(before);
}

const ABBREVIATION_END = /(?:^|[\s(])(?:\p{Lu}|Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Jr|Sr|Rev|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$/u;

/** Known place names (cities >= 100k, countries, US states: the PII dictionaries), any case. */
function places(words: string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(MAX_PLACE_WORDS, words.length - i); n >= 1; n--) {
      const phrase = words.slice(i, i + n).join(" ");
      if (PLACES.has(phrase) && !(n === 1 && (PLACE_WORD_EXCEPTIONS.has(phrase) || STOPWORDS.has(phrase)))) {
        found.push(phrase);
        i += n - 1;
        break;
      }
    }
  }
  return found;
}

/** Every entity of `x` must occur somewhere in `y`, whatever its case or alias there. */
function entitiesCovered(x: Features, y: Features): boolean {
  for (const e of x.entities) {
    if (y.entities.has(e) || y.wordSet.has(e) || y.wordSet.has(`${e}s`) || y.joined.includes(` ${e} `)) continue;
    if (y.keys.has(canonicalEntity(e))) continue;
    const i = x.words.findIndex((w) => w === e || w === `${e}s`);
    if (i >= 0 && droppedGivenName(x.raw, i, y.raw)) continue;
    return false;
  }
  return true;
}

/** "SC" in `x`, "Supreme Court" in `y`: each side then counts the other's spelling as present. */
function linkAcronyms(x: Features, y: Features): void {
  for (const { acronym, expansion } of acronymLinks(x.raw.filter((w) => !SHOUTED_WORDS.has(w)), y.words)) {
    y.keys.add(acronym);
    for (const w of expansion) x.keys.add(w);
  }
}

/** One text names a member of a closed set the other does not, and vice versa. */
function categorySwapped(a: Set<string>, b: Set<string>): boolean {
  for (const set of EXCLUSIVE_SETS) {
    let onlyA = false;
    let onlyB = false;
    for (const w of set) {
      if (a.has(w) && !b.has(w)) onlyA = true;
      if (b.has(w) && !a.has(w)) onlyB = true;
    }
    if (onlyA && onlyB) return true;
  }
  return false;
}

function polarityFlip(a: Features, b: Features): boolean {
  for (const [p, q] of POLARITY_PAIRS) {
    const ap = has(a, p), aq = has(a, q), bp = has(b, p), bq = has(b, q);
    if ((ap && !aq && bq && !bp) || (aq && !ap && bp && !bq)) return true;
  }
  return false;
}

const INFLECTION = "(?:e|s|es|ed|d|ing|t|ion|ions|er|ers|ment)?";
const stemPatterns = new Map<string, RegExp>();

/** Whole-word match of a stem plus common inflections: "enabl" matches "enabled", not "unenable". */
function has(f: Features, stem: string): boolean {
  let re = stemPatterns.get(stem);
  if (!re) {
    re = new RegExp(` ${stem}${INFLECTION} `);
    stemPatterns.set(stem, re);
  }
  return re.test(f.joined);
}

/** Content words this similar are "the same words"; then a changed order means changed roles. */
const SAME_WORDS_JACCARD = 0.8;

/**
 * "Flights from Paris to London" vs "from London to Paris", "dog bites man" vs "man bites
 * dog": bag-of-words embeddings score these ~1.0. When both texts use (almost) the same
 * content words and exactly two of them have traded places, that is treated as a role swap.
 */
function rolesSwapped(a: string[], b: string[]): boolean {
  const ca = a.filter((w) => w.length > 1 && !STOPWORDS.has(w));
  const cb = b.filter((w) => w.length > 1 && !STOPWORDS.has(w));
  const sa = new Set(ca);
  const sb = new Set(cb);
  const shared = [...sa].filter((w) => sb.has(w));
  if (shared.length < 2 || shared.length / (sa.size + sb.size - shared.length) < SAME_WORDS_JACCARD) return false;
  const once = shared.filter((w) => ca.indexOf(w) === ca.lastIndexOf(w) && cb.indexOf(w) === cb.lastIndexOf(w));
  const order = once.map((w) => cb.indexOf(w)).sort((x, y) => x - y);
  const byA = [...once].sort((x, y) => ca.indexOf(x) - ca.indexOf(y)).map((w) => cb.indexOf(w));
  // Exactly two words trading places, or two words changing sides of a word between them
  // ("man carrying dog" vs "dog carrying man"), is a role swap; a phrase moved elsewhere
  // ("a boy at school takes a test" vs "a boy takes a test at school") keeps the roles.
  return byA.filter((pos, i) => pos !== order[i]).length === 2 || sidesSwapped(once, a, b);
}

/** Content words `u`, `v` and a word `w` between them: u < w < v in one text, v < w < u in the other. */
function sidesSwapped(content: string[], a: string[], b: string[]): boolean {
  const anchors = a.filter((w) => a.indexOf(w) === a.lastIndexOf(w) && b.indexOf(w) !== -1 && b.indexOf(w) === b.lastIndexOf(w));
  for (const w of anchors) {
    const aw = a.indexOf(w);
    const bw = b.indexOf(w);
    const before = content.filter((u) => u !== w && a.indexOf(u) < aw && b.indexOf(u) > bw);
    const after = content.filter((v) => v !== w && a.indexOf(v) > aw && b.indexOf(v) < bw);
    if (before.length > 0 && after.length > 0) return true;
  }
  return false;
}

function sameSet(x: Set<string>, y: Set<string>): boolean {
  if (x.size !== y.size) return false;
  for (const v of x) if (!y.has(v)) return false;
  return true;
}
