import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";
import type { RawFinding, Recognizer } from "../../types";
import { matches, precededBy } from "../context";

const CONTEXT = /\b(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|text me|contact|number|telefon|téléphone|teléfono|telefone|telefono|handy|tél|tlf|puh|мобильный|телефон)\b/i;
// A label that names a phone, not any "number": only this lets a bare national number be tried abroad.
const PHONE_LABEL = /\b(?:phone|call|ring|dial|tel|telephone|mobile|cell|fax|whatsapp|sms|handy|telefon|téléphone|teléfono|telefone|telefono|tél|tlf|puh|мобильный|телефон)\b/i;
const EXT = String.raw`(?:\s?(?:x|ext\.?|extension|poste|durchwahl)\s?\d{1,6})?`;
// Candidate spans, validated below by libphonenumber's parser (its own text scanner costs ~4 ms
// per 1k tokens; parsing only these costs microseconds):
//   +CC [(0)] digits [groups]   |   (area) digits [groups]   |   grouped digits   |   8-15 bare digits
const CANDIDATE = new RegExp(
  String.raw`(?<![\w+@./-])(?:(?:\+|00)\d{1,3}[\s.-]?(?:\(\d{1,5}\)[\s.-]?)?\d{1,12}(?:[\s./-]\d{1,8}){0,5}|\(\d{1,5}\)[\s.-]?\d{1,10}(?:[\s./-]\d{1,8}){0,4}|\d{1,5}(?:[\s./-]\d{1,8}){1,5}|\d{8,15})${EXT}(?![\w@]|[.-]\d)`,
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

/** 3 = valid number, 2 = possible (right length, unassigned range), 1 = known country code only, 0 = not a phone. */
function phoneVerdict(raw: string, region: CountryCode): number {
  const parsed = parsePhoneNumberFromString(raw, region);
  if (!parsed) return 0;
  if (parsed.isValid()) return 3;
  return parsed.isPossible() ? 2 : 1;
}

/** Valid in some other region's national format ("030 1234567" in Germany, "463 92 858" in Norway). */
const validElsewhere = (raw: string): boolean => OTHER_REGIONS.some((r) => phoneVerdict(raw, r) === 3);

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
  if (verdict === 2) return grouped || ctx ? base - 0.15 : 0;
  // "+34 840 146 3140": a real calling code and phone-shaped groups, even if no such number exists.
  if (verdict === 1) return international && grouped ? 0.6 : 0;
  return 0;
}

function verdictFor(normal: string, region: CountryCode, phoneLabel: boolean): number {
  const v = phoneVerdict(normal, region);
  if (v === 3 || normal.startsWith("+")) return v;
  const trunkGrouped = /^\(?0/.test(normal) && /[\s().\/-]/.test(normal);
  return (trunkGrouped || phoneLabel) && validElsewhere(normal) ? 4 : v;
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
      // 3-2-4 is how SSNs are written; the SSN recognizer decides about those.
      if (/^\d{3}-\d{2}-\d{4}$/.test(raw)) continue;
      // "00" is the international prefix in most of the world; "(0)" is a trunk digit dropped after +CC.
      const normal = raw.replace(/^00/, "+").replace(/^(\+\d{1,3})[\s.-]?\(0\)/, "$1 ");
      const ctx = precededBy(text, m.index, CONTEXT, 32);
      const phoneLabel = ctx && precededBy(text, m.index, PHONE_LABEL, 32);
      const key = `${phoneLabel ? 1 : 0}${normal}`;
      let verdict = verdicts.get(key);
      if (verdict === undefined) verdicts.set(key, (verdict = verdictFor(normal, region, phoneLabel)));
      const score = verdict === 4 ? (ctx ? 0.9 : 0.6) : scoreOf(normal, verdict, ctx);
      if (score > 0) out.push({ type: "PHONE_NUMBER", start: m.index, end: m.index + raw.length, score });
    }
    return out;
  },
};
