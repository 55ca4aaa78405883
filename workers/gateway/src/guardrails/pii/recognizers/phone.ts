import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";
import type { RawFinding, Recognizer } from "../../types";
import { matches, precededBy } from "../context";

const CONTEXT = /\b(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|text me|contact|number|telefon|téléphone|teléfono|handy)\b/i;
// Candidate spans: optional +country code, optional (area), then 2-6 digit groups, or a bare
// 8-15 digit run. libphonenumber's own text scanner costs ~4 ms per 1k tokens; validating only
// these candidates with its parser costs microseconds.
const CANDIDATE =
  /(?<![\w+@.\/-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{1,8}){1,5}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w@]|[.-]\d)|(?<![\w+@.\/-])\+?\d{8,15}(?![\w@])/g;

const DEFAULT_REGION: Record<string, CountryCode> = { en: "US", de: "DE", fr: "FR", es: "ES", it: "IT", nl: "NL", pt: "BR", pl: "PL" };

/** 2 = valid number, 1 = possible (right length) but not in an assigned range, 0 = not a phone. */
function phoneVerdict(raw: string, region: CountryCode): number {
  const parsed = parsePhoneNumberFromString(raw, region);
  if (!parsed) return 0;
  if (parsed.isValid()) return 2;
  return parsed.isPossible() ? 1 : 0;
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
      const digits = raw.replace(/(?:x|ext\.?|extension)\s?\d+$/, "").replace(/\D/g, "").length;
      // Dotted quads are IPs; 16+ grouped digits are cards: neither needs the phone parser.
      if (digits < 7 || digits > 15 || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw)) continue;
      let verdict = verdicts.get(raw);
      if (verdict === undefined) {
        verdict = phoneVerdict(raw, region);
        verdicts.set(raw, verdict);
      }
      if (verdict === 0) continue;
      const international = raw.startsWith("+");
      const grouped = /[\s().-]/.test(raw);
      const ctx = precededBy(text, m.index, CONTEXT, 32);
      // A bare digit run could be any id; formatting or a "phone" label makes it a phone.
      const base = ctx ? 0.95 : international ? 0.85 : grouped ? 0.7 : 0.4;
      // Right length for the region but unassigned range (fictional 555 numbers, typos): weaker.
      const score = verdict === 2 ? base : grouped || ctx ? base - 0.15 : 0;
      if (score <= 0) continue;
      out.push({ type: "PHONE_NUMBER", start: m.index, end: m.index + raw.length, score });
    }
    return out;
  },
};
