import type { RawFinding, Recognizer } from "../../types";
import { matches, precededBy } from "../context";

const MONTHS =
  "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
const PATTERNS: Array<[RegExp, number]> = [
  [/(?<![\d/.-])(?:\d{4}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01]))(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?![\d/-])/g, 0.85],
  [/(?<![\d/.-])(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:19|20)?\d{2}(?![\d/-])/g, 0.7],
  [new RegExp(`\\b${MONTHS}\\.? (?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?,? (?:19|20)\\d{2}\\b`, "g"), 0.85],
  [new RegExp(`\\b(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)? (?:of )?${MONTHS}\\.?,? (?:19|20)\\d{2}\\b`, "g"), 0.85],
  [new RegExp(`\\b${MONTHS} (?:19|20)\\d{2}\\b`, "g"), 0.5],
];
const BIRTH = /\b(?:born|birth|dob|d\.o\.b|birthday|geboren|né|née|nacido|date of birth)\b[^.\n]{0,20}$/i;

export const dateTimeRecognizer: Recognizer = {
  name: "date-time",
  types: ["DATE_TIME"],
  find(text) {
    const out: RawFinding[] = [];
    for (const [re, base] of PATTERNS) {
      for (const m of matches(re, text)) {
        // A birth date identifies a person; an arbitrary date rarely does, so it scores lower.
        const score = precededBy(text, m.index, BIRTH, 40) ? 0.95 : base;
        out.push({ type: "DATE_TIME", start: m.index, end: m.index + m[0].length, score });
      }
    }
    return out;
  },
};
