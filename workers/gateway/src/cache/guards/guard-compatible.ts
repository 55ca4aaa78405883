/**
 * Second line of defence after the vector match: two texts can be close in embedding space
 * yet ask for different answers ("enable" vs "disable", "May 3" vs "May 4", "Paris" vs
 * "London"). Pure and cheap; run on the redacted texts at lookup time. False negatives (a
 * refused true paraphrase) cost one upstream call; false positives cost a wrong answer, so
 * every check is "must be equal", never "similar enough".
 */
import { PLACES, MAX_PLACE_WORDS } from "../../guardrails/pii/dictionaries";
import { MONTHS, MONTH_ABBR, NEGATIONS, NUMBER_WORDS, PLACE_WORD_EXCEPTIONS, POLARITY_PAIRS, RELATIVE_DAYS, STOPWORDS, WEEKDAYS } from "./lexicon";
import { categoryMembers, categorySwapped } from "./categories";
import { currencies, isCurrencyCode } from "./currency";
import { acronymLinks, aliasPhrases, canonicalKeys, droppedGivenName } from "./entities";
import { canonicalEntity } from "./entity-aliases";
import { canonicalNumber, normalizeFacts, repairMojibake } from "./normalize";
import { americanSpelling } from "./spelling";
import { isCommonWord, isTitleCase } from "./title-case";
import { DEFAULT_GUARD_RULES, type GuardRules } from "./rules";
import { unitsDiffer, unitsOf } from "./units";
import { rolesSwapped } from "./word-order";

export interface GuardVerdict {
  ok: boolean;
  reason?: "negation" | "polarity" | "numbers" | "dates" | "entities" | "currency" | "placeholders" | "units" | "word-order" | "category";
}

interface Features {
  raw: string[];
  words: string[];
  /** Alias-folded keys of all words and short phrases, plus names linked through acronyms. */
  keys: Set<string>;
  wordSet: Set<string>;
  /** Closed-set members named, canonical, by set. */
  categories: Map<number, Set<string>>;
  joined: string;
  negated: boolean;
  numbers: Set<string>;
  dates: Set<string>;
  entities: Set<string>;
  currencies: Set<string>;
  placeholders: Set<string>;
  units: Map<number, Set<string>>;
}

/** All-caps words that are emphasis, not names ("do NOT", "is it OK"). */
const SHOUTED = new Set(["OK", "NOT", "NO", "YES", "ALL", "ANY", "ONLY", "NEVER", "DO", "DONT", "IS", "THE", "AND", "OR"]);
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const NUMBER = /\d+(?:[.,]\d+)*(?:st|nd|rd|th)?/g;
const PLACEHOLDER = /<[A-Z][A-Z_]*?_\d{1,6}>|<[A-Z_]+:[0-9a-f]{12}>/g;

/** `rules` is for the benchmark's ablation; production uses the defaults. */
export function guardCompatible(newText: string, cachedText: string, rules: GuardRules = DEFAULT_GUARD_RULES): GuardVerdict {
  const a = features(newText, rules);
  const b = features(cachedText, rules);
  if (rules.negation && a.negated !== b.negated) return { ok: false, reason: "negation" };
  if (rules.polarity && polarityFlip(a, b)) return { ok: false, reason: "polarity" };
  if (rules.numbers && !sameSet(a.numbers, b.numbers)) return { ok: false, reason: "numbers" };
  if (rules.dates && !sameSet(a.dates, b.dates)) return { ok: false, reason: "dates" };
  if (rules.currency && !sameSet(a.currencies, b.currencies)) return { ok: false, reason: "currency" };
  if (rules.placeholders && !sameSet(a.placeholders, b.placeholders)) return { ok: false, reason: "placeholders" };
  if (rules.units && unitsDiffer(a.units, b.units)) return { ok: false, reason: "units" };
  if (rules.acronyms) {
    linkAcronyms(a, b, rules);
    linkAcronyms(b, a, rules);
  }
  if (rules.entities && (!entitiesCovered(a, b, rules) || !entitiesCovered(b, a, rules))) return { ok: false, reason: "entities" };
  if (rules.category && categorySwapped(a.categories, b.categories)) return { ok: false, reason: "category" };
  if (rules.wordOrder && rolesSwapped(a.words, b.words, rules.clauseMove)) return { ok: false, reason: "word-order" };
  return { ok: true };
}

function features(text: string, rules: GuardRules): Features {
  // A numbered placeholder (<PERSON_1>) is restored per request, so only its type matters; a
  // hashed one (<EMAIL_ADDRESS:0123456789ab>) is never restored and names one value: kept whole,
  // or two customers' questions would share an answer.
  const placeholders = new Set((text.match(PLACEHOLDER) ?? []).map((p) => (p.includes(":") ? p : p.replace(/\d+/g, ""))));
  const stripped = text.replace(PLACEHOLDER, " ");
  const clean = normalizeFacts((rules.mojibake ? repairMojibake(stripped) : stripped).normalize("NFKC"));
  const matches = [...clean.matchAll(WORD)];
  const raw = matches.map((m) => m[0]);
  const words = raw.map((w) => americanSpelling(w.toLowerCase().replace(/['’]/g, "")));
  const numbers = new Set((clean.match(NUMBER) ?? []).map(canonicalNumber));
  const dates = new Set<string>();
  const entities = new Set<string>();
  // In a Title Case headline capitalisation marks every content word; only non-words are names there.
  const title = rules.titleCase && isTitleCase(raw);
  raw.forEach((w, i) => {
    const lower = words[i] ?? "";
    const num = NUMBER_WORDS[lower];
    if (num) numbers.add(num.replace(/(st|nd|rd|th)$/, ""));
    if (isDateWord(lower, w, raw[i - 1], raw[i + 1])) dates.add(canonicalMonth(lower));
    const at = matches[i]?.index ?? 0;
    if (isName(w, sentenceStart(clean, at, rules), title, rules) && !(rules.middleInitial && isInitial(w, clean.slice(at + w.length)))) {
      entities.add(entityKey(w, lower));
    }
  });
  for (const place of places(words)) entities.add(place);
  // "United States" is one name: its parts need no separate match once the phrase is known.
  for (const phrase of rules.entityAliases ? aliasPhrases(words) : []) {
    entities.add(phrase);
    for (const part of phrase.split(" ")) entities.delete(part.replace(/s$/, ""));
  }
  return {
    raw,
    words,
    keys: canonicalKeys(words, rules.entityAliases),
    wordSet: new Set(words),
    categories: categoryMembers(words),
    joined: ` ${words.join(" ")} `,
    negated: words.some((w) => NEGATIONS.has(w)),
    numbers,
    dates,
    entities,
    currencies: currencies(clean),
    placeholders,
    units: unitsOf(words, clean.toLowerCase()),
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
function isEntity(word: string, atSentenceStart: boolean, rules: GuardRules): boolean {
  // "USD" is a currency, compared by the currency check ("200 million USD" = "$200 million").
  if ((rules.shoutedWords && SHOUTED.has(word)) || isCurrencyCode(word)) return false;
  // Title Case headlines capitalise function words ("Opens Shop For Cyclists"); they name nothing.
  if (/^\p{Lu}\p{Ll}*$/u.test(word) && STOPWORDS.has(word.toLowerCase())) return false;
  if (/^[A-Z]{2,}\d*$|^[A-Za-z]+\d+[A-Za-z\d]*$/.test(word)) return true;
  if (!/^\p{Lu}/u.test(word) || word === "I") return false;
  return !atSentenceStart;
}

/**
 * Capitalisation marks names except where everything is capitalised: at a sentence start
 * ("Obama visits China") and in Title Case headlines. There a capitalised word is a name
 * unless it is a common English word ("Visits", "Death").
 */
function isName(word: string, atSentenceStart: boolean, titleCase: boolean, rules: GuardRules): boolean {
  if (isEntity(word, atSentenceStart, rules)) return !(titleCase && isCommonWord(word));
  return rules.sentenceStartNames && atSentenceStart && /^\p{Lu}\p{Ll}+$/u.test(word) && !STOPWORDS.has(word.toLowerCase()) && !isCommonWord(word);
}

/** Plural-insensitive key; acronyms keep their final S ("US" is not "U"). */
function entityKey(raw: string, lower: string): string {
  return /^\p{Lu}+$/u.test(raw) ? lower : lower.replace(/s$/, "");
}

/** A middle initial ("Ada R. Lovelace"): often dropped by a paraphrase, it names no one alone. */
function isInitial(word: string, after: string): boolean {
  return /^\p{Lu}$/u.test(word) && /^\.\s*\p{Lu}/u.test(after);
}

function sentenceStart(text: string, index: number, rules: GuardRules): boolean {
  // Only the last few characters decide (a punctuation mark, an abbreviation): slicing the whole
  // prefix for every capitalised word made long texts quadratic. A window of only whitespace
  // reads as a paragraph break.
  const before = text.slice(Math.max(0, index - 64), index).trimEnd();
  // A period after an initial or a title ("Ada R. Lovelace", "Dr. Smith") does not end a sentence.
  if (rules.middleInitial && ABBREVIATION_END.test(before)) return false;
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
function entitiesCovered(x: Features, y: Features, rules: GuardRules): boolean {
  for (const e of x.entities) {
    if (y.entities.has(e) || y.wordSet.has(e) || y.wordSet.has(`${e}s`) || y.joined.includes(` ${e} `)) continue;
    if (y.keys.has(rules.entityAliases ? canonicalEntity(e) : e)) continue;
    const i = rules.surnameOnly ? x.words.findIndex((w) => w === e || w === `${e}s`) : -1;
    if (i >= 0 && droppedGivenName(x.raw, i, y.raw)) continue;
    return false;
  }
  return true;
}

/** "SC" in `x`, "Supreme Court" in `y`: each side then counts the other's spelling as present. */
function linkAcronyms(x: Features, y: Features, rules: GuardRules): void {
  for (const { acronym, expansion } of acronymLinks(x.raw.filter((w) => !(rules.shoutedWords && SHOUTED.has(w))), y.words)) {
    y.keys.add(acronym);
    for (const w of expansion) x.keys.add(w);
  }
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

function sameSet(x: Set<string>, y: Set<string>): boolean {
  if (x.size !== y.size) return false;
  for (const v of x) if (!y.has(v)) return false;
  return true;
}
