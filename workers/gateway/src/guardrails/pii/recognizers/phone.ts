import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";
import type { RawFinding, Recognizer } from "../../types";
import { matches, precededBy } from "../context";

const CONTEXT = /\b(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|text me|contact|number|telefon|téléphone|teléfono|handy)\b/i;
// Candidate spans: optional +country code, optional (area), then 2-6 digit groups, or a bare
// 8-15 digit run. libphonenumber's own text scanner costs ~4 ms per 1k tokens; validating only
// these candidates with its parser costs microseconds.
const CANDIDATE =
  /(?<![\w+@.\/-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{1,8}){1,5}(?![\w@]|[.-]\d)|(?<![\w+@.\/-])\+?\d{8,15}(?![\w@])/g;

const DEFAULT_REGION: Record<string, CountryCode> = { en: "US", de: "DE", fr: "FR", es: "ES", it: "IT", nl: "NL", pt: "BR", pl: "PL" };

export const phoneRecognizer: Recognizer = {
  name: "phone",
  types: ["PHONE_NUMBER"],
  find(text, lang) {
    const out: RawFinding[] = [];
    const region = DEFAULT_REGION[lang] ?? "US";
    const valid = new Map<string, boolean>();
    for (const m of matches(CANDIDATE, text)) {
      const raw = m[0].trimEnd();
      const digits = raw.replace(/\D/g, "").length;
      // Dotted quads are IPs; 16+ grouped digits are cards: neither needs the phone parser.
      if (digits < 7 || digits > 15 || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw)) continue;
      let ok = valid.get(raw);
      if (ok === undefined) {
        ok = parsePhoneNumberFromString(raw, region)?.isValid() ?? false;
        valid.set(raw, ok);
      }
      if (!ok) continue;
      const international = raw.startsWith("+");
      const grouped = /[\s().-]/.test(raw);
      const ctx = precededBy(text, m.index, CONTEXT, 32);
      // A bare digit run could be any id; formatting or a "phone" label makes it a phone.
      const score = ctx ? 0.95 : international ? 0.85 : grouped ? 0.7 : 0.4;
      out.push({ type: "PHONE_NUMBER", start: m.index, end: m.index + raw.length, score });
    }
    return out;
  },
};
