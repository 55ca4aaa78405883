import { findPhoneNumbersInText, type CountryCode } from "libphonenumber-js/min";
import type { RawFinding, Recognizer } from "../../types";
import { precededBy } from "../context";

const CONTEXT = /\b(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|text me|contact|number|telefon|téléphone|teléfono|handy)\b/i;
// Cheap gate: libphonenumber's scanner is the costliest recognizer, so only run it when the
// text has a run of 7+ digits allowing common separators.
const GATE = /\+?\d(?:[\d\s().-]{5,}\d)/;

const DEFAULT_REGION: Record<string, CountryCode> = { en: "US", de: "DE", fr: "FR", es: "ES", it: "IT", nl: "NL", pt: "BR", pl: "PL" };

export const phoneRecognizer: Recognizer = {
  name: "phone",
  types: ["PHONE_NUMBER"],
  find(text, lang) {
    if (!GATE.test(text)) return [];
    const out: RawFinding[] = [];
    const region = DEFAULT_REGION[lang] ?? "US";
    for (const found of findPhoneNumbersInText(text, { defaultCountry: region })) {
      const raw = text.slice(found.startsAt, found.endsAt);
      const international = raw.trimStart().startsWith("+");
      const grouped = /[\s().-]/.test(raw);
      const ctx = precededBy(text, found.startsAt, CONTEXT, 32);
      // A bare digit run could be any id; formatting or a "phone" label makes it a phone.
      const score = ctx ? 0.95 : international ? 0.85 : grouped ? 0.7 : 0.4;
      out.push({ type: "PHONE_NUMBER", start: found.startsAt, end: found.endsAt, score });
    }
    return out;
  },
};
