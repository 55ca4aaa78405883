import { getCountries, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";
import type { RawFinding, Recognizer } from "../../types";
import { matches, precededBy } from "../context";
import { groupsAlign } from "./phone-grouping";

// Phone words in the languages the tagger's training covers; "number" and "contact" are weaker.
const PHONE_WORDS = String.raw`phone[ds]?|call(?:ed|ing|s)?|ring|rang|dial(?:led)?|tel|telephone|mobile?|cell(?:phone)?|fax|whatsapp|sms|text me|line is|reach (?:me|us|him|her|them) (?:on|at)|handy|telefon|téléphone|portable|teléfono|telefone|telefono|móvil|movil|celular|cellulare|gsm|tél|tlf|puh|mob|τηλ|τηλέφωνο|κινητό|мобильный|моб|телефон|тел|טלפון|נייד|电话|電話|手机|携帯|전화|휴대폰|फ़ोन|फोन|هاتف|جوال`;
const CONTEXT = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${PHONE_WORDS}|contact|kontakt|contacto|contatto|number|nummer|numéro|número|numero)(?![\p{L}\p{N}])`, "iu");
// A label that names a phone, not any "number": only this lets a bare national number be tried abroad.
const PHONE_LABEL = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${PHONE_WORDS}|contact|kontakt|contacto|contatto)(?![\p{L}\p{N}])`, "iu");
const EXT = String.raw`(?:[\t ]?(?:x|ext\.?|extension|poste|durchwahl)[\t ]?\d{1,6})?`;
// Separators inside a number: never a line break (a postcode ending one line and a phone starting
// the next are two values).
const SP = String.raw`[\t \u00a0\u202f]`;
const SEP = String.raw`[\t \u00a0\u202f./-]`;
// Candidate spans, validated below by libphonenumber's parser (its own text scanner costs ~4 ms
// per 1k tokens; parsing only these costs microseconds):
//   +CC, 00CC or (+CC) [(0)] digits [groups]   |   (area) digits [groups]   |   grouped digits (a
//   6- or 7-digit first group: UK and Indian area codes with the trunk 0, mobiles typed 7-4)   |   8-15 bare digits
const CANDIDATE = new RegExp(
  String.raw`(?<![\w+@./-])(?:(?:\+\d{1,3}|00\d{1,3}|\(\+\d{1,3}\))(?:${SP}|[.-])?(?:\(\d{1,5}\)(?:${SP}|[.-])?)?\d{1,12}(?:${SEP}\d{1,8}){0,5}|\(\d{1,5}\)(?:${SP}|[.-])?\d{1,10}(?:${SEP}\d{1,8}){0,4}|\d{1,7}(?:${SEP}\d{1,8}){1,5}|\d{8,15})${EXT}(?![\w@]|[.-]\d)`,
  "g",
);

const DEFAULT_REGION: Record<string, CountryCode> = { en: "US", de: "DE", fr: "FR", es: "ES", it: "IT", nl: "NL", pt: "BR", pl: "PL" };
// National formats ("030 1234567", "(02) 9876 5432", "06 12 34 56 78") carry no country code:
// tried against these regions when the default region rejects them; under a phone label, against
// every region libphonenumber knows (some small one accepts almost any digit group, e.g. "0.004-0.02").
const FIRST_REGIONS: readonly CountryCode[] = [
  "GB", "DE", "FR", "IN", "AU", "CA", "ES", "IT", "NL", "BE", "CH", "AT", "BR", "MX", "JP", "CN", "KR", "RU", "PL", "SE",
  "NO", "DK", "FI", "IE", "PT", "ZA", "NG", "KE", "EG", "TR", "IL", "AE", "SA", "PK", "ID", "PH", "VN", "TH", "NZ", "AR",
  "CO", "CL", "GR", "CZ", "HU", "RO", "UA",
];
const ALL_REGIONS: readonly CountryCode[] = [...FIRST_REGIONS, ...getCountries().filter((c) => !FIRST_REGIONS.includes(c))];

/** 3 = valid number, 2 = possible (right length, unassigned range), 1 = known country code only, 0 = not a phone. */
function phoneVerdict(raw: string, region: CountryCode): number {
  const parsed = parsePhoneNumberFromString(raw, region);
  if (!parsed) return 0;
  if (parsed.isValid()) return 3;
  return parsed.isPossible() ? 2 : 1;
}

/**
 * The best verdict among other regions' national formats ("030 1234567" is valid in Germany,
 * "463 92 858" in Norway), stopping at the first region where it is valid: one parse per region.
 */
function bestElsewhere(raw: string, regions: readonly CountryCode[]): number {
  let best = 0;
  for (const r of regions) {
    const v = phoneVerdict(raw, r);
    if (v === 3) return 3;
    if (v > best) best = v;
  }
  return best;
}

/**
 * A bare digit run could be any id; formatting, a "+" or a "phone" label makes it a phone.
 * National numbers that only another region accepts need a trunk "0" and grouping, or a label.
 */
function scoreOf(raw: string, verdict: number, ctx: boolean): number {
  const international = raw.startsWith("+");
  const grouped = /[\s().\/-]/.test(raw);
  const base = ctx ? 0.95 : international ? 0.85 : grouped ? 0.7 : 0.4;
  if (verdict === 3) return base;
  // Right length but unassigned range (fictional 555 numbers, typos): weaker.
  // "+19612817454": a "+" and the right length for its calling code are phone enough.
  if (verdict === 2) return grouped || ctx || international ? base - 0.15 : 0;
  // "+34 840 146 3140": a real calling code and phone-shaped groups, even if no such number exists.
  if (verdict === 1) return international && grouped ? 0.6 : 0;
  return 0;
}

/**
 * "(371)61234567", "234803 555 1234": an international number typed with its calling code but
 * without the "+" (or "00"). Counted when grouped, 10+ digits, and valid once the "+" is put back.
 */
function callingCodeWithoutPlus(normal: string): boolean {
  if (!/^\(?[1-9]/.test(normal) || !/[\s().\/-]/.test(normal) || normal.replace(/\D/g, "").length < 10) return false;
  return phoneVerdict(`+${normal.replace(/^\((\d{1,3})\)/, "$1 ")}`, "US") === 3;
}

/**
 * Trying every region (~245) costs up to ~3 ms for a labelled number that no first region accepts
 * and that most regions half-parse ("0 000 1234 56"); a sheet of such numbers would cost tens of
 * ms (bench:guardrails, "phone labels"). Past this many per text, labelled numbers are tried
 * against FIRST_REGIONS only. On the generated dev and held-out sets the whole-world scan found
 * no phone that FIRST_REGIONS missed.
 */
export const MAX_WORLD_SCANS = 2;

function verdictFor(normal: string, region: CountryCode, phoneLabel: boolean, world: boolean): number {
  const v = phoneVerdict(normal, region);
  if (v === 3 || normal.startsWith("+")) return v;
  if (callingCodeWithoutPlus(normal)) return 4;
  const trunkGrouped = /^\(?0/.test(normal) && /[\s().\/-]/.test(normal);
  // "0612345678": one trunk 0 and a national number's length, as mobiles are often typed.
  const trunkBare = /^0[1-9]\d{7,9}$/.test(normal);
  if (!trunkGrouped && !trunkBare && !phoneLabel) return v;
  const elsewhere = bestElsewhere(normal, phoneLabel && world ? ALL_REGIONS : FIRST_REGIONS);
  if (elsewhere === 3) return 4;
  // Labelled ("Phone: 016977 7038") and the right length somewhere: a number in a range the
  // metadata does not list yet is still a phone.
  return v === 0 && phoneLabel && elsewhere === 2 ? 2 : v;
}

const EMAIL_NEAR = /[\w.+-]@[\w-]+\.\w/;

/**
 * A number alone on its line, with an email on a line next to it, is the phone line of a contact
 * block or signature: as telling as a "Tel." label.
 */
function lineAround(text: string, pos: number): [number, number] {
  const end = text.indexOf("\n", pos);
  return [text.lastIndexOf("\n", pos - 1) + 1, end < 0 ? text.length : end];
}

function inContactBlock(text: string, start: number, end: number): boolean {
  const [from, to] = lineAround(text, start);
  if (text.slice(from, start).trim() !== "" || text.slice(end, to).trim() !== "") return false;
  const prev = from > 0 ? lineAround(text, from - 1) : undefined;
  const next = to < text.length ? lineAround(text, to + 1) : undefined;
  return [prev, next].some((l) => l !== undefined && EMAIL_NEAR.test(text.slice(l[0], l[1])));
}

/** `maxWorldScans`: labelled numbers per text that may be tried against every region (benchmarks vary it). */
export const makePhoneRecognizer = (maxWorldScans: number): Recognizer => ({
  name: "phone",
  types: ["PHONE_NUMBER"],
  find(text, lang) {
    const out: RawFinding[] = [];
    const region = DEFAULT_REGION[lang] ?? "US";
    const verdicts = new Map<string, number>();
    let worldScans = 0;
    for (const m of matches(CANDIDATE, text)) {
      const raw = m[0].trimEnd();
      const digits = raw.replace(/(?:x|ext\.?|extension|poste|durchwahl)\s?\d+$/, "").replace(/\D/g, "").length;
      // Dotted quads are IPs; 16+ grouped digits are cards: neither needs the phone parser.
      if (digits < 7 || digits > 17 || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw)) continue;
      // 3-2-4 is how SSNs are written; the SSN recognizer decides about those.
      if (/^\d{3}-\d{2}-\d{4}$/.test(raw)) continue;
      // "00" is the international prefix in most of the world; "(0)" is a trunk digit dropped after +CC.
      const normal = raw.replace(/^00/, "+").replace(/^\(\+(\d{1,3})\)/, "+$1").replace(/^(\+\d{1,3})[\s.-]?\(0\)/, "$1 ");
      const block = inContactBlock(text, m.index, m.index + raw.length);
      const ctx = block || precededBy(text, m.index, CONTEXT, 32);
      const phoneLabel = block || (ctx && precededBy(text, m.index, PHONE_LABEL, 32));
      // 5-4 digits is a US ZIP+4 ("08830-9241" is also a valid number abroad): a phone only when labelled.
      if (!phoneLabel && /^\d{5}-\d{4}$/.test(raw)) continue;
      const key = `${phoneLabel ? 1 : 0}${normal}`;
      let verdict = verdicts.get(key);
      if (verdict === undefined) {
        verdict = verdictFor(normal, region, phoneLabel, worldScans < maxWorldScans);
        verdicts.set(key, verdict);
        if (phoneLabel && verdict !== 3 && !normal.startsWith("+")) worldScans++;
      }
      // Without a label, a national number typed in groups its region never uses is some other code.
      const body = normal.replace(/[\t ]?(?:x|ext\.?|extension|poste|durchwahl)[\t ]?\d+$/, "");
      if (!ctx && (verdict === 3 || verdict === 2) && !normal.startsWith("+") && /\D/.test(body) && !groupsAlign(body, region)) continue;
      const score = verdict === 4 ? (ctx ? 0.9 : 0.6) : scoreOf(normal, verdict, ctx);
      if (score > 0) out.push({ type: "PHONE_NUMBER", start: m.index, end: m.index + raw.length, score });
    }
    return out;
  },
});

export const phoneRecognizer = makePhoneRecognizer(MAX_WORLD_SCANS);
