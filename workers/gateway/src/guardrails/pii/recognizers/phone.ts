import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";
import type { RawFinding, Recognizer } from "../../types";
import { matches, precededBy } from "../context";

const CONTEXT = /\b(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|text me|contact|number|telefon|téléphone|teléfono|telefone|telefono|handy|tél|tlf|puh|мобильный|телефон)\b/i;
const EXT = String.raw`(?:\s?(?:x|ext\.?|extension|poste|durchwahl)\s?\d{1,6})?`;
// Candidate spans, validated below by libphonenumber's parser (its own text scanner costs ~4 ms
// per 1k tokens; parsing only these costs microseconds):
//   +CC [(0)] digits [groups]   |   (area) digits [groups]   |   grouped digits   |   8-15 bare digits
const CANDIDATE = new RegExp(
  String.raw`(?<![\w+@./-])(?:(?:\+|00)\d{1,3}[\s.-]?(?:\(\d{1,5}\)[\s.-]?)?\d{1,12}(?:[\s.-]\d{1,8}){0,5}|\(\d{1,5}\)[\s.-]?\d{1,10}(?:[\s.-]\d{1,8}){0,4}|\d{1,5}(?:[\s.-]\d{1,8}){1,5}|\d{8,15})${EXT}(?![\w@]|[.-]\d)`,
  "g",
);

const DEFAULT_REGION: Record<string, CountryCode> = { en: "US", de: "DE", fr: "FR", es: "ES", it: "IT", nl: "NL", pt: "BR", pl: "PL" };
// National formats ("030 1234567", "(02) 9876 5432", "06 12 34 56 78") carry no country code:
// tried against these regions when the default region rejects them.
const OTHER_REGIONS: readonly CountryCode[] = [
  "GB", "DE", "FR", "IN", "AU", "CA", "ES", "IT", "NL", "BE", "CH", "AT", "BR", "MX", "JP", "CN", "KR", "RU", "PL", "SE",
  "NO", "DK", "FI", "IE", "PT", "ZA", "NG", "KE", "EG", "TR", "IL", "AE", "SA", "PK", "ID", "PH", "VN", "TH", "NZ", "AR",
  "CO", "CL", "GR", "CZ", "HU", "RO", "UA",
];

/** 2 = valid number, 1 = possible (right length) but not in an assigned range, 0 = not a phone. */
function phoneVerdict(raw: string, region: CountryCode): number {
  const parsed = parsePhoneNumberFromString(raw, region);
  if (!parsed) return 0;
  if (parsed.isValid()) return 2;
  return parsed.isPossible() ? 1 : 0;
}

/** Valid in some other region's national format; only for trunk-prefixed ("0…") numbers. */
function validElsewhere(raw: string): boolean {
  if (!/^\(?0/.test(raw)) return false;
  return OTHER_REGIONS.some((r) => phoneVerdict(raw, r) === 2);
}

function scoreOf(raw: string, verdict: number, ctx: boolean): number {
  const international = raw.startsWith("+");
  const grouped = /[\s().-]/.test(raw);
  // A bare digit run could be any id; formatting or a "phone" label makes it a phone.
  const base = ctx ? 0.95 : international ? 0.85 : grouped ? 0.7 : 0.4;
  // Right length for the region but unassigned range (fictional 555 numbers, typos): weaker.
  if (verdict === 2) return base;
  if (verdict === 1) return grouped || ctx ? base - 0.15 : 0;
  return 0;
}

export const phoneRecognizer: Recognizer = {
  name: "phone",
  types: ["PHONE_NUMBER"],
  find(text, lang) {
    const out: RawFinding[] = [];
    const region = DEFAULT_REGION[lang] ?? "US";
    const verdicts = new Map<string, number>();
    for (const m of matches(CANDIDATE, text)) {
      const raw = m[0].trimEnd();
      const digits = raw.replace(/(?:x|ext\.?|extension|poste|durchwahl)\s?\d+$/, "").replace(/\D/g, "").length;
      // Dotted quads are IPs; 16+ grouped digits are cards: neither needs the phone parser.
      if (digits < 7 || digits > 17 || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw)) continue;
      // "00" is the international prefix in most of the world; "(0)" is a trunk digit dropped after +CC.
      const normal = raw.replace(/^00/, "+").replace(/^(\+\d{1,3})[\s.-]?\(0\)/, "$1 ");
      let verdict = verdicts.get(normal);
      if (verdict === undefined) {
        verdict = phoneVerdict(normal, region);
        if (verdict < 2 && !normal.startsWith("+") && /[\s().-]/.test(normal) && validElsewhere(normal)) verdict = 3;
        verdicts.set(normal, verdict);
      }
      const ctx = precededBy(text, m.index, CONTEXT, 32);
      const score = verdict === 3 ? (ctx ? 0.9 : 0.6) : scoreOf(normal, verdict, ctx);
      if (score > 0) out.push({ type: "PHONE_NUMBER", start: m.index, end: m.index + raw.length, score });
    }
    return out;
  },
};
