import type { RawFinding, Recognizer } from "../../types";
import { matches, precededBy } from "../context";

const SSN = /(?<![\d-])(\d{3})([- .]?)(\d{2})\2(\d{4})(?![\d-])/g;
const CONTEXT = /\b(?:ssn|ssns|social security|social sec|ss#|ss no|sozialversicherung)\b/i;

/** SSA never issues area 000/666, group 00 or serial 0000; famous sample numbers are skipped too. */
function plausible(area: string, group: string, serial: string): boolean {
  if (area === "000" || area === "666" || group === "00" || serial === "0000") return false;
  return !["078051120", "219099999", "123456789"].includes(area + group + serial);
}

export const usSsnRecognizer: Recognizer = {
  name: "us-ssn",
  types: ["US_SSN"],
  find(text) {
    const out: RawFinding[] = [];
    for (const m of matches(SSN, text)) {
      const [, area = "", sep = "", group = "", serial = ""] = m;
      if (!plausible(area, group, serial)) continue;
      const ctx = precededBy(text, m.index, CONTEXT, 40);
      // Undelimited 9 digits are usually something else (order ids, routing numbers) unless labelled.
      const score = ctx ? 1 : sep === "-" ? 0.85 : sep === "" ? 0 : 0.5;
      if (score > 0) out.push({ type: "US_SSN", start: m.index, end: m.index + m[0].length, score });
    }
    return out;
  },
};
